using CreditActors.Domain.Accounts;

namespace CreditActors.Actors.Accounts;

/// <summary>
/// The one place where an account's answers are made from its state: the figures, the items a command concerns, the items a
/// read asks for. Answers carry what their caller shows, never the whole state, so their size does not grow with history.
/// Used by the account on its live state, and by readers on a replay that keeps the history (for items that have settled).
/// </summary>
public static class AccountAnswers
{
    public static AccountSummary Summary(AccountState s) => new(
        s.AccountId, s.IsOpened, s.CurrencyCode, s.Status, s.CreditLimit, s.Receivables, s.HeldAmount, s.Exposure, s.AvailableCredit,
        s.UnappliedCash, s.PaymentTermsDays, s.Version, s.Profile, s.Rating, s.TimeZone);

    /// <summary>
    /// What a command did, with the items it names as they stand after it. A write's items were live before it or are made
    /// by it, so those the write settled are folded again with their history from <paramref name="before"/>. A repeat whose items have settled says so (<see cref="CommandOutcome.ItemsSettled"/>): its caller reads them
    /// from the journal.
    /// </summary>
    public static CommandOutcome Outcome(
        AccountCommand command, AccountState before, AccountState after, IReadOnlyList<AccountEvent> written, Rejection? rejection)
    {
        var outcome = new CommandOutcome(written, rejection, Summary(after));
        if (rejection is not null)
            return outcome;
        var current = WithItems(command, outcome, after);
        if (!NamesMissingItem(command, current))
            return current;
        // Only when the command's items left the live state: folded again, with their history, from the state before the write.
        return written.Count > 0
            ? WithItems(command, outcome, written.Aggregate(before with { KeepsSettled = true }, CreditAccount.Evolve))
            : current with { ItemsSettled = true };
    }

    /// <summary>The outcome with the items its command names, as they stand in <paramref name="state"/>.</summary>
    public static CommandOutcome WithItems(AccountCommand command, CommandOutcome outcome, AccountState state) => command switch
    {
        PlaceHold c => outcome with { Hold = Find(state.Holds, c.HoldId) },
        ReleaseHold c => outcome with { Hold = Find(state.Holds, c.HoldId) },
        IssueInvoice c => outcome with { Invoice = Find(state.Invoices, c.InvoiceNumber) },
        ReceivePayment c => outcome with { Payment = Find(state.Payments, c.PaymentReference) },
        IssueCreditNote c => outcome with { CreditNote = Find(state.CreditNotes, c.CreditNoteNumber), Invoice = Find(state.Invoices, c.InvoiceNumber) },
        WriteOffInvoice c => outcome with { WriteOff = Find(state.WriteOffs, c.WriteOffId), Invoice = Find(state.Invoices, c.InvoiceNumber) },
        ApproveCreditLimitChange c => outcome with { LimitRequest = Find(state.LimitRequests, c.RequestId) },
        RejectCreditLimitChange c => outcome with { LimitRequest = Find(state.LimitRequests, c.RequestId) },
        AssignCollector => outcome with { Collector = state.Collections.Collector },
        // A change that waits for approval answers with its request: the one written now, or, for a repeat, the one pending.
        ChangeCreditLimit c => outcome with
        {
            LimitRequest = outcome.Written.OfType<CreditLimitChangeRequested>().FirstOrDefault() is { } requested
                ? Find(state.LimitRequests, requested.RequestId)
                : state.PendingLimitRequest is { } pending && pending.NewLimit == c.NewLimit && state.CreditLimit != c.NewLimit ? pending : null,
        },
        _ => outcome,
    };

    private static bool NamesMissingItem(AccountCommand command, CommandOutcome outcome) => command switch
    {
        PlaceHold or ReleaseHold => outcome.Hold is null,
        IssueInvoice => outcome.Invoice is null,
        ReceivePayment => outcome.Payment is null,
        IssueCreditNote => outcome.CreditNote is null || outcome.Invoice is null,
        WriteOffInvoice => outcome.WriteOff is null || outcome.Invoice is null,
        _ => false,
    };

    /// <summary>The account as of <paramref name="now"/> and the items the read asks for.</summary>
    public static AccountRead Read(AccountState state, ReadAccount read, DateTimeOffset now)
    {
        var current = CreditAccount.AsOf(state, now);
        var answer = new AccountRead(Summary(current), [], [], [], []);
        if (!current.IsOpened)
            return answer;
        var settled = current.Settled;
        return read.Kind switch
        {
            AccountReadKind.Account => answer,
            AccountReadKind.Holds => answer with { Holds = Items(current.Holds, read.ItemId), Partial = Partial(settled.Holds, read.ItemId) },
            AccountReadKind.Invoices => answer with { Invoices = Items(current.Invoices, read.ItemId), Partial = Partial(settled.Invoices, read.ItemId) },
            AccountReadKind.Payments => answer with { Payments = Items(current.Payments, read.ItemId), Partial = Partial(settled.Payments, read.ItemId) },
            AccountReadKind.LimitRequests => answer with { LimitRequests = Items(current.LimitRequests, read.ItemId) },
            _ => throw new ArgumentOutOfRangeException(nameof(read), read.Kind, "an account read without an answer"),
        };
    }

    /// <summary>Whether items the read asks for have left the live state: all of a kind, or the one named.</summary>
    private static bool Partial<T>(SettledDictionary<T> settled, string? id) where T : struct, IEquatable<T> => id is null ? settled.Count > 0 : settled.ContainsKey(id);

    private static T? Find<T>(IReadOnlyDictionary<string, T> items, string id) where T : class => items.GetValueOrDefault(id);

    private static List<T> Items<T>(IReadOnlyDictionary<string, T> items, string? id) where T : class =>
        id is null ? items.Values.ToList() : items.TryGetValue(id, out var item) ? [item] : [];
}
