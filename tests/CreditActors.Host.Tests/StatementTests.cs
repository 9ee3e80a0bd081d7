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
    internal static async Task MonthAsync(RunningHost host)
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
        foreach (var words in new[] { "客户对账单", "期初余额", "期末余额", "贷项通知单 CN-1（发票 INV-2）", "收款 P-1 核销至 INV-1" })
            Assert.Contains(words, chinese);
        Assert.Equal("to", (await RunningHost.Json(await host.Client.GetAsync("/accounts/HW-1/statement?from=2026-11-30&to=2026-11-01"))).GetProperty("field").GetString());
    }

    [Fact]
    public async Task an_issued_statement_reaches_the_customer_by_email_with_the_workbook_attached_once()
    {
        Assert.True(SmtpServer.Available, "python3-aiosmtpd is needed (ops/test.sh installs it)");
        using var smtp = new SmtpServer();
        await smtp.StartAsync();
        var storage = await fixture.Store.NewStoreAsync();
        var delivery = "credit-actors.collections { dunning-run.daily-at = off, delivery { poll-interval = 200ms, smtp { host = \"127.0.0.1\", "
            + $"port = {smtp.Port}, security = none, from = \"AR Team <ar@seller.example>\" }} }} }}";
        await using var host = await RunningHost.StartAsync(storage, $"--Akka:Overrides={delivery}");
        await MonthAsync(host);
        Assert.Equal(HttpStatusCode.OK, (await host.PutAsync("/accounts/HW-1/contact-preferences",
            new { language = "zh", email = "ap@hw.example", monthlyStatements = true, confirmation = "confirmation" })).StatusCode);

        var issued = await host.PostAsync("/accounts/HW-1/statements", new { from = "2026-11-01", to = "2026-11-30" });
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var first = await RunningHost.Json(issued);
        Assert.Equal(("statement-202611", 8_000m, "confirmation", "zh"), (first.GetProperty("statementId").GetString(),
            first.GetProperty("closingBalance").GetDecimal(), first.GetProperty("confirmation").GetString(), first.GetProperty("language").GetString()));
        var again = await host.PostAsync("/accounts/HW-1/statements", new { from = "2026-11-01", to = "2026-11-30" });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(first.GetProperty("contentHash").GetString(), (await RunningHost.Json(again)).GetProperty("contentHash").GetString());

        var message = Assert.Single(await smtp.WaitForAsync(1));
        Assert.Equal("ap@hw.example", message.To.Mailboxes.Single().Address);
        Assert.StartsWith("客户对账单 HW-1 2026-11-01", message.Subject);
        Assert.Contains("期末余额", message.HtmlBody);
        var attachment = Assert.Single(message.Attachments.OfType<MimeKit.MimePart>());
        Assert.Equal("statement-202611.HW-1.xlsx", attachment.FileName);
        using var book = new MemoryStream();
        await attachment.Content!.DecodeToAsync(book);
        book.Position = 0;
        Assert.Equal(["汇总", "对账单", "账龄"], MiniExcel.GetSheetNames(book));
        var rows = MiniExcel.Query(book, useHeaderRow: false, sheetName: "对账单").Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(("期末余额", 8_000m), ((string)rows[^1]["E"], Convert.ToDecimal(rows[^1]["H"])));

        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonElement listed;
        do
        {
            listed = (await host.GetJsonAsync("/accounts/HW-1/statements"))[0];
            if (listed.GetProperty("delivery").GetString() == "sent")
                break;
            await Task.Delay(100);
        } while (DateTime.UtcNow < deadline);
        Assert.Equal("sent", listed.GetProperty("delivery").GetString());
        await Task.Delay(1_000);
        Assert.Single(smtp.Messages());
    }

    [Fact]
    public async Task the_monthly_run_sends_last_months_statement_to_the_accounts_that_asked_and_to_them_only()
    {
        var storage = await fixture.Store.NewStoreAsync();
        await using var host = await RunningHost.StartAsync(storage,
            "--Akka:Overrides=credit-actors.statements.statement-run { daily-at = off, check-interval = 1s } credit-actors.collections.delivery.enabled = off");
        await MonthAsync(host);
        Assert.Equal(HttpStatusCode.Created, (await host.PostAsync("/accounts",
            new { accountId = "HW-2", name = "No Statements Ltd", currency = "CNY", creditLimit = 1_000m, paymentTermsDays = 30 })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.PutAsync("/accounts/HW-1/contact-preferences", new { language = "en", monthlyStatements = true })).StatusCode);

        // The run lists the accounts that asked from the read model: started again (bounded) until it sees HW-1.
        JsonElement run = default;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var started = await host.PostAsync("/statement-runs", new { reason = "test" });
            if (started.StatusCode == HttpStatusCode.Accepted)
            {
                var runId = (await RunningHost.Json(started)).GetProperty("runId").GetString();
                do
                {
                    await Task.Delay(100);
                    run = await host.GetJsonAsync($"/statement-runs/{runId}");
                } while (run.GetProperty("status").GetString() != "completed" && DateTime.UtcNow < deadline);
                if (run.GetProperty("total").GetInt32() == 1)
                    break;
            }
            await Task.Delay(1_100);
        }
        Assert.Equal((1, 1, 1), (run.GetProperty("total").GetInt32(), run.GetProperty("processed").GetInt32(), run.GetProperty("written").GetInt32()));
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var first = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
        var issued = Assert.Single((await host.GetJsonAsync("/accounts/HW-1/statements")).EnumerateArray());
        Assert.Equal(($"statement-{first:yyyyMM}", "en"), (issued.GetProperty("statementId").GetString(), issued.GetProperty("language").GetString()));
        Assert.Empty((await host.GetJsonAsync("/accounts/HW-2/statements")).EnumerateArray());
    }
}
