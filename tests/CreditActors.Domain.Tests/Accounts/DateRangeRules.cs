using CreditActors.Domain.Accounts;
using CreditActors.Domain.Calendar;
using CreditActors.Domain.Tests.Support;
using FsCheck.Xunit;

namespace CreditActors.Domain.Tests.Accounts;

// Protects the account from dates at the ends of the calendar: each is a rejection naming the field, never an exception.
public class DateRangeRules
{
    private static readonly DateOnly FarFuture = new(9999, 12, 31);

    [Fact]
    public void an_issue_date_past_2199_is_invalid()
    {
        var decision = Scenario.Opened().When(Scenario.Invoice("E-1", 10m, FarFuture));
        Assert.Equal(("issueDate", RejectionKind.Invalid), (decision.Rejection?.Field, decision.Rejection?.Kind));
    }

    [Fact]
    public void an_issue_date_whose_payment_terms_run_past_2199_is_invalid_unless_a_due_date_is_given()
    {
        var scenario = Scenario.Opened(paymentTermsDays: 3650);
        var issue = new DateOnly(2199, 12, 1);
        Assert.Equal("issueDate", scenario.When(Scenario.Invoice("E-1", 10m, issue)).Rejection?.Field);
        var issued = scenario.When(Scenario.Invoice("E-1", 10m, issue, new DateOnly(2199, 12, 31))).Events.OfType<InvoiceIssued>().Single();
        Assert.Equal(new DateOnly(2199, 12, 31), issued.DueDate);
    }

    [Fact]
    public void due_dates_and_installments_outside_the_range_are_invalid()
    {
        var scenario = Scenario.Opened();
        var issue = new DateOnly(2026, 3, 1);
        Assert.Equal("dueDate", scenario.When(Scenario.Invoice("E-1", 10m, issue, FarFuture)).Rejection?.Field);
        Assert.Equal("installments[1].dueDate", scenario.When(Scenario.Invoice("E-2", 20m, issue,
            installments: [new(issue.AddDays(30), 10m), new(FarFuture, 10m)])).Rejection?.Field);
        Assert.Equal("issueDate", scenario.When(Scenario.Invoice("E-3", 10m, DateOnly.MinValue)).Rejection?.Field);
        Assert.Empty(scenario.History.OfType<InvoiceIssued>());
    }

    [Fact]
    public void received_and_effective_dates_outside_the_range_are_invalid()
    {
        var scenario = Scenario.Opened().Given(Scenario.Invoice("INV-1", 100m, new DateOnly(2026, 3, 1)));
        Assert.Equal("receivedDate", scenario.When(Scenario.Payment("P-1", 10m, DateOnly.MinValue)).Rejection?.Field);
        Assert.Equal("receivedDate", scenario.When(Scenario.Payment("P-2", 10m, FarFuture)).Rejection?.Field);
        Assert.Equal("effectiveDate", scenario.When(new IssueCreditNote("CN-1", "INV-1", 10m, "damaged", null, FarFuture)).Rejection?.Field);
        Assert.Equal("effectiveDate", scenario.When(new WriteOffInvoice("WO-1", "INV-1", null, 10m, "bankrupt", FarFuture)).Rejection?.Field);
        Assert.Equal(2, scenario.History.Count);
    }

    [Fact]
    public void a_payment_on_an_invoice_with_discount_terms_at_the_end_of_the_range_is_decided()
    {
        var scenario = Scenario.Opened().Given(
            Scenario.Invoice("INV-1", 100m, new DateOnly(2199, 12, 30), new DateOnly(2199, 12, 31), discount: new DiscountTerms(2m, 3650)));
        var decision = scenario.When(Scenario.Payment("P-1", 98m, new DateOnly(2199, 12, 31)));
        Assert.Null(decision.Rejection);
        Assert.Equal(2m, decision.Events.OfType<EarlyPaymentDiscountGranted>().Single().Amount);
    }

    [Property]
    public bool adding_days_never_leaves_the_calendar_and_is_exact_inside_it(DateOnly date, int days)
    {
        var sum = date.AddDaysSaturating(days);
        var exact = (long)date.DayNumber + days;
        return exact < DateOnly.MinValue.DayNumber ? sum == DateOnly.MinValue
            : exact > DateOnly.MaxValue.DayNumber ? sum == DateOnly.MaxValue
            : sum.DayNumber == exact;
    }
}
