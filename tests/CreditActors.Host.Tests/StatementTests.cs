using System.Net;
using System.Text.Json;
using CreditActors.Host.Tests.Support;
using MiniExcelLibs;

namespace CreditActors.Host.Tests;

// Protects the statement of account over HTTP: a hand-worked November (opening 3,000; six movements that move money and
// two applications of payments; closing 8,000; 500 of it 26 days late) in JSON, CSV, Excel (opened back with the library
// and read cell by cell) and the printable page, in English and Chinese.
public sealed class StatementTests(SqliteHostFixture fixture) : IClassFixture<SqliteHostFixture>
{
    private static async Task MonthAsync(RunningHost host)
    {
        async Task Post(string path, object body) => Assert.Equal(HttpStatusCode.Created, (await host.PostAsync(path, body)).StatusCode);
        await Post("/accounts", new { accountId = "HW-1", name = "Hangzhou Wire Co", currency = "CNY", creditLimit = 50_000m, paymentTermsDays = 30 });
        await Post("/accounts/HW-1/invoices", new { invoiceNumber = "INV-1", amount = 5_000m, issueDate = "2026-10-05" });
        await Post("/accounts/HW-1/payments", new { paymentReference = "P-0", amount = 2_000m, receivedDate = "2026-10-20",
            allocations = new[] { new { invoiceNumber = "INV-1", amount = 2_000m } } });
        await Post("/accounts/HW-1/invoices", new { invoiceNumber = "INV-2", amount = 8_000m, issueDate = "2026-11-03" });
        await Post("/accounts/HW-1/payments", new { paymentReference = "P-1", amount = 2_500m, receivedDate = "2026-11-10",
            allocations = new[] { new { invoiceNumber = "INV-1", amount = 2_500m } } });
        await Post("/accounts/HW-1/credit-notes", new { creditNoteNumber = "CN-1", invoiceNumber = "INV-2", amount = 500m, reason = "short delivery",
            effectiveDate = "2026-11-15" });
        await Post("/accounts/HW-1/invoices", new { invoiceNumber = "INV-3", amount = 1_200m, issueDate = "2026-11-20" });
        await Post("/accounts/HW-1/payments", new { paymentReference = "P-2", amount = 1_000m, receivedDate = "2026-11-25",
            allocations = new[] { new { invoiceNumber = "INV-2", amount = 1_000m } } });
        await Post("/accounts/HW-1/write-offs", new { writeOffId = "WO-1", invoiceNumber = "INV-3", amount = 200m, reason = "damaged, not claimed",
            effectiveDate = "2026-11-28" });
    }

    private static async Task<HttpResponseMessage> GetAsync(RunningHost host, string accept, string lang = "en") =>
        await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/accounts/HW-1/statement?from=2026-11-01&to=2026-11-30&lang={lang}")
        {
            Headers = { { "Accept", accept } },
        });

    [Fact]
    public async Task a_hand_worked_month_reads_the_same_in_every_format()
    {
        var storage = await fixture.Store.NewStoreAsync();
        await using var host = await RunningHost.StartAsync(storage);
        await MonthAsync(host);

        var json = await RunningHost.Json(await GetAsync(host, "application/json"));
        Assert.Equal((3_000m, 8_000m, 9_200m, 4_200m), (json.GetProperty("openingBalance").GetDecimal(), json.GetProperty("closingBalance").GetDecimal(),
            json.GetProperty("totalDebits").GetDecimal(), json.GetProperty("totalCredits").GetDecimal()));
        Assert.Equal(
        [
            ("invoice", "INV-2", 11_000m), ("payment", "P-1", 8_500m), ("allocation", "P-1", 8_500m), ("credit-note", "CN-1", 8_000m),
            ("invoice", "INV-3", 9_200m), ("payment", "P-2", 8_200m), ("allocation", "P-2", 8_200m), ("write-off", "WO-1", 8_000m),
        ], json.GetProperty("movements").EnumerateArray().Select(m => (m.GetProperty("kind").GetString(), m.GetProperty("document").GetString(),
            m.GetProperty("balance").GetDecimal())));
        var buckets = json.GetProperty("aging").GetProperty("buckets");
        Assert.Equal((7_500m, 500m), (buckets.GetProperty("current").GetDecimal(), buckets.GetProperty("1-30").GetDecimal()));
        Assert.Equal(64, json.GetProperty("contentHash").GetString()!.Length);

        var csv = (await (await GetAsync(host, "text/csv")).Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Date,Kind,Document,Reference,Description,Debit,Credit,Balance", csv[0]);
        Assert.Equal("2026-11-01,,,,Opening balance,,,3000", csv[1]);
        Assert.Equal("2026-11-03,Invoice,INV-2,,\"Invoice INV-2, due 2026-12-03\",8000,0,11000", csv[2]);
        Assert.Equal("2026-11-30,,,,Closing balance,9200,4200,8000", csv[^1]);
        Assert.Equal(1 + 1 + 8 + 1, csv.Length);

        var xlsx = await GetAsync(host, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType?.MediaType);
        using var book = new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync());
        Assert.Equal(["Summary", "Statement", "Aging"], MiniExcel.GetSheetNames(book));
        var rows = MiniExcel.Query(book, useHeaderRow: false, sheetName: "Statement").Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(["Date", "Kind", "Document", "Reference", "Description", "Debit", "Credit", "Balance"], rows[0].Values.Select(v => v?.ToString()));
        Assert.Equal(("2026-11-01", "Opening balance", 3_000m), ((string)rows[1]["A"], (string)rows[1]["E"], Convert.ToDecimal(rows[1]["H"])));
        Assert.Equal(("INV-2", 8_000m, 0m, 11_000m), ((string)rows[2]["C"], Convert.ToDecimal(rows[2]["F"]), Convert.ToDecimal(rows[2]["G"]),
            Convert.ToDecimal(rows[2]["H"])));
        Assert.Equal(("WO-1", 200m, 8_000m), ((string)rows[9]["C"], Convert.ToDecimal(rows[9]["G"]), Convert.ToDecimal(rows[9]["H"])));
        Assert.Equal(("Closing balance", 9_200m, 4_200m, 8_000m), ((string)rows[10]["E"], Convert.ToDecimal(rows[10]["F"]), Convert.ToDecimal(rows[10]["G"]),
            Convert.ToDecimal(rows[10]["H"])));
        var aging = MiniExcel.Query(book, useHeaderRow: true, sheetName: "Aging").Cast<IDictionary<string, object>>().ToList();
        Assert.Equal([("INV-1", 26, 500m), ("INV-2", -3, 6_500m), ("INV-3", -20, 1_000m)],
            aging.Select(a => ((string)a["Invoice"], Convert.ToInt32(a["Days past due"]), Convert.ToDecimal(a["Open"]))));

        var html = await (await GetAsync(host, "text/html")).Content.ReadAsStringAsync();
        foreach (var figure in new[] { "Statement of account", "3,000.00", "11,000.00", "8,000.00", "9,200.00", "4,200.00", "7,500.00", "500.00" })
            Assert.Contains(figure, html);
        var chinese = await (await GetAsync(host, "text/html", "zh")).Content.ReadAsStringAsync();
        foreach (var words in new[] { "客户对账单", "期初余额", "期末余额", "贷项通知单" })
            Assert.Contains(words, chinese);
        Assert.Equal("to", (await RunningHost.Json(await host.Client.GetAsync("/accounts/HW-1/statement?from=2026-11-30&to=2026-11-01"))).GetProperty("field").GetString());
    }
}
