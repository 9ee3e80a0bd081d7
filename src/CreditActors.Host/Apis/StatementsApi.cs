using System.ComponentModel.DataAnnotations;
using Akka.Actor;
using CreditActors.Actors.Accounts;
using CreditActors.Domain.Accounts;
using CreditActors.Domain.Aging;
using CreditActors.Domain.Statements;
using CreditActors.Host.Cluster;
using CreditActors.Host.Collections;
using CreditActors.Host.Http;
using CreditActors.Host.OpenApi;
using CreditActors.Host.Security;
using CreditActors.Host.Statements;
using CreditActors.Projections.Collections;

namespace CreditActors.Host.Apis;

public sealed record StatementView(
    string AccountId, string Customer, string Currency, DateOnly From, DateOnly To, DateTimeOffset? KnownAt, decimal OpeningBalance,
    IReadOnlyList<StatementMovement> Movements, decimal TotalDebits, decimal TotalCredits, decimal ClosingBalance, decimal Receivables,
    decimal UnappliedCash, StatementAgingView Aging, long Version, string ContentHash);

public sealed record StatementAgingView(IReadOnlyDictionary<string, decimal> Buckets, IReadOnlyList<AgedLine> Lines);

/// <summary>How finance closes a reconciliation item: a credit note issued, a payment found, or the customer was wrong.</summary>
public sealed record ReconciliationRequest(
    [property: Required, AllowedValues("credit-note", "payment-found", "customer-error")] string? Resolution,
    [property: MaxLength(100)] string? Reference = null, [property: MaxLength(2000)] string? Comment = null);

/// <summary>A statement that asked for a confirmation, and what came of it: the reply, the difference, the reconciliation item.</summary>
public sealed record StatementReplyView(
    string AccountId, string StatementId, string Currency, DateOnly From, DateOnly To, decimal ClosingBalance, string Variant, DateTimeOffset IssuedAt,
    string? Reply, decimal? TheirBalance, decimal? Difference, int? Items, string? Respondent, DateTimeOffset? RepliedAt, string? Reconciliation,
    string? ResolutionReference, DateTimeOffset? ResolvedAt, string? ResolvedBy);

/// <summary>One period's confirmations: statements that asked, replies, confirmed and disputed, the rate, and differences still open by currency.</summary>
public sealed record ConfirmationPeriodView(
    string Period, int Asked, int Replied, int Confirmed, int Disputed, decimal ConfirmationRatePercent, int OpenItems,
    IReadOnlyDictionary<string, decimal> OutstandingDifferences);

/// <summary>Send the statement of a period (default: last month), asking for the confirmation given (default: the account's).</summary>
public sealed record IssueStatementRequest(
    DateOnly? From = null, DateOnly? To = null, [property: AllowedValues("confirmation", "request", "notification", null)] string? Confirmation = null);

/// <summary>A statement sent: its period, figures, version and content hash, the confirmation it asks for, and its delivery.</summary>
public sealed record IssuedStatementView(
    string AccountId, string StatementId, DateOnly From, DateOnly To, DateTimeOffset DrawnAt, decimal OpeningBalance, decimal ClosingBalance,
    decimal Receivables, decimal UnappliedCash, long Version, string ContentHash, string? Confirmation, string Language, DateTimeOffset IssuedAt,
    string IssuedBy, string Delivery, IReadOnlyList<DeliveryAttemptView> Attempts);

/// <summary>Statements of account: drawn from the account's journal for a period, as known at an instant, in four formats.</summary>
public static class StatementsApi
{
    public static void MapStatementsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/accounts/{accountId}/statement", StatementAsync).WithTags("Statements")
            .Describe("getStatement",
                "The statement of account for a period (default: last month): opening balance, movements with the running balance, closing balance, aging at the end. "
                + "JSON, or by Accept: text/csv, text/html (printable) or the xlsx type; lang=zh or en")
            .WithContract(new ContractMetadata(Csv: true, Html: true, Xlsx: true)).Produces<StatementView>()
            .Allow(Roles.Finance, Roles.CreditManager, Roles.Auditor, Roles.Analyst, Roles.Collector);
        app.MapPost("/accounts/{accountId}/statements", IssueAsync).WithTags("Statements")
            .Describe("issueStatement", "Send the statement of a period to the customer (by email, the workbook attached, through the outbox); once per period")
            .Command<IssueStatementRequest>(optionalBody: true).Produces<IssuedStatementView>(201).Produces<IssuedStatementView>()
            .Allow(Roles.Finance, Roles.CreditManager);
        app.MapGet("/accounts/{accountId}/statements", async (string accountId, AkkaNode node) =>
        {
            if (!Identifiers.IsValid(accountId))
                return Problems.Invalid("accountId", $"accountId {Identifiers.Rule}");
            var events = await node.AccountEventsAsync(accountId);
            return events.Count == 0 ? Problems.NotFound("account_not_found", $"Account {accountId} does not exist") : Results.Ok(Issued(accountId, events));
        }).WithTags("Statements").Describe("listStatements", "Every statement sent to the customer, with its figures and delivery")
            .Produces<List<IssuedStatementView>>().Allow(Roles.Finance, Roles.CreditManager, Roles.Auditor, Roles.Collector);
        app.MapPost("/accounts/{accountId}/statements/{statementId}/reconciliation", async (string accountId, string statementId, HttpContext http,
            AccountClient accounts) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<ReconciliationRequest>(http.Request);
            return problem ?? Required.Missing(("resolution", body!.Resolution))
                ?? await accounts.RunAsync(http, accountId, new ResolveReconciliationItem(statementId, body.Resolution!, body.Reference, body.Comment),
                    outcome => new ReconciliationResolvedView(accountId, statementId, body.Resolution!, outcome.Wrote));
        }).WithTags("Statements").Describe("resolveReconciliationItem", "Close the reconciliation item a disputed balance opened: credit-note, payment-found or customer-error")
            .Command<ReconciliationRequest>().Produces<ReconciliationResolvedView>().Allow(Roles.Finance);
        app.MapGet("/reconciliation-items", async (string? status, string? from, string? to, StatementReplyQueries replies, TimeProvider clock,
            CancellationToken cancellation) =>
        {
            if (status is not null and not ("open" or "resolved"))
                return Problems.Invalid("status", "status must be open or resolved");
            var (first, last, problem) = Period(from, to, clock);
            if (problem is not null)
                return problem;
            var rows = await replies.ListAsync(first, last, status ?? "open", 1000, cancellation);
            return Results.Ok(rows.Select(ReplyView).ToList());
        }).WithTags("Statements").Describe("listReconciliationItems", "The finance worklist: balances customers disputed, open (default) or resolved")
            .Produces<List<StatementReplyView>>().Allow(Roles.Finance, Roles.CreditManager, Roles.Auditor);
        app.MapGet("/reports/confirmations", async (string? from, string? to, StatementReplyQueries replies, TimeProvider clock, CancellationToken cancellation) =>
        {
            var (first, last, problem) = Period(from, to, clock);
            if (problem is not null)
                return problem;
            var rows = await replies.ListAsync(first, last, null, 100_000, cancellation);
            return Results.Ok(rows.GroupBy(r => r.To.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture)).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new ConfirmationPeriodView(g.Key, g.Count(), g.Count(r => r.Reply is not null), g.Count(r => r.Reply == "confirmed"),
                    g.Count(r => r.Reply == "disputed"), decimal.Round(g.Count(r => r.Reply == "confirmed") * 100m / g.Count(), 1),
                    g.Count(r => r.Reconciliation == "open"),
                    g.Where(r => r.Reconciliation == "open").GroupBy(r => r.Currency).ToDictionary(c => c.Key, c => c.Sum(r => r.Difference ?? 0m))))
                .ToList());
        }).WithTags("Statements").Describe("getConfirmationReport", "Per period: statements that asked for confirmation, replies, confirmation rate, differences still open")
            .Produces<List<ConfirmationPeriodView>>().Allow(Roles.Finance, Roles.CreditManager, Roles.Auditor, Roles.Analyst);
        app.MapGroup("/statement-runs").WithTags("Statements").MapRuns("statement", node => node.StatementRuns, [Roles.Finance, Roles.CreditManager],
            [Roles.Finance, Roles.CreditManager, Roles.Auditor]);
    }

    public sealed record ReconciliationResolvedView(string AccountId, string StatementId, string Resolution, bool Written);

    private static StatementReplyView ReplyView(StatementReplyRow r) => new(r.AccountId, r.StatementId, r.Currency, r.From, r.To, r.ClosingBalance,
        r.Variant, r.IssuedAt, r.Reply, r.TheirBalance, r.Difference, r.Items, r.Respondent, r.RepliedAt, r.Reconciliation, r.ResolutionReference,
        r.ResolvedAt, r.ResolvedBy);

    /// <summary>A period of statement ends (default: the last twelve months).</summary>
    private static (DateOnly From, DateOnly To, IResult? Problem) Period(string? from, string? to, TimeProvider clock)
    {
        var (start, startProblem) = QueryValues.Date(from, "from");
        var (end, endProblem) = QueryValues.Date(to, "to");
        if ((startProblem ?? endProblem) is { } problem)
            return (default, default, problem);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var (first, last) = (start ?? today.AddYears(-1), end ?? today);
        return last < first ? (first, last, Problems.Invalid("to", "to must not be before from")) : (first, last, null);
    }

    /// <summary>The statement id of a period: one per period, so asking twice sends it once.</summary>
    public static string StatementId(DateOnly from, DateOnly to) =>
        from.Day == 1 && to == from.AddMonths(1).AddDays(-1) ? $"statement-{from:yyyyMM}" : $"statement-{from:yyyyMMdd}-{to:yyyyMMdd}";

    /// <summary>The command that records the period's statement as drawn from the journal as known at <paramref name="now"/>.</summary>
    public static IssueStatement Command(
        string accountId, IReadOnlyList<AccountEvent> events, AccountState state, DateOnly from, DateOnly to, string? confirmation, DateTimeOffset now,
        string defaultLanguage)
    {
        var statement = StatementOfAccount.Draw(accountId, events, from, to, now, AgingBuckets.Default);
        return new IssueStatement(StatementId(from, to), from, to, now, statement.OpeningBalance, statement.ClosingBalance, statement.Receivables,
            statement.UnappliedCash, statement.Version, statement.ContentHash, confirmation ?? state.Collections.Confirmation,
            state.Collections.Language ?? defaultLanguage);
    }

    private static async Task<IResult> IssueAsync(
        string accountId, HttpContext http, AkkaNode node, AccountClient accounts, DeliverySettings delivery, TimeProvider clock)
    {
        var (body, problem) = await JsonBody.ReadAsync<IssueStatementRequest>(http.Request, optional: true);
        if (problem is not null)
            return problem;
        if (body?.Confirmation is { } variant && !CreditAccount.ConfirmationVariants.Contains(variant))
            return Problems.Invalid("confirmation", "confirmation must be confirmation, request or notification");
        var (defaultFrom, defaultTo) = LastMonth(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        var from = body?.From ?? (body?.To is { } t ? new DateOnly(t.Year, t.Month, 1) : defaultFrom);
        var to = body?.To ?? (body?.From is { } f ? f.AddMonths(1).AddDays(-1) : defaultTo);
        if (to < from)
            return Problems.Invalid("to", "to must not be before from");
        if (to.DayNumber - from.DayNumber > StatementOfAccount.MaximumDays)
            return Problems.Invalid("to", $"a statement covers at most {StatementOfAccount.MaximumDays} days");
        if (!Identifiers.IsValid(accountId))
            return Problems.Invalid("accountId", $"accountId {Identifiers.Rule}");
        var events = await node.AccountEventsAsync(accountId);
        if (events.Count == 0)
            return Problems.NotFound("account_not_found", $"Account {accountId} does not exist");
        var state = CreditAccount.Replay(accountId, events);
        var id = StatementId(from, to);
        // A repeat answers with the statement issued first (its figures as drawn then), not one drawn now.
        if (state.Collections.Statements.ContainsKey(id))
            return Results.Ok(Issued(accountId, events).Last(s => s.StatementId == id));
        var command = Command(accountId, events, state, from, to, body?.Confirmation, clock.GetUtcNow(),
            delivery.DefaultLanguage);
        return await accounts.RunAsync(http, accountId, command, async outcome =>
        {
            var issued = Issued(accountId, await node.AccountEventsAsync(accountId)).LastOrDefault(s => s.StatementId == id);
            return issued is null
                ? Problems.Unavailable("the statement is not yet readable from the journal; retry")
                : outcome.Wrote ? Results.Created($"/accounts/{accountId}/statements", issued) : Results.Ok(issued);
        });
    }

    public static IReadOnlyList<IssuedStatementView> Issued(string accountId, IReadOnlyList<AccountEvent> events)
    {
        var attempts = CollectionsApi.DeliveryAttempts(events);
        return [.. events.OfType<StatementIssued>().Select(s =>
        {
            var (status, tries) = CollectionsApi.Delivery(attempts, s.StatementId);
            return new IssuedStatementView(accountId, s.StatementId, s.From, s.To, s.DrawnAt, s.OpeningBalance, s.ClosingBalance, s.Receivables,
                s.UnappliedCash, s.Version, s.ContentHash, s.Confirmation, s.Language, s.Meta.RecordedAt, s.Meta.Actor, status, tries);
        })];
    }

    public static (DateOnly From, DateOnly To) LastMonth(DateOnly today)
    {
        var first = new DateOnly(today.Year, today.Month, 1);
        return (first.AddMonths(-1), first.AddDays(-1));
    }

    private static async Task<IResult> StatementAsync(
        string accountId, string? from, string? to, string? knownAt, string? lang, HttpContext http, AkkaNode node, StatementFormats formats,
        DeliverySettings delivery, TimeProvider clock)
    {
        if (!Identifiers.IsValid(accountId))
            return Problems.Invalid("accountId", $"accountId {Identifiers.Rule}");
        var (start, startProblem) = QueryValues.Date(from, "from");
        var (end, endProblem) = QueryValues.Date(to, "to");
        var (known, knownProblem) = QueryValues.Instant(knownAt, "knownAt");
        if ((startProblem ?? endProblem ?? knownProblem) is { } problem)
            return problem;
        if (lang is not null and not ("zh" or "en"))
            return Problems.Invalid("lang", "lang must be zh or en");
        var (defaultFrom, defaultTo) = LastMonth(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        var (first, last) = (start ?? (end is { } e ? new DateOnly(e.Year, e.Month, 1) : defaultFrom), end ?? (start is null ? defaultTo : start.Value.AddMonths(1).AddDays(-1)));
        if (last < first)
            return Problems.Invalid("to", "to must not be before from");
        if (last.DayNumber - first.DayNumber > StatementOfAccount.MaximumDays)
            return Problems.Invalid("to", $"a statement covers at most {StatementOfAccount.MaximumDays} days");
        var events = await node.AccountEventsAsync(accountId);
        if (events.Count == 0)
            return Problems.NotFound("account_not_found", $"Account {accountId} does not exist");
        var statement = StatementOfAccount.Draw(accountId, events, first, last, known, AgingBuckets.Default);
        var language = lang ?? CreditAccount.Replay(accountId, events).Collections.Language
            ?? delivery.DefaultLanguage;
        var accept = http.Request.Headers.Accept.ToString();
        var name = $"statement-{accountId}-{first:yyyyMMdd}-{last:yyyyMMdd}";
        if (accept.Contains(StatementFormats.XlsxType, StringComparison.OrdinalIgnoreCase))
            return Results.File(StatementFormats.Xlsx(statement, language), StatementFormats.XlsxType, name + ".xlsx");
        if (accept.Contains("text/csv", StringComparison.OrdinalIgnoreCase))
            return Results.File(System.Text.Encoding.UTF8.GetBytes(StatementFormats.Csv(statement, language)), "text/csv; charset=utf-8", name + ".csv");
        if (accept.Contains("text/html", StringComparison.OrdinalIgnoreCase))
            return Results.Content(formats.Html(statement, language), "text/html; charset=utf-8");
        return Results.Ok(View(statement));
    }

    public static StatementView View(Statement s) => new(
        s.AccountId, s.CustomerName, s.Currency, s.From, s.To, s.KnownAt, s.OpeningBalance, s.Movements, s.TotalDebits, s.TotalCredits, s.ClosingBalance,
        s.Receivables, s.UnappliedCash,
        new StatementAgingView(s.Aging.Buckets.Select((b, i) => (b, i)).ToDictionary(x => x.b, x => s.Aging.Amounts[x.i]), s.Aging.Lines),
        s.Version, s.ContentHash);
}
