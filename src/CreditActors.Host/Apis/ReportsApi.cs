using System.Globalization;
using System.Text;
using CreditActors.Domain.Accounts;
using CreditActors.Domain.Aging;
using CreditActors.Host.Http;
using CreditActors.Host.OpenApi;
using CreditActors.Host.Security;
using CreditActors.Projections.Aging;

namespace CreditActors.Host.Apis;

/// <summary>One account's open lines as of a date, with the bucket each falls in.</summary>
public sealed record AccountAgingView(
    string AccountId, DateOnly AsOf, DateTimeOffset? KnownAt, IReadOnlyList<string> Buckets, IReadOnlyList<AgingLineReport> Lines, decimal Total);

/// <summary>Analysts' reports from the read models: aging as of any date (JSON or CSV) and portfolio figures.</summary>
public static class ReportsApi
{
    private static readonly string[] ReportReaders = [Roles.Finance, Roles.CreditManager, Roles.Auditor, Roles.Analyst];

    public static void MapReportsApi(this IEndpointRouteBuilder app)
    {
        var reports = app.MapGroup("/reports").WithTags("Reports");
        reports.MapGet("/aging", async (string? asOf, string? currency, string? tier, string? grade, string? buckets, string? knownAt, HttpContext http,
            AgingQueries queries, TimeProvider clock) =>
        {
            var (date, bucketSet, known, problem) = Parse(asOf, buckets, knownAt, clock);
            if ((problem ?? GradeProblem(grade)) is { } invalid)
                return invalid;
            var report = await queries.ReportAsync(date, bucketSet!, new AgingQueries.Filter(Currency: currency, Tier: tier, KnownAt: known, Grade: grade),
                http.RequestAborted);
            if (http.Request.Headers.Accept.ToString().Contains(Statements.StatementFormats.XlsxType, StringComparison.OrdinalIgnoreCase))
                return AgingWorkbook(report, $"aging-{date:yyyy-MM-dd}.xlsx");
            return WantsCsv(http) ? Csv(PortfolioCsv(report), $"aging-{date:yyyy-MM-dd}.csv") : Results.Ok(report);
        }).Describe("getAgingReport", "Receivables by account and age bucket as of a date, optionally as known at an instant")
            .WithContract(new ContractMetadata(Csv: true, Xlsx: true)).Produces<AgingReport>().Allow(ReportReaders);

        reports.MapGet("/aging/{accountId}", async (string accountId, string? asOf, string? buckets, string? knownAt, HttpContext http, AgingQueries queries,
            TimeProvider clock) =>
        {
            if (!Identifiers.IsValid(accountId))
                return Problems.Invalid("accountId", $"accountId {Identifiers.Rule}");
            var (date, bucketSet, known, problem) = Parse(asOf, buckets, knownAt, clock);
            if (problem is not null)
                return problem;
            var lines = await queries.OpenLinesAsync(date, bucketSet!, new AgingQueries.Filter(AccountId: accountId, KnownAt: known), http.RequestAborted);
            return WantsCsv(http) ? Csv(LinesCsv(lines), $"aging-{accountId}-{date:yyyy-MM-dd}.csv")
                : Results.Ok(new AccountAgingView(accountId, date, known, bucketSet!.Labels, lines, lines.Sum(l => l.Open)));
        }).Describe("getAccountAging", "One account's open lines as of a date, each with its bucket")
            .WithContract(new ContractMetadata(Csv: true)).Produces<AccountAgingView>().Allow(ReportReaders);

        reports.MapGet("/portfolio", async (string? asOf, string? grade, HttpContext http, PortfolioQueries queries, TimeProvider clock) =>
        {
            var (date, _, _, problem) = Parse(asOf, null, null, clock);
            return problem ?? GradeProblem(grade) ?? Results.Ok(await queries.ReportAsync(date, grade, http.RequestAborted));
        }).Describe("getPortfolioReport", "Exposure, limits, utilisation, overdue share, DSO and grades per currency as of a date")
            .Produces<PortfolioReport>().Allow(ReportReaders);
    }

    private static (DateOnly Date, AgingBuckets? Buckets, DateTimeOffset? KnownAt, IResult? Problem) Parse(
        string? asOf, string? buckets, string? knownAt, TimeProvider clock)
    {
        var (date, problem) = QueryValues.Date(asOf, "asOf");
        if (problem is not null)
            return (default, null, null, problem);
        var (known, knownProblem) = QueryValues.Instant(knownAt, "knownAt");
        if (knownProblem is not null)
            return (default, null, null, knownProblem);
        var parsed = AgingBuckets.Parse(buckets);
        return parsed is null
            ? (default, null, null, Problems.Invalid("buckets",
                $"buckets must be 1 to {AgingBuckets.MaximumBoundaries} increasing day counts, such as 30,60,90,180"))
            : (date ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), parsed, known, null);
    }

    /// <summary>A grade is 1 to 3 letters or digits, as rating policies name them.</summary>
    private static IResult? GradeProblem(string? grade) =>
        grade is null || (grade.Length is >= 1 and <= 3 && grade.All(char.IsAsciiLetterOrDigit))
            ? null
            : Problems.Invalid("grade", "grade must be 1 to 3 letters or digits, as the rating policy names its grades");

    /// <summary>The aging report as a workbook: one sheet of accounts, one of the totals per currency; amounts as numbers.</summary>
    private static IResult AgingWorkbook(AgingReport report, string fileName)
    {
        Dictionary<string, object> Row(string account, string currency, IReadOnlyDictionary<string, decimal> buckets, decimal total)
        {
            var row = new Dictionary<string, object> { ["Account"] = account, ["Currency"] = currency };
            foreach (var label in report.Buckets)
                row[label] = buckets.TryGetValue(label, out var amount) ? amount : 0m;
            row["Total"] = total;
            return row;
        }
        using var stream = new MemoryStream();
        MiniExcelLibs.MiniExcel.SaveAs(stream, new Dictionary<string, object>
        {
            ["Accounts"] = report.Accounts.Select(a => Row(a.AccountId, a.Currency, a.Buckets, a.Total)).ToList(),
            ["Totals"] = report.Totals.Select(t => Row("", t.Currency, t.Buckets, t.Total)).ToList(),
        }, excelType: MiniExcelLibs.ExcelType.XLSX);
        return Results.File(stream.ToArray(), Statements.StatementFormats.XlsxType, fileName);
    }

    private static bool WantsCsv(HttpContext http) => http.Request.Headers.Accept.ToString().Contains("text/csv", StringComparison.OrdinalIgnoreCase);

    private static IResult Csv(string text, string fileName) =>
        Results.File(Encoding.UTF8.GetBytes(text), "text/csv; charset=utf-8", fileName);

    private static string PortfolioCsv(AgingReport report)
    {
        var csv = new StringBuilder();
        csv.AppendLine(string.Join(',', ["accountId", "currency", "tier", "grade", "score", .. report.Buckets, "total", "disputed"]));
        foreach (var row in report.Accounts)
            csv.AppendLine(string.Join(',', [row.AccountId, row.Currency, row.Tier, row.Grade ?? "", row.Score is { } score ? Number(score) : "",
                .. report.Buckets.Select(b => Number(row.Buckets[b])), Number(row.Total), Number(row.Disputed)]));
        foreach (var total in report.Totals)
            csv.AppendLine(string.Join(',', ["TOTAL", total.Currency, "", "", "", .. report.Buckets.Select(b => Number(total.Buckets[b])), Number(total.Total),
                Number(total.Disputed)]));
        return csv.ToString();
    }

    private static string LinesCsv(IEnumerable<AgingLineReport> lines)
    {
        var csv = new StringBuilder("accountId,invoiceNumber,line,currency,dueDate,daysPastDue,bucket,open\n");
        foreach (var l in lines)
            csv.AppendLine($"{l.AccountId},{l.InvoiceNumber},{l.Line},{l.Currency},{l.DueDate:yyyy-MM-dd},{l.DaysPastDue},{l.Bucket},{Number(l.Open)}");
        return csv.ToString();
    }

    private static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
