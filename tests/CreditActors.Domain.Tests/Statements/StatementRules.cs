using CreditActors.Domain.Accounts;
using CreditActors.Domain.Aging;
using CreditActors.Domain.Statements;
using CreditActors.Domain.Tests.Support;

namespace CreditActors.Domain.Tests.Statements;

// A statement of account for November 2026, worked out by hand: the opening balance, every movement with the running
// balance, the closing balance and the aging at the end; what came after the month stays out, and a statement as known
// at an instant leaves out what was recorded later.
public class StatementRules
{
    private static DateOnly D(int month, int day) => new(2026, month, day);

    /// <summary>
    /// October: INV-1 5,000 (due 4 Nov), 2,000 paid on it. November: INV-2 8,000 on the 3rd (due 3 Dec); 2,500 paid on
    /// INV-1 on the 10th; a credit note of 500 on INV-2 on the 15th; INV-3 1,200 on the 20th (due 20 Dec); 1,000 paid on
    /// INV-2 on the 25th; 200 of INV-3 written off on the 28th. December: 300 paid on the 2nd. Recorded on 5 December,
    /// and a payment of 100 dated 29 November recorded on 7 December.
    /// </summary>
    public static Scenario Month()
    {
        var scenario = Scenario.Opened(creditLimit: 50_000m).At(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero));
        scenario.Given(
            Scenario.Invoice("INV-1", 5_000m, D(10, 5)),
            Scenario.Payment("P-0", 2_000m, D(10, 20), new RemittanceLine("INV-1", null, 2_000m)),
            Scenario.Invoice("INV-2", 8_000m, D(11, 3)),
            Scenario.Payment("P-1", 2_500m, D(11, 10), new RemittanceLine("INV-1", null, 2_500m)),
            new IssueCreditNote("CN-1", "INV-2", 500m, "short delivery", null, D(11, 15)),
            Scenario.Invoice("INV-3", 1_200m, D(11, 20)),
            Scenario.Payment("P-2", 1_000m, D(11, 25), new RemittanceLine("INV-2", null, 1_000m)),
            new WriteOffInvoice("WO-1", "INV-3", null, 200m, "damaged goods, not claimed", D(11, 28)),
            Scenario.Payment("P-3", 300m, D(12, 2), new RemittanceLine("INV-3", null, 300m)));
        scenario.At(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero))
            .Given(Scenario.Payment("P-4", 100m, D(11, 29), new RemittanceLine("INV-3", null, 100m)));
        return scenario;
    }

    [Fact]
    public void the_november_statement_as_known_on_6_december()
    {
        var events = Month().History;
        var statement = StatementOfAccount.Draw(Scenario.AccountId, events, D(11, 1), D(11, 30), new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero),
            AgingBuckets.Default);

        Assert.Equal(3_000m, statement.OpeningBalance);
        Assert.Equal(
        [
            (D(11, 3), "invoice", "INV-2", 8_000m, 0m, 11_000m),
            (D(11, 10), "payment", "P-1", 0m, 2_500m, 8_500m),
            (D(11, 10), "allocation", "P-1", 0m, 0m, 8_500m),
            (D(11, 15), "credit-note", "CN-1", 0m, 500m, 8_000m),
            (D(11, 20), "invoice", "INV-3", 1_200m, 0m, 9_200m),
            (D(11, 25), "payment", "P-2", 0m, 1_000m, 8_200m),
            (D(11, 25), "allocation", "P-2", 0m, 0m, 8_200m),
            (D(11, 28), "write-off", "WO-1", 0m, 200m, 8_000m),
        ], statement.Movements.Select(m => (m.Date, m.Kind, m.Document, m.Debit, m.Credit, m.Balance)));
        Assert.Equal((8_000m, 8_000m, 0m), (statement.ClosingBalance, statement.Receivables, statement.UnappliedCash));
        Assert.Equal((9_200m, 4_200m), (statement.TotalDebits, statement.TotalCredits));
        // INV-1: 500 left, due 4 November: 26 days late. INV-2 (6,500) and INV-3 (1,000) not yet due.
        Assert.Equal([7_500m, 500m, 0m, 0m, 0m, 0m], statement.Aging.Amounts);
        // Drawn at version 14: the opening, four invoices, five payments (each received and applied), a credit note, a write-off.
        Assert.Equal(14, statement.Version);
    }

    [Fact]
    public void a_payment_entered_later_but_dated_in_the_month_shows_once_the_ledger_knows_it_and_the_hash_tells_the_two_apart()
    {
        var events = Month().History;
        var original = StatementOfAccount.Draw(Scenario.AccountId, events, D(11, 1), D(11, 30), new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero),
            AgingBuckets.Default);
        var now = StatementOfAccount.Draw(Scenario.AccountId, events, D(11, 1), D(11, 30), null, AgingBuckets.Default);
        Assert.Equal((7_900m, "P-4"), (now.ClosingBalance, now.Movements.Single(m => m.Date == D(11, 29) && m.Kind == "payment").Document));
        Assert.NotEqual(original.ContentHash, now.ContentHash);
        Assert.Equal(original.ContentHash, StatementOfAccount.Draw(Scenario.AccountId, events, D(11, 1), D(11, 30),
            new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero), AgingBuckets.Default).ContentHash);
    }
}
