using CreditActors.Domain.Aging;
using CreditActors.Domain.Tests.Support;
using CreditActors.Projections.Aging;
using CreditActors.Projections.Runtime;
using Dapper;
using FsCheck.Xunit;

namespace CreditActors.Projections.Tests;

// Protects the aging read model: for random workloads it answers, as of any date and as known at any instant, what the domain's own fold of the events says.
[Properties(Arbitrary = [typeof(WorkloadArbitraries)], MaxTest = 40)]
public class AgingReadModelProperties
{
    [Property]
    public void aging_from_the_read_model_equals_aging_from_the_events(Workload first, Workload second, int dayOffset, int knownOffset)
    {
        var a = WorkloadRunner.Run("AG-A", WorkloadRunner.OpenPrefix("AG-A"), first.Steps);
        var b = WorkloadRunner.Run("AG-B", WorkloadRunner.OpenPrefix("AG-B"), second.Steps);
        using var store = new ReadModelStore();
        var writer = new ProjectionWriter(store.Database, new AgingProjection(1_000), TimeProvider.System);
        writer.ApplyBatchAsync(ReadModelStore.Journal(("AG-A", a.Events), ("AG-B", b.Events))).GetAwaiter().GetResult();
        var queries = new AgingQueries(store.Database);

        var start = DateOnly.FromDateTime(WorkloadRunner.Start.UtcDateTime);
        var asOf = start.AddDays(Math.Abs(dayOffset % 400) - 150);
        DateTimeOffset? knownAt = knownOffset % 3 == 0 ? null : WorkloadRunner.Start.AddHours(Math.Abs(knownOffset % 2_000));
        foreach (var buckets in new[] { AgingBuckets.Default, AgingBuckets.Parse("7,14,45")! })
        {
            var expected = AgingCalculator.FromEvents("AG-A", a.Events, asOf, buckets, knownAt)
                .Concat(AgingCalculator.FromEvents("AG-B", b.Events, asOf, buckets, knownAt))
                .Select(l => $"{l.AccountId} {l.InvoiceNumber}/{l.Line} {l.DueDate} {l.DaysPastDue} {buckets.Labels[l.Bucket]} {l.Open:0.00}")
                .Order(StringComparer.Ordinal).ToList();
            var actual = queries.OpenLinesAsync(asOf, buckets, new AgingQueries.Filter(KnownAt: knownAt)).GetAwaiter().GetResult()
                .Select(l => $"{l.AccountId} {l.InvoiceNumber}/{l.Line} {l.DueDate} {l.DaysPastDue} {l.Bucket} {l.Open:0.00}")
                .Order(StringComparer.Ordinal).ToList();
            Assert.Equal(expected, actual);

            // The portfolio report, aggregated in the database, sums the same lines per account and bucket.
            var aged = AgingCalculator.FromEvents("AG-A", a.Events, asOf, buckets, knownAt)
                .Concat(AgingCalculator.FromEvents("AG-B", b.Events, asOf, buckets, knownAt)).ToList();
            var expectedRows = aged.GroupBy(l => l.AccountId).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => $"{g.Key} " + string.Join(" ", buckets.Labels.Select((label,
                    i) => $"{label}={g.Where(l => l.Bucket == i).Sum(l => l.Open):0.00}")) + $" total={g.Sum(l => l.Open):0.00}")
                .ToList();
            var report = queries.ReportAsync(asOf, buckets, new AgingQueries.Filter(KnownAt: knownAt)).GetAwaiter().GetResult();
            var actualRows = report.Accounts
                .Select(r => $"{r.AccountId} " + string.Join(" ",
                    buckets.Labels.Select(label => $"{label}={r.Buckets[label]:0.00}")) + $" total={r.Total:0.00}")
                .ToList();
            Assert.Equal(expectedRows, actualRows);
            Assert.Equal(aged.Sum(l => l.Open), report.Totals.Sum(t => t.Total));
        }
    }

    [Property(MaxTest = 25)]
    public void the_report_as_of_the_projections_day_read_from_its_sums_equals_aging_from_the_events(Workload first, Workload second, int days)
    {
        var a = WorkloadRunner.Run("AG-D", WorkloadRunner.OpenPrefix("AG-D"), first.Steps);
        var b = WorkloadRunner.Run("AG-E", WorkloadRunner.OpenPrefix("AG-E"), second.Steps);
        var journal = ReadModelStore.Journal(("AG-D", a.Events), ("AG-E", b.Events));
        using var store = new ReadModelStore();
        var clock = new ManualClock(WorkloadRunner.Start.AddDays(Math.Abs(days % 120)));
        var writer = new ProjectionWriter(store.Database, new AgingProjection(1_000, clock), clock);
        // Three batches: the first of one day, the next of a later day (every account summed afresh), the last of the same day
        // (only the accounts it changed summed again).
        var third = journal.Count / 3;
        writer.ApplyBatchAsync(journal.Take(third).ToList()).GetAwaiter().GetResult();
        clock.Now = clock.Now.AddDays(1 + Math.Abs(days % 30));
        writer.ApplyBatchAsync(journal.Skip(third).Take(third).ToList()).GetAwaiter().GetResult();
        writer.ApplyBatchAsync(journal.Skip(2 * third).ToList()).GetAwaiter().GetResult();

        var today = DateOnly.FromDateTime(clock.Now.UtcDateTime);
        var buckets = AgingBuckets.Default;
        var expected = AgingCalculator.FromEvents("AG-D", a.Events, today, buckets).Concat(AgingCalculator.FromEvents("AG-E", b.Events, today, buckets))
            .GroupBy(l => l.AccountId).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} " + string.Join(" ", buckets.Labels.Select((label, i) => $"{label}={g.Where(l => l.Bucket == i).Sum(l => l.Open):0.00}")))
            .ToList();
        using (var connection = store.Database.OpenAsync().GetAwaiter().GetResult())
        using (var transaction = connection.BeginTransaction())
            Assert.True(AgingDay.IsOfAsync(connection, transaction, today).GetAwaiter().GetResult());
        var report = new AgingQueries(store.Database).ReportAsync(today, buckets, new AgingQueries.Filter()).GetAwaiter().GetResult();
        Assert.Equal(expected, report.Accounts
            .Select(r => $"{r.AccountId} " + string.Join(" ", buckets.Labels.Select(label => $"{label}={r.Buckets[label]:0.00}"))).ToList());

        // Filtered, the day's sums answer as the lines do (read as known at the end of time, which only the lines answer).
        var queries = new AgingQueries(store.Database);
        string Rows(AgingQueries.Filter filter) => string.Join("\n", queries.ReportAsync(today, buckets, filter).GetAwaiter().GetResult().Accounts
            .Select(r => $"{r.AccountId} {r.Currency} {r.Tier} {r.Total:0.00}"));
        foreach (var filter in new AgingQueries.Filter[] { new(Currency: "CNY"), new(Tier: "standard"), new(Tier: "watch"), new(AccountId: "AG-E") })
            Assert.Equal(Rows(filter with { KnownAt = DateTimeOffset.MaxValue }), Rows(filter));
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Property(MaxTest = 15)]
    public void a_read_model_written_before_lines_kept_their_open_amount_is_migrated_and_reports_the_same(Workload workload, int dayOffset)
    {
        var run = WorkloadRunner.Run("AG-M", WorkloadRunner.OpenPrefix("AG-M"), workload.Steps);
        using var store = new ReadModelStore();
        var writer = new ProjectionWriter(store.Database, new AgingProjection(1_000), TimeProvider.System);
        writer.ApplyBatchAsync(ReadModelStore.Journal(("AG-M", run.Events))).GetAwaiter().GetResult();
        var queries = new AgingQueries(store.Database);
        var asOf = DateOnly.FromDateTime(WorkloadRunner.Start.UtcDateTime).AddDays(Math.Abs(dayOffset % 300) - 100);
        string Report() => string.Join("\n", queries.ReportAsync(asOf, AgingBuckets.Default, new AgingQueries.Filter()).GetAwaiter().GetResult()
            .Accounts.Select(r => $"{r.AccountId} {string.Join(" ", r.Buckets.Select(b => $"{b.Key}={b.Value:0.00}"))}"));
        var before = Report();

        // The table as an earlier version left it: without open_minor (nor the index that covers it). Starting again adds and fills them.
        using (var connection = store.Database.OpenAsync().GetAwaiter().GetResult())
        {
            connection.Execute("DROP INDEX IF EXISTS aging_lines_report");
            connection.Execute("ALTER TABLE aging_lines DROP COLUMN open_minor");
        }
        store.Database.EnsureSchemaAsync().GetAwaiter().GetResult();

        Assert.Equal(before, Report());
    }

    [Property]
    public void the_aging_of_today_equals_the_open_lines_of_the_live_state(Workload workload)
    {
        var run = WorkloadRunner.Run("AG-C", WorkloadRunner.OpenPrefix("AG-C"), workload.Steps);
        var farFuture = new DateOnly(2100, 1, 1);
        var aged = AgingCalculator.FromEvents("AG-C", run.Events, farFuture, AgingBuckets.Default);
        var open = run.State.Invoices.Values.SelectMany(i => i.Lines.Where(l => l.Open > 0m).Select(l => (i.InvoiceNumber, l.Line, l.Open)));
        Assert.Equal(open.OrderBy(x => x.InvoiceNumber, StringComparer.Ordinal).ThenBy(x => x.Line), aged.Select(l => (l.InvoiceNumber, l.Line, l.Open)));
        Assert.Equal(run.State.Receivables, aged.Sum(l => l.Open));
    }
}
