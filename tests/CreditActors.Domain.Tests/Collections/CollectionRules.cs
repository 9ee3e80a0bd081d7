using CreditActors.Domain.Accounts;
using CreditActors.Domain.Ledger;
using CreditActors.Domain.Tests.Support;

namespace CreditActors.Domain.Tests.Collections;

// Disputes and promises pause dunning; a broken promise is recorded once; charges are lines like any other.
public class CollectionRules
{
    private static readonly DateOnly Due = new(2026, 1, 31);

    /// <summary>An account with INV-1 (10,000, due 31 Jan) and INV-2 (2,000, due 31 Jan), under the worked calendar, on <paramref name="day"/>.</summary>
    private static Scenario Overdue(DateOnly day)
    {
        var scenario = Scenario.Opened(creditLimit: 50_000m);
        scenario.Policy = CreditPolicy.Default with { Collections = DunningCalendar.Calendar };
        scenario.At(new DateTimeOffset(2026, 1, 1, 9, 0, 0, TimeSpan.Zero))
            .Given(Scenario.Invoice("INV-1", 10_000m, new DateOnly(2026, 1, 1), Due), Scenario.Invoice("INV-2", 2_000m, new DateOnly(2026, 1, 1), Due));
        return scenario.At(new DateTimeOffset(day.ToDateTime(new TimeOnly(2, 0)), TimeSpan.Zero));
    }

    [Fact]
    public void a_disputed_line_is_not_dunned_while_the_dispute_is_open_and_is_once_it_is_resolved()
    {
        var scenario = Overdue(Due.AddDays(7));
        scenario.Given(new DisputeInvoice("D-1", "INV-1", 10_000m, null, "quality", "goods damaged"));
        var notice = scenario.When(new RunDunning()).Events.OfType<DunningNoticeIssued>().Single();
        Assert.Equal(["INV-2"], notice.Lines.Select(l => l.InvoiceNumber));

        scenario.At(scenario.Now.AddDays(1)).Given(new ResolveDispute("D-1", "rejected", null, "goods were fine"));
        var next = scenario.When(new RunDunning()).Events.OfType<DunningNoticeIssued>().Single();
        Assert.Equal([("INV-1", 2), ("INV-2", 2)], next.Lines.Select(l => (l.InvoiceNumber, l.Level)));
    }

    [Fact]
    public void a_partial_dispute_leaves_the_rest_of_the_line_dunned_and_out_of_the_overdue_tolerance_only_for_its_amount()
    {
        var scenario = Overdue(Due.AddDays(31));
        scenario.Given(new DisputeInvoice("D-1", "INV-1", 4_000m, 1, "pricing", null));
        var notice = scenario.When(new RunDunning()).Events.OfType<DunningNoticeIssued>().Single();
        Assert.Equal(6_000m, notice.Lines.Single(l => l.InvoiceNumber == "INV-1").Open);
        var declined = scenario.When(new PlaceHold("SO-1", 1m, null, null)).Rejection!.Reasons!.Single(r => r.Code == DeclineCodes.OverdueBeyondTolerance);
        Assert.Equal(8_000m, declined.OverdueAmount);
    }

    [Fact]
    public void a_dispute_above_what_is_open_and_not_yet_disputed_is_invalid_and_writes_nothing()
    {
        var scenario = Overdue(Due);
        scenario.Given(new DisputeInvoice("D-1", "INV-2", 1_500m, null, "quantity", null));
        var decision = scenario.When(new DisputeInvoice("D-2", "INV-2", 500.01m, null, "quantity", null));
        Assert.Equal(("amount", 0), (decision.Rejection?.Field, decision.Events.Count));
        Assert.Equal("reason", scenario.When(new DisputeInvoice("D-3", "INV-2", 1m, null, "because", null)).Rejection?.Field);
        Assert.True(scenario.When(new DisputeInvoice("D-1", "INV-2", 1_500m, null, "quantity", null)).IsUnchanged);
        Assert.Equal("dispute_id_conflict", scenario.When(new DisputeInvoice("D-1", "INV-2", 1_000m, null, "quantity", null)).Rejection?.Code);
    }

    [Fact]
    public void a_promise_pauses_dunning_of_its_invoices_until_it_is_broken_and_is_broken_once()
    {
        var scenario = Overdue(Due.AddDays(6));
        scenario.Given(new RecordPromiseToPay("PR-1", 5_000m, Due.AddDays(10), ["INV-1"], "by the 10th"));
        for (var day = 7; day <= 10; day++)
        {
            scenario.At(new DateTimeOffset(Due.AddDays(day).ToDateTime(new TimeOnly(2, 0)), TimeSpan.Zero)).When(new RunDunning());
            Assert.DoesNotContain(scenario.History.OfType<DunningNoticeIssued>().SelectMany(n => n.Lines), l => l.InvoiceNumber == "INV-1");
        }
        scenario.At(new DateTimeOffset(Due.AddDays(11).ToDateTime(new TimeOnly(2, 0)), TimeSpan.Zero)).Given(new RunDunning());
        var broken = Assert.Single(scenario.History.OfType<PromiseBroken>());
        Assert.Equal(("PR-1", 5_000m), (broken.PromiseId, broken.Shortfall));
        Assert.Contains(scenario.History.OfType<DunningNoticeIssued>().Last().Lines, l => l.InvoiceNumber == "INV-1");
        scenario.At(scenario.Now.AddDays(1)).Given(new RunDunning());
        Assert.Single(scenario.History.OfType<PromiseBroken>());
    }

    [Fact]
    public void a_promise_is_kept_when_the_payments_received_since_reach_its_amount()
    {
        var scenario = Overdue(Due.AddDays(3));
        scenario.Given(new RecordPromiseToPay("PR-1", 5_000m, Due.AddDays(10), null, null),
            Scenario.Payment("P-1", 3_000m, scenario.Today), Scenario.Payment("P-2", 2_000m, scenario.Today));
        var kept = scenario.When(new RunDunning()).Events.OfType<PromiseKept>().Single();
        Assert.Equal(5_000m, kept.Received);
        Assert.Equal("promisedDate", scenario.When(new RecordPromiseToPay("PR-2", 1m, scenario.Today.AddDays(-1), null, null)).Rejection?.Field);
    }

    [Fact]
    public void a_fee_is_waived_by_a_credit_note_that_reverses_the_fee_income()
    {
        var scenario = Overdue(Due.AddDays(30));
        var fee = scenario.When(new RunDunning()).Events.OfType<LateFeeCharged>().Single();
        scenario.Given(new IssueCreditNote("CN-1", fee.ChargeNumber, 200m, "waived: long-standing customer", null, null));
        Assert.DoesNotContain(fee.ChargeNumber, scenario.State.Invoices.Keys);
        var balances = Postings.TrialBalance(scenario.History.Select(e => (Scenario.AccountId, e)));
        Assert.Equal((0m, 0m), (balances[LedgerAccount.LateFeeIncome], balances.Values.Sum()));
        Assert.Equal("invoiceNumber", scenario.When(new IssueCreditNote("CN-2", "fee:2026", 1m, "x", null, null)).Rejection?.Field);
    }

    [Fact]
    public void interest_from_the_due_date_runs_over_the_partial_payments_before_the_notice_that_starts_it()
    {
        var scenario = Overdue(Due.AddDays(10));
        scenario.Policy = scenario.Policy with
        {
            Collections = DunningCalendar.Calendar with
            {
                Default = new([.. DunningCalendar.Calendar.Default.Levels.Select(l => l.Interest is null ? l : l with { Interest = new(10m, Domain.Collections.InterestStart.DueDate) })]),
            },
        };
        scenario.Given(Scenario.Payment("P-1", 5_000m, Due.AddDays(10), new RemittanceLine("INV-1", 1, 5_000m)));
        scenario.At(new DateTimeOffset(Due.AddDays(30).ToDateTime(new TimeOnly(2, 0)), TimeSpan.Zero));
        var charged = scenario.When(new RunDunning()).Events.OfType<InterestCharged>().Single();
        // INV-1: 10 days at 10,000 and 20 at 5,000 = 200,000 balance-days; INV-2: 30 days at 2,000 = 60,000. At 10 %: 54.79 and 16.44.
        Assert.Equal([("INV-1", 200_000m, 54.79m), ("INV-2", 60_000m, 16.44m)], charged.Lines.Select(l => (l.InvoiceNumber, l.BalanceDays, l.Amount)));
    }
}
