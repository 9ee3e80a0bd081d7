namespace CreditActors.Domain.Accounts;

/// <summary>What remains of a hold that is no longer active: its command's fingerprint, its expiry and how it ended.</summary>
public readonly record struct EndedHold(ulong Fingerprint, DateTimeOffset ExpiresAt, HoldStatus Status);

/// <summary>What remains of an invoice with nothing open: its command's fingerprint and how many lines it had.</summary>
public readonly record struct SettledInvoice(ulong Fingerprint, int LineCount);

/// <summary>
/// The caller ids of items that have left the live state, each with what a repeat of its command needs: the state stays in
/// proportion to what is open plus these fingerprints, however long the account's history.
/// </summary>
public sealed record SettledItems(
    SettledDictionary<EndedHold> Holds,
    SettledDictionary<SettledInvoice> Invoices,
    SettledDictionary<ulong> Payments,
    SettledDictionary<ulong> CreditNotes,
    SettledDictionary<ulong> WriteOffs)
{
    public static readonly SettledItems None = new(
        SettledDictionary<EndedHold>.Empty, SettledDictionary<SettledInvoice>.Empty, SettledDictionary<ulong>.Empty, SettledDictionary<ulong>.Empty, SettledDictionary<ulong>.Empty);

    public int Count => Holds.Count + Invoices.Count + Payments.Count + CreditNotes.Count + WriteOffs.Count;
}

public sealed partial record AccountState
{
    /// <summary>
    /// Ended holds, settled invoices and payments, credit notes and write-offs that have left the live collections: their
    /// ids and fingerprints. Empty while <see cref="KeepsSettled"/>.
    /// </summary>
    public SettledItems Settled { get; init; } = SettledItems.None;

    /// <summary>
    /// False for the live state of an account: an item leaves <see cref="Holds"/>, <see cref="Invoices"/>,
    /// <see cref="Payments"/>, <see cref="CreditNotes"/> and <see cref="WriteOffs"/> for <see cref="Settled"/> once nothing
    /// about it can change. True for a replay that keeps every item the account ever had (reads of settled items, audits).
    /// Decisions are the same either way: a property holds them together.
    /// </summary>
    public bool KeepsSettled { get; init; }

    /// <summary>The empty state of a replay that keeps every item the account ever had.</summary>
    public static AccountState EmptyWithHistory(string accountId) => Empty(accountId) with { KeepsSettled = true };

    /// <summary>
    /// This state with every settled item moved to <see cref="Settled"/>: the live state that folding the same events
    /// without history gives (a property holds the two together). Reads a state that kept its history, such as a snapshot
    /// of version 1.
    /// </summary>
    public AccountState WithoutSettled()
    {
        var state = this with { KeepsSettled = false };
        foreach (var hold in Holds.Values.Where(h => h.Status != HoldStatus.Active))
            state = state.RetireHold(hold.HoldId);
        foreach (var invoice in Invoices.Values.Where(i => i.Open == 0m))
            state = state.RetireInvoice(invoice.InvoiceNumber);
        foreach (var payment in Payments.Values.Where(p => p.Unapplied == 0m))
            state = state.RetirePayment(payment.PaymentReference);
        foreach (var number in CreditNotes.Keys)
            state = state.RetireCreditNote(number);
        foreach (var id in WriteOffs.Keys)
            state = state.RetireWriteOff(id);
        return state;
    }

    internal AccountState RetireHold(string holdId)
    {
        var hold = Holds[holdId];
        var holds = Holds.Remove(holdId);
        return this with
        {
            Holds = holds,
            Settled = Settled with { Holds = Settled.Holds.SetItem(holdId, new EndedHold(hold.Fingerprint, hold.ExpiresAt, hold.Status)) },
            // An ended hold is not in the expiry index: the index carries over to the smaller collection.
            _holdsByExpiry = ExpiryIndexFor(holds),
        };
    }

    internal AccountState RetireInvoice(string invoiceNumber)
    {
        var invoice = Invoices[invoiceNumber];
        var invoices = Invoices.Remove(invoiceNumber);
        return this with
        {
            Invoices = invoices,
            Settled = Settled with { Invoices = Settled.Invoices.SetItem(invoiceNumber, new SettledInvoice(invoice.Fingerprint, invoice.Lines.Length)) },
            // A settled invoice has no open line: the index carries over to the smaller collection.
            _openLines = OpenLineIndexFor(invoices),
        };
    }

    internal AccountState RetirePayment(string paymentReference) => this with
    {
        Payments = Payments.Remove(paymentReference),
        Settled = Settled with { Payments = Settled.Payments.SetItem(paymentReference, Payments[paymentReference].Fingerprint) },
    };

    internal AccountState RetireCreditNote(string creditNoteNumber) => this with
    {
        CreditNotes = CreditNotes.Remove(creditNoteNumber),
        Settled = Settled with { CreditNotes = Settled.CreditNotes.SetItem(creditNoteNumber, CreditNotes[creditNoteNumber].Fingerprint) },
    };

    internal AccountState RetireWriteOff(string writeOffId) => this with
    {
        WriteOffs = WriteOffs.Remove(writeOffId),
        Settled = Settled with { WriteOffs = Settled.WriteOffs.SetItem(writeOffId, WriteOffs[writeOffId].Fingerprint) },
    };
}
