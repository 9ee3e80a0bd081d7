namespace CreditActors.Projections.Runtime;

/// <summary>
/// Per-account values a projection keeps to save database round trips, bounded by credit-actors.projections.account-cache-size.
/// When full it is emptied and fills again from the read model, which holds every value: the bound costs reads, never
/// correctness, and a book of a million accounts cannot grow a projection's memory without limit.
/// </summary>
public sealed class AccountCache<TValue>(int capacity)
{
    private readonly Dictionary<string, TValue> _values = new(StringComparer.Ordinal);

    public int Count => _values.Count;

    public bool TryGetValue(string accountId, out TValue value) => _values.TryGetValue(accountId, out value!);

    public void Set(string accountId, TValue value)
    {
        if (_values.Count >= capacity && !_values.ContainsKey(accountId))
            _values.Clear();
        _values[accountId] = value;
    }

    public void Clear() => _values.Clear();
}
