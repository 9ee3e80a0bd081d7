using System.Collections.Immutable;

namespace CreditActors.Domain.Accounts;

public sealed partial record AccountState
{
    /// <summary>
    /// From this many holds (or invoices) on, the state keeps an index of them and maintains it event by event; below it a
    /// scan of so few items costs less than the index's memory, which every account would otherwise carry.
    /// </summary>
    public const int IndexedFrom = 32;

    private static readonly IComparer<(DateTimeOffset ExpiresAt, string HoldId)> ExpiryOrder =
        Comparer<(DateTimeOffset ExpiresAt, string HoldId)>.Create(
            (a, b) => a.ExpiresAt != b.ExpiresAt ? a.ExpiresAt.CompareTo(b.ExpiresAt) : string.CompareOrdinal(a.HoldId, b.HoldId));

    /// <summary>The index and the holds collection it was derived from: an index is only ever used with its own collection.</summary>
    private sealed record ExpiryIndex(ImmutableSortedDictionary<string, Hold> Holds, ImmutableSortedSet<(DateTimeOffset ExpiresAt, string HoldId)> Set);

    private ExpiryIndex? _holdsByExpiry;

    /// <summary>The expiry index kept for this state's holds, if it keeps one (it does from <see cref="IndexedFrom"/> holds on).</summary>
    private ExpiryIndex? KeptExpiryIndex
    {
        get
        {
            var index = _holdsByExpiry;
            if (index is not null && ReferenceEquals(index.Holds, Holds))
                return index;
            if (Holds.Count < IndexedFrom)
                return null;
            // A large state whose holds were set otherwise (a snapshot just read, a state built by hand): built once.
            return _holdsByExpiry = new ExpiryIndex(Holds, BuildExpirySet(Holds));
        }
    }

    private static ImmutableSortedSet<(DateTimeOffset ExpiresAt, string HoldId)> BuildExpirySet(ImmutableSortedDictionary<string, Hold> holds) =>
        holds.Values.Where(h => h.Status == HoldStatus.Active).Select(h => (h.ExpiresAt, h.HoldId)).ToImmutableSortedSet(ExpiryOrder);

    /// <summary>
    /// The active holds as (expiry, hold id), earliest first. A large state keeps it as an index, so that "is any hold due?"
    /// and "when is the next expiry?" cost a lookup instead of a scan of every hold; a small state builds it when asked.
    /// Not part of any stored shape.
    /// </summary>
    public ImmutableSortedSet<(DateTimeOffset ExpiresAt, string HoldId)> ActiveHoldsByExpiry => KeptExpiryIndex?.Set ?? BuildExpirySet(Holds);

    /// <summary>The earliest instant at which an active hold expires, if any: from the index, or a scan of a few holds. Allocates nothing.</summary>
    public DateTimeOffset? EarliestExpiry
    {
        get
        {
            if (KeptExpiryIndex is { } index)
                return index.Set.Count > 0 ? index.Set.Min.ExpiresAt : null;
            DateTimeOffset? earliest = null;
            foreach (var (_, hold) in Holds)
                if (hold.Status == HoldStatus.Active && (earliest is null || hold.ExpiresAt < earliest))
                    earliest = hold.ExpiresAt;
            return earliest;
        }
    }

    /// <summary>This state with one hold placed or ended, its index (if it keeps one) derived from this one's rather than rebuilt.</summary>
    internal AccountState WithHold(Hold changed, decimal heldAmount)
    {
        var holds = Holds.SetItem(changed.HoldId, changed);
        var index = KeptExpiryIndex;
        ExpiryIndex? next = null;
        if (index is not null)
        {
            var key = (changed.ExpiresAt, changed.HoldId);
            next = new ExpiryIndex(holds, changed.Status == HoldStatus.Active ? index.Set.Add(key) : index.Set.Remove(key));
        }
        return this with { Holds = holds, HeldAmount = heldAmount, _holdsByExpiry = next };
    }

    /// <summary>The index after holds left the collection (none of them active): carried over while the state stays large.</summary>
    private ExpiryIndex? ExpiryIndexFor(ImmutableSortedDictionary<string, Hold> holds) =>
        holds.Count >= IndexedFrom / 2 && KeptExpiryIndex is { } index ? new ExpiryIndex(holds, index.Set) : null;
}
