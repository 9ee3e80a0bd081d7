using System.Collections.Immutable;

namespace CreditActors.Domain.Accounts;

public static partial class CreditAccount
{
    /// <summary>
    /// A hold placed under this id, live or ended, as a repeat of its command sees it. The live hold when it is still in the
    /// live state (it is active, or the state keeps its history).
    /// </summary>
    private static bool TryFindHold(AccountState state, string holdId, out EndedHold trace, out Hold? live)
    {
        if (state.Holds.TryGetValue(holdId, out live))
        {
            trace = new EndedHold(live.Fingerprint, live.ExpiresAt, live.Status);
            return true;
        }
        return state.Settled.Holds.TryGetValue(holdId, out trace);
    }

    /// <summary>An invoice issued under this number, live or settled: its command's fingerprint and its line count.</summary>
    private static bool TryFindInvoice(AccountState state, string invoiceNumber, out SettledInvoice trace, out Invoice? live)
    {
        if (state.Invoices.TryGetValue(invoiceNumber, out live))
        {
            trace = new SettledInvoice(live.Fingerprint, live.Lines.Length);
            return true;
        }
        return state.Settled.Invoices.TryGetValue(invoiceNumber, out trace);
    }

    /// <summary>The fingerprint of the command that made an item under this id, live or settled.</summary>
    private static bool TryFindFingerprint<T>(
        ImmutableSortedDictionary<string, T> live, SettledDictionary<ulong> settled, string id, Func<T, ulong> fingerprint, out ulong found)
    {
        if (live.TryGetValue(id, out var item))
        {
            found = fingerprint(item);
            return true;
        }
        return settled.TryGetValue(id, out found);
    }
}
