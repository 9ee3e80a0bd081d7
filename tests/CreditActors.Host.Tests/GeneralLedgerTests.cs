using System.Net;
using CreditActors.Host.Tests.Support;

namespace CreditActors.Host.Tests;

// Protects the general ledger over HTTP: the trial balance across accounts sums to zero per currency, its receivable control
// total equals the customers' balances and what the accounts say they owe; the postings export the company's codes.
public sealed class GeneralLedgerTests(SqliteHostFixture fixture) : IClassFixture<SqliteHostFixture>
{
    private RunningHost Host => fixture.Host;

    [Fact]
    public async Task the_trial_balance_balances_and_ties_the_receivables_to_the_customers()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd");
        foreach (var (id, currency) in new[] { ("GL-CNY", "CNY"), ("GL-USD", "USD") })
        {
            Assert.Equal(HttpStatusCode.Created, (await Host.PostAsync("/accounts",
                new { accountId = id, name = id, currency, creditLimit = 100_000m, paymentTermsDays = 30 })).StatusCode);
            await Host.PostAsync($"/accounts/{id}/invoices", new { invoiceNumber = "I-1", amount = 5_000m, issueDate = today });
            await Host.PostAsync($"/accounts/{id}/payments", new { paymentReference = "P-1", amount = 6_000m, receivedDate = today });
            await Host.PostAsync($"/accounts/{id}/invoices", new { invoiceNumber = "I-2", amount = 3_000m, issueDate = today });
            await Host.PostAsync($"/accounts/{id}/write-offs", new { writeOffId = "W-1", invoiceNumber = "I-2", amount = 500m, reason = "damaged" });
        }

        var report = await Host.GetJsonAsync("/ledger/trial-balance?chart=cn");
        foreach (var control in report.GetProperty("controls").EnumerateArray())
        {
            Assert.True(control.GetProperty("agrees").GetBoolean());
            Assert.Equal(0m, control.GetProperty("trialBalanceSum").GetDecimal());
        }
        var usd = report.GetProperty("controls").EnumerateArray().Single(c => c.GetProperty("currency").GetString() == "USD");
        var account = await Host.GetJsonAsync("/accounts/GL-USD");
        // 5,000 + 3,000 invoiced, 6,000 paid (5,000 to I-1, 1,000 to I-2), 500 written off: 1,500 owed.
        Assert.Equal((1_500m, 1_500m), (usd.GetProperty("receivableControl").GetDecimal(), account.GetProperty("receivables").GetDecimal()));
        Assert.Contains(report.GetProperty("lines").EnumerateArray(), l => l.GetProperty("code").GetString() == "1122"
            && l.GetProperty("accountName").GetString() == "应收账款");

        var csv = await Host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/ledger/postings?chart=generic") { Headers = { { "Accept", "text/csv" } } });
        var text = await csv.Content.ReadAsStringAsync();
        Assert.StartsWith("date,document,customer,account,accountName,debit,credit,currency", text);
        Assert.Contains($"{today},W-1,GL-USD,6200,Bad-debt expense,500,0,USD", text);
        // The same as workbooks, opened back with the library.
        const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        var book = await Host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/ledger/trial-balance?chart=cn") { Headers = { { "Accept", Xlsx } } });
        Assert.Equal(Xlsx, book.Content.Headers.ContentType?.MediaType);
        using (var stream = new MemoryStream(await book.Content.ReadAsByteArrayAsync()))
        {
            Assert.Equal(["Trial balance", "Control"], MiniExcelLibs.MiniExcel.GetSheetNames(stream));
            var lines = MiniExcelLibs.MiniExcel.Query(stream, useHeaderRow: true, sheetName: "Trial balance").Cast<IDictionary<string, object>>().ToList();
            Assert.Equal(1_500m, Convert.ToDecimal(lines.Single(l => (string)l["Currency"] == "USD" && (string)l["Account"] == "1122")["Balance"]));
            var controls = MiniExcelLibs.MiniExcel.Query(stream, useHeaderRow: true, sheetName: "Control").Cast<IDictionary<string, object>>().ToList();
            Assert.All(controls, c => Assert.Equal("yes", c["Agrees"]));
        }
        var postings = await Host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/ledger/postings?chart=generic") { Headers = { { "Accept", Xlsx } } });
        using (var stream = new MemoryStream(await postings.Content.ReadAsByteArrayAsync()))
        {
            var rows = MiniExcelLibs.MiniExcel.Query(stream, useHeaderRow: true, sheetName: "Postings").Cast<IDictionary<string, object>>().ToList();
            Assert.Equal(rows.Sum(r => Convert.ToDecimal(r["Debit"])), rows.Sum(r => Convert.ToDecimal(r["Credit"])));
            Assert.Contains(rows, r => (string)r["Document"] == "W-1" && (string)r["Customer"] == "GL-USD" && Convert.ToDecimal(r["Debit"]) == 500m);
        }
        var bad = await Host.Client.GetAsync("/ledger/trial-balance?chart=ifrs");
        Assert.Equal((HttpStatusCode.BadRequest, "chart"), (bad.StatusCode, (await RunningHost.Json(bad)).GetProperty("field").GetString()));
    }

    [Fact]
    public async Task events_are_exported_as_json_lines_and_as_csv()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd");
        Assert.Equal(HttpStatusCode.Created, (await Host.PostAsync("/accounts",
            new { accountId = "EXP-1", name = "Export, Co", currency = "CNY", creditLimit = 1_000m, paymentTermsDays = 30 })).StatusCode);
        await Host.PostAsync("/accounts/EXP-1/invoices", new { invoiceNumber = "I-1", amount = 500m, issueDate = today });
        var version = await Host.VersionAsync("EXP-1");

        var lines = (await (await Host.Client.GetAsync("/exports/events?accountId=EXP-1")).Content.ReadAsStringAsync())
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(version, lines.Count);
        Assert.Equal(("AccountOpened", "EXP-1", "InvoiceIssued"), (lines[0].GetProperty("type").GetString(), lines[0].GetProperty("accountId").GetString(),
            lines[1].GetProperty("type").GetString()));
        Assert.Equal(500m, lines[1].GetProperty("data").GetProperty("amount").GetDecimal());

        var csv = await Host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/exports/events?accountId=EXP-1") { Headers = { { "Accept", "text/csv" } } });
        var rows = (await csv.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("accountId,version,type,effectiveDate,recordedAt,actor,correlationId,data", rows[0]);
        Assert.Equal(version + 1, rows.Length);
        // The profile's name holds a comma: the field is quoted.
        Assert.Contains("\"Export, Co\"", rows[1].Replace("\"\"", "\"", StringComparison.Ordinal));
        // Nothing was effective before the account existed.
        Assert.Empty((await (await Host.Client.GetAsync("/exports/events?accountId=EXP-1&to=2000-01-01")).Content.ReadAsStringAsync()).Trim());
    }
}
