using System.Net;
using System.Text.Json;
using CreditActors.Domain.Rating;
using CreditActors.Host.Tests.Support;
using Microsoft.Data.Sqlite;

namespace CreditActors.Host.Tests;

// Protects backtests on the real host: a job started over HTTP reads the journal and keeps its result (JSON and CSV);
// bad requests are refused with the field; a cancelled or finished job says so; a job left running by a node that stopped
// is failed when the node starts again, never left running or read half done.
public sealed class BacktestTests(SqliteHostFixture fixture) : IClassFixture<SqliteHostFixture>
{
    private RunningHost Host => fixture.Host;

    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    private static JsonElement Candidate => JsonSerializer.SerializeToElement(
        RatingPolicyDocument.Standard with { Version = 50, Description = "payment behaviour weighs more" }, RatingPolicyDocument.Options);

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd");

    private static object Request(DateOnly from, DateOnly to, string step = "month") => new
    {
        candidate = new { policy = Candidate },
        from = Day(from),
        to = Day(to),
        step,
        outcome = new { daysPastDue = 90, horizonMonths = 12 },
    };

    private async Task<JsonElement> UntilDoneAsync(string id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        JsonElement job;
        do
        {
            job = await Host.GetJsonAsync($"/rating-policies/backtests/{id}");
            if (job.GetProperty("status").GetString() is not ("running" or "cancelling"))
                return job;
            await Task.Delay(100);
        } while (DateTime.UtcNow < deadline);
        Assert.Fail($"backtest {id} never finished: {job}");
        return job;
    }

    [Fact]
    public async Task a_backtest_reads_the_journal_rates_every_account_at_every_date_and_keeps_its_result()
    {
        // Three accounts: one pays, one never pays an invoice of 200 days ago (it goes 90 days past due), one has nothing.
        foreach (var account in new[] { "BT-PAYS", "BT-LATE", "BT-IDLE" })
            Assert.Equal(HttpStatusCode.Created, (await Host.PostAsync("/accounts",
                new { accountId = account, name = account, currency = "CNY", creditLimit = 100_000m, paymentTermsDays = 30 })).StatusCode);
        await Host.PostAsync("/accounts/BT-PAYS/invoices", new { invoiceNumber = "I-1", amount = 1_000m, issueDate = Day(Today.AddDays(-100)) });
        await Host.PostAsync("/accounts/BT-PAYS/payments", new { paymentReference = "P-1", amount = 1_000m, receivedDate = Day(Today.AddDays(-75)) });
        await Host.PostAsync("/accounts/BT-LATE/invoices", new { invoiceNumber = "I-1", amount = 5_000m, issueDate = Day(Today.AddDays(-200)) });

        var started = await Host.PostAsync("/rating-policies/backtests", Request(Today.AddMonths(-6), Today));
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var id = (await RunningHost.Json(started)).GetProperty("backtestId").GetString()!;
        var done = await UntilDoneAsync(id);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        var result = done.GetProperty("result");
        // Every event of the journal was read, and the three accounts rated at each of the 7 monthly dates (all of them were
        // opened today, as known at each date only the last date sees them).
        Assert.Equal(7, result.GetProperty("dates").GetArrayLength());
        Assert.True(done.GetProperty("events").GetInt64() >= 7);
        Assert.Equal(("standard/v50", "standard/v1"), (result.GetProperty("candidate").GetProperty("policy").GetString(),
            result.GetProperty("baseline").GetProperty("policy").GetString()));
        Assert.True(result.GetProperty("ratings").GetInt32() >= 3);

        var csv = await Host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/rating-policies/backtests/{id}") { Headers = { { "Accept", "text/csv" } } });
        var text = await csv.Content.ReadAsStringAsync();
        Assert.StartsWith("kind,policy,date,grade,from,to,count,defaulted,value", text);
        Assert.Contains("auc,standard/v50", text);
        Assert.Contains("migration,standard/v1>standard/v50", text);

        // A finished job cannot be cancelled; the list shows it.
        Assert.Equal(HttpStatusCode.Conflict, (await Host.Client.DeleteAsync($"/rating-policies/backtests/{id}")).StatusCode);
        var list = await Host.GetJsonAsync("/rating-policies/backtests");
        Assert.Contains(list.EnumerateArray(), j => j.GetProperty("backtestId").GetString() == id);
    }

    [Theory]
    [InlineData("week", 0, "step")]
    [InlineData("month", -1, "to")]
    public async Task a_bad_backtest_is_refused_with_the_field(string step, int months, string field)
    {
        var response = await Host.PostAsync("/rating-policies/backtests", Request(Today, Today.AddMonths(months), step));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, (await RunningHost.Json(response)).GetProperty("field").GetString());
    }

    [Fact]
    public async Task a_cancelled_backtest_ends_cancelled_without_a_result()
    {
        var started = await Host.PostAsync("/rating-policies/backtests", Request(Today.AddYears(-2), Today));
        var id = (await RunningHost.Json(started)).GetProperty("backtestId").GetString()!;
        var cancel = await Host.Client.DeleteAsync($"/rating-policies/backtests/{id}");
        var done = await UntilDoneAsync(id);
        // Cancelled while it ran, or already done when the cancellation came: never running on, never half a result.
        if (cancel.StatusCode == HttpStatusCode.Accepted)
            Assert.Equal(("cancelled", false), (done.GetProperty("status").GetString(), done.TryGetProperty("result", out _)));
        else
            Assert.Equal((HttpStatusCode.Conflict, "completed"), (cancel.StatusCode, done.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task a_backtest_left_running_by_a_node_that_stopped_is_failed_when_the_node_starts_again()
    {
        var storage = await fixture.Store.NewStoreAsync();
        await (await RunningHost.StartAsync(storage)).DisposeAsync();
        var directory = storage.Single(a => a.StartsWith("--Storage:DataDirectory=", StringComparison.Ordinal)).Split('=', 2)[1];
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(directory, "readmodels.db")}"))
        {
            await connection.OpenAsync();
            await using var insert = connection.CreateCommand();
            // As a job's row stands when its node dies mid-job: running, owned by a process that is gone.
            insert.CommandText = """
                INSERT INTO backtests (backtest_id, status, owner, requested_by, spec, created_at, events, accounts, dates_done, dates_total)
                VALUES ('BT-ORPHAN', 'running', 'akka.tcp://credit-actors@127.0.0.1:1 0123', 'tester', '{}', '2026-01-01T00:00:00.0000000Z', 500, 3, 1, 7)
                """;
            await insert.ExecuteNonQueryAsync();
        }
        SqliteConnection.ClearAllPools();
        await using var host = await RunningHost.StartAsync(storage);
        var job = await host.GetJsonAsync("/rating-policies/backtests/BT-ORPHAN");
        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Contains("left the cluster", job.GetProperty("error").GetString());
        Assert.False(job.TryGetProperty("result", out _));
    }
}
