using CreditActors.Domain.Accounts;
using CreditActors.Domain.Aging;
using CreditActors.Domain.Tests.Support;
using CreditActors.Projections.Aging;
using CreditActors.Projections.Alerts;
using CreditActors.Projections.Runtime;

namespace CreditActors.Projections.Tests;

// Protects the aging report against figures worked out by hand, across months, with partial payments, a credit note and a backdated payment.
public class WorkedExampleTests
{
    private static List<ProjectedEvent> History()
    {
        // W-1 (CNY, 30 days' terms)
        //   INV-1 1,000.00 issued 2026-01-10, due 2026-02-09
        //   INV-2   600.00 issued 2026-02-15: line 1 300.00 due 2026-03-17, line 2 300.00 due 2026-04-16
        //   P-1     400.00 received 2026-03-01, oldest due first: INV-1
        //   CN-1    100.00 on INV-2, effective 2026-03-20: oldest line, line 1
        //   P-2     600.00 received 2026-04-20: the rest of INV-1
        var w1 = new Scenario("W-1");
        w1.Given(new OpenAccount("W-1", "CNY", 50_000m, 30, new Profile("Worked One")));
        w1.Given(Scenario.Invoice("INV-1", 1_000m, new DateOnly(2026, 1, 10)));
        w1.Given(Scenario.Invoice("INV-2", 600m, new DateOnly(2026, 2, 15), installments: [new(new DateOnly(2026, 3, 17), 300m), new(new DateOnly(2026, 4,
            16), 300m)]));
        w1.Given(Scenario.Payment("P-1", 400m, new DateOnly(2026, 3, 1)));
        w1.Given(new IssueCreditNote("CN-1", "INV-2", 100m, "short delivery", null, new DateOnly(2026, 3, 20)));
        w1.Given(Scenario.Payment("P-2", 600m, new DateOnly(2026, 4, 20)));
        // W-2 (USD, 15 days' terms): INV-9 250.00 issued 2026-03-01, due 2026-03-16, never paid.
        var w2 = new Scenario("W-2");
        w2.Given(new OpenAccount("W-2", "USD", 1_000m, 15, new Profile("Worked Two")));
        w2.Given(Scenario.Invoice("INV-9", 250m, new DateOnly(2026, 3, 1)));
        return ReadModelStore.Journal(("W-1", w1.History), ("W-2", w2.History));
    }

    [Theory]
    // 2026-02-28: INV-1 19 days past due (1-30) 1,000.00; INV-2 not yet due (current) 600.00; INV-9 not issued yet.
    [InlineData("2026-02-28", "W-1 INV-1/1 19 1-30 1000.00|W-1 INV-2/1 -17 current 300.00|W-1 INV-2/2 -47 current 300.00")]
    // 2026-03-31: INV-1 1,000 - 400 = 600.00 at 50 days (31-60); INV-2/1 300 - 100 = 200.00 at 14 days (1-30);
    //             INV-2/2 300.00 current; INV-9 250.00 USD at 15 days (1-30). P-2 is effective later, so it does not count.
    [InlineData("2026-03-31", "W-1 INV-1/1 50 31-60 600.00|W-1 INV-2/1 14 1-30 200.00|W-1 INV-2/2 -16 current 300.00|W-2 INV-9/1 15 1-30 250.00")]
    // 2026-05-31: INV-1 settled by P-2; INV-2/1 200.00 at 75 days (61-90); INV-2/2 300.00 at 45 days (31-60); INV-9 250.00 at 76 days (61-90).
    [InlineData("2026-05-31", "W-1 INV-2/1 75 61-90 200.00|W-1 INV-2/2 45 31-60 300.00|W-2 INV-9/1 76 61-90 250.00")]
    public async Task the_aging_on_three_dates_matches_the_figures_worked_by_hand(string asOf, string expected)
    {
        using var store = new ReadModelStore();
        await new ProjectionWriter(store.Database, new AgingProjection(1_000), TimeProvider.System).ApplyBatchAsync(History());
        var lines = await new AgingQueries(store.Database).OpenLinesAsync(DateOnly.Parse(asOf), AgingBuckets.Default, new AgingQueries.Filter());
        Assert.Equal(expected, string.Join("|", lines.Select(l => $"{l.AccountId} {l.InvoiceNumber}/{l.Line} {l.DaysPastDue} {l.Bucket} {l.Open:0.00}")));
    }

    [Fact]
    public async Task the_portfolio_report_totals_per_currency_and_never_adds_currencies()
    {
        using var store = new ReadModelStore();
        await new ProjectionWriter(store.Database, new AgingProjection(1_000), TimeProvider.System).ApplyBatchAsync(History());
        var report = await new AgingQueries(store.Database).ReportAsync(new DateOnly(2026, 3, 31), AgingBuckets.Default, new AgingQueries.Filter());
        var cny = report.Totals.Single(t => t.Currency == "CNY");
        var usd = report.Totals.Single(t => t.Currency == "USD");
        Assert.Equal((1_100m, 600m, 200m, 300m), (cny.Total, cny.Buckets["31-60"], cny.Buckets["1-30"], cny.Buckets["current"]));
        Assert.Equal((250m, 250m), (usd.Total, usd.Buckets["1-30"]));
    }

    [Fact]
    public async Task the_portfolio_sums_what_each_account_owed_and_had_overdue_as_of_the_date_per_currency()
    {
        using var store = new ReadModelStore();
        await new ProjectionWriter(store.Database, new AgingProjection(1_000), TimeProvider.System).ApplyBatchAsync(History());
        var report = await new PortfolioQueries(store.Database, 80m).ReportAsync(new DateOnly(2026, 3, 31));
        var cny = report.Currencies.Single(c => c.Currency == "CNY");
        var usd = report.Currencies.Single(c => c.Currency == "USD");
        // W-1 owes 1,100.00 of which INV-1/1 (600.00, 50 days) and INV-2/1 (200.00, 14 days) are overdue; W-2 owes 250.00, 15 days.
        Assert.Equal((1_100m, 800m, 0.7273m), (cny.Receivables, cny.Overdue, cny.OverdueShare));
        Assert.Equal(("W-1", 800m, 50), (cny.LargestOverdue[0].AccountId, cny.LargestOverdue[0].Overdue, cny.LargestOverdue[0].OldestDaysPastDue));
        Assert.Equal((250m, 250m, 1m), (usd.Receivables, usd.Overdue, usd.OverdueShare));
        Assert.Equal(1, cny.UtilizationDistribution.Values.Sum());
    }

    [Fact]
    public async Task overdue_alerts_come_from_the_passing_of_time_once_per_bucket_entered()
    {
        using var store = new ReadModelStore();
        await new ProjectionWriter(store.Database, new AgingProjection(1_000), TimeProvider.System).ApplyBatchAsync(History());
        var evaluator = new OverdueEvaluator(store.Database, AgingBuckets.Default);
        var march = new DateTimeOffset(2026, 3, 31, 12, 0, 0, TimeSpan.Zero);

        Assert.Equal(3, await evaluator.EvaluateAsync(march));
        Assert.Equal(0, await evaluator.EvaluateAsync(march.AddHours(6)));
        // By 2026-05-31 INV-1 is paid; INV-2/1 enters 61-90, INV-2/2 enters 31-60, INV-9 enters 61-90.
        Assert.Equal(3, await evaluator.EvaluateAsync(new DateTimeOffset(2026, 5, 31, 12, 0, 0, TimeSpan.Zero)));

        var alerts = await new AlertQueries(store.Database).ListAsync(new AlertFilter(Kind: AlertKinds.OverdueBucketEntered));
        Assert.Equal(
            ["W-1 INV-1/1 31-60", "W-1 INV-2/1 1-30", "W-2 INV-9/1 1-30", "W-1 INV-2/1 61-90", "W-1 INV-2/2 31-60", "W-2 INV-9/1 61-90"],
            alerts.Select(a => $"{a.AccountId} {a.Facts.GetProperty("invoiceNumber").GetString()}/{a.Facts.GetProperty("line").GetInt32()} {a.Facts.GetProperty("bucket").GetString()}"));
    }
}
