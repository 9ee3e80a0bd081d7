using System.Net;
using CreditActors.Host.Tests.Support;

namespace CreditActors.Host.Tests.PostgreSql;

// Protects the service through a database outage: no 2xx for an unwritten event, and recovery without a restart.
[Collection(PostgresCollection.Name)]
public sealed class DatabaseOutageTests
{
    private static readonly string HoldPlaced = CreditActors.Persistence.EventCatalog.ForType(typeof(CreditActors.Domain.Accounts.CreditHoldPlaced)).Manifest;

    [Fact]
    public async Task writes_during_an_outage_get_503_and_the_service_recovers_when_the_database_returns()
    {
        var server = PostgresFixture.Server;
        var storeArguments = await new PostgresStore(server).NewStoreAsync();
        var connectionString = storeArguments.Single(a => a.StartsWith("--Storage:ConnectionString=", StringComparison.Ordinal)).Split('=', 2)[1];
        await using var host = await RunningHost.StartAsync(storeArguments, "--Api:AskTimeoutSeconds=4");
        await host.PostAsync("/accounts", new { accountId = "OUT-1", name = "Outage Ltd", currency = "CNY", creditLimit = 1_000_000m, paymentTermsDays = 30 });
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Created, (await host.PostAsync("/accounts/OUT-1/holds", new { holdId = $"BEFORE-{i}", amount = 10m })).StatusCode);

        server.Stop();
        var duringOutage = new List<(string HoldId, HttpStatusCode Status)>();
        try
        {
            for (var i = 0; i < 6; i++)
            {
                var response = await host.PostAsync("/accounts/OUT-1/holds", new { holdId = $"DURING-{i}", amount = 10m });
                duringOutage.Add(($"DURING-{i}", response.StatusCode));
            }
        }
        finally
        {
            server.Start();
        }
        Assert.All(duringOutage, r => Assert.Equal(HttpStatusCode.ServiceUnavailable, r.Status));

        // The same service, not restarted, takes writes again once the breaker lets a call through.
        var deadline = DateTime.UtcNow.AddSeconds(90);
        HttpStatusCode status;
        do
        {
            status = (await host.PostAsync("/accounts/OUT-1/holds", new { holdId = "AFTER-1", amount = 10m })).StatusCode;
            if (status != HttpStatusCode.Created)
                await Task.Delay(500);
        } while (status != HttpStatusCode.Created && DateTime.UtcNow < deadline);
        Assert.Equal(HttpStatusCode.Created, status);

        // Retrying the refused requests with their ids: each is written once, whatever happened to it before.
        foreach (var (holdId, _) in duringOutage)
        {
            var retry = await host.PostAsync("/accounts/OUT-1/holds", new { holdId, amount = 10m });
            Assert.True(retry.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"{holdId}: {retry.StatusCode}");
        }

        var rows = await new JournalQueries(connectionString).RowsAsync();
        var holdIds = JournalQueries.Field(rows, HoldPlaced, "holdId").ToList();
        Assert.Equal(holdIds.Count, holdIds.Distinct().Count());
        Assert.Equal(10, holdIds.Count);
        var account = await host.GetJsonAsync("/accounts/OUT-1");
        Assert.Equal(rows.Count, account.GetProperty("version").GetInt64());
        Assert.Equal(100m, account.GetProperty("holds").GetDecimal());
        Assert.Equal(Enumerable.Range(1, rows.Count).Select(v => (long)v), rows.Select(r => r.SequenceNr));
    }
}
