using System.Collections.Immutable;
using CreditActors.Domain.Accounts;

namespace CreditActors.Domain.Rating;

/// <summary>An event of the rating-policy stream: the versions proposed, and the decisions of a second person on them.</summary>
public abstract record RatingPolicyEvent(DateTimeOffset RecordedAt, string Actor);

/// <summary>A credit manager proposed a version; it waits for a second person. <paramref name="Document"/> is the document as sent.</summary>
public sealed record RatingPolicyProposed(DateTimeOffset RecordedAt, string Actor, string PolicyId, int Version, string Document, string Reason)
    : RatingPolicyEvent(RecordedAt, Actor);

/// <summary>A second credit manager approved a version: it is the policy in force from now; the one before is superseded.</summary>
public sealed record RatingPolicyActivated(DateTimeOffset RecordedAt, string Actor, string PolicyId, int Version, string? Comment)
    : RatingPolicyEvent(RecordedAt, Actor);

public sealed record RatingPolicyRejected(DateTimeOffset RecordedAt, string Actor, string PolicyId, int Version, string Reason)
    : RatingPolicyEvent(RecordedAt, Actor);

public abstract record RatingPolicyCommand;

public sealed record ProposeRatingPolicy(string Document, string Reason) : RatingPolicyCommand;

public sealed record ApproveRatingPolicy(string PolicyId, int Version, string? Comment) : RatingPolicyCommand;

public sealed record RejectRatingPolicy(string PolicyId, int Version, string Reason) : RatingPolicyCommand;

public enum PolicyVersionStatus { Pending, Active, Superseded, Rejected }

/// <summary>One version of a rating policy, who proposed it and who decided on it.</summary>
public sealed record PolicyVersion(
    RatingPolicy Policy,
    PolicyVersionStatus Status,
    string ProposedBy,
    DateTimeOffset? ProposedAt,
    string Reason,
    string? DecidedBy = null,
    DateTimeOffset? DecidedAt = null,
    string? DecisionNote = null);

/// <summary>
/// Every rating policy version the service knows, folded from the policy stream: the shipped version is in force until a
/// credit manager proposes another and a second one approves it (maker-checker, as for credit limits).
/// </summary>
public sealed record RatingPolicyBook(ImmutableList<PolicyVersion> Versions)
{
    public const string Shipped = "shipped with the service";

    public static RatingPolicyBook Initial { get; } = new([new PolicyVersion(RatingPolicyDocument.Standard, PolicyVersionStatus.Active, "service", null, Shipped)]);

    public PolicyVersion Active => Versions.Single(v => v.Status == PolicyVersionStatus.Active);

    public PolicyVersion? Find(string policyId, int version) =>
        Versions.FirstOrDefault(v => v.Policy.PolicyId == policyId && v.Policy.Version == version);

    /// <summary>The events a command writes, or why it is refused; no events and no rejection for a repeat.</summary>
    public (IReadOnlyList<RatingPolicyEvent> Events, Rejection? Rejection) Decide(RatingPolicyCommand command, string actor, DateTimeOffset now)
    {
        switch (command)
        {
            case ProposeRatingPolicy c:
            {
                if (string.IsNullOrWhiteSpace(c.Reason) || c.Reason.Length > CreditAccount.MaximumTextLength)
                    return ([], Rejection.Invalid("reason", $"reason is required, at most {CreditAccount.MaximumTextLength} characters"));
                var (policy, problem) = RatingPolicyDocument.Parse(c.Document ?? "");
                if (problem is not null)
                    return ([], problem);
                if (Find(policy!.PolicyId, policy.Version) is { } existing)
                    return RatingPolicyDocument.Write(existing.Policy) == RatingPolicyDocument.Write(policy)
                        ? ([], null)
                        : ([], Rejection.Conflict("policy_version_exists", $"Rating policy {policy.Key} already exists with another content", "version"));
                var latest = Versions.Where(v => v.Policy.PolicyId == policy.PolicyId).Select(v => v.Policy.Version).DefaultIfEmpty(0).Max();
                if (policy.Version <= latest)
                    return ([], Rejection.Invalid("version", $"version must be above {latest}, the latest of policy {policy.PolicyId}"));
                return ([new RatingPolicyProposed(now, actor, policy.PolicyId, policy.Version, c.Document!, c.Reason)], null);
            }
            case ApproveRatingPolicy c:
            {
                var (version, problem) = Pending(c.PolicyId, c.Version, PolicyVersionStatus.Active);
                if (problem is not null)
                    return ([], problem);
                if (version is null)
                    return ([], null);
                if (version.ProposedBy == actor)
                    return ([], new Rejection(RejectionKind.Forbidden, "self_approval",
                        $"{actor} proposed rating policy {version.Policy.Key}: a second person must approve it"));
                if (c.Comment is { Length: > CreditAccount.MaximumTextLength })
                    return ([], Rejection.Invalid("comment", $"comment must be at most {CreditAccount.MaximumTextLength} characters"));
                return ([new RatingPolicyActivated(now, actor, c.PolicyId, c.Version, c.Comment)], null);
            }
            case RejectRatingPolicy c:
            {
                if (string.IsNullOrWhiteSpace(c.Reason) || c.Reason.Length > CreditAccount.MaximumTextLength)
                    return ([], Rejection.Invalid("reason", $"reason is required, at most {CreditAccount.MaximumTextLength} characters"));
                var (version, problem) = Pending(c.PolicyId, c.Version, PolicyVersionStatus.Rejected);
                if (problem is not null)
                    return ([], problem);
                return version is null ? ([], null) : ([new RatingPolicyRejected(now, actor, c.PolicyId, c.Version, c.Reason)], null);
            }
            default:
                throw new InvalidOperationException($"Unknown rating policy command {command.GetType().Name}");
        }
    }

    /// <summary>The pending version named; null without a problem when it already has the status the command would give it.</summary>
    private (PolicyVersion? Version, Rejection? Problem) Pending(string policyId, int number, PolicyVersionStatus wanted)
    {
        var version = Find(policyId, number);
        if (version is null)
            return (null, Rejection.NotFound("policy_not_found", $"Rating policy {policyId}/v{number} does not exist"));
        if (version.Status == PolicyVersionStatus.Pending)
            return (version, null);
        return version.Status == wanted || (wanted == PolicyVersionStatus.Active && version.Status == PolicyVersionStatus.Superseded)
            ? (null, null)
            : (null, Rejection.Conflict("policy_not_pending", $"Rating policy {version.Policy.Key} is {version.Status.ToString().ToLowerInvariant()}"));
    }

    public RatingPolicyBook Apply(RatingPolicyEvent e) => e switch
    {
        RatingPolicyProposed p => this with
        {
            Versions = Versions.Add(new PolicyVersion(RatingPolicyDocument.Parse(p.Document).Policy
                ?? throw new InvalidOperationException($"The stored rating policy {p.PolicyId}/v{p.Version} does not read"),
                PolicyVersionStatus.Pending, p.Actor, p.RecordedAt, p.Reason)),
        },
        RatingPolicyActivated a => this with
        {
            Versions = Versions.Select(v =>
                v.Policy.PolicyId == a.PolicyId && v.Policy.Version == a.Version
                    ? v with { Status = PolicyVersionStatus.Active, DecidedBy = a.Actor, DecidedAt = a.RecordedAt, DecisionNote = a.Comment }
                    : v.Status == PolicyVersionStatus.Active ? v with { Status = PolicyVersionStatus.Superseded } : v).ToImmutableList(),
        },
        RatingPolicyRejected r => this with
        {
            Versions = Versions.Select(v => v.Policy.PolicyId == r.PolicyId && v.Policy.Version == r.Version
                ? v with { Status = PolicyVersionStatus.Rejected, DecidedBy = r.Actor, DecidedAt = r.RecordedAt, DecisionNote = r.Reason }
                : v).ToImmutableList(),
        },
        _ => throw new InvalidOperationException($"Unknown rating policy event {e.GetType().Name}"),
    };
}
