using CreditActors.Domain.Calendar;

namespace CreditActors.Domain.Accounts;

public static partial class CreditAccount
{
    public const int MaximumInstallments = 120;

    private static Decision DecideInvoice(AccountState state, IssueInvoice c, Stamp stamp)
    {
        var problem = InvoiceProblem(state, c);
        if (problem is not null)
            return Decision.Reject(problem);
        var lines = InvoiceLines(state, c);
        var dueDate = lines[^1].DueDate;

        if (TryFindInvoice(state, c.InvoiceNumber, out var existing, out _))
        {
            var same = existing.Fingerprint == Fingerprints.Invoice(c.Amount, c.IssueDate, dueDate, c.Discount, c.HoldId,
                lines.Select(l => (l.DueDate, l.Amount)));
            return same
                ? Decision.Unchanged
                : Decision.Reject(Rejection.Conflict("invoice_number_conflict",
                    $"Invoice {c.InvoiceNumber} already exists with other details", "invoiceNumber"));
        }
        if (state.Status == AccountStatus.Closed)
            return Decision.Reject(ClosedConflict(state));

        var events = new List<AccountEvent>
        {
            new InvoiceIssued(stamp.Meta(c.IssueDate), c.InvoiceNumber, c.IssueDate, dueDate, c.Amount, lines, c.Discount, c.HoldId),
        };
        if (c.HoldId is not null)
        {
            if (!TryFindHold(state, c.HoldId, out var trace, out var hold))
                return Decision.Reject(Rejection.Invalid("holdId", $"hold {c.HoldId} does not exist"));
            if (hold is null || trace.Status != HoldStatus.Active || trace.ExpiresAt <= stamp.Now)
                return Decision.Reject(Rejection.Conflict("hold_not_active", $"Hold {c.HoldId} is no longer active", "holdId"));
            var captured = Math.Min(hold.Amount, c.Amount);
            events.Add(new CreditHoldCaptured(stamp.Meta(c.IssueDate), hold.HoldId, c.InvoiceNumber, captured, hold.Amount - captured));
        }
        events.AddRange(ApplyUnappliedCash(state, c, lines, stamp));
        return WithDueExpiries(state, stamp, [.. events]);
    }

    private static Rejection? InvoiceProblem(AccountState state, IssueInvoice c)
    {
        var problem = IdProblem("invoiceNumber", c.InvoiceNumber)
            ?? AmountProblem(state, "amount", c.Amount)
            ?? (c.HoldId is null ? null : IdProblem("holdId", c.HoldId))
            ?? DateProblem("issueDate", c.IssueDate)
            ?? DateProblem("dueDate", c.DueDate)
            ?? (c.DueDate is { } due && due < c.IssueDate ? Rejection.Invalid("dueDate", "dueDate must not be before issueDate") : null);
        if (problem is not null)
            return problem;
        if (c.Installments is { } installments)
        {
            if (installments.Count is 0 or > MaximumInstallments)
                return Rejection.Invalid("installments", $"installments must have 1 to {MaximumInstallments} lines");
            for (var i = 0; i < installments.Count; i++)
            {
                problem = AmountProblem(state, $"installments[{i}].amount", installments[i].Amount)
                    ?? DateProblem($"installments[{i}].dueDate", installments[i].DueDate)
                    ?? (installments[i].DueDate < c.IssueDate
                        ? Rejection.Invalid($"installments[{i}].dueDate", "an installment must not be due before issueDate") : null)
                    ?? (i > 0 && installments[i].DueDate < installments[i - 1].DueDate
                        ? Rejection.Invalid($"installments[{i}].dueDate", "installments must be in due-date order") : null);
                if (problem is not null)
                    return problem;
            }
            if (installments.Sum(l => l.Amount) != c.Amount)
                return Rejection.Invalid("installments", $"installments sum to {installments.Sum(l => l.Amount)}, not the amount {c.Amount}");
            if (c.DueDate is { } lastDue && lastDue != installments[^1].DueDate)
                return Rejection.Invalid("dueDate", "dueDate must be the last installment's due date, or be left out");
        }
        if (c.Discount is { } discount)
        {
            if (discount.Percent <= 0m || discount.Percent >= 100m || decimal.Round(discount.Percent, 2) != discount.Percent)
                return Rejection.Invalid("discount.percent", "discount.percent must be above 0 and below 100, with at most 2 decimals");
            if (discount.WithinDays is < 0 or > MaximumPaymentTermsDays)
                return Rejection.Invalid("discount.withinDays", $"discount.withinDays must be between 0 and {MaximumPaymentTermsDays}");
        }
        if (c.Installments is null && c.DueDate is null && !BusinessDates.InRange(c.IssueDate.AddDaysSaturating(state.PaymentTermsDays)))
            return Rejection.Invalid("issueDate",
                $"issueDate plus the account's {state.PaymentTermsDays} days of payment terms falls after {BusinessDates.Latest:yyyy-MM-dd}; give a dueDate");
        return null;
    }

    /// <summary>The invoice's due lines: the installments given, else one line due after the account's payment terms.</summary>
    private static List<IssuedLine> InvoiceLines(AccountState state, IssueInvoice c) =>
        c.Installments is { } installments
            ? installments.Select((l, i) => new IssuedLine(i + 1, l.DueDate, l.Amount)).ToList()
            : [new IssuedLine(1, c.DueDate ?? c.IssueDate.AddDaysSaturating(state.PaymentTermsDays), c.Amount)];

    /// <summary>A customer credit balance settles a new invoice at once, oldest payment's cash first.</summary>
    private static IEnumerable<AccountEvent> ApplyUnappliedCash(AccountState state, IssueInvoice c, List<IssuedLine> lines, Stamp stamp)
    {
        // The running total says whether any payment has cash left: without, no payment is looked at.
        if (state.UnappliedCash == 0m)
            yield break;
        var open = lines.ToDictionary(l => l.Line, l => l.Amount);
        var payments = state.Payments.Values.Where(p => p.Unapplied > 0m)
            .OrderBy(p => p.ReceivedDate).ThenBy(p => p.PaymentReference, StringComparer.Ordinal);
        foreach (var payment in payments)
        {
            var remaining = payment.Unapplied;
            var allocations = new List<AllocationLine>();
            foreach (var line in lines.Where(l => open[l.Line] > 0m))
            {
                if (remaining == 0m)
                    break;
                var amount = Math.Min(remaining, open[line.Line]);
                open[line.Line] -= amount;
                remaining -= amount;
                allocations.Add(new AllocationLine(c.InvoiceNumber, line.Line, amount));
            }
            if (allocations.Count == 0)
                yield break;
            var effective = payment.ReceivedDate > c.IssueDate ? payment.ReceivedDate : c.IssueDate;
            yield return new PaymentAllocated(stamp.Meta(effective), payment.PaymentReference, allocations);
        }
    }
}
