using System.Net;
using System.Text.Json;
using CreditActors.Host.Tests.Support;

namespace CreditActors.Host.Tests;

// Protects the scheduled rating run: it asks every account, shows its progress while it goes, and, stopped with the node
// half way, resumes when the node starts again without rating any account twice for the same run.
public abstract class RatingRunTests(IStore store)
{
    private const int Accounts = 60;

    /// <summary>Slow enough to stop half way (10 accounts a second), progress recorded every 10 accounts, no daily run.</summary>
    private const string Pace =
        "credit-actors.rating-run { daily-at = off, accounts-per-second = 10, parallelism = 4, progress-every = 10, check-interval = 1s }";

    /// <summary>Polls the run until the condition holds (bounded: 60 s).</summary>
    private static async Task<JsonElement> RunAsync(RunningHost host, string runId, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        JsonElement run;
        do
        {
            run = await host.GetJsonAsync($"/rating-runs/{runId}");
            if (condition(run))
                return run;
            await Task.Delay(100);
        } while (DateTime.UtcNow < deadline);
        Assert.Fail($"rating run {runId} never got there: {run}");
        return run;
    }

    [Fact]
    public async Task a_run_stopped_with_its_node_resumes_and_rates_each_account_once()
    {
        var storage = await store.NewStoreAsync();
        string runId;
        await using (var host = await RunningHost.StartAsync(storage, $"--Akka:Overrides={Pace}"))
        {
            for (var i = 0; i < Accounts; i++)
                Assert.Equal(HttpStatusCode.Created, (await host.PostAsync("/accounts",
                    new { accountId = $"RUN-{i:D3}", name = $"Run {i}", currency = "CNY", creditLimit = 50_000m, paymentTermsDays = 30 })).StatusCode);
            var started = await host.PostAsync("/rating-runs", new { reason = "test" });
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
            runId = (await RunningHost.Json(started)).GetProperty("runId").GetString()!;
            Assert.Equal(HttpStatusCode.Conflict, (await host.PostAsync("/rating-runs", new { })).StatusCode);

            var partway = await RunAsync(host, runId, r => r.GetProperty("processed").GetInt32() is >= 20 and < Accounts);
            Assert.Equal(("running", Accounts), (partway.GetProperty("status").GetString(), partway.GetProperty("total").GetInt32()));
            Assert.True(partway.GetProperty("estimatedSecondsLeft").GetDecimal() > 0m);
        }

        await using (var host = await RunningHost.StartAsync(storage, $"--Akka:Overrides={Pace}"))
        {
            var done = await RunAsync(host, runId, r => r.GetProperty("status").GetString() == "completed");
            Assert.Equal((Accounts, Accounts, 0, 0), (done.GetProperty("total").GetInt32(), done.GetProperty("processed").GetInt32(),
                done.GetProperty("failed").GetInt32(), done.GetProperty("skipped").GetInt32()));
            Assert.Equal(Accounts, done.GetProperty("written").GetInt32() + done.GetProperty("unchanged").GetInt32());
            for (var i = 0; i < Accounts; i++)
            {
                var ratings = await host.GetJsonAsync($"/accounts/RUN-{i:D3}/ratings");
                Assert.Equal(1, ratings.EnumerateArray().Count(r => r.TryGetProperty("reviewId", out var id) && id.GetString() == runId));
            }
        }
    }
}

public sealed class SqliteRatingRunTests(SqliteHostFixture fixture) : RatingRunTests(fixture.Store), IClassFixture<SqliteHostFixture>;

[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlRatingRunTests(PostgresHostFixture fixture) : RatingRunTests(fixture.Store), IClassFixture<PostgresHostFixture>;
