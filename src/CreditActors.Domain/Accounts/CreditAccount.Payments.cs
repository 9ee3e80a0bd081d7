using CreditActors.Domain.Calendar;

namespace CreditActors.Domain.Accounts;

public static partial class CreditAccount
{
    public const int MaximumAllocations = 200;

    private static Decision DecidePayment(AccountState state, ReceivePayment c, Stamp stamp)
    {
        var remittance = c.Allocations ?? [];
        var problem = IdProblem("paymentReference", c.PaymentReference)
            ?? AmountProblem(state, "amount", c.Amount)
            ?? DateProblem("receivedDate", c.ReceivedDate)
            ?? RemittanceShapeProblem(state, c, remittance);
        if (problem is not null)
            return Decision.Reject(problem);

        if (TryFindFingerprint(state.Payments, state.Settled.Payments, c.PaymentReference, p => p.Fingerprint, out var existing))
        {
            var same = existing == Fingerprints.Payment(c.Amount, c.ReceivedDate, remittance);
            return same
                ? Decision.Unchanged
                : Decision.Reject(Rejection.Conflict("payment_reference_conflict",
                    $"Payment {c.PaymentReference} already exists with other details", "paymentReference"));
        }
        if (state.Status == AccountStatus.Closed)
            return Decision.Reject(ClosedConflict(state));

        var allocations = new List<(Invoice Invoice, InvoiceLine Line, decimal Amount)>();
        if (remittance.Count == 0)
        {
            allocations.AddRange(Distribute(state.OpenLinesOldestFirst(), c.Amount));
        }
        else
        {
            for (var i = 0; i < remittance.Count; i++)
            {
                var (targets, targetProblem) = RemittanceTargets(state, remittance[i], $"allocations[{i}]");
                if (targetProblem is not null)
                    return Decision.Reject(targetProblem);
                allocations.AddRange(Distribute(targets, remittance[i].Amount));
            }
        }

        var events = new List<AccountEvent>
        {
            new PaymentReceived(stamp.Meta(c.ReceivedDate), c.PaymentReference, c.ReceivedDate, c.Amount, remittance),
        };
        if (allocations.Count > 0)
        {
            var latestIssue = allocations.Max(a => a.Invoice.IssueDate);
            var effective = latestIssue > c.ReceivedDate ? latestIssue : c.ReceivedDate;
            events.Add(new PaymentAllocated(stamp.Meta(effective), c.PaymentReference,
                allocations.Select(a => new AllocationLine(a.Invoice.InvoiceNumber, a.Line.Line, a.Amount)).ToList()));
            events.AddRange(EarlyPaymentDiscounts(state, c, allocations, stamp));
        }
        return WithDueExpiries(state, stamp, [.. events]);
    }

    private static Rejection? RemittanceShapeProblem(AccountState state, ReceivePayment c, IReadOnlyList<RemittanceLine> remittance)
    {
        if (remittance.Count > MaximumAllocations)
            return Rejection.Invalid("allocations", $"allocations must have at most {MaximumAllocations} lines");
        var seen = new HashSet<(string, int?)>();
        for (var i = 0; i < remittance.Count; i++)
        {
            var line = remittance[i];
            var problem = ReceivableProblem($"allocations[{i}].invoiceNumber", line.InvoiceNumber)
                ?? AmountProblem(state, $"allocations[{i}].amount", line.Amount)
                ?? (line.Line is < 1 ? Rejection.Invalid($"allocations[{i}].line", "line numbers start at 1") : null)
                ?? (seen.Add((line.InvoiceNumber, line.Line)) ? null
                    : Rejection.Invalid($"allocations[{i}]", "the same invoice line is named twice"));
            if (problem is not null)
                return problem;
        }
        var total = remittance.Sum(l => l.Amount);
        return total > c.Amount
            ? Rejection.Invalid("allocations", $"allocations total {total}, more than the payment amount {c.Amount}")
            : null;
    }

    /// <summary>The open lines one remittance line may settle, or why it cannot be applied.</summary>
    private static (IReadOnlyList<(Invoice, InvoiceLine)> Targets, Rejection? Problem) RemittanceTargets(
        AccountState state, RemittanceLine remittance, string field)
    {
        var (targets, open, problem) = SettlementTargets(state, remittance.InvoiceNumber, remittance.Line, field);
        if (problem is null && remittance.Amount > open)
            problem = Rejection.Invalid($"{field}.amount", $"{remittance.Amount} is more than the {open} open on invoice {remittance.InvoiceNumber}"
                + (remittance.Line is { } l ? $" line {l}" : ""));
        return (targets, problem);
    }

    /// <summary>The open lines of one invoice (or one line of it), oldest due first, and their open total.</summary>
    private static (IReadOnlyList<(Invoice, InvoiceLine)> Targets, decimal Open, Rejection? Problem) SettlementTargets(
        AccountState state, string invoiceNumber, int? lineNumber, string field)
    {
        var prefix = field.Length == 0 ? "" : field + ".";
        if (!TryFindInvoice(state, invoiceNumber, out var settled, out var invoice))
            return ([], 0m, Rejection.Invalid($"{prefix}invoiceNumber", $"invoice {invoiceNumber} does not exist on this account"));
        if (invoice is null)
        {
            // Settled: nothing is open on any of its lines.
            return lineNumber is null || (lineNumber >= 1 && lineNumber <= settled.LineCount)
                ? ([], 0m, null)
                : ([], 0m, Rejection.Invalid($"{prefix}line", $"invoice {invoiceNumber} has no line {lineNumber}"));
        }
        var lines = invoice.Lines.Where(l => lineNumber is null || l.Line == lineNumber).ToList();
        if (lines.Count == 0)
            return ([], 0m, Rejection.Invalid($"{prefix}line", $"invoice {invoiceNumber} has no line {lineNumber}"));
        var targets = lines.Where(l => l.Open > 0m).OrderBy(l => l.DueDate).ThenBy(l => l.Line).Select(l => (invoice, l)).ToList();
        // Without trailing zeros, so that a message reads the same whether the invoice is open or has settled.
        return (targets, lines.Sum(l => l.Open) / 1.0000000000000000000000000000m, null);
    }

    /// <summary>Spreads an amount over lines in the order given, each up to what it has open.</summary>
    private static IEnumerable<(Invoice Invoice, InvoiceLine Line, decimal Amount)> Distribute(
        IEnumerable<(Invoice Invoice, InvoiceLine Line)> lines, decimal amount)
    {
        foreach (var (invoice, line) in lines)
        {
            if (amount == 0m)
                yield break;
            var part = Math.Min(amount, line.Open);
            if (part <= 0m)
                continue;
            amount -= part;
            yield return (invoice, line, part);
        }
    }

    /// <summary>
    /// Early-payment discount: a payment received within the discount window that leaves no more open on an
    /// invoice than the discount entitles (percent of the invoice amount, rounded to the minor unit) settles
    /// the rest as discount allowed. Granted once per invoice.
    /// </summary>
    private static IEnumerable<AccountEvent> EarlyPaymentDiscounts(
        AccountState state, ReceivePayment c, List<(Invoice Invoice, InvoiceLine Line, decimal Amount)> allocations, Stamp stamp)
    {
        foreach (var group in allocations.GroupBy(a => a.Invoice.InvoiceNumber))
        {
            var invoice = group.First().Invoice;
            if (invoice.Discount is not { } terms || invoice.DiscountGranted > 0m
                || c.ReceivedDate > invoice.IssueDate.AddDaysSaturating(terms.WithinDays))
                continue;
            var entitlement = state.Currency.Round(invoice.Amount * terms.Percent / 100m);
            var paidNow = group.GroupBy(a => a.Line.Line).ToDictionary(g => g.Key, g => g.Sum(a => a.Amount));
            var rest = invoice.Lines
                .Select(l => new LineAmount(l.Line, l.Open - paidNow.GetValueOrDefault(l.Line)))
                .Where(l => l.Amount > 0m)
                .ToList();
            var restTotal = rest.Sum(l => l.Amount);
            if (restTotal == 0m || restTotal > entitlement)
                continue;
            var effective = c.ReceivedDate > invoice.IssueDate ? c.ReceivedDate : invoice.IssueDate;
            yield return new EarlyPaymentDiscountGranted(stamp.Meta(effective), invoice.InvoiceNumber, c.PaymentReference, restTotal, rest);
        }
    }
}
