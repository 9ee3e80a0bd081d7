using System.Net;
using System.Text;
using CreditActors.Host.Tests.Support;
using CreditActors.Persistence;
using CreditActors.Persistence.Audit;

namespace CreditActors.Host.Tests;

// Protects the erasure of personal data: contact, phone, email, address and tax id (and the billing email) are stored
// sealed under the account's own key, never in clear; once an admin erases them (recorded with who and why) no endpoint,
// export or the command line shows them again, before or after a restart, while the amounts stay and the journal still
// verifies against the seal made before the erasure.
public sealed class ErasureTests(SqliteHostFixture fixture) : IClassFixture<SqliteHostFixture>
{
    private static readonly string[] Personal = ["Li Wei", "+86 21 5555 0100", "li.wei@acme.example", "88 Century Avenue", "91310000MA1FL8XX3X", "ap@acme.example"];

    private static async Task<string> JournalTextAsync(string file)
    {
        await using var connection = await JournalDatabase.SqliteFile(file, readOnly: true).OpenAsync();
        await using var command = JournalDatabase.Command(connection, "SELECT message FROM journal WHERE persistence_id = 'credit-account-ERASE-1'");
        await using var reader = await command.ExecuteReaderAsync();
        var text = new StringBuilder();
        while (await reader.ReadAsync())
            text.Append(Encoding.UTF8.GetString((byte[])reader.GetValue(0)));
        return text.ToString();
    }

    private static void NothingPersonalIn(string text, string where)
    {
        foreach (var value in Personal)
            Assert.False(text.Contains(value, StringComparison.Ordinal), $"{where} still shows {value}");
    }

    private static async Task<(int Exit, string Out)> CliAsync(params string[] arguments) =>
        await CommandLine.RunAsync(arguments) is var (exit, output, _) ? (exit, output) : default;

    [Fact]
    public async Task erased_personal_data_reads_as_erased_everywhere_and_the_journal_still_verifies()
    {
        var storage = await fixture.Store.NewStoreAsync();
        var file = Path.Combine(storage.Single(a => a.StartsWith("--Storage:DataDirectory=", StringComparison.Ordinal)).Split('=', 2)[1],
            StorageSettings.SqliteFileName);
        await using (var host = await RunningHost.StartAsync(storage))
        {
            Assert.Equal(HttpStatusCode.Created, (await host.PostAsync("/accounts", new
            {
                accountId = "ERASE-1", name = "Shanghai Acme Trading", currency = "CNY", creditLimit = 50_000m, paymentTermsDays = 30,
                contact = "Li Wei", phone = "+86 21 5555 0100", email = "li.wei@acme.example", address = "88 Century Avenue", taxId = "91310000MA1FL8XX3X",
            })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await host.PutAsync("/accounts/ERASE-1/contact-preferences",
                new { language = "zh", email = "ap@acme.example", monthlyStatements = true })).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await host.PostAsync("/accounts/ERASE-1/invoices", new { invoiceNumber = "INV-1", amount = 8_000m, issueDate = "2026-11-02" })).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await host.PostAsync("/accounts/ERASE-1/payments", new { paymentReference = "P-1", amount = 3_000m, receivedDate = "2026-11-20" })).StatusCode);

            // Stored sealed, read in clear while the key lives.
            var stored = await JournalTextAsync(file);
            NothingPersonalIn(stored, "the journal");
            Assert.Contains("pii:v1:ERASE-1:", stored, StringComparison.Ordinal);
            var before = await host.GetJsonAsync("/accounts/ERASE-1");
            Assert.Equal(("Li Wei", "li.wei@acme.example", "91310000MA1FL8XX3X"), (before.GetProperty("contact").GetString(),
                before.GetProperty("email").GetString(), before.GetProperty("taxId").GetString()));
            Assert.Contains("li.wei@acme.example", await host.Client.GetStringAsync("/accounts/ERASE-1/events"), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Created, (await host.Client.PostAsync("/audit/seals", null)).StatusCode);

            var erased = await host.PostAsync("/accounts/ERASE-1/erasure", new { reason = "data subject request DSR-2026-0042" });
            Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
            var after = await RunningHost.Json(erased);
            Assert.Equal(("Shanghai Acme Trading", 5_000m), (after.GetProperty("name").GetString(), after.GetProperty("receivables").GetDecimal()));
            foreach (var field in new[] { "contact", "phone", "email", "address", "taxId" })
                Assert.False(after.TryGetProperty(field, out _), $"{field} still answered");
            var events = await host.Client.GetStringAsync("/accounts/ERASE-1/events?limit=100");
            NothingPersonalIn(events, "the events API");
            Assert.Contains("[erased]", events, StringComparison.Ordinal);
            Assert.Contains("PersonalDataErased", events, StringComparison.Ordinal);
            NothingPersonalIn(await host.Client.GetStringAsync("/exports/events?accountId=ERASE-1"), "the events export");
            // Asked again: answered as the first time, nothing written.
            var version = await host.VersionAsync("ERASE-1");
            Assert.Equal(HttpStatusCode.OK, (await host.PostAsync("/accounts/ERASE-1/erasure", new { reason = "again" })).StatusCode);
            Assert.Equal(version, await host.VersionAsync("ERASE-1"));
        }

        // After a restart (the account recovers from its journal, sealed fields and all) nothing comes back.
        await using (var host = await RunningHost.StartAsync(storage))
        {
            var account = await host.GetJsonAsync("/accounts/ERASE-1");
            Assert.False(account.TryGetProperty("contact", out _));
            Assert.Equal(5_000m, account.GetProperty("receivables").GetDecimal());
            NothingPersonalIn(await host.Client.GetStringAsync("/accounts/ERASE-1/events?limit=100"), "the events API after a restart");
        }

        // The command line, on the stopped service's file: erased there too, and the journal verifies against the seal.
        var show = await CliAsync("account", "show", "ERASE-1", "--sqlite", file);
        Assert.Equal(0, show.Exit);
        NothingPersonalIn(show.Out, "account show");
        NothingPersonalIn((await CliAsync("export", "events", "--account", "ERASE-1", "--sqlite", file, "-q")).Out, "export events");
        var verify = await CliAsync("verify", "--sqlite", file, "-q");
        Assert.True(verify.Exit == 0, verify.Out);
        Assert.Contains("seal ok", verify.Out, StringComparison.Ordinal);
    }
}
