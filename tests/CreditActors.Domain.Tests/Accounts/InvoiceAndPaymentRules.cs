using CreditActors.Domain.Accounts;
using CreditActors.Domain.Tests.Support;

namespace CreditActors.Domain.Tests.Accounts;

// Protects invoicing, payment allocation, unapplied cash and early-payment discounts.
public class InvoiceAndPaymentRules
{
    [Fact]
    public void an_invoice_without_a_due_date_is_due_after_the_accounts_payment_terms()
    {
        var scenario = Scenario.Opened(paymentTermsDays: 45);
        var issued = scenario.When(Scenario.Invoice("INV-1", 1_250.50m, new DateOnly(2026, 3, 1))).Events.OfType<InvoiceIssued>().Single();
        Assert.Equal(new DateOnly(2026, 4, 15), issued.DueDate);
        Assert.Equal(new IssuedLine(1, new DateOnly(2026, 4, 15), 1_250.50m), Assert.Single(issued.Lines));
        Assert.Equal(new DateOnly(2026, 3, 1), issued.Meta.EffectiveDate);
    }

    [Fact]
    public void installments_become_numbered_lines_and_the_last_one_is_the_due_date()
    {
        var scenario = Scenario.Opened();
        var issue = new DateOnly(2026, 3, 1);
        var issued = scenario.When(Scenario.Invoice("INV-1", 300m, issue, installments:
            [new(issue.AddDays(30), 100m), new(issue.AddDays(60), 100m), new(issue.AddDays(90), 100m)])).Events.OfType<InvoiceIssued>().Single();
        Assert.Equal([1, 2, 3], issued.Lines.Select(l => l.Line));
        Assert.Equal(issue.AddDays(90), issued.DueDate);
    }

    [Fact]
    public void installments_that_do_not_sum_to_the_amount_are_invalid()
    {
        var scenario = Scenario.Opened();
        var issue = new DateOnly(2026, 3, 1);
        var decision = scenario.When(Scenario.Invoice("INV-1", 300m, issue, installments: [new(issue.AddDays(30), 100m), new(issue.AddDays(60), 100m)]));
        Assert.Equal(("installments", RejectionKind.Invalid), (decision.Rejection!.Field, decision.Rejection.Kind));
    }

    [Fact]
    public void a_due_date_before_the_issue_date_is_invalid()
    {
        var decision = Scenario.Opened().When(Scenario.Invoice("INV-1", 10m, new DateOnly(2026, 3, 1), new DateOnly(2026, 2, 28)));
        Assert.Equal("dueDate", decision.Rejection?.Field);
    }

    [Fact]
    public void the_same_invoice_number_with_another_amount_is_a_conflict()
    {
        var scenario = Scenario.Opened().Given(Scenario.Invoice("INV-1", 10m, new DateOnly(2026, 3, 1)));
        Assert.True(scenario.When(Scenario.Invoice("INV-1", 10m, new DateOnly(2026, 3, 1))).IsUnchanged);
        Assert.Equal("invoice_number_conflict", scenario.When(Scenario.Invoice("INV-1", 11m, new DateOnly(2026, 3, 1))).Rejection?.Code);
    }

    [Fact]
    public void a_payment_without_allocations_settles_the_oldest_due_line_first()
    {
        var scenario = Scenario.Opened();
        var march = new DateOnly(2026, 3, 1);
        scenario.Given(
            Scenario.Invoice("INV-B", 100m, march, march.AddDays(20)),
            Scenario.Invoice("INV-A", 100m, march, march.AddDays(10)));
        var allocated = scenario.When(Scenario.Payment("PAY-1", 150m, march.AddDays(5))).Events.OfType<PaymentAllocated>().Single();
        Assert.Equal([new AllocationLine("INV-A", 1, 100m), new AllocationLine("INV-B", 1, 50m)], allocated.Allocations);
        Assert.Equal(50m, scenario.State.Receivables);
    }

    [Fact]
    public void a_payment_goes_to_the_lines_the_payer_names_and_the_rest_stays_unapplied()
    {
        var scenario = Scenario.Opened();
        var march = new DateOnly(2026, 3, 1);
        scenario.Given(Scenario.Invoice("INV-A", 100m, march, march.AddDays(10)), Scenario.Invoice("INV-B", 100m, march, march.AddDays(20)));
        var decision = scenario.When(Scenario.Payment("PAY-1", 150m, march, new RemittanceLine("INV-B", null, 80m)));
        var allocated = decision.Events.OfType<PaymentAllocated>().Single();
        Assert.Equal([new AllocationLine("INV-B", 1, 80m)], allocated.Allocations);
        Assert.Equal((120m, 70m), (scenario.State.Receivables, scenario.State.UnappliedCash));
    }

    [Fact]
    public void an_overpayment_becomes_unapplied_cash_that_the_next_invoice_uses()
    {
        var scenario = Scenario.Opened();
        var march = new DateOnly(2026, 3, 1);
        scenario.Given(Scenario.Invoice("INV-1", 100m, march), Scenario.Payment("PAY-1", 130m, march));
        Assert.Equal((0m, 30m), (scenario.State.Receivables, scenario.State.UnappliedCash));

        var decision = scenario.When(Scenario.Invoice("INV-2", 50m, march.AddDays(3)));
        var allocated = decision.Events.OfType<PaymentAllocated>().Single();
        Assert.Equal(("PAY-1", 30m), (allocated.PaymentReference, allocated.Allocations.Sum(a => a.Amount)));
        Assert.Equal((20m, 0m), (scenario.State.Receivables, scenario.State.UnappliedCash));
    }

    [Fact]
    public void a_payment_allocated_to_an_unknown_invoice_is_invalid_and_writes_nothing()
    {
        var decision = Scenario.Opened().When(Scenario.Payment("PAY-1", 10m, new DateOnly(2026, 3, 1), new RemittanceLine("INV-404", null, 10m)));
        Assert.Equal(("allocations[0].invoiceNumber", 0), (decision.Rejection!.Field, decision.Events.Count));
    }

    [Fact]
    public void a_payment_allocated_beyond_what_a_line_has_open_is_invalid()
    {
        var scenario = Scenario.Opened().Given(Scenario.Invoice("INV-1", 100m, new DateOnly(2026, 3, 1)));
        var decision = scenario.When(Scenario.Payment("PAY-1", 200m, new DateOnly(2026, 3, 1), new RemittanceLine("INV-1", 1, 100.01m)));
        Assert.Equal("allocations[0].amount", decision.Rejection?.Field);
    }

    [Fact]
    public void allocations_summing_above_the_payment_are_invalid()
    {
        var scenario = Scenario.Opened().Given(Scenario.Invoice("INV-1", 100m, new DateOnly(2026, 3, 1)));
        var decision = scenario.When(Scenario.Payment("PAY-1", 50m, new DateOnly(2026, 3, 1), new RemittanceLine("INV-1", null, 60m)));
        Assert.Equal("allocations", decision.Rejection?.Field);
    }

    [Fact]
    public void a_repeated_payment_writes_nothing_and_another_amount_under_the_same_reference_conflicts()
    {
        var scenario = Scenario.Opened().Given(Scenario.Payment("PAY-1", 50m, new DateOnly(2026, 3, 1)));
        Assert.True(scenario.When(Scenario.Payment("PAY-1", 50m, new DateOnly(2026, 3, 1))).IsUnchanged);
        Assert.Equal("payment_reference_conflict", scenario.When(Scenario.Payment("PAY-1", 51m, new DateOnly(2026, 3, 1))).Rejection?.Code);
    }

    [Fact]
    public void paying_net_of_discount_within_the_window_settles_the_invoice_with_a_discount()
    {
        var scenario = Scenario.Opened();
        var issue = new DateOnly(2026, 3, 1);
        scenario.Given(Scenario.Invoice("INV-1", 1_000m, issue, discount: new DiscountTerms(2m, 10)));
        var decision = scenario.When(Scenario.Payment("PAY-1", 980m, issue.AddDays(10)));
        var discount = decision.Events.OfType<EarlyPaymentDiscountGranted>().Single();
        Assert.Equal(20m, discount.Amount);
        Assert.Equal(0m, scenario.State.Receivables);
    }

    [Fact]
    public void paying_net_of_discount_after_the_window_leaves_the_rest_open()
    {
        var scenario = Scenario.Opened();
        var issue = new DateOnly(2026, 3, 1);
        scenario.Given(Scenario.Invoice("INV-1", 1_000m, issue, discount: new DiscountTerms(2m, 10)));
        var decision = scenario.When(Scenario.Payment("PAY-1", 980m, issue.AddDays(11)));
        Assert.Empty(decision.Events.OfType<EarlyPaymentDiscountGranted>());
        Assert.Equal(20m, scenario.State.Receivables);
    }

    [Fact]
    public void a_payment_with_more_decimals_than_the_currency_allows_is_invalid()
    {
        var yen = Scenario.Opened(currency: "JPY");
        Assert.Equal("amount", yen.When(Scenario.Payment("PAY-1", 10.5m, new DateOnly(2026, 3, 1))).Rejection?.Field);
    }
}
