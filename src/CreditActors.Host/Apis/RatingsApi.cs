using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Akka.Actor;
using CreditActors.Actors.Accounts;
using CreditActors.Actors.Rating;
using CreditActors.Actors.Runs;
using CreditActors.Domain.Accounts;
using CreditActors.Domain.Rating;
using CreditActors.Host.Cluster;
using CreditActors.Host.Http;
using CreditActors.Host.OpenApi;
using CreditActors.Host.Security;

namespace CreditActors.Host.Apis;

public sealed record ExternalRatingRequest(
    [property: Required, MaxLength(CreditAccount.MaximumAgencyLength)] string? Agency,
    [property: Required, MaxLength(CreditAccount.MaximumExternalGradeLength)] string? Grade,
    [property: Required, Range(0, 100)] int? Score,
    [property: Required] DateOnly? ReportDate,
    [property: MaxLength(CreditAccount.MaximumOrderReferenceLength)] string? Reference = null);

/// <summary>A new version of a rating policy: the document (see the README) and why it is proposed.</summary>
public sealed record ProposePolicyRequest([property: Required] JsonElement? Policy, [property: Required, MaxLength(CreditAccount.MaximumTextLength)] string? Reason);

/// <summary>
/// Rate accounts under a policy without writing anything: a draft document, or a known version (policyId and version),
/// by default the one in force.
/// </summary>
public sealed record SimulationRequest(
    [property: Required, MaxLength(RatingsApi.MaximumSimulatedAccounts)] IReadOnlyList<string>? AccountIds,
    JsonElement? Policy = null,
    [property: MaxLength(Identifiers.MaximumLength)] string? PolicyId = null,
    int? Version = null);

public sealed record RatingView(
    long? Version, string Policy, DateOnly AsOf, decimal Score, string Grade, string? PreviousGrade, string Change, string Reason, string Trigger,
    string? ReviewId, DateTimeOffset RatedAt, string Actor, IReadOnlyList<RatingFactor> Factors, IReadOnlyList<FactorMove> Moves,
    Tier SuggestedTier, decimal? SuggestedLimit, RatingFloor Floor);

public sealed record ReviewView(bool Written, RatingView? Rating, CurrentRatingView? Current, string? LimitRequestId, decimal? LimitCutTo);

public sealed record ExternalRatingView(string AccountId, string Agency, string Grade, int Score, DateOnly ReportDate, string? Reference, RatingView? Rating);

public sealed record PolicyVersionView(
    string PolicyId, int Version, string Status, string Description, string ProposedBy, DateTimeOffset? ProposedAt, string Reason,
    string? DecidedBy, DateTimeOffset? DecidedAt, string? DecisionNote);

public sealed record PolicyDocumentView(PolicyVersionView Version, JsonElement Policy);

public sealed record StartRunRequest([property: MaxLength(CreditAccount.MaximumTextLength)] string? Reason = null);

/// <summary>
/// A rating run: how many accounts it has asked and what they answered, and for a running one its pace and an estimate of
/// the time left (seconds, to 0.1).
/// </summary>
public sealed record RatingRunView(
    string RunId, string Status, DateTimeOffset StartedAt, string StartedBy, string Reason, int Total, int Processed, int Written, int Unchanged,
    int Skipped, int Failed, string? LastAccountId, DateTimeOffset? CompletedAt, decimal ElapsedSeconds, decimal? AccountsPerSecond,
    decimal? EstimatedSecondsLeft);

/// <summary>
/// An approved hold's decision: the facts recorded with it (absent for a hold recorded before facts were kept), the facts a
/// decision on the account's events before it gives today, and whether the two agree.
/// </summary>
public sealed record HoldDecisionView(
    string AccountId, string HoldId, long Version, DateTimeOffset RecordedAt, string Actor, decimal Amount, HoldDecision? Recorded,
    HoldDecision? Replayed, bool Agrees, string? ReplayRejection);

public sealed record SimulatedRatingView(
    string AccountId, bool Found, string Policy, decimal? Score, string? Grade, IReadOnlyList<RatingFactor>? Factors, bool? PaymentHistoryAvailable,
    decimal? AverageMonthlyInvoiced, Tier? SuggestedTier, decimal? SuggestedLimit, RatingFloor? Floor, bool? HistoryComplete,
    CurrentRatingView? Current);

/// <summary>
/// Ratings: an account's reviews, external ratings and history; the rating policy versions (proposed by one credit manager,
/// activated by a second); and simulations of a policy on named accounts, which write nothing.
/// </summary>
public static class RatingsApi
{
    public const int MaximumSimulatedAccounts = 200;

    public static void MapRatingsApi(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/accounts/{accountId}").WithTags("Ratings");
        account.MapPost("/rating-reviews", (string accountId, HttpContext http, AccountClient accounts) =>
            accounts.RunAsync(http, accountId, new ReviewRating("review", null), outcome =>
            {
                var view = Review(outcome);
                return view.Written ? Results.Created($"/accounts/{accountId}/ratings", view) : Results.Ok(view);
            }))
            .Describe("reviewRating", "Rate the account now under the policy in force; written when the grade or score moved, or the review is due")
            .WithContract(new ContractMetadata(Command: true)).Produces<ReviewView>(201).Produces<ReviewView>().Allow(Roles.CreditManager);

        account.MapPost("/external-ratings", async (string accountId, HttpContext http, AccountClient accounts) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<ExternalRatingRequest>(http.Request);
            return problem ?? Required.Missing(("agency", body!.Agency), ("grade", body.Grade), ("score", body.Score), ("reportDate", body.ReportDate))
                ?? await accounts.RunAsync(http, accountId,
                    new RecordExternalRating(body.Agency!, body.Grade!, body.Score!.Value, body.ReportDate!.Value, body.Reference),
                    outcome => new ExternalRatingView(accountId, body.Agency!, body.Grade!, body.Score.Value, body.ReportDate.Value, body.Reference,
                        outcome.Written.OfType<RatingAssigned>().Select(r => Rating(null, r)).FirstOrDefault()),
                    $"/accounts/{accountId}/ratings");
        }).Describe("recordExternalRating", "Record an outside agency's rating (信用报告); the account is rated again at once")
            .Command<ExternalRatingRequest>().Produces<ExternalRatingView>(201).Produces<ExternalRatingView>().Allow(Roles.CreditManager);

        account.MapPost("/tier-suggestion/accept", (string accountId, HttpContext http, AccountClient accounts) =>
            accounts.RunAsync(http, accountId, new AcceptSuggestedTier(), outcome => Views.Account(outcome.Account)))
            .Describe("acceptSuggestedTier", "Accept the tier the current rating suggests: the profile takes it")
            .WithContract(new ContractMetadata(Command: true)).Produces<AccountView>().Allow(Roles.CreditManager);

        account.MapGet("/holds/{holdId}/decision", DecisionAsync).WithTags("Holds")
            .Describe("getHoldDecision", "The facts a hold was approved on, and the same decision taken again from the account's events before it")
            .Produces<HoldDecisionView>().Allow(Roles.OrderSystem, Roles.Finance, Roles.CreditManager, Roles.Auditor, Roles.Analyst);

        account.MapGet("/ratings", HistoryAsync)
            .Describe("listRatings", "Every rating the account was given, oldest first, with its factors and the policy version")
            .Produces<List<RatingView>>().Allow(Roles.Finance, Roles.CreditManager, Roles.Auditor, Roles.Analyst);

        var policies = app.MapGroup("/rating-policies").WithTags("Rating policies");
        policies.MapGet("/", async (AkkaNode node, ApiSettings settings) =>
            await PoliciesAsync(node, settings) is { } book
                ? Results.Ok(book.Versions.Select(Version).ToList())
                : Problems.Unavailable("the rating policy registry did not answer in time"))
            .Describe("listRatingPolicies", "Every rating policy version: the one in force, those waiting for a second person, and the rest")
            .Produces<List<PolicyVersionView>>().Allow(Roles.CreditManager, Roles.Analyst, Roles.Auditor);
        policies.MapGet("/active", async (AkkaNode node, ApiSettings settings) =>
            await PoliciesAsync(node, settings) is { } book
                ? Results.Ok(Document(book.Active))
                : Problems.Unavailable("the rating policy registry did not answer in time"))
            .Describe("getActiveRatingPolicy", "The rating policy in force, as its document")
            .Produces<PolicyDocumentView>().Allow(Roles.CreditManager, Roles.Analyst, Roles.Auditor);
        policies.MapGet("/{policyId}/versions/{version}", async (string policyId, int version, AkkaNode node, ApiSettings settings) =>
            await PoliciesAsync(node, settings) is not { } book
                ? Problems.Unavailable("the rating policy registry did not answer in time")
                : book.Find(policyId, version) is { } found
                    ? Results.Ok(Document(found))
                    : Problems.NotFound("policy_not_found", $"Rating policy {policyId}/v{version} does not exist"))
            .Describe("getRatingPolicy", "One rating policy version, as its document")
            .Produces<PolicyDocumentView>().Allow(Roles.CreditManager, Roles.Analyst, Roles.Auditor);
        policies.MapPost("/", async (HttpContext http, AkkaNode node, ApiSettings settings) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<ProposePolicyRequest>(http.Request);
            if (problem is not null)
                return problem;
            if (Required.Missing(("policy", body!.Policy), ("reason", body.Reason)) is { } missing)
                return missing;
            if (body.Policy!.Value.ValueKind != JsonValueKind.Object)
                return Problems.Invalid("policy", "policy must be a JSON object: the policy document");
            var document = body.Policy.Value.GetRawText();
            return await DecideAsync(http, node, settings, new ProposeRatingPolicy(document, body.Reason!), reply =>
            {
                // A repeat of a proposal writes nothing and answers with the version as it stands.
                var policy = RatingPolicyDocument.Parse(document).Policy!;
                var version = reply.Book.Find(policy.PolicyId, policy.Version)!;
                return reply.Written.Count > 0
                    ? Results.Created($"/rating-policies/{policy.PolicyId}/versions/{policy.Version}", Version(version))
                    : Results.Ok(Version(version));
            });
        }).Describe("proposeRatingPolicy", "Propose a new version of a rating policy; a second credit manager activates it")
            .Command<ProposePolicyRequest>().Produces<PolicyVersionView>(201).Produces<PolicyVersionView>().Allow(Roles.CreditManager);
        policies.MapPost("/{policyId}/versions/{version}/approve", async (string policyId, int version, HttpContext http, AkkaNode node, ApiSettings settings) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<ApprovalRequest>(http.Request, optional: true);
            return problem ?? await DecideAsync(http, node, settings, new ApproveRatingPolicy(policyId, version, body?.Comment), reply =>
            {
                // This node rates with it at once; the others follow the policy stream.
                node.Ratings.Activate(reply.Book.Active.Policy);
                return Results.Ok(Version(reply.Book.Find(policyId, version)!));
            });
        }).Describe("approveRatingPolicy", "Approve another person's proposal: it is the policy in force from now")
            .Command<ApprovalRequest>(optionalBody: true).Produces<PolicyVersionView>().Allow(Roles.CreditManager);
        policies.MapPost("/{policyId}/versions/{version}/reject", async (string policyId, int version, HttpContext http, AkkaNode node, ApiSettings settings) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<RejectionRequest>(http.Request);
            return problem ?? Required.Missing(("reason", body!.Reason))
                ?? await DecideAsync(http, node, settings, new RejectRatingPolicy(policyId, version, body.Reason!),
                    reply => Results.Ok(Version(reply.Book.Find(policyId, version)!)));
        }).Describe("rejectRatingPolicy", "Reject a proposal, with the reason").Command<RejectionRequest>().Produces<PolicyVersionView>()
            .Allow(Roles.CreditManager);
        app.MapGroup("/rating-runs").WithTags("Ratings").MapRuns("rating", node => node.RatingRuns, [Roles.CreditManager],
            [Roles.CreditManager, Roles.Analyst, Roles.Auditor]);

        policies.MapPost("/simulations", SimulateAsync)
            .Describe("simulateRatingPolicy", "Rate the named accounts under a draft or known policy, showing every factor; writes nothing")
            .Command<SimulationRequest>().Produces<List<SimulatedRatingView>>().Allow(Roles.CreditManager, Roles.Analyst);
    }

    private static ReviewView Review(CommandOutcome outcome)
    {
        var rating = outcome.Written.OfType<RatingAssigned>().FirstOrDefault();
        return new ReviewView(
            rating is not null,
            rating is null ? null : Rating(outcome.Account.Version - outcome.Written.Count + outcome.Written.ToList().IndexOf(rating) + 1, rating),
            outcome.Account.Rating is { } current ? Views.CurrentRating(current) : null,
            outcome.Written.OfType<CreditLimitChangeRequested>().FirstOrDefault()?.RequestId,
            outcome.Written.OfType<CreditLimitChanged>().FirstOrDefault()?.NewLimit);
    }

    public static RatingView Rating(long? version, RatingAssigned r) => new(
        version, $"{r.PolicyId}/v{r.PolicyVersion}", r.AsOf, r.Score, r.Grade, r.PreviousGrade, r.Change, r.Reason, r.Trigger, r.ReviewId,
        r.Meta.RecordedAt, r.Meta.Actor, r.Factors, r.Moves, r.SuggestedTier, r.SuggestedLimit, r.Floor);

    private static PolicyVersionView Version(PolicyVersion v) => new(
        v.Policy.PolicyId, v.Policy.Version, v.Status.ToString().ToLowerInvariant(), v.Policy.Description, v.ProposedBy, v.ProposedAt, v.Reason,
        v.DecidedBy, v.DecidedAt, v.DecisionNote);

    private static PolicyDocumentView Document(PolicyVersion v) =>
        new(Version(v), JsonSerializer.SerializeToElement(v.Policy, RatingPolicyDocument.Options));

    /// <summary>Replays the account's journal up to the hold and decides it again (the account is not woken).</summary>
    private static async Task<IResult> DecisionAsync(string accountId, string holdId, AkkaNode node)
    {
        if (!Identifiers.IsValid(accountId))
            return Problems.Invalid("accountId", $"accountId {Identifiers.Rule}");
        if (!Identifiers.IsValid(holdId))
            return Problems.Invalid("holdId", $"holdId {Identifiers.Rule}");
        var events = await node.AccountEventsAsync(accountId);
        if (events.Count == 0)
            return Problems.NotFound("account_not_found", $"Account {accountId} does not exist");
        if (CreditAccount.ReplayHoldDecision(accountId, events, holdId, node.AccountSettings.CurrentPolicy) is not { } replay)
            return Problems.NotFound("hold_not_found", $"Hold {holdId} does not exist");
        var recorded = replay.Recorded;
        return Results.Ok(new HoldDecisionView(accountId, holdId, replay.Version, recorded.Meta.RecordedAt, recorded.Meta.Actor, recorded.Amount,
            recorded.Decision, replay.Replayed?.Decision, replay.Agrees, replay.Rejection?.Message));
    }

    /// <summary>The account's ratings, read from its journal (the account is not woken).</summary>
    private static async Task<IResult> HistoryAsync(string accountId, AkkaNode node)
    {
        if (!Identifiers.IsValid(accountId))
            return Problems.Invalid("accountId", $"accountId {Identifiers.Rule}");
        var events = await node.AccountEventsAsync(accountId);
        // An event's version is its place in the stream.
        var ratings = events.Select((e, i) => (e, Version: i + 1L)).Where(x => x.e is RatingAssigned)
            .Select(x => Rating(x.Version, (RatingAssigned)x.e)).ToList();
        return events.Count > 0 ? Results.Ok(ratings) : Problems.NotFound("account_not_found", $"Account {accountId} does not exist");
    }

    public static async Task<RatingPolicyBook?> PoliciesAsync(AkkaNode node, ApiSettings settings)
    {
        try
        {
            return (await node.RatingPolicies.Ask<RatingPolicyReply>(new ReadRatingPolicies(), settings.AskTimeout)).Book;
        }
        catch (AskTimeoutException)
        {
            return null;
        }
    }

    private static async Task<IResult> DecideAsync(
        HttpContext http, AkkaNode node, ApiSettings settings, RatingPolicyCommand command, Func<RatingPolicyReply, IResult> respond)
    {
        var (context, problem) = Caller.From(http);
        if (problem is not null)
            return problem;
        RatingPolicyReply reply;
        try
        {
            reply = await node.RatingPolicies.Ask<RatingPolicyReply>(new RatingPolicyRequest(command, context!.Actor), settings.AskTimeout);
        }
        catch (AskTimeoutException)
        {
            return Problems.Unavailable("the rating policy registry did not answer in time; the command may or may not have been recorded");
        }
        catch (Actors.WriteFailedException e)
        {
            return Problems.Unavailable($"the rating policy registry could not record the command, nothing was recorded ({e.Message}); try again");
        }
        return reply.Rejection is { } rejection ? Problems.From(rejection) : respond(reply);
    }

    private static async Task<IResult> SimulateAsync(HttpContext http, AkkaNode node, ApiSettings settings)
    {
        var (body, problem) = await JsonBody.ReadAsync<SimulationRequest>(http.Request);
        if (problem is not null)
            return problem;
        if (Required.Missing(("accountIds", body!.AccountIds)) is { } missing)
            return missing;
        var ids = body.AccountIds!;
        if (ids.Count is 0 or > MaximumSimulatedAccounts)
            return Problems.Invalid("accountIds", $"accountIds must name 1 to {MaximumSimulatedAccounts} accounts");
        for (var i = 0; i < ids.Count; i++)
            if (!Identifiers.IsValid(ids[i]))
                return Problems.Invalid($"accountIds[{i}]", $"accountIds[{i}] {Identifiers.Rule}");

        RatingPolicy policy;
        if (body.Policy is { } document)
        {
            if (body.PolicyId is not null || body.Version is not null)
                return Problems.Invalid("policy", "name either a draft policy or a policyId and version, not both");
            var (parsed, rejection) = RatingPolicyDocument.Parse(document.GetRawText());
            if (rejection is not null)
                return Problems.From(rejection with { Field = $"policy.{rejection.Field}" });
            policy = parsed!;
        }
        else if (body.PolicyId is not null || body.Version is not null)
        {
            if (body.PolicyId is null || body.Version is null)
                return Problems.Invalid(body.PolicyId is null ? "policyId" : "version", "policyId and version go together");
            if (await PoliciesAsync(node, settings) is not { } book)
                return Problems.Unavailable("the rating policy registry did not answer in time");
            if (book.Find(body.PolicyId, body.Version.Value) is not { } found)
                return Problems.NotFound("policy_not_found", $"Rating policy {body.PolicyId}/v{body.Version} does not exist");
            policy = found.Policy;
        }
        else if (node.Ratings.Rating is { } active)
            policy = active;
        else
            return Problems.From(Rejection.Conflict("no_rating_policy", "No rating policy is active; send a draft policy"));

        var answers = await Task.WhenAll(ids.Distinct(StringComparer.Ordinal).Select(async id =>
        {
            try
            {
                return (Id: id, Reply: (object?)await node.AccountRegion.Ask<object>(new AccountEnvelope(id, new SimulateRating(policy)), settings.AskTimeout,
                    http.RequestAborted));
            }
            catch (AskTimeoutException)
            {
                return (Id: id, Reply: null);
            }
        }));
        if (answers.FirstOrDefault(a => a.Reply is not RatingSimulation) is { Id: { } failed, Reply: var reply })
            return reply is CommandFailed f ? Problems.Internal(f.Reason) : Problems.Unavailable($"account {failed} did not answer in time");
        return Results.Ok(answers.Select(a => Simulated(a.Id, policy, (RatingSimulation)a.Reply!)).ToList());
    }

    private static SimulatedRatingView Simulated(string accountId, RatingPolicy policy, RatingSimulation s) => s.Result is { } r
        ? new SimulatedRatingView(accountId, true, policy.Key, r.Score, r.Grade, r.Factors, r.PaymentHistoryAvailable, r.AverageMonthlyInvoiced,
            r.SuggestedTier, r.SuggestedLimit, r.Floor, r.HistoryComplete, s.Current is { } c ? Views.CurrentRating(c) : null)
        : new SimulatedRatingView(accountId, false, policy.Key, null, null, null, null, null, null, null, null, null, null);
}
