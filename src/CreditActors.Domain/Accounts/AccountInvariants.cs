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

    public static void Assert(AccountState state)
    {
        var violation = Violation(state);
        if (violation is not null)
            throw new InvalidOperationException($"Account {state.AccountId} invariant broken: {violation}");
    }
}
