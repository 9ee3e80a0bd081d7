using Akka.Configuration;
using CreditActors.Domain.Accounts;

namespace CreditActors.Actors.Accounts;

/// <summary>The credit-actors section of akka.hocon, read once into typed values.</summary>
public sealed record AccountSettings(
    string ShardRegion,
    int NumberOfShards,
    int SnapshotEveryEvents,
    TimeSpan PassivateAfterIdle,
    TimeSpan MaximumExpiryTimer,
    CreditPolicy Policy)
{
    public const string PersistenceIdPrefix = "credit-account-";

    /// <summary>The most commands an account holds waiting for their writes; beyond it a command is answered <see cref="AccountBusy"/>.</summary>
    public int MaximumPendingCommands { get; init; } = 10_000;

    /// <summary>The rating policy in force on this node; null: none (nothing is rated, no floor applies).</summary>
    public Rating.ActiveRatingPolicy? Ratings { get; init; }

    /// <summary>The rules a decision applies now: the credit policy with the rating policy in force.</summary>
    public CreditPolicy CurrentPolicy => Ratings?.Current ?? Policy;

    /// <summary>The cluster role of the nodes that host accounts; null: every node.</summary>
    public string? Role { get; init; }

    /// <summary>A large account snapshots once the events since its last snapshot reach this fraction of its state's items.</summary>
    public double SnapshotGrowthFraction { get; init; } = 0.1;

    public static AccountSettings From(Config config)
    {
        var account = config.GetConfig("credit-actors.account")
            ?? throw new InvalidOperationException("akka.hocon has no credit-actors.account section");
        var policy = config.GetConfig("credit-actors.credit-policy")
            ?? throw new InvalidOperationException("akka.hocon has no credit-actors.credit-policy section");
        var collections = config.GetConfig("credit-actors.collections")
            ?? throw new InvalidOperationException("akka.hocon has no credit-actors.collections section");
        var settings = new AccountSettings(
            account.GetString("shard-region"),
            account.GetInt("number-of-shards"),
            account.GetInt("snapshot-every-events"),
            account.GetTimeSpan("passivate-after-idle"),
            account.GetTimeSpan("max-expiry-timer"),
            new CreditPolicy(
                policy.GetInt("overdue-tolerance-days"),
                policy.GetTimeSpan("default-hold-duration"),
                policy.GetTimeSpan("maximum-hold-duration"),
                new LimitApprovalPolicy(
                    OptionalDecimal(policy, "limit-increase-approval.above-amount"),
                    OptionalDecimal(policy, "limit-increase-approval.above-percent")))
            {
                Collections = DunningPolicyFrom(collections.GetString("policy-file", "")),
            })
        {
            MaximumPendingCommands = account.GetInt("max-pending-commands", 10_000),
            SnapshotGrowthFraction = account.GetDouble("snapshot-growth-fraction", 0.1),
            Role = account.GetString("role", "") is { Length: > 0 } role ? role : null,
        };
        if (settings.MaximumPendingCommands < 1 || settings.SnapshotGrowthFraction < 0 || settings.NumberOfShards < 1 || settings.SnapshotEveryEvents < 1
            || settings.PassivateAfterIdle <= TimeSpan.Zero)
            throw new InvalidOperationException("credit-actors.account: shards, snapshot cadence and idle time must be positive");
        return settings;
    }

    /// <summary>The dunning policy a file holds, or the shipped one for an empty path; a file that is not a valid policy stops the node.</summary>
    private static Domain.Collections.DunningPolicy DunningPolicyFrom(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
            return Domain.Collections.DunningPolicyDocument.Standard;
        var (policy, problem) = Domain.Collections.DunningPolicyDocument.Parse(File.ReadAllText(path));
        return policy ?? throw new InvalidOperationException($"credit-actors.collections.policy-file {path}: {problem!.Field}: {problem.Message}");
    }

    /// <summary>A decimal read from its text (never through a double); "off" or absent disables the rule.</summary>
    private static decimal? OptionalDecimal(Config config, string path)
    {
        var text = config.HasPath(path) ? config.GetString(path) : null;
        return text is null or "off" ? null : decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
    }
}
