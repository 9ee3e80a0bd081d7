using System.Net;
using CreditActors.Host.Tests.Support;

namespace CreditActors.Host.Tests;

// Protects the analysts' view on the real host: alerts reach a connected SSE client, the feed resumes from Last-Event-ID, and reports follow the writes.
public abstract class AlertFeedTests(HostFixture fixture)
{
    private RunningHost Host => fixture.Host;

    private static async Task<List<(long Id, string Data)>> ReadEventsAsync(
        HttpClient client, string? lastEventId, int count, Func<Task>? whileConnected = null, string accountId = "FEED-1")
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/alerts/stream?accountId={accountId}");
        if (lastEventId is not null)
            request.Headers.Add("Last-Event-ID", lastEventId);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        Assert.Equal(": connected", await reader.ReadLineAsync(timeout.Token));
        if (whileConnected is not null)
            await whileConnected();
        var events = new List<(long, string)>();
        long id = 0;
        while (events.Count < count)
        {
            var line = await reader.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("feed ended");
            if (line.StartsWith("id: ", StringComparison.Ordinal))
                id = long.Parse(line[4..]);
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
                events.Add((id, line[6..]));
        }
        return events;
    }

    [Fact]
    public async Task a_new_alert_reaches_a_connected_client_and_the_feed_resumes_from_last_event_id()
    {
        await Host.PostAsync("/accounts", new { accountId = "FEED-1", name = "Feed Co", currency = "CNY", creditLimit = 1_000m, paymentTermsDays = 30 });
        var first = await ReadEventsAsync(Host.Client, null, 1, async () =>
        {
            // 850 of 1,000: utilization high. Raised once, however often the exposure moves above the threshold.
            Assert.Equal(HttpStatusCode.Created, (await Host.PostAsync("/accounts/FEED-1/holds", new { holdId = "H-1", amount = 850m })).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await Host.PostAsync("/accounts/FEED-1/holds", new { holdId = "H-2", amount = 10m })).StatusCode);
        });
        Assert.Contains("\"kind\":\"LimitUtilizationHigh\"", first[0].Data);

        await Host.PutAsync("/accounts/FEED-1/credit-limit", new { creditLimit = 500m, reason = "risk review" });
        var resumed = await ReadEventsAsync(Host.Client, first[0].Id.ToString(), 1);
        Assert.True(resumed[0].Id > first[0].Id);
        Assert.Contains("\"kind\":\"LimitExceeded\"", resumed[0].Data);

        var alerts = await Host.GetJsonAsync("/alerts?accountId=FEED-1");
        Assert.Equal(["LimitUtilizationHigh", "LimitExceeded"], alerts.EnumerateArray().Select(a => a.GetProperty("kind").GetString()));
        var alertId = alerts[0].GetProperty("alertId").GetString();
        var acknowledged = await RunningHost.Json(await Host.PostAsync($"/alerts/{alertId}/acknowledge", new { }));
        Assert.Equal("development", acknowledged.GetProperty("acknowledgedBy").GetString());
        Assert.Single((await Host.GetJsonAsync("/alerts?accountId=FEED-1&acknowledged=false")).EnumerateArray());
    }

    /// <summary>Polls the account's alerts until there are <paramref name="count"/> of them (bounded: 30 s).</summary>
    private async Task<System.Text.Json.JsonElement> AlertsAsync(string accountId, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        System.Text.Json.JsonElement alerts;
        do
        {
            alerts = await Host.GetJsonAsync($"/alerts?accountId={accountId}");
            if (alerts.GetArrayLength() == count)
                return alerts;
            await Task.Delay(100);
        } while (DateTime.UtcNow < deadline);
        throw new TimeoutException($"{accountId} has {alerts.GetArrayLength()} alerts, not {count}");
    }

    [Fact]
    public async Task an_acknowledgement_and_the_feed_position_survive_a_rebuild_of_the_alerts()
    {
        await Host.PostAsync("/accounts", new { accountId = "ACK-1", name = "Ack Co", currency = "CNY", creditLimit = 1_000m, paymentTermsDays = 30 });
        await Host.PostAsync("/accounts/ACK-1/holds", new { holdId = "H-1", amount = 850m });
        var raised = (await AlertsAsync("ACK-1", 1))[0];
        var alertId = raised.GetProperty("alertId").GetString();
        var sequence = raised.GetProperty("sequence").GetInt64();
        Assert.Equal(HttpStatusCode.OK, (await Host.PostAsync($"/alerts/{alertId}/acknowledge", new { })).StatusCode);

        Assert.Equal(HttpStatusCode.Accepted, (await Host.Client.PostAsync("/projections/alerts/rebuild", null)).StatusCode);
        // A later event raises a new alert; once it is there the rebuild has replayed everything before it.
        await Host.PutAsync("/accounts/ACK-1/credit-limit", new { creditLimit = 500m, reason = "risk review" });
        var alerts = await AlertsAsync("ACK-1", 2);

        var again = alerts.EnumerateArray().Single(a => a.GetProperty("alertId").GetString() == alertId);
        Assert.Equal(sequence, again.GetProperty("sequence").GetInt64());
        Assert.Equal("development", again.GetProperty("acknowledgedBy").GetString());
        Assert.Single((await Host.GetJsonAsync("/alerts?accountId=ACK-1&acknowledged=true")).EnumerateArray());

        // A client that had the first alert resumes after it and receives only the new one.
        var resumed = await ReadEventsAsync(Host.Client, sequence.ToString(), 1, accountId: "ACK-1");
        Assert.Contains("\"kind\":\"LimitExceeded\"", resumed[0].Data);
    }

    [Fact]
    public async Task the_aging_report_follows_the_writes_and_answers_as_of_a_past_date()
    {
        await Host.PostAsync("/accounts", new { accountId = "AGE-1", name = "Age Co", currency = "EUR", creditLimit = 10_000m, paymentTermsDays = 30 });
        await Host.PostAsync("/accounts/AGE-1/invoices", new { invoiceNumber = "INV-1", amount = 800m, issueDate = "2026-01-01" });
        await Host.PostAsync("/accounts/AGE-1/payments", new { paymentReference = "PAY-1", amount = 300m, receivedDate = "2026-03-10" });

        var deadline = DateTime.UtcNow.AddSeconds(30);
        System.Text.Json.JsonElement lines;
        do
        {
            lines = (await Host.GetJsonAsync("/reports/aging/AGE-1?asOf=2026-03-31")).GetProperty("lines");
            if (lines.GetArrayLength() == 1 && lines[0].GetProperty("open").GetDecimal() == 500m)
                break;
            await Task.Delay(200);
        } while (DateTime.UtcNow < deadline);
        Assert.Equal(("31-60", 500m), (lines[0].GetProperty("bucket").GetString(), lines[0].GetProperty("open").GetDecimal()));
        var portfolio = (await Host.GetJsonAsync("/reports/portfolio?asOf=2026-03-31")).GetProperty("currencies").EnumerateArray()
            .Single(c => c.GetProperty("currency").GetString() == "EUR");
        Assert.Equal((500m, 500m), (portfolio.GetProperty("receivables").GetDecimal(), portfolio.GetProperty("overdue").GetDecimal()));
        var before = (await Host.GetJsonAsync("/reports/aging/AGE-1?asOf=2026-03-09")).GetProperty("lines");
        Assert.Equal(800m, before[0].GetProperty("open").GetDecimal());

        var csv = await Host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/reports/aging?asOf=2026-03-31&currency=EUR") { Headers = { { "Accept",
            "text/csv" } } });
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var text = await csv.Content.ReadAsStringAsync();
        // The grade and score columns hold the rating the late payment caused (what it is depends on the day the test runs).
        Assert.Matches(@"AGE-1,EUR,standard,[A-E],[0-9.]+,0,0,500,0,0,0,500", text);
        Assert.Contains("TOTAL,EUR,,,,0,0,500,0,0,0,500", text);
        Assert.Equal(HttpStatusCode.BadRequest, (await Host.Client.GetAsync("/reports/aging?buckets=60,30")).StatusCode);
        var lag = await Host.GetJsonAsync("/projections");
        Assert.Equal(["aging", "alerts", "limit-requests", "notice-outbox", "collections-worklist"], lag.EnumerateArray().Select(p => p.GetProperty("projection").GetString()));

        // A rebuild empties the read model and replays every event: the report comes back the same.
        var report = (await Host.GetJsonAsync("/reports/aging?asOf=2026-03-31")).ToString();
        Assert.Equal(HttpStatusCode.Accepted, (await Host.Client.PostAsync("/projections/aging/rebuild", null)).StatusCode);
        deadline = DateTime.UtcNow.AddSeconds(30);
        string rebuilt;
        do
        {
            await Task.Delay(200);
            rebuilt = (await Host.GetJsonAsync("/reports/aging?asOf=2026-03-31")).ToString();
        } while (rebuilt != report && DateTime.UtcNow < deadline);
        Assert.Equal(report, rebuilt);
    }
}

public sealed class SqliteAlertFeedTests(SqliteHostFixture fixture) : AlertFeedTests(fixture), IClassFixture<SqliteHostFixture>;

[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlAlertFeedTests(PostgresHostFixture fixture) : AlertFeedTests(fixture), IClassFixture<PostgresHostFixture>;
