using CreditActors.Domain.Accounts;
using CreditActors.Domain.Tests.Support;

namespace CreditActors.Domain.Tests.Accounts;

// Protects credit notes and write-offs: they reduce what is open and never take a line below zero.
public class AdjustmentRules
{
    private static readonly DateOnly Issue = new(2026, 3, 1);

    private static Scenario WithTwoLineInvoice() => Scenario.Opened().Given(Scenario.Invoice("INV-1", 300m, Issue,
        installments: [new(Issue.AddDays(30), 100m), new(Issue.AddDays(60), 200m)]));

    [Fact]
    public void a_credit_note_reduces_the_oldest_due_line_first()
    {
        var scenario = WithTwoLineInvoice();
        var note = scenario.When(new IssueCreditNote("CN-1", "INV-1", 150m, "returned goods", null, null)).Events.OfType<CreditNoteIssued>().Single();
        Assert.Equal([new LineAmount(1, 100m), new LineAmount(2, 50m)], note.Lines);
        Assert.Equal(150m, scenario.State.Receivables);
    }

    [Fact]
    public void a_credit_note_above_what_is_open_is_invalid()
    {
        var scenario = WithTwoLineInvoice();
        var decision = scenario.When(new IssueCreditNote("CN-1", "INV-1", 100.01m, "price correction", 1, null));
        Assert.Equal(("amount", 0), (decision.Rejection!.Field, decision.Events.Count));
    }

    [Fact]
    public void a_credit_note_dated_before_its_invoice_is_invalid()
    {
        var decision = WithTwoLineInvoice().When(new IssueCreditNote("CN-1", "INV-1", 1m, "x", null, Issue.AddDays(-1)));
        Assert.Equal("effectiveDate", decision.Rejection?.Field);
    }

    [Fact]
    public void a_write_off_without_an_amount_writes_off_everything_open_on_the_line()
    {
        var scenario = WithTwoLineInvoice().Given(Scenario.Payment("PAY-1", 30m, Issue, new RemittanceLine("INV-1", 2, 30m)));
        var written = scenario.When(new WriteOffInvoice("WO-1", "INV-1", 2, null, "customer insolvent", null)).Events.OfType<InvoiceLineWrittenOff>().Single();
        Assert.Equal((2, 170m), (written.Line, written.Amount));
        Assert.Equal(100m, scenario.State.Receivables);
    }

    [Fact]
    public void a_write_off_repeat_writes_nothing_and_nothing_open_is_a_conflict()
    {
        var scenario = WithTwoLineInvoice();
        scenario.Given(new WriteOffInvoice("WO-1", "INV-1", null, null, "insolvent", null));
        Assert.Equal(2, scenario.History.OfType<InvoiceLineWrittenOff>().Count());
        Assert.True(scenario.When(new WriteOffInvoice("WO-1", "INV-1", null, null, "insolvent", null)).IsUnchanged);
        Assert.Equal("nothing_open", scenario.When(new WriteOffInvoice("WO-2", "INV-1", null, null, "insolvent", null)).Rejection?.Code);
    }
}
