using System.Net;
using CreditActors.Host.Tests.Support;

namespace CreditActors.Host.Tests;

// Protects idempotency over HTTP: a repeat answers as the first time and writes nothing; the same id with other content is 409.
public abstract class IdempotencyTests(HostFixture fixture)
{
    private RunningHost Host => fixture.Host;

    private static object Open(string id, decimal limit) => new { accountId = id, name = "Repeat Ltd", currency = "USD", creditLimit = limit,
        paymentTermsDays = 14 };

    [Fact]
    public async Task every_command_with_a_caller_id_can_be_repeated_safely()
    {
        const string id = "IDEM-1";
        var first = await Host.PostAsync("/accounts", Open(id, 5_000m));
        var again = await Host.PostAsync("/accounts", Open(id, 5_000m));
        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK), (first.StatusCode, again.StatusCode));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Conflict, (await Host.PostAsync("/accounts", Open(id, 6_000m))).StatusCode);

        var requests = new (string Path, object Body)[]
        {
            ($"/accounts/{id}/holds", new { holdId = "H-1", amount = 100m, orderReference = "SO-1" }),
            ($"/accounts/{id}/invoices", new { invoiceNumber = "INV-1", amount = 300m, issueDate = "2026-05-01" }),
            ($"/accounts/{id}/payments", new { paymentReference = "PAY-1", amount = 120m, receivedDate = "2026-05-03" }),
            ($"/accounts/{id}/credit-notes", new { creditNoteNumber = "CN-1", invoiceNumber = "INV-1", amount = 30m, reason = "price correction" }),
            ($"/accounts/{id}/write-offs", new { writeOffId = "WO-1", invoiceNumber = "INV-1", amount = 10m, reason = "small balance" }),
        };
        foreach (var (path, body) in requests)
        {
            var created = await Host.PostAsync(path, body);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var version = await Host.VersionAsync(id);
            var repeat = await Host.PostAsync(path, body);
            Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
            Assert.Equal(await created.Content.ReadAsStringAsync(), await repeat.Content.ReadAsStringAsync());
            Assert.Equal(version, await Host.VersionAsync(id));
        }
    }

    [Fact]
    public async Task the_same_id_with_other_content_is_a_conflict_and_writes_nothing()
    {
        const string id = "IDEM-2";
        await Host.PostAsync("/accounts", Open(id, 5_000m));
        await Host.PostAsync($"/accounts/{id}/holds", new { holdId = "H-1", amount = 100m });
        await Host.PostAsync($"/accounts/{id}/invoices", new { invoiceNumber = "INV-1", amount = 300m, issueDate = "2026-05-01" });
        await Host.PostAsync($"/accounts/{id}/payments", new { paymentReference = "PAY-1", amount = 50m, receivedDate = "2026-05-03" });
        var version = await Host.VersionAsync(id);

        var conflicts = new (string Path, object Body, string Code)[]
        {
            ($"/accounts/{id}/holds", new { holdId = "H-1", amount = 101m }, "hold_id_conflict"),
            ($"/accounts/{id}/invoices", new { invoiceNumber = "INV-1", amount = 301m, issueDate = "2026-05-01" }, "invoice_number_conflict"),
            ($"/accounts/{id}/payments", new { paymentReference = "PAY-1", amount = 50m, receivedDate = "2026-05-04" }, "payment_reference_conflict"),
        };
        foreach (var (path, body, code) in conflicts)
        {
            var response = await Host.PostAsync(path, body);
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Equal(code, (await RunningHost.Json(response)).GetProperty("code").GetString());
        }
        Assert.Equal(version, await Host.VersionAsync(id));
    }

    [Fact]
    public async Task settled_items_leave_the_accounts_live_state_and_are_still_read_and_repeated_from_the_journal()
    {
        const string id = "IDEM-3";
        await Host.PostAsync("/accounts", Open(id, 5_000m));
        await Host.PostAsync($"/accounts/{id}/holds", new { holdId = "H-1", amount = 100m });
        await Host.PostAsync($"/accounts/{id}/holds/H-1/release", new { reason = "order cancelled" });
        await Host.PostAsync($"/accounts/{id}/holds", new { holdId = "H-2", amount = 50m });
        await Host.PostAsync($"/accounts/{id}/invoices", new { invoiceNumber = "INV-1", amount = 300m, issueDate = "2026-05-01" });
        var payment = new { paymentReference = "PAY-1", amount = 300m, receivedDate = "2026-05-03" };
        var paid = await Host.PostAsync($"/accounts/{id}/payments", payment);
        await Host.PostAsync($"/accounts/{id}/invoices", new { invoiceNumber = "INV-2", amount = 80m, issueDate = "2026-05-04" });

        // INV-1, PAY-1 and H-1 have settled: the account no longer holds them, the journal does.
        var invoice = await Host.GetJsonAsync($"/accounts/{id}/invoices/INV-1");
        Assert.Equal((300m, 0m), (invoice.GetProperty("amount").GetDecimal(), invoice.GetProperty("open").GetDecimal()));
        Assert.Equal(["INV-1", "INV-2"], (await Host.GetJsonAsync($"/accounts/{id}/invoices")).EnumerateArray()
            .Select(i => i.GetProperty("invoiceNumber").GetString()));
        Assert.Equal("INV-1", (await Host.GetJsonAsync($"/accounts/{id}/payments/PAY-1")).GetProperty("allocations")[0]
            .GetProperty("invoiceNumber").GetString());
        Assert.Equal("released", (await Host.GetJsonAsync($"/accounts/{id}/holds/H-1")).GetProperty("status").GetString());
        Assert.Equal(["H-1:released", "H-2:active"], (await Host.GetJsonAsync($"/accounts/{id}/holds")).EnumerateArray()
            .Select(h => $"{h.GetProperty("holdId").GetString()}:{h.GetProperty("status").GetString()}").Order());
        Assert.Equal(HttpStatusCode.NotFound, (await Host.Client.GetAsync($"/accounts/{id}/invoices/INV-9")).StatusCode);

        // A repeat of the settled payment answers as the first time did; other content under its reference is a conflict.
        var version = await Host.VersionAsync(id);
        var repeat = await Host.PostAsync($"/accounts/{id}/payments", payment);
        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        Assert.Equal(await paid.Content.ReadAsStringAsync(), await repeat.Content.ReadAsStringAsync());
        var conflict = await Host.PostAsync($"/accounts/{id}/payments", payment with { amount = 301m });
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal(version, await Host.VersionAsync(id));
    }
}

public sealed class SqliteIdempotencyTests(SqliteHostFixture fixture) : IdempotencyTests(fixture), IClassFixture<SqliteHostFixture>;

[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlIdempotencyTests(PostgresHostFixture fixture) : IdempotencyTests(fixture), IClassFixture<PostgresHostFixture>;
