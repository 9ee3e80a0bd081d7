using System.Net;
using System.Text.Json;
using CreditActors.Host.Tests.Support;
using CreditActors.Persistence;
using CreditActors.Persistence.Audit;
using MiniExcelLibs;

namespace CreditActors.Host.Tests;

// The auditor's command line, run as a process on the SQLite file a stopped service left: verify (clean, then after a
// payload is changed behind the service's back), an account as of a date, the exports (CSV, JSON Lines, xlsx) whose sums
// equal the accounts, and the exit codes a script relies on.
public sealed class CommandLineTests(SqliteHostFixture fixture) : IClassFixture<SqliteHostFixture>
{
    private static Task<(int Exit, string Out, string Error)> RunAsync(params string[] arguments) => CommandLine.RunAsync(arguments);

    [Fact]
    public async Task an_auditor_verifies_replays_and_exports_a_stopped_services_journal()
    {
        var storage = await fixture.Store.NewStoreAsync();
        await using (var host = await RunningHost.StartAsync(storage))
        {
            async Task Post(string path, object body) => Assert.Equal(HttpStatusCode.Created, (await host.PostAsync(path, body)).StatusCode);
            await Post("/accounts", new { accountId = "CLI-1", name = "Ningbo Valve", currency = "CNY", creditLimit = 80_000m, paymentTermsDays = 30 });
            await Post("/accounts/CLI-1/invoices", new { invoiceNumber = "INV-1", amount = 10_000m, issueDate = "2026-09-10" });
            await Post("/accounts/CLI-1/invoices", new { invoiceNumber = "INV-2", amount = 6_000m, issueDate = "2026-10-05" });
            await Post("/accounts/CLI-1/payments", new { paymentReference = "P-1", amount = 4_000m, receivedDate = "2026-10-20",
                allocations = new[] { new { invoiceNumber = "INV-1", amount = 4_000m } } });
            await Post("/accounts", new { accountId = "CLI-2", name = "Suzhou Loom", currency = "CNY", creditLimit = 30_000m, paymentTermsDays = 30 });
            await Post("/accounts/CLI-2/invoices", new { invoiceNumber = "S-1", amount = 2_500m, issueDate = "2026-11-01" });
            Assert.Equal(HttpStatusCode.Created, (await host.Client.PostAsync("/audit/seals", null)).StatusCode);
        }
        var file = Path.Combine(storage.Single(a => a.StartsWith("--Storage:DataDirectory=", StringComparison.Ordinal)).Split('=', 2)[1],
            StorageSettings.SqliteFileName);
        var work = Path.Combine(Path.GetTempPath(), "creditactors-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            var verify = await RunAsync("verify", "--sqlite", file, "-q");
            Assert.True(verify.Exit == 0, verify.Out + verify.Error);
            Assert.StartsWith("CLEAN: full verify of 2 streams", verify.Out, StringComparison.Ordinal);
            Assert.Contains("seal ok", verify.Out, StringComparison.Ordinal);

            // As of 30 September: INV-1 only, unpaid; today: 12,000 open after the payment.
            var september = JsonDocument.Parse((await RunAsync("account", "show", "CLI-1", "--as-of", "2026-09-30", "--sqlite", file)).Out).RootElement;
            Assert.Equal((10_000m, 1), (september.GetProperty("receivables").GetDecimal(), september.GetProperty("openInvoices").GetArrayLength()));
            var now = JsonDocument.Parse((await RunAsync("account", "show", "CLI-1", "--sqlite", file)).Out).RootElement;
            Assert.Equal((12_000m, 68_000m), (now.GetProperty("receivables").GetDecimal(), now.GetProperty("availableCredit").GetDecimal()));

            var events = (await RunAsync("export", "events", "--format", "jsonl", "--sqlite", file, "-q")).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(7, events.Length);
            Assert.All(events, e => Assert.StartsWith("CLI-", JsonDocument.Parse(e).RootElement.GetProperty("accountId").GetString(), StringComparison.Ordinal));

            var trial = await RunAsync("export", "trial-balance", "--sqlite", file, "-q");
            Assert.Equal(0, trial.Exit);
            Assert.Contains("1122,应收账款,18500,4000,14500", trial.Out, StringComparison.Ordinal);
            Assert.Contains("receivable control 14500 = 14500 the 2 customers' balances", trial.Error, StringComparison.Ordinal);

            var xlsx = Path.Combine(work, "postings.xlsx");
            Assert.Equal(0, (await RunAsync("export", "postings", "--format", "xlsx", "-o", xlsx, "--chart", "generic", "--sqlite", file, "-q")).Exit);
            var rows = MiniExcel.Query(xlsx, useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
            Assert.Equal(rows.Sum(r => Convert.ToDecimal(r["debit"])), rows.Sum(r => Convert.ToDecimal(r["credit"])));
            Assert.Equal(18_500m, rows.Where(r => (string)r["document"] != "P-1").Sum(r => Convert.ToDecimal(r["debit"])));

            var aging = (await RunAsync("export", "aging", "--as-of", "2026-11-30", "--sqlite", file, "-q")).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(["accountId,invoiceNumber,line,currency,dueDate,daysPastDue,bucket,open",
                "CLI-1,INV-1,1,CNY,2026-10-10,51,31-60,6000", "CLI-1,INV-2,1,CNY,2026-11-04,26,1-30,6000", "CLI-2,S-1,1,CNY,2026-12-01,-1,current,2500"], aging);

            // Exit codes a script can use.
            Assert.Equal(2, (await RunAsync("export", "events", "--format", "pdf", "--sqlite", file)).Exit);
            Assert.Equal(2, (await RunAsync("export", "aging", "--format", "xlsx", "--sqlite", file)).Exit);
            Assert.Equal(3, (await RunAsync("verify", "--sqlite", Path.Combine(work, "no-such.db"))).Exit);
            Assert.Equal(4, (await RunAsync("account", "show", "NOBODY", "--sqlite", file)).Exit);

            // A payload changed behind the service's back: verify says where, and exits 1.
            var database = JournalDatabase.SqliteFile(file, readOnly: false);
            await using (var connection = await database.OpenAsync())
                await JournalDatabase.ExecuteAsync(connection,
                    "UPDATE journal SET message = CAST(REPLACE(CAST(message AS TEXT), '6000', '600') AS BLOB) WHERE persistence_id = 'credit-account-CLI-1' AND sequence_number = 3",
                    CancellationToken.None);
            var tampered = await RunAsync("verify", "--sqlite", file, "-q");
            Assert.Equal(1, tampered.Exit);
            Assert.Contains("BROKEN credit-account-CLI-1 at 3: payload-changed", tampered.Out, StringComparison.Ordinal);
            Assert.Contains("SEAL MISMATCH", tampered.Out, StringComparison.Ordinal);
        }
        finally
        {
            TempDirectory.Delete(work);
        }
    }
}
