using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Akka.Actor;
using CreditActors.Actors.Accounts;
using CreditActors.Actors.Runs;
using CreditActors.Domain.Accounts;
using CreditActors.Domain.Collections;
using CreditActors.Domain.Rating;
using CreditActors.Host.Cluster;
using CreditActors.Host.Collections;
using CreditActors.Host.Http;
using CreditActors.Host.OpenApi;
using CreditActors.Host.Security;
using CreditActors.Projections.Collections;

namespace CreditActors.Host.Apis;

public sealed record DisputeRequest(
    [property: Required] string? DisputeId,
    [property: Required] decimal? Amount,
    [property: Required, AllowedValues("pricing", "quantity", "quality", "not-delivered", "not-ordered", "duplicate", "terms", "other")] string? Reason,
    [property: Range(1, int.MaxValue)] int? Line = null,
    [property: MaxLength(CreditAccount.MaximumTextLength)] string? Comment = null);

public sealed record DisputeResolutionRequest(
    [property: Required, AllowedValues("credited", "paid", "written-off", "rejected")] string? Resolution,
    string? Reference = null,
    [property: MaxLength(CreditAccount.MaximumTextLength)] string? Comment = null);

public sealed record PromiseRequest(
    [property: Required] string? PromiseId,
    [property: Required] decimal? Amount,
    [property: Required] DateOnly? PromisedDate,
    IReadOnlyList<string>? InvoiceNumbers = null,
    [property: MaxLength(CreditAccount.MaximumTextLength)] string? Comment = null);

public sealed record CollectionNoteRequest(
    [property: Required] string? NoteId,
    [property: Required, AllowedValues("call", "email", "visit", "meeting", "letter")] string? Kind,
    [property: Required, MaxLength(4000)] string? Summary,
    [property: MaxLength(CreditAccount.MaximumTextLength)] string? Outcome = null,
    DateOnly? NextStepDate = null,
    [property: MaxLength(CreditAccount.MaximumTextLength)] string? NextStep = null);

/// <summary>The language notices are written in and the billing email they go to (null: the profile's email).</summary>
public sealed record ContactPreferencesRequest(
    [property: Required, AllowedValues("zh", "en")] string? Language,
    [property: MaxLength(254)] string? Email = null,
    bool? MonthlyStatements = null,
    [property: AllowedValues("confirmation", "request", "notification", null)] string? Confirmation = null);

/// <summary>How the customer is written to: language, billing email, monthly statements and the confirmation they ask for.</summary>
public sealed record ContactPreferencesView(string AccountId, string Language, string? Email, bool MonthlyStatements, string? Confirmation);

/// <summary>The collector the account is given to; null takes it from whoever had it.</summary>
public sealed record CollectorRequest([property: MaxLength(200)] string? Collector);

public sealed record DisputeView(
    string AccountId, string DisputeId, string InvoiceNumber, decimal Amount, int? Line, IReadOnlyList<LineAmount> Lines, string Reason, string? Comment,
    string Status, DateTimeOffset OpenedAt, string OpenedBy, string? Resolution, string? Reference, string? ResolutionComment, DateTimeOffset? ResolvedAt,
    string? ResolvedBy);

public sealed record PromiseView(
    string AccountId, string PromiseId, decimal Amount, DateOnly PromisedDate, IReadOnlyList<string> InvoiceNumbers, string? Comment, string Status,
    DateTimeOffset RecordedAt, string RecordedBy, decimal? Received, decimal? Shortfall, DateTimeOffset? DecidedAt);

public sealed record CollectionNoteView(
    string AccountId, string NoteId, string Kind, string Summary, string? Outcome, DateOnly? NextStepDate, string? NextStep, DateTimeOffset At, string By);

public sealed record DeliveryAttemptView(int Attempt, string Outcome, DateTimeOffset At, string? Recipient, string? MessageId, string? Error, DateTimeOffset? NextAttemptAt);

/// <summary>A dunning notice with what it charged and how its delivery went: pending, sent, or failed (for good).</summary>
public sealed record NoticeView(
    string AccountId, string NoticeId, DateOnly Date, int Level, string LevelName, IReadOnlyList<NoticeLine> Lines, decimal Total, decimal Fee,
    decimal Interest, decimal OutstandingCharges, string Currency, NoticeChannel Channel, string Template, string Policy, bool BlocksNewCredit,
    bool NotifiesCreditManagers, string Delivery, IReadOnlyList<DeliveryAttemptView> Attempts);

/// <summary>What the account's dunning step wrote today: the notice, the charges, and the promises decided.</summary>
public sealed record DunningStepView(
    string AccountId, bool Written, NoticeView? Notice, decimal FeeCharged, decimal InterestCharged, IReadOnlyList<string> PromisesKept,
    IReadOnlyList<string> PromisesBroken, bool Blocked);

public sealed record CollectorView(string AccountId, string? Collector);

/// <summary>
/// One account on the collector's worklist: its priority (overdue money-days, weighed by broken promises, grade and recent
/// contact), the next action and its due date, and the facts behind them. Kind: collection, or review (the credit file is due
/// for review and nothing is overdue).
/// </summary>
public sealed record WorkItemView(
    int Rank, string AccountId, string Currency, string Kind, decimal Priority, string NextAction, DateOnly DueOn, string? Collector, decimal Overdue,
    int DaysPastDue, int BrokenPromises, string? Grade, DateOnly? LastContactOn, string? PromiseId, DateOnly? PromiseOn, decimal? PromiseAmount,
    int OpenDisputes, decimal Disputed, DateOnly? LastNoticeOn, int? LastNoticeLevel, bool ReviewDue, DateOnly ProfileOn, DateOnly? RatedOn);

/// <summary>A notice in the outbox: pending (with its next attempt), sent, or failed for good.</summary>
public sealed record OutboxView(
    string AccountId, string NoticeId, string Kind, string Channel, int Level, string Status, int Attempts, DateTimeOffset? NextAttemptAt, DateTimeOffset IssuedAt,
    string? LastError, string? Recipient, string? MessageId);

/// <summary>
/// Collections: disputes, promises to pay, contact notes and the collector of an account; its dunning notices and the step
/// that decides them; runs over every account; and the policy in force.
/// </summary>
public static class CollectionsApi
{
    private static readonly string[] Chasers = [Roles.Collector, Roles.Finance, Roles.CreditManager];
    private static readonly string[] CollectionReaders = [Roles.Collector, Roles.Finance, Roles.CreditManager, Roles.Auditor, Roles.Analyst];

    public static void MapCollectionsApi(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/accounts/{accountId}").WithTags("Collections");
        account.MapPost("/invoices/{invoiceNumber}/disputes", DisputeAsync)
            .Describe("disputeInvoice", "The customer disputes an amount of an invoice (a line, or the oldest lines first): dunning pauses on it")
            .Command<DisputeRequest>().Produces<DisputeView>(201).Produces<DisputeView>().Allow(Chasers);
        account.MapPost("/disputes/{disputeId}/resolution", ResolveAsync)
            .Describe("resolveDispute", "End a dispute: credited, paid, written-off (each with the document that did it) or rejected")
            .Command<DisputeResolutionRequest>().Produces<DisputeView>().Allow(Roles.Finance, Roles.CreditManager);
        account.MapGet("/disputes", (string accountId, AkkaNode node) => FromJournalAsync(accountId, node, Disputes))
            .Describe("listDisputes", "Every dispute of the account, open and resolved").Produces<List<DisputeView>>().Allow(CollectionReaders);
        account.MapPost("/promises", PromiseAsync)
            .Describe("recordPromiseToPay", "The customer promises an amount by a date; dunning of the invoices it covers waits for the date")
            .Command<PromiseRequest>().Produces<PromiseView>(201).Produces<PromiseView>().Allow(Chasers);
        account.MapGet("/promises", (string accountId, AkkaNode node) => FromJournalAsync(accountId, node, Promises))
            .Describe("listPromises", "Every promise to pay, open, kept or broken").Produces<List<PromiseView>>().Allow(CollectionReaders);
        account.MapPost("/collection-notes", NoteAsync)
            .Describe("addCollectionNote", "Record a contact with the customer: a call, email, visit, meeting or letter, its outcome and next step")
            .Command<CollectionNoteRequest>().Produces<CollectionNoteView>(201).Produces<CollectionNoteView>().Allow(Chasers);
        account.MapGet("/collection-notes", (string accountId, AkkaNode node) => FromJournalAsync(accountId, node, Notes))
            .Describe("listCollectionNotes", "Every contact recorded, oldest first").Produces<List<CollectionNoteView>>().Allow(CollectionReaders);
        account.MapPut("/collector", AssignAsync)
            .Describe("assignCollector", "Give the account to a collector (null: to nobody)")
            .Command<CollectorRequest>().Produces<CollectorView>().Allow(Roles.CreditManager);
        account.MapPut("/contact-preferences", async (string accountId, HttpContext http, AccountClient accounts) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<ContactPreferencesRequest>(http.Request);
            return problem ?? Required.Missing(("language", body!.Language))
                ?? await accounts.RunAsync(http, accountId, new SetContactPreferences(body.Language!, string.IsNullOrWhiteSpace(body.Email) ? null : body.Email,
                        body.MonthlyStatements ?? false, body.Confirmation),
                    _ => new ContactPreferencesView(accountId, body.Language!, string.IsNullOrWhiteSpace(body.Email) ? null : body.Email,
                        body.MonthlyStatements ?? false, body.Confirmation));
        }).Describe("setContactPreferences",
            "How the customer is written to: the language of notices and statements (zh, en), the billing email, monthly statements, the confirmation they ask for")
            .Command<ContactPreferencesRequest>().Produces<ContactPreferencesView>().Allow(Roles.Finance, Roles.CreditManager, Roles.Collector);
        account.MapGet("/notices", (string accountId, AkkaNode node) => FromJournalAsync(accountId, node, Notices))
            .Describe("listDunningNotices", "Every dunning notice, oldest first, with its charges and delivery")
            .Produces<List<NoticeView>>().Allow(CollectionReaders);
        account.MapGet("/notices/{noticeId}", NoticeAsync)
            .Describe("getDunningNotice", "One notice with its delivery; with Accept: text/html the notice as it reads (lang=zh or en; default the account's)")
            .WithContract(new ContractMetadata(Html: true)).Produces<NoticeView>().Allow(CollectionReaders);
        account.MapPost("/dunning", (string accountId, HttpContext http, AccountClient accounts) =>
            accounts.RunAsync(http, accountId, new RunDunning(), outcome => Step(accountId, outcome)))
            .Describe("runAccountDunning", "Run the account's dunning step now: promises due are decided, the notice due is issued with its charges")
            .WithContract(new ContractMetadata(Command: true)).Produces<DunningStepView>().Allow(Roles.CreditManager);

        var collections = app.MapGroup("/collections").WithTags("Collections");
        collections.MapGet("/worklist", WorklistAsync)
            .Describe("getCollectionsWorklist", "Accounts to chase, highest priority first, each with its next action and due date; credit files due for review too")
            .Produces<List<WorkItemView>>().Allow(Roles.Collector, Roles.CreditManager, Roles.Finance);
        collections.MapGet("/notices", async (string? status, int? limit, NoticeOutboxQueries outbox, CancellationToken cancellation) =>
        {
            if (status is not null and not ("pending" or "sent" or "failed"))
                return Problems.Invalid("status", "status must be pending, sent or failed");
            if (limit is < 1 or > 1000)
                return Problems.Invalid("limit", "limit must be between 1 and 1000");
            var rows = await outbox.ListAsync(status, limit ?? 200, cancellation);
            return Results.Ok(rows.Select(r => new OutboxView(r.AccountId, r.NoticeId, r.Kind, r.Channel, r.Level, r.Status, r.Attempts,
                r.Status == "pending" ? r.NextAttemptAt : null, r.IssuedAt, r.LastError, r.Recipient, r.MessageId)).ToList());
        }).Describe("listOutboxNotices", "Notices by delivery status across all accounts, newest first: those pending, sent, or failed for good")
            .Produces<List<OutboxView>>().Allow(Roles.Collector, Roles.CreditManager, Roles.Finance, Roles.Auditor);
        collections.MapGet("/policy", (AkkaNode node) =>
            Results.Ok(JsonSerializer.SerializeToElement(node.AccountSettings.Policy.Collections!, DunningPolicyDocument.Options)))
            .Describe("getDunningPolicy", "The dunning policy in force, as its document").Produces<JsonElement>().Allow(CollectionReaders);
        app.MapGroup("/collections/dunning-runs").WithTags("Collections").MapRuns("dunning", node => node.DunningRuns, [Roles.CreditManager],
            [Roles.CreditManager, Roles.Collector, Roles.Auditor]);
    }

    private static async Task<IResult> NoticeAsync(
        string accountId, string noticeId, string? lang, HttpContext http, AkkaNode node, NoticeRenderer renderer, DeliverySettings delivery)
    {
        if (!Identifiers.IsValid(accountId))
            return Problems.Invalid("accountId", $"accountId {Identifiers.Rule}");
        if (lang is not null and not ("zh" or "en"))
            return Problems.Invalid("lang", "lang must be zh or en");
        var events = await node.AccountEventsAsync(accountId);
        if (events.Count == 0)
            return Problems.NotFound("account_not_found", $"Account {accountId} does not exist");
        var state = CreditAccount.Replay(accountId, events);
        if (Notices(accountId, events, state.CurrencyCode).FirstOrDefault(n => n.NoticeId == noticeId) is not { } view)
            return Problems.NotFound("notice_not_found", $"Notice {noticeId} does not exist on account {accountId}");
        if (!http.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase))
            return Results.Ok(view);
        var notice = events.OfType<DunningNoticeIssued>().Last(n => n.NoticeId == noticeId);
        var language = lang ?? state.Collections.Language ?? delivery.DefaultLanguage;
        return Results.Content(renderer.Render(notice, accountId, state.CurrencyCode, state.Profile, language).Html, "text/html; charset=utf-8");
    }

    private static async Task<IResult> WorklistAsync(
        string? collector, string? currency, string? kind, int? limit, AkkaNode node, WorklistQueries worklist, TimeProvider clock, CancellationToken cancellation)
    {
        if (kind is not null and not ("collection" or "review"))
            return Problems.Invalid("kind", "kind must be collection or review");
        if (currency is not null && !Domain.Money.Currency.TryFind(currency, out _))
            return Problems.Invalid("currency", $"{currency} is not a known ISO 4217 currency");
        if (limit is < 1 or > 1000)
            return Problems.Invalid("limit", "limit must be between 1 and 1000");
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var rating = node.AccountSettings.CurrentPolicy.Rating;
        var policy = node.AccountSettings.Policy.Collections!;
        var facts = await worklist.FactsAsync(today, collector, currency,
            grade => grade is null || rating is null ? (-1, 0) : (rating.Rank(grade), rating.Grades.Count), cancellation);
        var items = facts.Select(f => Domain.Collections.Worklist.ItemFor(f, today, policy.ReviewPeriodDays)).OfType<Domain.Collections.WorkItem>()
            .Where(i => kind is null || i.Kind == kind)
            .OrderByDescending(i => i.Priority).ThenBy(i => i.DueOn).ThenBy(i => i.Facts.AccountId, StringComparer.Ordinal)
            .Take(limit ?? 200)
            .Select((i, n) => new WorkItemView(n + 1, i.Facts.AccountId, i.Facts.Currency, i.Kind, i.Priority, i.NextAction, i.DueOn, i.Facts.Collector,
                i.Facts.Overdue, i.Facts.DaysPastDue, i.Facts.BrokenPromises, i.Facts.GradeRank < 0 || rating is null ? null : rating.Grades[i.Facts.GradeRank].Grade,
                i.Facts.LastContactOn, i.Facts.PromiseId, i.Facts.PromiseOn, i.Facts.PromiseAmount, i.Facts.OpenDisputes, i.Facts.Disputed,
                i.Facts.LastNoticeOn, i.Facts.LastNoticeLevel, i.ReviewDue, i.Facts.ProfileOn, i.Facts.RatedOn))
            .ToList();
        return Results.Ok(items);
    }

    private static async Task<IResult> DisputeAsync(string accountId, string invoiceNumber, HttpContext http, AccountClient accounts, AkkaNode node)
    {
        var (body, problem) = await JsonBody.ReadAsync<DisputeRequest>(http.Request);
        return problem ?? Required.Missing(("disputeId", body!.DisputeId), ("amount", body.Amount), ("reason", body.Reason))
            ?? await accounts.RunAsync(http, accountId,
                new DisputeInvoice(body.DisputeId!, invoiceNumber, body.Amount!.Value, body.Line, body.Reason!, body.Comment),
                outcome => AnswerAsync(node, accountId, outcome, Disputes, d => d.DisputeId == body.DisputeId, $"/accounts/{accountId}/disputes"));
    }

    private static async Task<IResult> ResolveAsync(string accountId, string disputeId, HttpContext http, AccountClient accounts, AkkaNode node)
    {
        var (body, problem) = await JsonBody.ReadAsync<DisputeResolutionRequest>(http.Request);
        return problem ?? Required.Missing(("resolution", body!.Resolution))
            ?? await accounts.RunAsync(http, accountId, new ResolveDispute(disputeId, body.Resolution!, body.Reference, body.Comment),
                outcome => AnswerAsync(node, accountId, outcome, Disputes, d => d.DisputeId == disputeId, null));
    }

    /// <summary>
    /// The item a collections command wrote or, for a repeat, wrote before: read from the journal, so that a repeat answers
    /// as the first request did (201 for a write with a location, 200 otherwise).
    /// </summary>
    private static async Task<IResult> AnswerAsync<T>(
        AkkaNode node, string accountId, CommandOutcome outcome, Func<string, IReadOnlyList<AccountEvent>, string, IReadOnlyList<T>> views,
        Func<T, bool> which, string? location)
    {
        var events = await node.AccountEventsAsync(accountId);
        var view = views(accountId, events, outcome.Account.Currency).LastOrDefault(which);
        if (view is null)
            return Problems.Unavailable("the write is not yet readable from the journal; retry with the same id");
        return outcome.Wrote && location is not null ? Results.Created(location, view) : Results.Ok(view);
    }

    private static async Task<IResult> PromiseAsync(string accountId, HttpContext http, AccountClient accounts, AkkaNode node)
    {
        var (body, problem) = await JsonBody.ReadAsync<PromiseRequest>(http.Request);
        return problem ?? Required.Missing(("promiseId", body!.PromiseId), ("amount", body.Amount), ("promisedDate", body.PromisedDate))
            ?? await accounts.RunAsync(http, accountId,
                new RecordPromiseToPay(body.PromiseId!, body.Amount!.Value, body.PromisedDate!.Value, body.InvoiceNumbers, body.Comment),
                outcome => AnswerAsync(node, accountId, outcome, Promises, p => p.PromiseId == body.PromiseId, $"/accounts/{accountId}/promises"));
    }

    private static async Task<IResult> NoteAsync(string accountId, HttpContext http, AccountClient accounts, AkkaNode node)
    {
        var (body, problem) = await JsonBody.ReadAsync<CollectionNoteRequest>(http.Request);
        return problem ?? Required.Missing(("noteId", body!.NoteId), ("kind", body.Kind), ("summary", body.Summary))
            ?? await accounts.RunAsync(http, accountId,
                new AddCollectionNote(body.NoteId!, body.Kind!, body.Summary!, body.Outcome, body.NextStepDate, body.NextStep),
                outcome => AnswerAsync(node, accountId, outcome, Notes, n => n.NoteId == body.NoteId, $"/accounts/{accountId}/collection-notes"));
    }

    private static async Task<IResult> AssignAsync(string accountId, HttpContext http, AccountClient accounts)
    {
        var (body, problem) = await JsonBody.ReadAsync<CollectorRequest>(http.Request);
        return problem ?? await accounts.RunAsync(http, accountId, new AssignCollector(string.IsNullOrWhiteSpace(body!.Collector) ? null : body.Collector),
            outcome => new CollectorView(accountId, outcome.Collector));
    }

    private static DunningStepView Step(string accountId, CommandOutcome outcome)
    {
        var issued = outcome.Written.OfType<DunningNoticeIssued>().FirstOrDefault();
        return new DunningStepView(accountId, outcome.Wrote,
            issued is null ? null : Notices(accountId, outcome.Written, outcome.Account.Currency).Single(),
            outcome.Written.OfType<LateFeeCharged>().Sum(f => f.Amount), outcome.Written.OfType<InterestCharged>().Sum(i => i.Amount),
            [.. outcome.Written.OfType<PromiseKept>().Select(p => p.PromiseId)], [.. outcome.Written.OfType<PromiseBroken>().Select(p => p.PromiseId)],
            outcome.Written.OfType<AccountBlocked>().Any());
    }

    private static async Task<IResult> FromJournalAsync<T>(string accountId, AkkaNode node, Func<string, IReadOnlyList<AccountEvent>, string, IReadOnlyList<T>> view)
    {
        if (!Identifiers.IsValid(accountId))
            return Problems.Invalid("accountId", $"accountId {Identifiers.Rule}");
        var events = await node.AccountEventsAsync(accountId);
        if (events.Count == 0)
            return Problems.NotFound("account_not_found", $"Account {accountId} does not exist");
        var currency = events.OfType<AccountOpened>().First().Currency;
        return Results.Ok(view(accountId, events, currency));
    }

    public static IReadOnlyList<DisputeView> Disputes(string accountId, IReadOnlyList<AccountEvent> events, string currency)
    {
        var resolutions = events.OfType<DisputeResolved>().ToDictionary(r => r.DisputeId, StringComparer.Ordinal);
        return [.. events.OfType<InvoiceDisputed>().Select(d =>
        {
            var r = resolutions.GetValueOrDefault(d.DisputeId);
            return new DisputeView(accountId, d.DisputeId, d.InvoiceNumber, d.Amount, d.RequestedLine, d.Lines, d.Reason, d.Comment,
                r is null ? "open" : "resolved", d.Meta.RecordedAt, d.Meta.Actor, r?.Resolution, r?.Reference, r?.Comment, r?.Meta.RecordedAt, r?.Meta.Actor);
        })];
    }

    public static IReadOnlyList<PromiseView> Promises(string accountId, IReadOnlyList<AccountEvent> events, string currency)
    {
        var kept = events.OfType<PromiseKept>().ToDictionary(k => k.PromiseId, StringComparer.Ordinal);
        var broken = events.OfType<PromiseBroken>().ToDictionary(b => b.PromiseId, StringComparer.Ordinal);
        return [.. events.OfType<PromiseToPayRecorded>().Select(p =>
        {
            var k = kept.GetValueOrDefault(p.PromiseId);
            var b = broken.GetValueOrDefault(p.PromiseId);
            return new PromiseView(accountId, p.PromiseId, p.Amount, p.PromisedDate, p.InvoiceNumbers, p.Comment,
                k is not null ? "kept" : b is not null ? "broken" : "open", p.Meta.RecordedAt, p.Meta.Actor, k?.Received ?? b?.Received, b?.Shortfall,
                k?.Meta.RecordedAt ?? b?.Meta.RecordedAt);
        })];
    }

    public static IReadOnlyList<CollectionNoteView> Notes(string accountId, IReadOnlyList<AccountEvent> events, string currency) =>
        [.. events.OfType<CollectionNoteAdded>().Select(n => Note(accountId, n))];

    private static CollectionNoteView Note(string accountId, CollectionNoteAdded n) =>
        new(accountId, n.NoteId, n.Kind, n.Summary, n.Outcome, n.NextStepDate, n.NextStep, n.Meta.RecordedAt, n.Meta.Actor);

    /// <summary>Every delivery attempt of the account's notices and statements, by the id of what was delivered.</summary>
    public static Dictionary<string, List<DeliveryAttemptView>> DeliveryAttempts(IEnumerable<AccountEvent> events)
    {
        var attempts = new Dictionary<string, List<DeliveryAttemptView>>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            var (id, attempt) = e switch
            {
                DunningNoticeSent s => (s.NoticeId, new DeliveryAttemptView(s.Attempt, "sent", s.Meta.RecordedAt, s.Recipient, s.MessageId, null, null)),
                DunningDeliveryFailed f => (f.NoticeId, new DeliveryAttemptView(f.Attempt, f.Final ? "failed" : "retrying", f.Meta.RecordedAt, null, null,
                    f.Error, f.NextAttemptAt)),
                StatementSent s => (s.StatementId, new DeliveryAttemptView(s.Attempt, "sent", s.Meta.RecordedAt, s.Recipient, s.MessageId, null, null)),
                StatementDeliveryFailed f => (f.StatementId, new DeliveryAttemptView(f.Attempt, f.Final ? "failed" : "retrying", f.Meta.RecordedAt, null,
                    null, f.Error, f.NextAttemptAt)),
                _ => (null, null),
            };
            if (id is not null)
                (attempts.TryGetValue(id, out var list) ? list : attempts[id] = []).Add(attempt!);
        }
        return attempts;
    }

    /// <summary>How the delivery of one notice or statement stands (pending, sent, failed), with its attempts.</summary>
    public static (string Status, IReadOnlyList<DeliveryAttemptView> Attempts) Delivery(Dictionary<string, List<DeliveryAttemptView>> attempts, string id)
    {
        var tries = attempts.GetValueOrDefault(id) ?? [];
        return (tries.LastOrDefault()?.Outcome switch { "sent" => "sent", "failed" => "failed", _ => "pending" }, tries);
    }

    public static IReadOnlyList<NoticeView> Notices(string accountId, IReadOnlyList<AccountEvent> events, string currency)
    {
        var attempts = DeliveryAttempts(events);
        return [.. events.OfType<DunningNoticeIssued>().Select(n =>
        {
            var (status, tries) = Delivery(attempts, n.NoticeId);
            return new NoticeView(accountId, n.NoticeId, n.Meta.EffectiveDate, n.Level, n.LevelName, n.Lines, n.Total, n.Fee, n.Interest,
                n.OutstandingCharges, currency, n.Channel, n.Template, n.PolicyKey, n.BlocksNewCredit, n.NotifiesCreditManagers, status, tries);
        })];
    }
}
