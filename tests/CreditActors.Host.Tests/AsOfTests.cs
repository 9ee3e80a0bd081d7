using System.Net;
using CreditActors.Host.Tests.Support;

namespace CreditActors.Host.Tests;

// Protects the account as of a date and as known at an instant over HTTP: today's replay answers as the live account does;
// a date before a payment shows the line open; an instant before a backdated entry does not show it; the events follow.
public sealed class AsOfTests(SqliteHostFixture fixture) : IClassFixture<SqliteHostFixture>
{
    private RunningHost Host => fixture.Host;

    [Fact]
    public async Task an_account_as_of_a_date_and_as_known_at_an_instant()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        string Day(DateOnly d) => d.ToString("yyyy-MM-dd");
        Assert.Equal(HttpStatusCode.Created, (await Host.PostAsync("/accounts",
            new { accountId = "ASOF-1", name = "As Of Co", currency = "CNY", creditLimit = 50_000m, paymentTermsDays = 30 })).StatusCode);
        await Host.PostAsync("/accounts/ASOF-1/invoices", new { invoiceNumber = "INV-1", amount = 4_000m, issueDate = Day(today.AddDays(-40)) });
        await Host.PostAsync("/accounts/ASOF-1/holds", new { holdId = "H-1", amount = 1_000m });
        var beforeEntry = DateTimeOffset.UtcNow;
        await Task.Delay(20);
        // Received ten days ago, entered now.
        await Host.PostAsync("/accounts/ASOF-1/payments", new { paymentReference = "P-1", amount = 1_500m, receivedDate = Day(today.AddDays(-10)) });

        // As of today, with no instant: the same answer as the live account.
        var live = await Host.GetJsonAsync("/accounts/ASOF-1");
        var replayed = await Host.GetJsonAsync($"/accounts/ASOF-1?asOf={Day(today)}");
        Assert.Equal(live.GetRawText(), replayed.GetRawText());
        Assert.Equal((await Host.GetJsonAsync("/accounts/ASOF-1/invoices")).GetRawText(),
            (await Host.GetJsonAsync($"/accounts/ASOF-1/invoices?asOf={Day(today)}")).GetRawText());

        // As known before the entry, the account owed the whole invoice and held the hold.
        var before = await Host.GetJsonAsync($"/accounts/ASOF-1?knownAt={beforeEntry.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}");
        Assert.Equal((4_000m, 1_000m), (before.GetProperty("receivables").GetDecimal(), before.GetProperty("holds").GetDecimal()));
        // As of today as known before the entry: the payment was not known yet.
        var known = await Host.GetJsonAsync($"/accounts/ASOF-1/invoices/INV-1?knownAt={beforeEntry.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}");
        Assert.Equal(4_000m, known.GetProperty("open").GetDecimal());
        Assert.Empty((await Host.GetJsonAsync($"/accounts/ASOF-1/payments?knownAt={beforeEntry.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}")).EnumerateArray());
        var events = await Host.GetJsonAsync($"/accounts/ASOF-1/events?knownAt={beforeEntry.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}");
        Assert.DoesNotContain(events.EnumerateArray(), e => e.GetProperty("type").GetString() is "PaymentReceived" or "PaymentAllocated");

        // Before it was opened (today: the invoice's earlier issue date does not open it earlier) the account did not exist; a date
        // that is not one is refused with the field.
        Assert.Equal(HttpStatusCode.NotFound, (await Host.Client.GetAsync($"/accounts/ASOF-1?asOf={Day(today.AddDays(-100))}")).StatusCode);
        var bad = await Host.Client.GetAsync("/accounts/ASOF-1?asOf=yesterday");
        Assert.Equal((HttpStatusCode.BadRequest, "asOf"), (bad.StatusCode, (await RunningHost.Json(bad)).GetProperty("field").GetString()));
    }
}
