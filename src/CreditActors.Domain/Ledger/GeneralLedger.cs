using CreditActors.Domain.Accounts;

namespace CreditActors.Domain.Ledger;

/// <summary>A company's chart of accounts: the code and name each of the ledger's accounts posts to.</summary>
public sealed record Chart(string Id, string Name, IReadOnlyDictionary<LedgerAccount, (string Code, string Name)> Accounts)
{
    /// <summary>The Chinese enterprise accounting standards' chart (企业会计准则).</summary>
    public static readonly Chart Chinese = new("cn", "企业会计准则 (Chinese enterprise chart)", new Dictionary<LedgerAccount, (string, string)>
    {
        [LedgerAccount.AccountsReceivable] = ("1122", "应收账款"),
        [LedgerAccount.Revenue] = ("6001", "主营业务收入"),
        [LedgerAccount.Cash] = ("1002", "银行存款"),
        [LedgerAccount.UnappliedCash] = ("2203", "预收账款"),
        [LedgerAccount.DiscountsAllowed] = ("6603", "财务费用"),
        [LedgerAccount.BadDebtExpense] = ("6702", "信用减值损失"),
        [LedgerAccount.LateFeeIncome] = ("6301", "营业外收入"),
        [LedgerAccount.InterestIncome] = ("6603", "财务费用—利息收入"),
    });

    /// <summary>A generic chart, for a company that maps the codes itself.</summary>
    public static readonly Chart Generic = new("generic", "Generic chart", new Dictionary<LedgerAccount, (string, string)>
    {
        [LedgerAccount.AccountsReceivable] = ("1100", "Accounts receivable"),
        [LedgerAccount.Revenue] = ("4000", "Revenue"),
        [LedgerAccount.Cash] = ("1000", "Cash at bank"),
        [LedgerAccount.UnappliedCash] = ("2100", "Customer advances (unapplied cash)"),
        [LedgerAccount.DiscountsAllowed] = ("6100", "Discounts allowed"),
        [LedgerAccount.BadDebtExpense] = ("6200", "Bad-debt expense"),
        [LedgerAccount.LateFeeIncome] = ("4100", "Late fee income"),
        [LedgerAccount.InterestIncome] = ("4200", "Interest income"),
    });

    public static readonly IReadOnlyList<Chart> All = [Chinese, Generic];
}

/// <summary>One line of the general-ledger export: a posting with its date, document, customer and the company's code.</summary>
public sealed record GlLine(DateOnly Date, string Document, string Customer, string Code, string AccountName, decimal Debit, decimal Credit, string Currency);

/// <summary>A ledger account's totals in one currency.</summary>
public sealed record TrialBalanceLine(string Currency, string Code, string AccountName, decimal Debit, decimal Credit, decimal Balance);

/// <summary>
/// The trial balance of every account as of a date, per currency: every ledger account's debits and credits, their sum (zero
/// when the books balance), and the receivable control total beside the sum of the customers' balances.
/// </summary>
public sealed record TrialBalanceReport(
    DateOnly AsOf, DateTimeOffset? KnownAt, string Chart, IReadOnlyList<TrialBalanceLine> Lines, IReadOnlyList<ControlCheck> Controls);

/// <summary>The receivable control account against the sum of the customer sub-ledgers, in one currency.</summary>
public sealed record ControlCheck(string Currency, decimal ReceivableControl, decimal CustomerBalances, int Customers, decimal TrialBalanceSum, bool Agrees);

/// <summary>
/// The general ledger over the whole journal, passed through once in its order: the postings of every money event (a line
/// each) and, as of a date, the trial balance and the control check. Memory: a few figures per customer and per account.
/// </summary>
public sealed class GeneralLedger(Chart chart, DateOnly? from, DateOnly to, DateTimeOffset? knownAt)
{
    private readonly Dictionary<string, string> _currencies = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Currency, LedgerAccount Account), (decimal Debit, decimal Credit)> _totals = [];
    private readonly Dictionary<string, decimal> _customers = new(StringComparer.Ordinal);

    /// <summary>The lines one event posts within the period (none for an event outside it or one that moves no money).</summary>
    public IEnumerable<GlLine> Apply(string accountId, AccountEvent e)
    {
        if (e is AccountOpened opened)
            _currencies[accountId] = opened.Currency;
        if (e.Meta.EffectiveDate > to || (knownAt is { } k && e.Meta.RecordedAt > k))
            return [];
        var postings = Postings.For(accountId, e);
        if (postings.Count == 0)
            return [];
        var currency = _currencies.GetValueOrDefault(accountId, "");
        var lines = new List<GlLine>(postings.Count);
        foreach (var p in postings)
        {
            var totals = _totals.GetValueOrDefault((currency, p.Account));
            _totals[(currency, p.Account)] = (totals.Debit + p.Debit, totals.Credit + p.Credit);
            if (p.Account == LedgerAccount.AccountsReceivable)
                _customers[accountId] = _customers.GetValueOrDefault(accountId) + p.Amount;
            if (from is null || e.Meta.EffectiveDate >= from)
            {
                var (code, name) = chart.Accounts[p.Account];
                lines.Add(new GlLine(e.Meta.EffectiveDate, Document(e), accountId, code, name, p.Debit, p.Credit, currency));
            }
        }
        return lines;
    }

    public TrialBalanceReport TrialBalance()
    {
        var lines = _totals.OrderBy(t => t.Key.Currency, StringComparer.Ordinal).ThenBy(t => chart.Accounts[t.Key.Account].Code, StringComparer.Ordinal)
            .Select(t => new TrialBalanceLine(t.Key.Currency, chart.Accounts[t.Key.Account].Code, chart.Accounts[t.Key.Account].Name,
                t.Value.Debit, t.Value.Credit, t.Value.Debit - t.Value.Credit))
            .ToList();
        var controls = lines.GroupBy(l => l.Currency).Select(g =>
        {
            var control = g.Where(l => l.Code == chart.Accounts[LedgerAccount.AccountsReceivable].Code).Sum(l => l.Balance);
            var customers = _customers.Where(c => _currencies.GetValueOrDefault(c.Key) == g.Key).ToList();
            var sum = g.Sum(l => l.Balance);
            return new ControlCheck(g.Key, control, customers.Sum(c => c.Value), customers.Count, sum, control == customers.Sum(c => c.Value) && sum == 0m);
        }).ToList();
        return new TrialBalanceReport(to, knownAt, chart.Id, lines, controls);
    }

    /// <summary>The document a money event is booked under: the invoice, credit note, payment or write-off it records.</summary>
    public static string Document(AccountEvent e) => e switch
    {
        InvoiceIssued i => i.InvoiceNumber,
        CreditNoteIssued c => c.CreditNoteNumber,
        PaymentReceived p => p.PaymentReference,
        PaymentAllocated p => p.PaymentReference,
        EarlyPaymentDiscountGranted d => $"{d.PaymentReference}/{d.InvoiceNumber}",
        InvoiceLineWrittenOff w => w.WriteOffId,
        LateFeeCharged f => f.ChargeNumber,
        InterestCharged i => i.ChargeNumber,
        _ => "",
    };
}
