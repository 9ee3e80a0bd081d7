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

    /// <summary>The open-line index kept for this state's invoices, if it keeps one (it does from <see cref="IndexedFrom"/> invoices on).</summary>
    private OpenLineIndex? KeptOpenLineIndex
    {
        get
        {
            var index = _openLines;
            if (index is not null && ReferenceEquals(index.Invoices, Invoices))
                return index;
            if (Invoices.Count < IndexedFrom)
                return null;
            // A large state whose invoices were set otherwise (a snapshot just read, a state built by hand): built once.
            return _openLines = new OpenLineIndex(Invoices, BuildOpenLineSet(Invoices));
        }
    }

    private static ImmutableSortedSet<OpenLineKey> BuildOpenLineSet(ImmutableSortedDictionary<string, Invoice> invoices) =>
        invoices.Values.SelectMany(OpenKeys).ToImmutableSortedSet(SettlementOrder);

    /// <summary>
    /// The lines with something open, oldest due first. A large state keeps it as an index, so that a payment without
    /// remittance settles the oldest lines without a scan of every invoice; a small state builds it when asked. Not part of
    /// any stored shape.
    /// </summary>
    public ImmutableSortedSet<OpenLineKey> OpenLinesByDue => KeptOpenLineIndex?.Set ?? BuildOpenLineSet(Invoices);

    /// <summary>This state with one invoice issued (<paramref name="before"/> null) or changed, and its receivables.</summary>
    internal AccountState WithInvoice(Invoice? before, Invoice after, decimal receivables)
    {
        var invoices = before is null ? Invoices.Add(after.InvoiceNumber, after) : Invoices.SetItem(after.InvoiceNumber, after);
        OpenLineIndex? next = null;
        if (KeptOpenLineIndex is { } index)
            next = new OpenLineIndex(invoices, index.Set.Except(before is null ? [] : OpenKeys(before)).Union(OpenKeys(after)));
        return this with { Invoices = invoices, Receivables = receivables, _openLines = next };
    }

    /// <summary>The index after an invoice with nothing open left the collection: carried over while the state stays large.</summary>
    private OpenLineIndex? OpenLineIndexFor(ImmutableSortedDictionary<string, Invoice> invoices) =>
        invoices.Count >= IndexedFrom / 2 && KeptOpenLineIndex is { } index ? new OpenLineIndex(invoices, index.Set) : null;

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
