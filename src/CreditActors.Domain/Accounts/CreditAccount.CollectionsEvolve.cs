using System.Collections.Immutable;
using CreditActors.Domain.Collections;

namespace CreditActors.Domain.Accounts;

public static partial class CreditAccount
{
    /// <summary>A fee or interest charge as a receivable line of its own: one line, due on the day it is charged.</summary>
    private static AccountState AddCharge(AccountState state, string number, DateOnly dueDate, decimal amount) =>
        state.WithInvoice(null, new Invoice(number, dueDate, dueDate, amount, [new InvoiceLine(1, dueDate, amount)], null, null),
            state.Receivables + amount);

    private static AccountState ApplyNotice(AccountState state, DunningNoticeIssued e)
    {
        var c = state.Collections;
        var lines = c.Lines;
        foreach (var listed in e.Lines)
        {
            var key = new LineRef(listed.InvoiceNumber, listed.Line);
            var line = lines.TryGetValue(key, out var kept) ? kept : LineDunning.For(listed.DueDate);
            line = line with { Level = Math.Max(line.Level, listed.Level) };
            if (listed.InterestFrom is { } from && !line.InterestRuns)
                line = line with { InterestFrom = from, InterestRatePercent = listed.InterestRatePercent ?? 0m };
            lines = lines.SetItem(key, line);
        }
        return state with
        {
            Collections = c with
            {
                Lines = lines,
                LastNoticeOn = e.Meta.EffectiveDate,
                LastNoticeLevel = e.Level,
                Deliveries = c.Deliveries.SetItem(e.NoticeId,
                    new NoticeDelivery(e.NoticeId, e.Meta.EffectiveDate, e.Channel, 0, DeliveryStatus.Pending, null)),
            },
        };
    }

    private static AccountState ApplyInterest(AccountState state, InterestCharged e)
    {
        var next = AddCharge(state, e.ChargeNumber, e.DueDate, e.Amount);
        var lines = next.Collections.Lines;
        foreach (var charged in e.Lines)
        {
            var key = new LineRef(charged.InvoiceNumber, charged.Line);
            if (!lines.TryGetValue(key, out var line))
                continue;
            line = line with { InterestCharged = line.InterestCharged + charged.Amount, InterestChargedTo = charged.To };
            lines = line.Settled ? lines.Remove(key) : lines.SetItem(key, line);
        }
        return next with { Collections = next.Collections with { Lines = lines } };
    }

    private static AccountState ApplyDelivery(AccountState state, string noticeId, Func<NoticeDelivery, NoticeDelivery?> change)
    {
        var c = state.Collections;
        if (!c.Deliveries.TryGetValue(noticeId, out var delivery))
            return state;
        var changed = change(delivery);
        return state with
        {
            Collections = c with { Deliveries = changed is null ? c.Deliveries.Remove(noticeId) : c.Deliveries.SetItem(noticeId, changed) },
        };
    }

    /// <summary>A reply answers the statement; a dispute opens its reconciliation item; a resolution closes it (and the statement leaves the figures kept).</summary>
    private static AccountState ApplyReply(AccountState state, string statementId, string? reconciliation)
    {
        var c = state.Collections;
        if (!c.StatementFigures.TryGetValue(statementId, out var figures))
            return state;
        var figuresNow = figures with { Replied = true, Reconciliation = reconciliation };
        var kept = reconciliation is null || reconciliation != "open" ? c.StatementFigures.Remove(statementId) : c.StatementFigures.SetItem(statementId, figuresNow);
        return state with { Collections = c with { StatementFigures = kept } };
    }

    private static AccountState ApplyPromiseOutcome(AccountState state, string promiseId, PromiseStatus status, decimal received)
    {
        var c = state.Collections;
        var promise = c.Promises[promiseId];
        return state with { Collections = c with { Promises = c.Promises.SetItem(promiseId, promise with { Status = status, Received = received }) } };
    }

    /// <summary>
    /// What collections follows of the events that are not its own: payments towards open promises, and every reduction of
    /// a line made after its due date (the timeline interest runs on). A line that settles leaves collections, unless interest
    /// on it is still to be charged.
    /// </summary>
    private static AccountState TrackCollections(AccountState before, AccountState after, AccountEvent @event)
    {
        IEnumerable<(string Invoice, int Line, decimal Amount)> reductions = @event switch
        {
            PaymentAllocated e => e.Allocations.Select(a => (a.InvoiceNumber, a.Line, a.Amount)),
            CreditNoteIssued e => e.Lines.Select(l => (e.InvoiceNumber, l.Line, l.Amount)),
            EarlyPaymentDiscountGranted e => e.Lines.Select(l => (e.InvoiceNumber, l.Line, l.Amount)),
            InvoiceLineWrittenOff e => [(e.InvoiceNumber, e.Line, e.Amount)],
            _ => [],
        };
        var c = after.Collections;
        if (@event is PaymentReceived payment && c.Promises.Values.Any(p => p.Status == PromiseStatus.Open))
        {
            var promises = c.Promises;
            foreach (var open in c.Promises.Values.Where(p => p.Status == PromiseStatus.Open))
                promises = promises.SetItem(open.PromiseId, open with { Received = open.Received + payment.Amount });
            return after with { Collections = c with { Promises = promises } };
        }
        var lines = c.Lines;
        var effective = @event.Meta.EffectiveDate;
        foreach (var (invoiceNumber, lineNumber, amount) in reductions)
        {
            if (ChargeNumbers.IsCharge(invoiceNumber) || !before.Invoices.TryGetValue(invoiceNumber, out var invoice))
                continue;
            var index = IndexOfLine(invoice.Lines, lineNumber);
            var dueDate = invoice.Lines[index].DueDate;
            var key = new LineRef(invoiceNumber, lineNumber);
            var known = lines.TryGetValue(key, out var line);
            if (!known && effective <= dueDate)
                continue;
            line ??= LineDunning.For(dueDate);
            if (effective > dueDate)
                line = line with { LateReductions = line.LateReductions.Add(new LateReduction(effective, amount)) };
            var openNow = OpenOf(after, key);
            if (openNow > 0m)
                lines = lines.SetItem(key, line);
            else if (!line.InterestRuns || line.InterestOwed(0m, LastReduction(line), after.Currency) <= 0m)
                lines = lines.Remove(key);
            else
                lines = lines.SetItem(key, line with { Settled = true });
        }
        return ReferenceEquals(lines, c.Lines) ? after : after with { Collections = c with { Lines = lines } };
    }

    private static DateOnly LastReduction(LineDunning line) =>
        line.LateReductions.IsEmpty ? line.DueDate : line.LateReductions.Max(r => r.Date);
}
