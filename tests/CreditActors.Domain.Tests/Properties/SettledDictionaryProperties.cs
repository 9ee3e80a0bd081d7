using System.Collections.Immutable;
using CreditActors.Domain.Accounts;
using FsCheck.Xunit;

namespace CreditActors.Domain.Tests.Properties;

// Holds the table of settled ids (arrays plus recent entries, merged as they grow) to a plain sorted dictionary.
public class SettledDictionaryProperties
{
    [Property(MaxTest = 300)]
    public void it_answers_as_a_sorted_dictionary_given_the_same_entries(int[] initial, int[] added, ulong salt)
    {
        // Keys from a small space, so that ids repeat; spread to hundreds of entries, so that the recent part is merged.
        string Key(int n) => $"ID-{Math.Abs(n % 400)}";
        var model = ImmutableSortedDictionary.Create<string, ulong>(StringComparer.Ordinal);
        foreach (var n in initial)
            model = model.SetItem(Key(n), (ulong)n ^ salt);
        var table = SettledIds.Table(model.Reverse());
        foreach (var n in added.Concat(added.Select(x => x * 7 + 3)))
        {
            // The same id settled again: with its own value (a write-off of several lines) or another.
            var value = n % 5 == 0 && model.TryGetValue(Key(n), out var current) ? current : (ulong)n * 31 ^ salt;
            model = model.SetItem(Key(n), value);
            table = table.SetItem(Key(n), value);
        }

        Assert.Equal(model.Count, table.Count);
        Assert.Equal(model.ToList(), table.ToList());
        for (var n = 0; n < 400; n++)
        {
            Assert.Equal(model.TryGetValue(Key(n), out var expected), table.TryGetValue(Key(n), out var found));
            Assert.Equal(expected, found);
        }
        Assert.False(table.ContainsKey("ID-400"));
    }

    [Property]
    public void an_id_given_twice_is_refused(int n)
    {
        Assert.Throws<ArgumentException>(() => SettledIds.Table([KeyValuePair.Create($"A{n}", 1UL), KeyValuePair.Create($"A{n}", 2UL)]));
    }
}
