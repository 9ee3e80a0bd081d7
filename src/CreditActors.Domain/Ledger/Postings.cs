using CreditActors.Domain.Accounts;

namespace CreditActors.Domain.Ledger;

/// <summary>The small chart of accounts every money event posts to.</summary>
public enum LedgerAccount
{
    /// <summary>Accounts receivable: the control account over the customers' sub-ledgers.</summary>
    AccountsReceivable,
    Revenue,
    Cash,
    /// <summary>Money received but not yet applied to invoices: a customer credit balance (a liability).</summary>
    UnappliedCash,
    DiscountsAllowed,
    BadDebtExpense,
    /// <summary>Late fees charged to customers under their contracts.</summary>
    LateFeeIncome,
    /// <summary>Interest charged to customers on overdue amounts.</summary>
    InterestIncome,
}

/// <summary>One side of a journal entry. Debits are positive, credits negative, so a balanced entry sums to zero.</summary>
public sealed record Posting(LedgerAccount Account, string CustomerAccountId, decimal Amount)
{
    public decimal Debit => Amount > 0m ? Amount : 0m;
    public decimal Credit => Amount < 0m ? -Amount : 0m;
}

/// <summary>Maps each money event to balanced double-entry postings. Events that move no money post nothing.</summary>
public static class Postings
{
    public static IReadOnlyList<Posting> For(string accountId, AccountEvent @event)
    {
        List<Posting> Entry(LedgerAccount debit, LedgerAccount credit, decimal amount) =>
            [new(debit, accountId, amount), new(credit, accountId, -amount)];

        return @event switch
        {
            InvoiceIssued e => Entry(LedgerAccount.AccountsReceivable, LedgerAccount.Revenue, e.Amount),
            // A credit note reverses the income its line was booked to (returns and allowances, or a fee or interest waived)
            // and lowers what the customer owes.
            CreditNoteIssued e => Entry(IncomeOf(e.InvoiceNumber), LedgerAccount.AccountsReceivable, e.Amount),
            LateFeeCharged e => Entry(LedgerAccount.AccountsReceivable, LedgerAccount.LateFeeIncome, e.Amount),
            InterestCharged e => Entry(LedgerAccount.AccountsReceivable, LedgerAccount.InterestIncome, e.Amount),
            PaymentReceived e => Entry(LedgerAccount.Cash, LedgerAccount.UnappliedCash, e.Amount),
            PaymentAllocated e => Entry(LedgerAccount.UnappliedCash, LedgerAccount.AccountsReceivable, e.Allocations.Sum(a => a.Amount)),
            EarlyPaymentDiscountGranted e => Entry(LedgerAccount.DiscountsAllowed, LedgerAccount.AccountsReceivable, e.Amount),
            InvoiceLineWrittenOff e => Entry(LedgerAccount.BadDebtExpense, LedgerAccount.AccountsReceivable, e.Amount),
            AccountOpened or ProfileUpdated or CreditLimitChanged or CreditLimitChangeRequested
                or CreditLimitChangeApproved or CreditLimitChangeRejected or AccountBlocked or AccountUnblocked
                or AccountClosed or CreditHoldPlaced or CreditHoldCaptured or CreditHoldReleased or CreditHoldExpired
                or RatingAssigned or ExternalRatingRecorded or DunningNoticeIssued or InvoiceDisputed or DisputeResolved
                or PromiseToPayRecorded or PromiseKept or PromiseBroken or CollectionNoteAdded or CollectorAssigned or ContactPreferencesSet or StatementIssued or StatementSent or StatementDeliveryFailed or BalanceConfirmed or BalanceDisputed or ReconciliationItemResolved
                or DunningNoticeSent or DunningDeliveryFailed or PersonalDataErased => [],
            _ => throw new UnknownEventException(nameof(Postings), @event),
        };
    }

    /// <summary>The income account a receivable line was booked to: revenue for a sale, fee or interest income for a charge.</summary>
    public static LedgerAccount IncomeOf(string invoiceNumber) => Collections.ChargeNumbers.KindOf(invoiceNumber) switch
    {
        Collections.ReceivableKind.LateFee => LedgerAccount.LateFeeIncome,
        Collections.ReceivableKind.Interest => LedgerAccount.InterestIncome,
        _ => LedgerAccount.Revenue,
    };

    /// <summary>Balances per ledger account (debit positive) over all postings of the given events.</summary>
    public static IReadOnlyDictionary<LedgerAccount, decimal> TrialBalance(IEnumerable<(string AccountId, AccountEvent Event)> events)
    {
        var balances = Enum.GetValues<LedgerAccount>().ToDictionary(a => a, _ => 0m);
        foreach (var (accountId, e) in events)
            foreach (var posting in For(accountId, e))
                balances[posting.Account] += posting.Amount;
        return balances;
    }
}
