using CreditActors.Domain.Accounts;

namespace CreditActors.Domain.Aging;

/// <summary>
/// Aging buckets by days past due: "current" (not yet due), then one bucket up to each boundary, then "over" the last.
/// The default boundaries 30, 60, 90, 180 give current, 1-30, 31-60, 61-90, 91-180, over-180.
/// </summary>
public sealed record AgingBuckets(IReadOnlyList<int> Boundaries)
{
    public const int MaximumBoundaries = 12;

    public static readonly AgingBuckets Default = new([30, 60, 90, 180]);

    /// <summary>Parses "30,60,90,180"; null when the text is not strictly increasing positive day counts.</summary>
    public static AgingBuckets? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return Default;
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var boundaries = new List<int>();
        foreach (var part in parts)
        {
            if (!int.TryParse(part, out var days) || days < 1 || days > 36_500 || (boundaries.Count > 0 && days <= boundaries[^1]))
                return null;
            boundaries.Add(days);
        }
        return boundaries.Count is 0 or > MaximumBoundaries ? null : new AgingBuckets(boundaries);
    }

    public IReadOnlyList<string> Labels =>
    [
        "current",
        .. Boundaries.Select((upper, i) => $"{(i == 0 ? 1 : Boundaries[i - 1] + 1)}-{upper}"),
        $"over-{Boundaries[^1]}",
    ];

    /// <summary>0 for current, then 1.. for each bucket past due.</summary>
    public int IndexFor(int daysPastDue)
    {
        if (daysPastDue <= 0)
            return 0;
        for (var i = 0; i < Boundaries.Count; i++)
            if (daysPastDue <= Boundaries[i])
                return i + 1;
        return Boundaries.Count + 1;
    }
}

/// <summary>One installment line with what was open on it as of a date.</summary>
public sealed record AgedLine(string AccountId, string InvoiceNumber, int Line, DateOnly DueDate, decimal Open, int DaysPastDue, int Bucket);

/// <summary>
/// Aging computed straight from an account's events: a line is open as of D by its amount less every settlement
/// (payment allocation, credit note, discount, write-off) effective on or before D. A line paid after D is open
/// as of D. With knownAt, only events recorded by that instant count (what the ledger knew then).
/// </summary>
public static class AgingCalculator
{
    private sealed record LineHistory(
        DateOnly IssueDate, DateTimeOffset RecordedAt, DateOnly DueDate, decimal Amount,
        List<(DateOnly Effective, DateTimeOffset Recorded, decimal Amount)> Settlements);

    public static IReadOnlyList<AgedLine> FromEvents(
        string accountId, IEnumerable<AccountEvent> events, DateOnly asOf, AgingBuckets buckets, DateTimeOffset? knownAt = null)
    {
        var lines = new Dictionary<(string Invoice, int Line), LineHistory>();
        void Settle(string invoice, int line, decimal amount, EventMetadata meta) =>
            lines[(invoice, line)].Settlements.Add((meta.EffectiveDate, meta.RecordedAt, amount));

        foreach (var e in events)
        {
            switch (e)
            {
                case InvoiceIssued i:
                    foreach (var l in i.Lines)
                        lines[(i.InvoiceNumber, l.Line)] = new LineHistory(i.IssueDate, i.Meta.RecordedAt, l.DueDate, l.Amount, []);
                    break;
                case LateFeeCharged f:
                    lines[(f.ChargeNumber, 1)] = new LineHistory(f.DueDate, f.Meta.RecordedAt, f.DueDate, f.Amount, []);
                    break;
                case InterestCharged i:
                    lines[(i.ChargeNumber, 1)] = new LineHistory(i.DueDate, i.Meta.RecordedAt, i.DueDate, i.Amount, []);
                    break;
                case PaymentAllocated p:
                    foreach (var a in p.Allocations)
                        Settle(a.InvoiceNumber, a.Line, a.Amount, p.Meta);
                    break;
                case CreditNoteIssued n:
                    foreach (var l in n.Lines)
                        Settle(n.InvoiceNumber, l.Line, l.Amount, n.Meta);
                    break;
                case EarlyPaymentDiscountGranted d:
                    foreach (var l in d.Lines)
                        Settle(d.InvoiceNumber, l.Line, l.Amount, d.Meta);
                    break;
                case InvoiceLineWrittenOff w:
                    Settle(w.InvoiceNumber, w.Line, w.Amount, w.Meta);
                    break;
                // Neither a line nor a settlement of one: cash received waits for its allocation.
                case AccountOpened or ProfileUpdated or CreditLimitChanged or CreditLimitChangeRequested or CreditLimitChangeApproved
                    or CreditLimitChangeRejected or AccountBlocked or AccountUnblocked or AccountClosed or CreditHoldPlaced
                    or CreditHoldCaptured or CreditHoldReleased or CreditHoldExpired or PaymentReceived or RatingAssigned or ExternalRatingRecorded
                    or DunningNoticeIssued or InvoiceDisputed or DisputeResolved or PromiseToPayRecorded or PromiseKept or PromiseBroken
                    or CollectionNoteAdded or CollectorAssigned or ContactPreferencesSet or StatementIssued or StatementSent or StatementDeliveryFailed or BalanceConfirmed or BalanceDisputed or ReconciliationItemResolved or DunningNoticeSent or DunningDeliveryFailed or PersonalDataErased:
                    break;
                default:
                    throw new UnknownEventException(nameof(AgingCalculator), e);
            }
        }

        var aged = new List<AgedLine>();
        foreach (var ((invoice, line), history) in lines)
        {
            if (history.IssueDate > asOf || (knownAt is { } known && history.RecordedAt > known))
                continue;
            var settled = history.Settlements
                .Where(s => s.Effective <= asOf && (knownAt is null || s.Recorded <= knownAt))
                .Sum(s => s.Amount);
            var open = history.Amount - settled;
            if (open <= 0m)
                continue;
            var days = asOf.DayNumber - history.DueDate.DayNumber;
            aged.Add(new AgedLine(accountId, invoice, line, history.DueDate, open, days, buckets.IndexFor(days)));
        }
        return aged.OrderBy(a => a.InvoiceNumber, StringComparer.Ordinal).ThenBy(a => a.Line).ToList();
    }
}
