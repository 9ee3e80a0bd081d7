namespace CreditActors.Domain.Accounts;

public static partial class CreditAccount
{
    private static Decision DecideCreditNote(AccountState state, IssueCreditNote c, Stamp stamp)
    {
        var problem = IdProblem("creditNoteNumber", c.CreditNoteNumber)
            ?? ReceivableProblem("invoiceNumber", c.InvoiceNumber)
            ?? AmountProblem(state, "amount", c.Amount)
            ?? TextProblem("reason", c.Reason, required: true)
            ?? (c.Line is < 1 ? Rejection.Invalid("line", "line numbers start at 1") : null);
        if (problem is not null)
            return Decision.Reject(problem);
        if (TryFindFingerprint(state.CreditNotes, state.Settled.CreditNotes, c.CreditNoteNumber, n => n.Fingerprint, out var existing))
        {
            var same = existing == Fingerprints.CreditNote(c.InvoiceNumber, c.Amount, c.Reason, c.Line);
            return same
                ? Decision.Unchanged
                : Decision.Reject(Rejection.Conflict("credit_note_number_conflict",
                    $"Credit note {c.CreditNoteNumber} already exists with other details", "creditNoteNumber"));
        }
        if (state.Status == AccountStatus.Closed)
            return Decision.Reject(ClosedConflict(state));

        var (targets, open, targetProblem) = SettlementTargets(state, c.InvoiceNumber, c.Line, "");
        problem = targetProblem
            ?? (c.Amount > open ? Rejection.Invalid("amount", $"{c.Amount} is more than the {open} open on invoice {c.InvoiceNumber}") : null)
            ?? EffectiveDateProblem(state, c.InvoiceNumber, c.EffectiveDate);
        if (problem is not null)
            return Decision.Reject(problem);
        var lines = Distribute(targets, c.Amount).Select(x => new LineAmount(x.Line.Line, x.Amount)).ToList();
        return WithDueExpiries(state, stamp,
            new CreditNoteIssued(stamp.Meta(c.EffectiveDate), c.CreditNoteNumber, c.InvoiceNumber, c.Amount, c.Reason, c.Line, lines));
    }

    private static Decision DecideWriteOff(AccountState state, WriteOffInvoice c, Stamp stamp)
    {
        var problem = IdProblem("writeOffId", c.WriteOffId)
            ?? ReceivableProblem("invoiceNumber", c.InvoiceNumber)
            ?? (c.Amount is { } amount ? AmountProblem(state, "amount", amount) : null)
            ?? TextProblem("reason", c.Reason, required: true)
            ?? (c.Line is < 1 ? Rejection.Invalid("line", "line numbers start at 1") : null);
        if (problem is not null)
            return Decision.Reject(problem);
        if (TryFindFingerprint(state.WriteOffs, state.Settled.WriteOffs, c.WriteOffId, w => w.Fingerprint, out var existing))
        {
            var same = existing == Fingerprints.WriteOff(c.InvoiceNumber, c.Line, c.Amount, c.Reason);
            return same
                ? Decision.Unchanged
                : Decision.Reject(Rejection.Conflict("write_off_id_conflict",
                    $"Write-off {c.WriteOffId} already exists with other details", "writeOffId"));
        }
        if (state.Status == AccountStatus.Closed)
            return Decision.Reject(ClosedConflict(state));

        var (targets, open, targetProblem) = SettlementTargets(state, c.InvoiceNumber, c.Line, "");
        var writeOff = c.Amount ?? open;
        problem = targetProblem
            ?? (open == 0m ? Rejection.Conflict("nothing_open", $"Invoice {c.InvoiceNumber} has nothing open to write off") : null)
            ?? (writeOff > open ? Rejection.Invalid("amount", $"{writeOff} is more than the {open} open on invoice {c.InvoiceNumber}") : null)
            ?? EffectiveDateProblem(state, c.InvoiceNumber, c.EffectiveDate);
        if (problem is not null)
            return Decision.Reject(problem);
        var events = Distribute(targets, writeOff)
            .Select(x => (AccountEvent)new InvoiceLineWrittenOff(
                stamp.Meta(c.EffectiveDate), c.WriteOffId, c.InvoiceNumber, x.Line.Line, x.Amount, c.Reason, c.Line, c.Amount))
            .ToArray();
        return WithDueExpiries(state, stamp, events);
    }

    private static Rejection? EffectiveDateProblem(AccountState state, string invoiceNumber, DateOnly? effectiveDate) =>
        DateProblem("effectiveDate", effectiveDate) ?? (effectiveDate is { } date && state.Invoices.TryGetValue(invoiceNumber, out var invoice)
            && date < invoice.IssueDate
            ? Rejection.Invalid("effectiveDate", "effectiveDate must not be before the invoice's issueDate")
            : null);
}
