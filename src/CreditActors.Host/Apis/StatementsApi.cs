using CreditActors.Domain.Accounts;
using CreditActors.Domain.Aging;
using CreditActors.Domain.Statements;
using CreditActors.Host.Cluster;
using CreditActors.Host.Collections;
using CreditActors.Host.Http;
using CreditActors.Host.OpenApi;
using CreditActors.Host.Security;
using CreditActors.Host.Statements;

namespace CreditActors.Host.Apis;

public sealed record StatementView(
    string AccountId, string Customer, string Currency, DateOnly From, DateOnly To, DateTimeOffset? KnownAt, decimal OpeningBalance,
    IReadOnlyList<StatementMovement> Movements, decimal TotalDebits, decimal TotalCredits, decimal ClosingBalance, decimal Receivables,
    decimal UnappliedCash, StatementAgingView Aging, long Version, string ContentHash);

public sealed record StatementAgingView(IReadOnlyDictionary<string, decimal> Buckets, IReadOnlyList<AgedLine> Lines);

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
    }

    public static (DateOnly From, DateOnly To) LastMonth(DateOnly today)
    {
        var first = new DateOnly(today.Year, today.Month, 1);
        return (first.AddMonths(-1), first.AddDays(-1));
    }

    private static async Task<IResult> StatementAsync(
        string accountId, string? from, string? to, string? knownAt, string? lang, HttpContext http, AkkaNode node, StatementFormats formats,
        TimeProvider clock)
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
            ?? DeliverySettings.From(node.System.Settings.Config, "").DefaultLanguage;
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
