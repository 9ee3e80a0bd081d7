using CreditActors.Domain.Accounts;
using CreditActors.Domain.Collections;

namespace CreditActors.Domain.Rating;

/// <summary>
/// The facts a rating reads as of a date: the behaviour history, what is open and past due, exposure and limit, the
/// latest external rating and the current rating. Taken from the live state (as of today) or folded from the account's
/// events as of any date, optionally as known at an instant.
/// </summary>
public sealed record RatingInputs(
    string CurrencyCode,
    DateOnly AsOf,
    RatingHistory History,
    decimal Receivables,
    decimal PastDue,
    int OldestDaysPastDue,
    decimal Exposure,
    decimal CreditLimit,
    ExternalRating? External,
    AccountRating? Current)
{
    /// <summary>The inputs of the live state as of <paramref name="asOf"/> (today, for the live account).</summary>
    public static RatingInputs FromState(AccountState state, DateOnly asOf)
    {
        var pastDue = 0m;
        var oldest = 0;
        foreach (var invoice in state.Invoices.Values)
            foreach (var line in invoice.Lines)
            {
                var late = asOf.DayNumber - line.DueDate.DayNumber;
                if (line.Open > 0m && late > 0)
                {
                    pastDue += line.Open;
                    oldest = Math.Max(oldest, late);
                }
            }
        return new RatingInputs(state.CurrencyCode, asOf, state.Behaviour, state.Receivables, pastDue, oldest,
            state.Exposure, state.CreditLimit, state.External, state.Rating);
    }

    /// <summary>
    /// The inputs folded from an account's events effective on or before <paramref name="asOf"/> (and, with
    /// <paramref name="knownAt"/>, recorded by that instant): nothing later leaks in. A settlement of a line the cut-off
    /// leaves out (a backdated invoice) is left out with it.
    /// </summary>
    public static RatingInputs FromEvents(IEnumerable<AccountEvent> events, DateOnly asOf, DateTimeOffset? knownAt = null)
    {
        var fold = new RatingFold();
        foreach (var e in events)
            if (e.Meta.EffectiveDate <= asOf && (knownAt is null || e.Meta.RecordedAt <= knownAt))
                fold.Apply(e, asOf);
        return fold.Inputs(asOf);
    }
}

/// <summary>
/// The rating's fold of one account's events, applied one at a time (a replay as of a date, or a backtest passing through
/// the journal): tolerates the gaps a cut-off by date leaves (a settlement of a line issued after the cut-off is left out).
/// Lines leave it once nothing is open on them, so it holds what is open plus the behaviour months.
/// </summary>
public sealed class RatingFold
{
    private readonly Dictionary<(string Invoice, int Line), (DateOnly DueDate, decimal Open)> _lines = [];
    private readonly Dictionary<string, bool> _invoicePaid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, decimal> _invoiceOpen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, decimal> _holds = new(StringComparer.Ordinal);
    private readonly HashSet<string> _writeOffs = new(StringComparer.Ordinal);
    private RatingHistory _history = RatingHistory.Empty;
    private string _currency = "";
    private decimal _limit;
    private decimal _receivables;
    private decimal _held;
    private ExternalRating? _external;
    private AccountRating? _rating;

    /// <summary>Whether the account's opening has been applied.</summary>
    public bool Opened { get; private set; }

    /// <summary>Applies an event; its utilisation counts from the day it was recorded, but never after <paramref name="through"/>.</summary>
    public void Apply(AccountEvent e, DateOnly through)
    {
        var recorded = DateOnly.FromDateTime(e.Meta.RecordedAt.UtcDateTime);
        var day = recorded < through ? recorded : through;
        if (_history.UtilisationFrom != day)
            _history = _history.AccrueUntil(day, RatingHistory.UtilisationPercent(_receivables + _held, _limit));
        var effective = e.Meta.EffectiveDate;
        switch (e)
        {
            case AccountOpened o:
                (_currency, _limit) = (o.Currency, o.CreditLimit);
                Opened = true;
                break;
            case CreditLimitChanged c:
                _limit = c.NewLimit;
                break;
            case CreditHoldPlaced h:
                _holds[h.HoldId] = h.Amount;
                _held += h.Amount;
                break;
            case CreditHoldCaptured h:
                EndHold(h.HoldId);
                break;
            case CreditHoldReleased h:
                EndHold(h.HoldId);
                break;
            case CreditHoldExpired h:
                EndHold(h.HoldId);
                break;
            case InvoiceIssued i:
                foreach (var line in i.Lines)
                    _lines[(i.InvoiceNumber, line.Line)] = (line.DueDate, line.Amount);
                _invoicePaid[i.InvoiceNumber] = false;
                _invoiceOpen[i.InvoiceNumber] = i.Amount;
                _receivables += i.Amount;
                _history = _history.Invoiced(i.IssueDate, i.Amount);
                break;
            case LateFeeCharged f:
                Charge(f.ChargeNumber, f.DueDate, f.Amount);
                break;
            case InterestCharged i:
                Charge(i.ChargeNumber, i.DueDate, i.Amount);
                break;
            case CreditNoteIssued c:
                Settle(c.InvoiceNumber, c.Lines);
                // A fee or interest waived is not a sale credited.
                if (!ChargeNumbers.IsCharge(c.InvoiceNumber))
                    _history = _history.Credited(effective, c.Amount);
                break;
            case PaymentAllocated p:
                var paid = new List<(DateOnly, decimal)>();
                foreach (var a in p.Allocations)
                    if (!ChargeNumbers.IsCharge(a.InvoiceNumber) && _lines.TryGetValue((a.InvoiceNumber, a.Line), out var line))
                    {
                        paid.Add((line.DueDate, a.Amount));
                        _invoicePaid[a.InvoiceNumber] = true;
                    }
                _history = _history.Paid(effective, paid);
                foreach (var invoice in p.Allocations.Select(a => a.InvoiceNumber).Distinct())
                    if (Settle(invoice, p.Allocations.Where(a => a.InvoiceNumber == invoice).Select(a => new LineAmount(a.Line, a.Amount)))
                        && !ChargeNumbers.IsCharge(invoice))
                        _history = _history.InvoicePaid();
                break;
            case EarlyPaymentDiscountGranted d:
                var paidBefore = _invoicePaid.GetValueOrDefault(d.InvoiceNumber);
                if (Settle(d.InvoiceNumber, d.Lines) && paidBefore)
                    _history = _history.InvoicePaid();
                break;
            case InvoiceLineWrittenOff w:
                Settle(w.InvoiceNumber, [new LineAmount(w.Line, w.Amount)]);
                if (_writeOffs.Add(w.WriteOffId))
                    _history = _history.WrittenOff(effective);
                break;
            case AccountBlocked:
                _history = _history.Blocked(effective);
                break;
            case RatingAssigned r:
                _rating = CreditAccount.RatingOf(r);
                break;
            case ExternalRatingRecorded x:
                _external = new ExternalRating(x.Agency, x.Grade, x.Score, x.ReportDate, x.Reference);
                break;
            case ProfileUpdated or CreditLimitChangeRequested or CreditLimitChangeApproved or CreditLimitChangeRejected
                or AccountUnblocked or AccountClosed or PaymentReceived
                or DunningNoticeIssued or InvoiceDisputed or DisputeResolved or PromiseToPayRecorded or PromiseKept or PromiseBroken
                or CollectionNoteAdded or CollectorAssigned or ContactPreferencesSet or StatementIssued or StatementSent or StatementDeliveryFailed or BalanceConfirmed or BalanceDisputed or ReconciliationItemResolved or DunningNoticeSent or DunningDeliveryFailed or PersonalDataErased:
                break;
            default:
                throw new UnknownEventException(nameof(RatingInputs), e);
        }
    }

    /// <summary>The limit in force after what was applied.</summary>
    public decimal CreditLimit => _limit;

    public RatingInputs Inputs(DateOnly asOf)
    {
        var pastDue = 0m;
        var oldest = 0;
        foreach (var (dueDate, open) in _lines.Values)
        {
            var late = asOf.DayNumber - dueDate.DayNumber;
            if (open > 0m && late > 0)
            {
                pastDue += open;
                oldest = Math.Max(oldest, late);
            }
        }
        return new RatingInputs(_currency, asOf, _history, _receivables, pastDue, oldest, _receivables + _held, _limit, _external, _rating);
    }

    /// <summary>A fee or interest charge: receivable like a line, but not a sale (no invoicing, no invoice paid).</summary>
    private void Charge(string number, DateOnly dueDate, decimal amount)
    {
        if (_invoiceOpen.ContainsKey(number))
            return;
        _lines[(number, 1)] = (dueDate, amount);
        _invoiceOpen[number] = amount;
        _receivables += amount;
    }

    private void EndHold(string holdId)
    {
        if (_holds.Remove(holdId, out var amount))
            _held -= amount;
    }

    /// <summary>Settles the lines it knows; true when that leaves the invoice with nothing open.</summary>
    private bool Settle(string invoice, IEnumerable<LineAmount> amounts)
    {
        var known = false;
        foreach (var amount in amounts)
            if (_lines.TryGetValue((invoice, amount.Line), out var line))
            {
                known = true;
                if (line.Open - amount.Amount == 0m)
                    _lines.Remove((invoice, amount.Line));
                else
                    _lines[(invoice, amount.Line)] = (line.DueDate, line.Open - amount.Amount);
                _receivables -= amount.Amount;
                _invoiceOpen[invoice] -= amount.Amount;
            }
        if (!known || _invoiceOpen[invoice] != 0m)
            return false;
        // Nothing about a settled invoice can change any more: it leaves the fold.
        _invoiceOpen.Remove(invoice);
        _invoicePaid.Remove(invoice);
        return true;
    }
}
