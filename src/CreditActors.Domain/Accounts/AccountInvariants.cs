namespace CreditActors.Domain.Accounts;

/// <summary>Checks that the running totals of a state agree with the lines, holds and payments they sum.</summary>
public static class AccountInvariants
{
    /// <summary>The first broken invariant, or null when the state is consistent.</summary>
    public static string? Violation(AccountState state)
    {
        var receivables = state.Invoices.Values.Sum(i => i.Open);
        if (receivables != state.Receivables)
            return $"receivables {state.Receivables} but open lines sum to {receivables}";
        var held = state.ActiveHolds.Sum(h => h.Amount);
        if (held != state.HeldAmount)
            return $"held amount {state.HeldAmount} but active holds sum to {held}";
        var unapplied = state.Payments.Values.Sum(p => p.Unapplied);
        if (unapplied != state.UnappliedCash)
            return $"unapplied cash {state.UnappliedCash} but payments leave {unapplied}";
        foreach (var invoice in state.Invoices.Values)
            foreach (var line in invoice.Lines)
                if (line.Open < 0m)
                    return $"invoice {invoice.InvoiceNumber} line {line.Line} is below zero: {line.Open}";
        if (state.Payments.Values.Any(p => p.Unapplied < 0m || p.Unapplied > p.Amount))
            return "a payment has more applied than received";
        return null;
    }

    /// <summary>
    /// The invariants checked against what is open only (the open-line and active-hold indexes), in proportion to the
    /// open items rather than to the account's whole history: cheap enough to run after every write.
    /// </summary>
    public static string? OpenItemsViolation(AccountState state)
    {
        var receivables = state.OpenLinesOldestFirst().Sum(x => x.Line.Open);
        if (receivables != state.Receivables)
            return $"receivables {state.Receivables} but open lines sum to {receivables}";
        var held = state.ActiveHoldsByExpiry.Sum(h => state.Holds[h.HoldId].Amount);
        if (held != state.HeldAmount)
            return $"held amount {state.HeldAmount} but active holds sum to {held}";
        return state.UnappliedCash < 0m ? $"unapplied cash {state.UnappliedCash} is below zero" : null;
    }

    /// <summary>Every invariant, over the whole state: on recovery.</summary>
    public static void Assert(AccountState state) => Throw(state, Violation(state));

    /// <summary>The invariants of what is open: after every write.</summary>
    public static void AssertOpenItems(AccountState state) => Throw(state, OpenItemsViolation(state));

    private static void Throw(AccountState state, string? violation)
    {
        if (violation is not null)
            throw new InvalidOperationException($"Account {state.AccountId} invariant broken: {violation}");
    }
}
