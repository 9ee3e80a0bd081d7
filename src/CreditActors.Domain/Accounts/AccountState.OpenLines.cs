using System.Collections.Immutable;

namespace CreditActors.Domain.Accounts;

/// <summary>An open invoice line's place in the order cash and credit settle lines: oldest due first.</summary>
public readonly record struct OpenLineKey(DateOnly DueDate, DateOnly IssueDate, string InvoiceNumber, int Line);

public sealed partial record AccountState
{
    private static readonly IComparer<OpenLineKey> SettlementOrder = Comparer<OpenLineKey>.Create((a, b) =>
        a.DueDate != b.DueDate ? a.DueDate.CompareTo(b.DueDate)
        : a.IssueDate != b.IssueDate ? a.IssueDate.CompareTo(b.IssueDate)
        : string.CompareOrdinal(a.InvoiceNumber, b.InvoiceNumber) is var byNumber and not 0 ? byNumber
        : a.Line.CompareTo(b.Line));

    /// <summary>The index and the invoices collection it was derived from: an index is only ever used with its own collection.</summary>
    private sealed record OpenLineIndex(ImmutableSortedDictionary<string, Invoice> Invoices, ImmutableSortedSet<OpenLineKey> Set);

    private OpenLineIndex? _openLines;

    /// <summary>
    /// The lines with something open, oldest due first, so that a payment without remittance settles the oldest lines
    /// without a scan of every invoice the account ever had. Derived from <see cref="Invoices"/> like
    /// <see cref="ActiveHoldsByExpiry"/>: kept up to date invoice by invoice by <see cref="CreditAccount.Evolve"/>, built
    /// once for invoices set otherwise. Not part of any stored shape.
    /// </summary>
    public ImmutableSortedSet<OpenLineKey> OpenLinesByDue
    {
        get
        {
            var index = _openLines;
            if (index is null || !ReferenceEquals(index.Invoices, Invoices))
                _openLines = index = new OpenLineIndex(Invoices, Invoices.Values.SelectMany(OpenKeys).ToImmutableSortedSet(SettlementOrder));
            return index.Set;
        }
    }

    /// <summary>This state with one invoice issued (<paramref name="before"/> null) or changed, and its receivables.</summary>
    internal AccountState WithInvoice(Invoice? before, Invoice after, decimal receivables)
    {
        var invoices = before is null ? Invoices.Add(after.InvoiceNumber, after) : Invoices.SetItem(after.InvoiceNumber, after);
        var set = OpenLinesByDue.Except(before is null ? [] : OpenKeys(before)).Union(OpenKeys(after));
        return this with { Invoices = invoices, Receivables = receivables, _openLines = new OpenLineIndex(invoices, set) };
    }

    private static IEnumerable<OpenLineKey> OpenKeys(Invoice invoice) =>
        invoice.Lines.Where(l => l.Open > 0m).Select(l => new OpenLineKey(l.DueDate, invoice.IssueDate, invoice.InvoiceNumber, l.Line));

    /// <summary>Open lines, oldest due first: the order in which cash and credit notes settle them.</summary>
    public IEnumerable<(Invoice Invoice, InvoiceLine Line)> OpenLinesOldestFirst() =>
        OpenLinesByDue.Select(key =>
        {
            var invoice = Invoices[key.InvoiceNumber];
            return (invoice, invoice.Lines.First(l => l.Line == key.Line));
        });
}
