using System.Collections.Immutable;
using System.Runtime.CompilerServices;

namespace CreditActors.Domain.Accounts;

/// <summary>
/// The active holds of an account ordered by expiry, so that "is any hold due?" and "when is the next expiry?" cost a
/// lookup instead of a scan of every hold the account ever had. The index belongs to one holds collection (an
/// immutable value) and is kept beside it rather than in <see cref="AccountState"/>, so that the state's shape, its
/// equality and its snapshots stay as they are. <see cref="CreditAccount.Evolve"/> derives the next index from the
/// previous one as holds are placed and ended; a collection it has not seen (a snapshot just read, a state built by
/// hand) gets its index built once from its holds.
/// </summary>
public static class ActiveHoldIndex
{
    private static readonly ConditionalWeakTable<ImmutableSortedDictionary<string, Hold>, Entries> Indexes = new();

    private static readonly IComparer<(DateTimeOffset ExpiresAt, string HoldId)> Order = Comparer<(DateTimeOffset ExpiresAt, string HoldId)>.Create(
        (a, b) => a.ExpiresAt != b.ExpiresAt ? a.ExpiresAt.CompareTo(b.ExpiresAt) : string.CompareOrdinal(a.HoldId, b.HoldId));

    private sealed class Entries(ImmutableSortedSet<(DateTimeOffset ExpiresAt, string HoldId)> set)
    {
        public ImmutableSortedSet<(DateTimeOffset ExpiresAt, string HoldId)> Set { get; } = set;
    }

    /// <summary>The active holds of the collection as (expiry, hold id), earliest first.</summary>
    public static ImmutableSortedSet<(DateTimeOffset ExpiresAt, string HoldId)> Of(ImmutableSortedDictionary<string, Hold> holds) =>
        Indexes.GetValue(holds, Build).Set;

    /// <summary>Records the index of a collection that differs from <paramref name="before"/> by one hold.</summary>
    internal static void Derive(ImmutableSortedDictionary<string, Hold> before, ImmutableSortedDictionary<string, Hold> after, Hold changed)
    {
        if (!Indexes.TryGetValue(before, out var previous))
            return;
        var key = (changed.ExpiresAt, changed.HoldId);
        var next = changed.Status == HoldStatus.Active ? previous.Set.Add(key) : previous.Set.Remove(key);
        Indexes.AddOrUpdate(after, new Entries(next));
    }

    private static Entries Build(ImmutableSortedDictionary<string, Hold> holds) =>
        new(holds.Values.Where(h => h.Status == HoldStatus.Active).Select(h => (h.ExpiresAt, h.HoldId)).ToImmutableSortedSet(Order));
}
