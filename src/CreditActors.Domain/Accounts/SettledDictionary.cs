using System.Collections;
using System.Collections.Immutable;

namespace CreditActors.Domain.Accounts;

/// <summary>Builds tables of settled ids.</summary>
public static class SettledIds
{
    /// <summary>A table of ids and values given in any order (read fastest in ordinal id order); each id at most once.</summary>
    public static SettledDictionary<T> Table<T>(IEnumerable<KeyValuePair<string, T>> entries) where T : struct, IEquatable<T>
    {
        var sorted = entries.ToArray();
        if (!IsOrdered(sorted))
            Array.Sort(sorted, (a, b) => string.CompareOrdinal(a.Key, b.Key));
        for (var i = 1; i < sorted.Length; i++)
            if (string.Equals(sorted[i - 1].Key, sorted[i].Key, StringComparison.Ordinal))
                throw new ArgumentException($"settled id {sorted[i].Key} is given twice", nameof(entries));
        return new(sorted.Select(e => e.Key).ToArray(), sorted.Select(e => e.Value).ToArray(), SettledDictionary<T>.NoRecent);
    }

    private static bool IsOrdered<T>(KeyValuePair<string, T>[] entries)
    {
        for (var i = 1; i < entries.Length; i++)
            if (string.CompareOrdinal(entries[i - 1].Key, entries[i].Key) > 0)
                return false;
        return true;
    }
}

/// <summary>
/// An immutable table of settled ids and what a repeat of their command needs, built for an account with tens of thousands
/// of them: the bulk in two arrays in ordinal id order (read from a snapshot without building a tree; a lookup is a binary
/// search; about 16 bytes an entry beside the id), the ids settled since in a small sorted dictionary, merged into the arrays
/// once it grows past a quarter of them (so an insert costs amortized constant copying). Enumerates in ordinal id order.
/// </summary>
public sealed class SettledDictionary<T> : IReadOnlyDictionary<string, T> where T : struct, IEquatable<T>
{
    private const int SmallestMerge = 64;

    private readonly string[] _ids;
    private readonly T[] _values;

    /// <summary>Ids settled since the arrays were built; none of them is in <see cref="_ids"/>.</summary>
    private readonly ImmutableSortedDictionary<string, T> _recent;

    internal SettledDictionary(string[] ids, T[] values, ImmutableSortedDictionary<string, T> recent)
    {
        _ids = ids;
        _values = values;
        _recent = recent;
    }

    internal static readonly ImmutableSortedDictionary<string, T> NoRecent = ImmutableSortedDictionary.Create<string, T>(StringComparer.Ordinal);

    public static readonly SettledDictionary<T> Empty = new([], [], NoRecent);

    public int Count => _ids.Length + _recent.Count;

    public T this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"no settled id {key}");

    public IEnumerable<string> Keys => this.Select(e => e.Key);

    public IEnumerable<T> Values => this.Select(e => e.Value);

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, out T value)
    {
        var index = Array.BinarySearch(_ids, key, StringComparer.Ordinal);
        if (index >= 0)
        {
            value = _values[index];
            return true;
        }
        return _recent.TryGetValue(key, out value);
    }

    /// <summary>This table with <paramref name="key"/> settled as <paramref name="value"/>; itself when it already says so.</summary>
    public SettledDictionary<T> SetItem(string key, T value)
    {
        var index = Array.BinarySearch(_ids, key, StringComparer.Ordinal);
        if (index >= 0)
        {
            if (_values[index].Equals(value))
                return this;
            var values = (T[])_values.Clone();
            values[index] = value;
            return new(_ids, values, _recent);
        }
        var recent = _recent.SetItem(key, value);
        return recent.Count > Math.Max(SmallestMerge, _ids.Length / 4) ? Merge(recent) : new(_ids, _values, recent);
    }

    private SettledDictionary<T> Merge(ImmutableSortedDictionary<string, T> recent)
    {
        var ids = new string[_ids.Length + recent.Count];
        var values = new T[ids.Length];
        var n = 0;
        foreach (var (id, value) in Merged(recent))
        {
            ids[n] = id;
            values[n++] = value;
        }
        return new(ids, values, NoRecent);
    }

    private IEnumerable<KeyValuePair<string, T>> Merged(ImmutableSortedDictionary<string, T> recent)
    {
        var i = 0;
        foreach (var entry in recent)
        {
            while (i < _ids.Length && string.CompareOrdinal(_ids[i], entry.Key) < 0)
            {
                yield return KeyValuePair.Create(_ids[i], _values[i]);
                i++;
            }
            yield return entry;
        }
        for (; i < _ids.Length; i++)
            yield return KeyValuePair.Create(_ids[i], _values[i]);
    }

    public IEnumerator<KeyValuePair<string, T>> GetEnumerator() => Merged(_recent).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
