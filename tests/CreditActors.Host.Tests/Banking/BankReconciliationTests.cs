using System.Net;
using Akka.Actor;
using System.Text;
using System.Text.Json;
using CreditActors.Actors.Banking;
using CreditActors.Domain.Accounts;
using CreditActors.Domain.Banking;
using CreditActors.Host.Cluster;
using CreditActors.Host.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static CreditActors.Host.Tests.Banking.BankFiles;

namespace CreditActors.Host.Tests.Banking;

// Protects bank reconciliation over HTTP: a camt.053 file and a CSV export with the remittance texts customers write (an
// exact amount, one payment for two invoices, one short by bank charges, an unknown payer, a transaction twice) post
// what they should and queue the rest; a file imported twice, or imported again after a crash half-way, posts each
// payment once; a bad file is refused whole with the place and the reason, and nothing is posted.
public abstract class BankReconciliationTests(IStore store)
{
    private static readonly Entry Exact = new("B20261128001", "2026-11-28", 4_321.50m, "广州三号贸易有限公司", "6222000011112222", "货款 payment for goods");
    private static readonly Entry TwoInvoices = new("B20261128002", "2026-11-28", 15_000m, "Shanghai Hua Trading", "6222000033334444", "INV-B1 INV-B2 October");
    private static readonly Entry Charged = new("B20261129003", "2026-11-29", 9_985m, "Beijing Orient", "6222000055556666", "INV-C1/INV-C2 less charges");
    private static readonly Entry Unknown = new("B20261129004", "2026-11-29", 777m, "Unknown Ltd", "6222999900001111", "deposit");
    private static readonly Entry Debit = new("B20261129005", "2026-11-29", 1_200m, "Property management", null, "rent November", Indicator: "DBIT");

    /// <summary>Three customers: 18,000 open for SH-1, 10,000 for BJ-2, 4,321.50 for GZ-3.</summary>
    private static async Task CustomersAsync(RunningHost host)
    {
        async Task Post(string path, object body)
        {
            var response = await host.PostAsync(path, body);
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{path}: {await response.Content.ReadAsStringAsync()}");
        }
        foreach (var (id, name) in new[] { ("SH-1", "Shanghai Hua Trading"), ("BJ-2", "Beijing Orient"), ("GZ-3", "Guangzhou Three Trading") })
            await Post("/accounts", new { accountId = id, name, currency = "CNY", creditLimit = 100_000m, paymentTermsDays = 30 });
        foreach (var (account, invoice, amount, day) in new[]
        {
            ("SH-1", "INV-B1", 10_000m, "2026-10-01"), ("SH-1", "INV-B2", 5_000m, "2026-10-15"), ("SH-1", "INV-B3", 3_000m, "2026-11-01"),
            ("BJ-2", "INV-C1", 8_000m, "2026-10-05"), ("BJ-2", "INV-C2", 2_000m, "2026-10-20"), ("GZ-3", "INV-D1", 4_321.50m, "2026-10-25"),
        })
            await Post($"/accounts/{account}/invoices", new { invoiceNumber = invoice, amount, issueDate = day });
        // Matching reads the open lines from the aging read model: wait (bounded) until it has them all.
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var aging = await host.GetJsonAsync("/reports/aging?currency=CNY");
            if (aging.GetProperty("accounts").EnumerateArray().Sum(a => a.GetProperty("total").GetDecimal()) == 32_321.50m)
                return;
            await Task.Delay(100);
        }
        Assert.Fail("the aging read model did not catch up");
    }

    private static Task<HttpResponseMessage> ImportAsync(RunningHost host, string content, string type, string query = "", bool dryRun = false) =>
        host.Client.PostAsync($"/bank/imports{(dryRun ? "/dry-run" : "")}{query}", new StringContent(content, Encoding.UTF8, type));

    private static async Task<IReadOnlyList<(string Reference, decimal Amount)>> PaymentsAsync(RunningHost host, string accountId) =>
        [.. (await host.GetJsonAsync($"/accounts/{accountId}/payments")).EnumerateArray()
            .Select(p => (p.GetProperty("paymentReference").GetString()!, p.GetProperty("amount").GetDecimal()))];

    private static decimal Open(JsonElement invoice, int line = 0) => invoice.GetProperty("lines")[line].GetProperty("open").GetDecimal();

    [Fact]
    public async Task a_camt053_file_and_a_csv_export_post_the_confident_matches_and_queue_the_rest()
    {
        await using var host = await RunningHost.StartAsync(await store.NewStoreAsync());
        await CustomersAsync(host);
        var camt = Camt053([Exact, TwoInvoices, Charged, Unknown, Exact, Debit]);

        // The dry run shows what would happen and writes nothing.
        var dry = await RunningHost.Json(await ImportAsync(host, camt, "application/xml", dryRun: true));
        Assert.Equal((3, 29_306.50m, 1, 777m, 1, 1), (dry.GetProperty("wouldPost").GetProperty("count").GetInt32(),
            dry.GetProperty("wouldPost").GetProperty("amount").GetDecimal(), dry.GetProperty("unmatched").GetProperty("count").GetInt32(),
            dry.GetProperty("unmatched").GetProperty("amount").GetDecimal(), dry.GetProperty("repeated").GetInt32(), dry.GetProperty("debitsLeftOut").GetInt32()));
        Assert.Empty((await host.GetJsonAsync("/bank/imports")).EnumerateArray());
        Assert.Empty(await PaymentsAsync(host, "SH-1"));

        var imported = await ImportAsync(host, camt, "application/xml", "?fileName=camt053-20261130.xml");
        Assert.Equal(HttpStatusCode.Created, imported.StatusCode);
        var report = await RunningHost.Json(imported);
        Assert.Equal((4, 1, 3, 29_306.50m, 0, 1, 777m), (report.GetProperty("transactions").GetInt32(), report.GetProperty("repeated").GetInt32(),
            report.GetProperty("autoMatched").GetProperty("count").GetInt32(), report.GetProperty("autoMatched").GetProperty("amount").GetDecimal(),
            report.GetProperty("manuallyMatched").GetProperty("count").GetInt32(), report.GetProperty("unmatched").GetProperty("count").GetInt32(),
            report.GetProperty("unmatched").GetProperty("amount").GetDecimal()));
        Assert.Equal(("1001200012345678", "CNY", "camt053-20261130.xml"), (report.GetProperty("statementAccount").GetString(),
            report.GetProperty("currency").GetString(), report.GetProperty("fileName").GetString()));

        // Exact amount: GZ-3's one line. Invoice numbers: SH-1's two invoices. Bank charges: BJ-2's two invoices, 15 short.
        Assert.Equal([("B20261128001", 4_321.50m)], await PaymentsAsync(host, "GZ-3"));
        Assert.Equal([("B20261128002", 15_000m)], await PaymentsAsync(host, "SH-1"));
        Assert.Equal([("B20261129003", 9_985m)], await PaymentsAsync(host, "BJ-2"));
        Assert.Equal((0m, 0m, 3_000m), (Open(await host.GetJsonAsync("/accounts/SH-1/invoices/INV-B1")),
            Open(await host.GetJsonAsync("/accounts/SH-1/invoices/INV-B2")), Open(await host.GetJsonAsync("/accounts/SH-1/invoices/INV-B3"))));
        Assert.Equal((0m, 15m), (Open(await host.GetJsonAsync("/accounts/BJ-2/invoices/INV-C1")), Open(await host.GetJsonAsync("/accounts/BJ-2/invoices/INV-C2"))));
        var charged = await host.GetJsonAsync("/bank/transactions/B20261129003");
        Assert.Equal(("matched", "invoice-number", 0.95m), (charged.GetProperty("status").GetString(), charged.GetProperty("rule").GetString(),
            charged.GetProperty("confidence").GetDecimal()));
        Assert.Contains("15.00 short", charged.GetProperty("note").GetString());
        Assert.Equal("exact-amount", (await host.GetJsonAsync("/bank/transactions/B20261128001")).GetProperty("rule").GetString());

        // The unknown payer waits in the queue, with nothing proposed.
        var queue = (await host.GetJsonAsync("/bank/transactions?status=unmatched")).EnumerateArray().ToList();
        var waiting = Assert.Single(queue);
        Assert.Equal(("B20261129004", 777m), (waiting.GetProperty("bankReference").GetString(), waiting.GetProperty("remaining").GetDecimal()));
        Assert.False(waiting.TryGetProperty("proposal", out _));

        // A CSV export the next day: INV-B3 paid by SH-1, a debit, a transaction the camt file had, and a payer nobody knows yet.
        var later = new Entry("C20261130001", "2026-11-30", 2_000m, "Beijing Orient", "6222000055556666", "see our letter");
        var csv = Csv([new Entry("C20261130002", "2026-11-30", 3_000m, "Shanghai Hua Trading", "6222000033334444", "INV-B3, thanks"),
            Debit with { Reference = "C20261130009" }, Exact, later]);
        var second = await RunningHost.Json(await ImportAsync(host, csv, "text/csv", "?profile=standard"));
        Assert.Equal((2, 1, 1, 1), (second.GetProperty("transactions").GetInt32(), second.GetProperty("repeated").GetInt32(),
            second.GetProperty("autoMatched").GetProperty("count").GetInt32(), second.GetProperty("unmatched").GetProperty("count").GetInt32()));
        Assert.Equal("standard", second.GetProperty("statementAccount").GetString());
        Assert.Equal([("B20261128002", 15_000m), ("C20261130002", 3_000m)], (await PaymentsAsync(host, "SH-1")).Order());
        Assert.Equal([("B20261128001", 4_321.50m)], await PaymentsAsync(host, "GZ-3"));

        // Finance matches the unknown one by hand (the rest goes to the oldest line, then stays unapplied) and learns the payer's account.
        var matched = await host.PostAsync("/bank/transactions/C20261130001/match", new { parts = new[] { new { accountId = "BJ-2" } }, comment = "letter says October" });
        Assert.True(matched.IsSuccessStatusCode, await matched.Content.ReadAsStringAsync());
        var manual = await RunningHost.Json(matched);
        Assert.True(manual.GetProperty("payments")[0].GetProperty("status").GetString() == "posted", manual.ToString());
        Assert.Equal(("matched", "manual", "posted"), (manual.GetProperty("status").GetString(), manual.GetProperty("rule").GetString(),
            manual.GetProperty("payments")[0].GetProperty("status").GetString()));
        Assert.Equal(0m, Open(await host.GetJsonAsync("/accounts/BJ-2/invoices/INV-C2")));
        Assert.Equal("BJ-2", Assert.Single((await host.GetJsonAsync("/bank/payer-accounts")).EnumerateArray()).GetProperty("accountId").GetString());
        // The same match again changes nothing.
        Assert.Equal(HttpStatusCode.Conflict, (await host.PostAsync("/bank/transactions/C20261130001/match", new { parts = new[] { new { accountId = "BJ-2" } } })).StatusCode);

        // The deposit is split: a split must add up to what is left.
        var badSplit = await host.PostAsync("/bank/transactions/B20261129004/match",
            new { parts = new object[] { new { accountId = "SH-1", amount = 500m }, new { accountId = "GZ-3", amount = 200m } } });
        Assert.Equal(HttpStatusCode.BadRequest, badSplit.StatusCode);
        Assert.Equal("parts", (await RunningHost.Json(badSplit)).GetProperty("field").GetString());
        var split = await RunningHost.Json(await host.PostAsync("/bank/transactions/B20261129004/match",
            new { parts = new object[] { new { accountId = "SH-1", amount = 577m }, new { accountId = "GZ-3", amount = 200m } } }));
        Assert.Equal(["B20261129004-1", "B20261129004-2"], split.GetProperty("payments").EnumerateArray().Select(p => p.GetProperty("paymentReference").GetString()));
        Assert.Contains(("B20261129004-2", 200m), await PaymentsAsync(host, "GZ-3"));

        // A payment of the learnt payer now matches by its account; a refund is ignored with its reason.
        var third = await RunningHost.Json(await ImportAsync(host, Camt053([
            new Entry("B20261201001", "2026-12-01", 1_000m, "Beijing Orient", "6222000055556666", "advance"),
            new Entry("B20261201002", "2026-12-01", 88m, "Insurance Co", null, "refund of premium")]), "application/xml"));
        Assert.True(1 == third.GetProperty("autoMatched").GetProperty("count").GetInt32(), (await host.GetJsonAsync("/bank/transactions/B20261201001")).ToString());
        Assert.Equal("payer-account", (await host.GetJsonAsync("/bank/transactions/B20261201001")).GetProperty("rule").GetString());
        var ignored = await RunningHost.Json(await host.PostAsync("/bank/transactions/B20261201002/ignore", new { reason = "insurance refund, not a customer" }));
        Assert.Equal("ignored", ignored.GetProperty("status").GetString());
        Assert.Empty((await host.GetJsonAsync("/bank/transactions?status=unmatched")).EnumerateArray());
        var thirdReport = await host.GetJsonAsync($"/bank/imports/{third.GetProperty("importId").GetString()}");
        Assert.Equal((1, 88m), (thirdReport.GetProperty("ignored").GetProperty("count").GetInt32(), thirdReport.GetProperty("ignored").GetProperty("amount").GetDecimal()));
    }

    [Fact]
    public async Task a_file_imported_twice_or_again_after_a_crash_half_way_posts_each_payment_once()
    {
        await using var host = await RunningHost.StartAsync(await store.NewStoreAsync());
        await CustomersAsync(host);
        var camt = Camt053([Exact, TwoInvoices, Charged, Unknown]);

        // A crash half-way: the file was recorded, one match decided and its payment posted, and nothing after that.
        var book = host.Services.GetRequiredService<AkkaNode>().BankBook;
        var file = Host.Banking.BankStatementFiles.ReadCamt053(Encoding.UTF8.GetBytes(camt));
        var importId = $"camt-053-{file.ContentHash[..20]}";
        var recorded = await book.Ask<BankReply>(new BankRequest(new ImportBankStatement(importId, file.Format, null, file.ContentHash,
            file.StatementAccount, file.Currency, file.Credits), "finance.li"), TimeSpan.FromSeconds(10));
        Assert.Null(recorded.Rejection);
        var decided = await book.Ask<BankReply>(new BankRequest(new DecideBankMatch("B20261128002",
            [new BankPartRequest("SH-1", 15_000m, [new RemittanceLine("INV-B1", null, 10_000m), new RemittanceLine("INV-B2", null, 5_000m)])],
            "invoice-number", 0.95m, null, Manual: false), "finance.li"), TimeSpan.FromSeconds(10));
        var part = Assert.Single(decided.Book.Entries["B20261128002"].Parts);
        Assert.Equal(HttpStatusCode.Created, (await host.PostAsync("/accounts/SH-1/payments", new
        {
            paymentReference = part.PaymentReference, amount = 15_000m, receivedDate = "2026-11-28",
            allocations = new[] { new { invoiceNumber = "INV-B1", amount = 10_000m }, new { invoiceNumber = "INV-B2", amount = 5_000m } },
        })).StatusCode);
        var versions = new[] { await host.VersionAsync("SH-1"), await host.VersionAsync("BJ-2"), await host.VersionAsync("GZ-3") };

        // The same file again: the decided payment is recognised as posted, the rest is matched and posted once.
        var again = await ImportAsync(host, camt, "application/xml");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var report = await RunningHost.Json(again);
        Assert.Equal((3, 1), (report.GetProperty("autoMatched").GetProperty("count").GetInt32(), report.GetProperty("unmatched").GetProperty("count").GetInt32()));
        Assert.Equal([("B20261128002", 15_000m)], await PaymentsAsync(host, "SH-1"));
        Assert.Equal([("B20261129003", 9_985m)], await PaymentsAsync(host, "BJ-2"));
        Assert.Equal([("B20261128001", 4_321.50m)], await PaymentsAsync(host, "GZ-3"));
        Assert.Equal(versions[0], await host.VersionAsync("SH-1"));
        Assert.True(await host.VersionAsync("BJ-2") > versions[1]);

        // And a third time: nothing at all changes, in the accounts or in the bank book.
        var accounts = new[] { await host.VersionAsync("SH-1"), await host.VersionAsync("BJ-2"), await host.VersionAsync("GZ-3") };
        var before = await book.Ask<BankReply>(new ReadBankBook(), TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.OK, (await ImportAsync(host, camt, "application/xml")).StatusCode);
        var after = await book.Ask<BankReply>(new ReadBankBook(), TimeSpan.FromSeconds(10));
        Assert.Equal(accounts, new[] { await host.VersionAsync("SH-1"), await host.VersionAsync("BJ-2"), await host.VersionAsync("GZ-3") });
        Assert.Equal(before.Book.Entries.Values.Sum(e => e.Parts.Count + e.Posted.Count), after.Book.Entries.Values.Sum(e => e.Parts.Count + e.Posted.Count));
        Assert.Single((await host.GetJsonAsync("/bank/imports")).EnumerateArray());
    }

    [Fact]
    public async Task a_bad_file_is_refused_whole_with_where_and_why_and_nothing_is_posted()
    {
        await using var host = await RunningHost.StartAsync(await store.NewStoreAsync());
        await CustomersAsync(host);

        async Task Refused(HttpResponseMessage response, HttpStatusCode status, string field, string words)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonDocument.Parse(body).RootElement;
            Assert.Equal(field, problem.GetProperty("field").GetString());
            Assert.Contains(words, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        await Refused(await ImportAsync(host, Camt053([Exact], ns: "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"), "application/xml"),
            HttpStatusCode.BadRequest, "file", "not a camt.053 statement");
        await Refused(await ImportAsync(host, Camt053([Exact]).Replace("</Stmt>", "", StringComparison.Ordinal), "application/xml"),
            HttpStatusCode.BadRequest, "file", "not well-formed XML");
        await Refused(await ImportAsync(host, Camt053([TwoInvoices, Exact with { Amount = 4_321.505m }]), "application/xml"),
            HttpStatusCode.BadRequest, "Stmt[0].Ntry[1].Amt", "more than 2 decimal digits");
        await Refused(await ImportAsync(host, Camt053([TwoInvoices, Exact with { Currency = "USD" }]), "application/xml"),
            HttpStatusCode.BadRequest, "Stmt[0].Ntry[1].Amt", "in USD, the account in CNY");
        await Refused(await ImportAsync(host, Csv([TwoInvoices, Exact with { Currency = "USD" }]), "text/csv", "?profile=standard"),
            HttpStatusCode.BadRequest, "row 2.Currency", "row 2 is in USD");
        await Refused(await ImportAsync(host, Csv([TwoInvoices, Exact with { Amount = 4_321.505m }]), "text/csv", "?profile=standard"),
            HttpStatusCode.BadRequest, "row 2.Amount", "more than 2 decimal digits");
        await Refused(await ImportAsync(host, Csv([TwoInvoices]) + "B9,2026-11-30,\"100.00,CNY,x,,y\nB10,2026-11-30,5,CNY", "text/csv", "?profile=standard"),
            HttpStatusCode.BadRequest, "line 3", "not valid CSV");
        await Refused(await ImportAsync(host, "Ref;Date;Sum\nX1;2026-11-30;100\n", "text/csv", "?profile=standard"),
            HttpStatusCode.BadRequest, "file", "no column 'Reference'");
        await Refused(await ImportAsync(host, Csv([TwoInvoices]), "text/csv"), HttpStatusCode.BadRequest, "profile", "needs ?profile=");
        await Refused(await ImportAsync(host, Csv([TwoInvoices]), "text/csv", "?profile=nobank"), HttpStatusCode.BadRequest, "profile", "not configured");
        await Refused(await ImportAsync(host, "{}", "application/json"), HttpStatusCode.UnsupportedMediaType, "Content-Type", "application/xml");

        Assert.Empty((await host.GetJsonAsync("/bank/imports")).EnumerateArray());
        Assert.Empty((await host.GetJsonAsync("/bank/transactions")).EnumerateArray());
        foreach (var account in new[] { "SH-1", "BJ-2", "GZ-3" })
            Assert.Empty(await PaymentsAsync(host, account));
    }
}

public sealed class SqliteBankReconciliationTests(SqliteHostFixture fixture) : BankReconciliationTests(fixture.Store), IClassFixture<SqliteHostFixture>;

[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlBankReconciliationTests(PostgresHostFixture fixture) : BankReconciliationTests(fixture.Store), IClassFixture<PostgresHostFixture>;
