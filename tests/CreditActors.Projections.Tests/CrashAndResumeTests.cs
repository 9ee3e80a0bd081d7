using CreditActors.Domain.Aging;
using CreditActors.Domain.Tests.Support;
using CreditActors.Projections.Aging;
using CreditActors.Projections.Alerts;
using CreditActors.Projections.Runtime;
using Dapper;

namespace CreditActors.Projections.Tests;

// Protects exactly-once projection: killed at random points and resumed from its stored offset, the read model still equals the fold and no alert is missing or doubled.
public class CrashAndResumeTests
{
    private sealed class Crash : Exception;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task a_projection_killed_at_random_points_ends_equal_to_one_that_never_crashed(int seed)
    {
        var random = new Random(seed);
        Step RandomStep() => new(random.Next(WorkloadArbitraries.Kinds), random.Next(1_001), random.Next(1_000_001), random.Next(1_001), random.Next(73));
        var runs = Enumerable.Range(0, 3).Select(i => WorkloadRunner.Run($"CR-{i}", WorkloadRunner.OpenPrefix($"CR-{i}"), Enumerable.Range(0,
            80).Select(_ => RandomStep()).ToList())).ToList();
        var journal = ReadModelStore.Journal(runs.Select((r, i) => ($"CR-{i}", (IReadOnlyList<Domain.Accounts.AccountEvent>)r.Events)).ToArray());

        using var clean = new ReadModelStore();
        using var crashing = new ReadModelStore();
        // A cache of two accounts among three: figures are evicted and read back all the time, and nothing may change for it.
        IProjection[] Projections() => [new AgingProjection(2), new AlertsProjection(80m, 2)];
        foreach (var projection in Projections())
            await new ProjectionWriter(clean.Database, projection, TimeProvider.System).ApplyBatchAsync(journal);

        var crashes = 0;
        foreach (var projection in Projections())
        {
            var writer = new ProjectionWriter(crashing.Database, projection, TimeProvider.System);
            while (true)
            {
                // Resume as the runner does: from the stored offset, sometimes re-reading a few events before it.
                var offset = await writer.LoadOffsetAsync();
                var replayFrom = Math.Max(0, offset - random.Next(3));
                var pending = journal.Where(e => e.Ordering > replayFrom).ToList();
                if (pending.All(e => e.Ordering <= offset))
                    break;
                var batch = pending.Take(1 + random.Next(40)).ToList();
                var killAt = random.Next(batch.Count * 2);
                var applied = 0;
                try
                {
                    await writer.ApplyBatchAsync(batch, _ => ++applied == killAt ? throw new Crash() : Task.CompletedTask);
                }
                catch (Crash)
                {
                    crashes++;
                }
            }
        }
        Assert.True(crashes > 0);

        foreach (var asOf in new[] { new DateOnly(2025, 12, 1), new DateOnly(2026, 2, 1), new DateOnly(2026, 6, 1) })
        {
            var expected = runs.SelectMany((r, i) => AgingCalculator.FromEvents($"CR-{i}", r.Events, asOf, AgingBuckets.Default))
                .Select(l => $"{l.AccountId} {l.InvoiceNumber}/{l.Line} {l.Open:0.00}").Order(StringComparer.Ordinal);
            var actual = (await new AgingQueries(crashing.Database).OpenLinesAsync(asOf, AgingBuckets.Default, new AgingQueries.Filter()))
                .Select(l => $"{l.AccountId} {l.InvoiceNumber}/{l.Line} {l.Open:0.00}").Order(StringComparer.Ordinal);
            Assert.Equal(expected, actual);
        }
        Assert.Equal(await Figures(clean), await Figures(crashing));
        Assert.Equal(await Causes(clean), await Causes(crashing));
    }

    private static async Task<string> Causes(ReadModelStore store)
    {
        await using var connection = await store.Database.OpenAsync();
        var causes = (await connection.QueryAsync<string>("SELECT cause || ' ' || kind || ' ' || facts FROM alerts ORDER BY cause")).ToList();
        Assert.Equal(causes.Count, causes.Distinct().Count());
        return string.Join("\n", causes);
    }

    private static async Task<string> Figures(ReadModelStore store)
    {
        await using var connection = await store.Database.OpenAsync();
        return string.Join("\n", await connection.QueryAsync<string>(
            "SELECT account_id || ' ' || credit_limit_minor || ' ' || receivables_minor || ' ' || holds_minor || ' ' || status FROM account_figures ORDER BY account_id"));
    }
}

// Protects what a projection's batch may skip: only its own connection commits without waiting for the disk (its offset commits
// with its rows, so a machine crash takes back whole batches); every other write to the read models, a person's or a delivery's,
// is flushed at commit even on a pooled connection a batch used before.
public class ProjectionDurabilityTests
{
    private static long Synchronous(System.Data.Common.DbConnection connection) => connection.QuerySingle<long>("PRAGMA synchronous");

    [Fact]
    public async Task a_batch_connection_commits_without_a_flush_and_every_other_connection_with_one()
    {
        using var store = new ReadModelStore();
        const long Normal = 1, Full = 2;
        await using (var batch = await store.Database.OpenForProjectionAsync())
            Assert.Equal(Normal, Synchronous(batch));
        for (var i = 0; i < 3; i++)
        {
            await using var other = await store.Database.OpenAsync();
            Assert.Equal(Full, Synchronous(other));
        }
    }
}
