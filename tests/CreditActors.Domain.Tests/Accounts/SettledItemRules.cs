using CreditActors.Domain.Accounts;
using CreditActors.Domain.Tests.Support;

namespace CreditActors.Domain.Tests.Accounts;

// Protects the bounded live state: settled items leave it, and what remains of them (an id and a fingerprint) still answers a
// repeat as the first time and a different command under the same id with a conflict, however long ago the item settled.
public class SettledItemRules
{
    private static readonly DateOnly Issue = new(2026, 3, 1);

    /// <summary>A hold captured by a two-line invoice, the invoice paid in full, a credit note and a write-off on another.</summary>
    private static Scenario Settled()
    {
        var scenario = Scenario.Opened(creditLimit: 10_000m).Given(
            new PlaceHold("H-1", 300m, null, "SO-1"),
            Scenario.Invoice("INV-1", 300m, Issue, installments: [new(Issue.AddDays(30), 100m), new(Issue.AddDays(60), 200m)], holdId: "H-1"),
            Scenario.Payment("PAY-1", 300.00m, Issue.AddDays(5)),
            Scenario.Invoice("INV-2", 500m, Issue),
            new IssueCreditNote("CN-1", "INV-2", 200m, "returned goods", null, null),
            new WriteOffInvoice("WO-1", "INV-2", null, null, "insolvent", null));
        scenario.At(scenario.Now.AddDays(700));
        return scenario;
    }

    [Fact]
    public void settled_items_leave_the_live_state_and_leave_their_ids()
    {
        var state = Settled().State;
        Assert.Empty(state.Holds);
        Assert.Empty(state.Invoices);
        Assert.Empty(state.Payments);
        Assert.Empty(state.CreditNotes);
        Assert.Empty(state.WriteOffs);
        Assert.Equal(HoldStatus.Captured, state.Settled.Holds["H-1"].Status);
        Assert.Equal(2, state.Settled.Invoices["INV-1"].LineCount);
        Assert.Equal(["INV-1", "INV-2"], state.Settled.Invoices.Keys.Order(StringComparer.Ordinal));
        Assert.Equal((0m, 0m, 0m), (state.Receivables, state.HeldAmount, state.UnappliedCash));
    }

    [Fact]
    public void a_repeat_of_a_long_settled_command_writes_nothing_and_is_not_rejected()
    {
        var scenario = Settled();
        AccountCommand[] repeats =
        [
            new PlaceHold("H-1", 300m, null, "SO-1"),
            Scenario.Invoice("INV-1", 300.0m, Issue, installments: [new(Issue.AddDays(30), 100m), new(Issue.AddDays(60), 200.00m)], holdId: "H-1"),
            Scenario.Payment("PAY-1", 300m, Issue.AddDays(5)),
            new IssueCreditNote("CN-1", "INV-2", 200m, "returned goods", null, null),
            new WriteOffInvoice("WO-1", "INV-2", null, null, "insolvent", null),
        ];
        foreach (var repeat in repeats)
            Assert.True(scenario.When(repeat).IsUnchanged, $"{repeat.GetType().Name} was not answered as a repeat");
    }

    [Fact]
    public void another_command_under_a_settled_id_is_a_conflict()
    {
        var scenario = Settled();
        (AccountCommand Command, string Code)[] conflicts =
        [
            (new PlaceHold("H-1", 301m, null, "SO-1"), "hold_id_conflict"),
            (new PlaceHold("H-1", 300m, null, "SO-2"), "hold_id_conflict"),
            (Scenario.Invoice("INV-1", 300m, Issue), "invoice_number_conflict"),
            (Scenario.Payment("PAY-1", 300m, Issue.AddDays(6)), "payment_reference_conflict"),
            (Scenario.Payment("PAY-1", 300m, Issue.AddDays(5), new RemittanceLine("INV-1", null, 300m)), "payment_reference_conflict"),
            (new IssueCreditNote("CN-1", "INV-2", 200m, "damaged goods", null, null), "credit_note_number_conflict"),
            (new WriteOffInvoice("WO-1", "INV-2", 1, null, "insolvent", null), "write_off_id_conflict"),
        ];
        foreach (var (command, code) in conflicts)
        {
            var decision = scenario.When(command);
            Assert.Equal((code, 0), (decision.Rejection?.Code, decision.Events.Count));
        }
    }

    [Fact]
    public void an_ended_hold_answers_as_it_ended()
    {
        var scenario = Scenario.Opened().Given(new PlaceHold("H-1", 100m, null, null), new ReleaseHold("H-1", "order cancelled"),
            new PlaceHold("H-2", 100m, null, null), Scenario.Invoice("INV-1", 100m, Issue, holdId: "H-2"));
        Assert.True(scenario.When(new ReleaseHold("H-1", null)).IsUnchanged);
        Assert.Equal("hold_not_active", scenario.When(new ReleaseHold("H-2", null)).Rejection?.Code);
        Assert.Equal(("hold_not_active", "holdId"), scenario.When(Scenario.Invoice("INV-9", 50m, Issue, holdId: "H-1")).Rejection is { } r
            ? (r.Code, r.Field) : default);
    }

    [Fact]
    public void a_settled_invoice_has_nothing_open_on_the_lines_it_had_and_no_other_line()
    {
        var scenario = Settled();
        var credit = scenario.When(new IssueCreditNote("CN-2", "INV-1", 1m, "late claim", 2, null)).Rejection!;
        Assert.Equal(("amount", "1 is more than the 0 open on invoice INV-1"), (credit.Field, credit.Message));
        Assert.Equal("line", scenario.When(new IssueCreditNote("CN-3", "INV-1", 1m, "late claim", 3, null)).Rejection?.Field);
        Assert.Equal("nothing_open", scenario.When(new WriteOffInvoice("WO-2", "INV-1", null, null, "insolvent", null)).Rejection?.Code);
        Assert.Equal("allocations[0].amount",
            scenario.When(Scenario.Payment("PAY-2", 5m, Issue.AddDays(9), new RemittanceLine("INV-1", 1, 5m))).Rejection?.Field);
    }

    [Fact]
    public void a_payment_without_remittance_on_a_long_history_sees_only_the_open_lines()
    {
        var scenario = Scenario.Opened(creditLimit: 1_000_000m);
        for (var i = 0; i < 2_000; i++)
            scenario.Given(Scenario.Invoice($"OLD-{i}", 10m, Issue), Scenario.Payment($"P-{i}", 10m, Issue));
        scenario.Given(Scenario.Invoice("NEW-1", 40m, Issue.AddDays(1)));

        var allocated = scenario.When(Scenario.Payment("P-NEW", 40m, Issue.AddDays(2))).Events.OfType<PaymentAllocated>().Single();

        Assert.Equal([new AllocationLine("NEW-1", 1, 40m)], allocated.Allocations);
        Assert.Empty(scenario.State.Invoices);
        Assert.Equal(2_001, scenario.State.Settled.Invoices.Count);
    }
}
