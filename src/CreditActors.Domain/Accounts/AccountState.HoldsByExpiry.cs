using System.Collections.Immutable;

namespace CreditActors.Domain.Accounts;

public sealed partial record AccountState
{
    private static readonly IComparer<(DateTimeOffset ExpiresAt, string HoldId)> ExpiryOrder =
        Comparer<(DateTimeOffset ExpiresAt, string HoldId)>.Create(
            (a, b) => a.ExpiresAt != b.ExpiresAt ? a.ExpiresAt.CompareTo(b.ExpiresAt) : string.CompareOrdinal(a.HoldId, b.HoldId));

    /// <summary>The index and the holds collection it was derived from: an index is only ever used with its own collection.</summary>
    private sealed record ExpiryIndex(ImmutableSortedDictionary<string, Hold> Holds, ImmutableSortedSet<(DateTimeOffset ExpiresAt, string HoldId)> Set);

    private ExpiryIndex? _holdsByExpiry;

    /// <summary>
    /// The active holds as (expiry, hold id), earliest first, so that "is any hold due?" and "when is the next expiry?"
    /// cost a lookup instead of a scan of every hold the account ever had. Derived from <see cref="Holds"/>: kept up to
    /// date hold by hold by <see cref="CreditAccount.Evolve"/>, and built once for a state whose holds were set otherwise
    /// (a snapshot just read, a state built by hand). Not part of any stored shape.
    /// </summary>
    public ImmutableSortedSet<(DateTimeOffset ExpiresAt, string HoldId)> ActiveHoldsByExpiry
    {
        get
        {
            var index = _holdsByExpiry;
            if (index is null || !ReferenceEquals(index.Holds, Holds))
                _holdsByExpiry = index = new ExpiryIndex(Holds,
                    Holds.Values.Where(h => h.Status == HoldStatus.Active).Select(h => (h.ExpiresAt, h.HoldId)).ToImmutableSortedSet(ExpiryOrder));
            return index.Set;
        }
    }

    /// <summary>This state with one hold placed or ended, its index derived from this one's rather than rebuilt.</summary>
    internal AccountState WithHold(Hold changed, decimal heldAmount)
    {
        var holds = Holds.SetItem(changed.HoldId, changed);
        var key = (changed.ExpiresAt, changed.HoldId);
        var set = changed.Status == HoldStatus.Active ? ActiveHoldsByExpiry.Add(key) : ActiveHoldsByExpiry.Remove(key);
        return this with { Holds = holds, HeldAmount = heldAmount, _holdsByExpiry = new ExpiryIndex(holds, set) };
    }
}
