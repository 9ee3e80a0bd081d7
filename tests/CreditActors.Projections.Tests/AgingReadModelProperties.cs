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

    [Property]
    public void the_report_from_each_accounts_row_of_what_is_open_equals_aging_from_the_events(Workload first, Workload second, int days, int dayOffset)
    {
        var a = WorkloadRunner.Run("AG-D", WorkloadRunner.OpenPrefix("AG-D"), first.Steps);
        var b = WorkloadRunner.Run("AG-E", WorkloadRunner.OpenPrefix("AG-E"), second.Steps);
        var journal = ReadModelStore.Journal(("AG-D", a.Events), ("AG-E", b.Events));
        using var store = new ReadModelStore();
        var clock = new ManualClock(WorkloadRunner.Start.AddDays(Math.Abs(days % 120)));
        // A window of 60 days: reports a little before it read the lines, the others the rows.
        var writer = new ProjectionWriter(store.Database, new AgingProjection(1_000, clock, windowDays: 60), clock);
        // Three batches on two days: each makes again the rows of the accounts it changed, with the window of its day.
        var third = journal.Count / 3;
        writer.ApplyBatchAsync(journal.Take(third).ToList()).GetAwaiter().GetResult();
        clock.Now = clock.Now.AddDays(1 + Math.Abs(days % 30));
        writer.ApplyBatchAsync(journal.Skip(third).Take(third).ToList()).GetAwaiter().GetResult();
        writer.ApplyBatchAsync(journal.Skip(2 * third).ToList()).GetAwaiter().GetResult();

        var today = DateOnly.FromDateTime(clock.Now.UtcDateTime);
        var asOf = today.AddDays(Math.Abs(dayOffset % 90) - 75);
        var queries = new AgingQueries(store.Database);
        foreach (var buckets in new[] { AgingBuckets.Default, AgingBuckets.Parse("7,14,45")! })
        {
            var expected = AgingCalculator.FromEvents("AG-D", a.Events, asOf, buckets).Concat(AgingCalculator.FromEvents("AG-E", b.Events, asOf, buckets))
                .GroupBy(l => l.AccountId).Where(g => g.Sum(l => l.Open) > 0).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => $"{g.Key} " + string.Join(" ", buckets.Labels.Select((label, i) => $"{label}={g.Where(l => l.Bucket == i).Sum(l => l.Open):0.00}")))
                .ToList();
            var report = queries.ReportAsync(asOf, buckets, new AgingQueries.Filter()).GetAwaiter().GetResult();
            Assert.Equal(expected, report.Accounts
                .Select(r => $"{r.AccountId} " + string.Join(" ", buckets.Labels.Select(label => $"{label}={r.Buckets[label]:0.00}"))).ToList());

            // Filtered, the rows answer as the lines do (read as known at the end of time, which only the lines answer).
            string Rows(AgingQueries.Filter filter) => string.Join("\n", queries.ReportAsync(asOf, buckets, filter).GetAwaiter().GetResult().Accounts
                .Select(r => $"{r.AccountId} {r.Currency} {r.Tier} {string.Join(" ", r.Buckets.Values.Select(v => v.ToString("0.00")))} {r.Total:0.00}"));
            foreach (var filter in new AgingQueries.Filter[] { new(), new(Currency: "CNY"), new(Tier: "standard"), new(Tier: "watch"), new(AccountId: "AG-E"),
                new(DueBefore: asOf), new(DueBefore: asOf.AddDays(-20)) })
                Assert.Equal(Rows(filter with { KnownAt = DateTimeOffset.MaxValue }), Rows(filter));
        }
        // Which of the two the report read: the rows, from the day before their window on.
        using var connection = store.Database.OpenAsync().GetAwaiter().GetResult();
        using var transaction = connection.BeginTransaction();
        var covered = AgingOpen.CoversAsync(connection, transaction, asOf).GetAwaiter().GetResult();
        var hasRows = connection.QuerySingle<long>("SELECT COUNT(*) FROM aging_open", transaction: transaction) > 0;
        var firstDay = DateOnly.FromDateTime(WorkloadRunner.Start.AddDays(Math.Abs(days % 120)).UtcDateTime);
        if (hasRows && asOf >= today.AddDays(-61))
            Assert.True(covered);
        if (asOf < firstDay.AddDays(-61))
            Assert.False(covered);
    }

    [Fact]
    public void a_settlement_counts_as_open_until_the_day_before_it_takes_effect_on_a_line_issued_by_the_date()
    {
        // Given a line issued on day 100, due on day 110, open 300 now, of which 100 was paid on day 120 (and 50 on an invoice of day 130)
        var book = new OpenBook
        {
            LineIssueDays = [100], LineDueDays = [110], LineOpen = [300],
            SettledDays = [120, 131], SettledIssueDays = [100, 130], SettledDueDays = [110, 140], SettledAmounts = [100, 50],
        };
        long[] Sums(int day, int? dueBefore = null)
        {
            var sums = new long[AgingBuckets.Default.Boundaries.Count + 2];
            OpenBook.AddTo(book.ToBytes(), sums, day, AgingBuckets.Default, dueBefore);
            return sums;
        }
        // Then before the line's issue nothing is open; the day before the payment it is 400, 9 days past due; on its day 300
        Assert.Equal([0, 0, 0, 0, 0, 0], Sums(99));
        Assert.Equal([400, 0, 0, 0, 0, 0], Sums(110));
        Assert.Equal([0, 400, 0, 0, 0, 0], Sums(119));
        Assert.Equal([0, 300, 0, 0, 0, 0], Sums(120));
        // And the second invoice's line, issued on day 130 and paid on day 131, is open on day 130 only
        Assert.Equal([50, 300, 0, 0, 0, 0], Sums(130));
        Assert.Equal([0, 300, 0, 0, 0, 0], Sums(131));
        // And only lines due before a date when asked
        Assert.Equal([0, 300, 0, 0, 0, 0], Sums(130, dueBefore: 111));
        Assert.Equal([0, 0, 0, 0, 0, 0], Sums(130, dueBefore: 110));
        // And a book of another layout is refused with the remedy rather than misread
        var other = book.ToBytes();
        other[0] = 2;
        Assert.Contains("rebuild the aging projection", Assert.Throws<InvalidOperationException>(() => OpenBook.AddTo(other, new long[6], 130, AgingBuckets.Default, null)).Message);
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

        // The tables as an earlier version left them: lines without open_minor (nor the index that covers it), no row of what each
        // account has open, the day's sums of the version before. Starting again adds and fills them, and drops the day's sums.
        using (var connection = store.Database.OpenAsync().GetAwaiter().GetResult())
        {
            connection.Execute("DROP INDEX IF EXISTS aging_lines_report");
            connection.Execute("ALTER TABLE aging_lines DROP COLUMN open_minor");
            connection.Execute("DROP TABLE aging_open");
            connection.Execute("CREATE TABLE aging_today (account_id TEXT PRIMARY KEY, b0 BIGINT NOT NULL)");
        }
        store.Database.EnsureSchemaAsync().GetAwaiter().GetResult();

        Assert.Equal(before, Report());
        using (var connection = store.Database.OpenAsync().GetAwaiter().GetResult())
        {
            Assert.Equal(0, connection.QuerySingle<long>(
                "SELECT COUNT(DISTINCT account_id) FROM aging_lines WHERE open_minor <> 0 AND account_id NOT IN (SELECT account_id FROM aging_open)"));
            Assert.Equal(0, connection.QuerySingle<long>("SELECT COUNT(*) FROM sqlite_master WHERE name = 'aging_today'"));
        }
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
