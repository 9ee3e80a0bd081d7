using System.Globalization;
using System.Text;
using Akka.Streams;
using Akka.Streams.Dsl;
using CreditActors.Domain.Accounts;
using CreditActors.Domain.Ledger;
using CreditActors.Host.Cluster;
using CreditActors.Host.Http;
using CreditActors.Host.OpenApi;
using CreditActors.Host.Security;

namespace CreditActors.Host.Apis;

/// <summary>
/// The general ledger for finance and auditors, computed from the journal (read once, in order, straight from the store):
/// every posting of a period with the company's account codes, and the trial balance as of a date with the receivable
/// control total checked against the customers' balances.
/// </summary>
public static class GeneralLedgerApi
{
    private static readonly string[] Users = [Roles.Finance, Roles.Auditor];

    public static void MapGeneralLedgerApi(this IEndpointRouteBuilder app)
    {
        var ledger = app.MapGroup("/ledger").WithTags("General ledger");
        ledger.MapGet("/postings", PostingsAsync)
            .Describe("listPostings", "Every posting of a period (date, document, customer, account code, debit, credit, currency); Accept: text/csv streams them")
            .WithContract(new ContractMetadata(Csv: true, Xlsx: true)).Produces<List<GlLine>>().Allow(Users);
        ledger.MapGet("/trial-balance", TrialBalanceAsync)
            .Describe("getTrialBalance", "The trial balance as of a date across all accounts, with the receivable control total against the customers' balances")
            .WithContract(new ContractMetadata(Csv: true, Xlsx: true)).Produces<TrialBalanceReport>().Allow(Users);
    }

    private static (Chart? Chart, IResult? Problem) ChartOf(string? id) =>
        Chart.All.FirstOrDefault(c => c.Id == (id ?? Chart.Chinese.Id)) is { } chart
            ? (chart, null)
            : (null, Problems.Invalid("chart", $"chart must be one of {string.Join(", ", Chart.All.Select(c => c.Id))}"));

    private static async Task<IResult> PostingsAsync(string? from, string? to, string? chart, HttpContext http, AkkaNode node, TimeProvider clock)
    {
        var (start, startProblem) = QueryValues.Date(from, "from");
        var (end, endProblem) = QueryValues.Date(to, "to");
        var (gl, chartProblem) = ChartOf(chart);
        if ((startProblem ?? endProblem ?? chartProblem) is { } problem)
            return problem;
        var last = end ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (start > last)
            return Problems.Invalid("to", "to must not be before from");
        var ledger = new GeneralLedger(gl!, start, last, null);
        if (Wants(http, Statements.StatementFormats.XlsxType))
        {
            var rows = new List<Dictionary<string, object>>();
            await node.AllAccountEvents().RunForeach(x => rows.AddRange(ledger.Apply(x.AccountId, x.Event).Select(l => new Dictionary<string, object>
            {
                ["Date"] = l.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["Document"] = l.Document, ["Customer"] = l.Customer,
                ["Account"] = l.Code, ["Account name"] = l.AccountName, ["Debit"] = l.Debit, ["Credit"] = l.Credit, ["Currency"] = l.Currency,
            })), node.System.Materializer());
            return Workbook(new Dictionary<string, object> { ["Postings"] = rows }, $"postings-{last:yyyy-MM-dd}.xlsx");
        }
        if (!Wants(http, "text/csv"))
        {
            var lines = new List<GlLine>();
            await node.AllAccountEvents().RunForeach(x => lines.AddRange(ledger.Apply(x.AccountId, x.Event)), node.System.Materializer());
            return Results.Ok(lines);
        }
        // Streamed as the journal is read: memory stays bounded over millions of events.
        return Results.Stream(async body =>
        {
            await using var writer = new StreamWriter(body, new UTF8Encoding(false));
            await writer.WriteLineAsync("date,document,customer,account,accountName,debit,credit,currency");
            await node.AllAccountEvents().SelectAsync(1, async x =>
            {
                foreach (var l in ledger.Apply(x.AccountId, x.Event))
                    await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"{l.Date:yyyy-MM-dd},{l.Document},{l.Customer},{l.Code},{l.AccountName},{l.Debit},{l.Credit},{l.Currency}"));
                return Akka.NotUsed.Instance;
            }).RunWith(Sink.Ignore<Akka.NotUsed>(), node.System.Materializer());
        }, "text/csv; charset=utf-8", $"postings-{last:yyyy-MM-dd}.csv");
    }

    private static async Task<IResult> TrialBalanceAsync(string? asOf, string? knownAt, string? chart, HttpContext http, AkkaNode node, TimeProvider clock)
    {
        var (date, dateProblem) = QueryValues.Date(asOf, "asOf");
        var (known, knownProblem) = QueryValues.Instant(knownAt, "knownAt");
        var (gl, chartProblem) = ChartOf(chart);
        if ((dateProblem ?? knownProblem ?? chartProblem) is { } problem)
            return problem;
        var ledger = new GeneralLedger(gl!, null, date ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), known);
        await node.AllAccountEvents().RunForeach(x => ledger.Apply(x.AccountId, x.Event).Consume(), node.System.Materializer());
        var report = ledger.TrialBalance();
        if (Wants(http, Statements.StatementFormats.XlsxType))
            return Workbook(new Dictionary<string, object>
            {
                ["Trial balance"] = report.Lines.Select(l => new Dictionary<string, object>
                {
                    ["Currency"] = l.Currency, ["Account"] = l.Code, ["Account name"] = l.AccountName, ["Debit"] = l.Debit, ["Credit"] = l.Credit,
                    ["Balance"] = l.Balance,
                }).ToList(),
                ["Control"] = report.Controls.Select(c => new Dictionary<string, object>
                {
                    ["Currency"] = c.Currency, ["Receivable control"] = c.ReceivableControl, ["Customers' balances"] = c.CustomerBalances,
                    ["Customers"] = c.Customers, ["Trial balance sum"] = c.TrialBalanceSum, ["Agrees"] = c.Agrees ? "yes" : "NO",
                }).ToList(),
            }, $"trial-balance-{report.AsOf:yyyy-MM-dd}.xlsx");
        if (!Wants(http, "text/csv"))
            return Results.Ok(report);
        var csv = new StringBuilder("currency,account,accountName,debit,credit,balance\n");
        foreach (var l in report.Lines)
            csv.AppendLine(CultureInfo.InvariantCulture, $"{l.Currency},{l.Code},{l.AccountName},{l.Debit},{l.Credit},{l.Balance}");
        foreach (var c in report.Controls)
            csv.AppendLine(CultureInfo.InvariantCulture, $"{c.Currency},control,receivable control {c.ReceivableControl} against {c.Customers} customers' balances {c.CustomerBalances},,,{c.TrialBalanceSum}");
        return Results.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", $"trial-balance-{report.AsOf:yyyy-MM-dd}.csv");
    }

    private static bool Wants(HttpContext http, string type) => http.Request.Headers.Accept.ToString().Contains(type, StringComparison.OrdinalIgnoreCase);

    /// <summary>An Excel workbook, one sheet per entry, amounts as numbers.</summary>
    private static IResult Workbook(Dictionary<string, object> sheets, string name)
    {
        using var stream = new MemoryStream();
        MiniExcelLibs.MiniExcel.SaveAs(stream, sheets, excelType: MiniExcelLibs.ExcelType.XLSX);
        return Results.File(stream.ToArray(), Statements.StatementFormats.XlsxType, name);
    }

    private static void Consume<T>(this IEnumerable<T> items)
    {
        foreach (var _ in items)
        {
        }
    }
}
