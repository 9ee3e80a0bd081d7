using System.Globalization;
using System.Data.Common;
using CreditActors.Domain.Accounts;
using CreditActors.Domain.Money;
using CreditActors.Projections.Runtime;
using Dapper;

namespace CreditActors.Projections.Aging;

/// <summary>
/// The receivables read model: every installment line with each settlement and its effective date (so aging can be
/// answered as of any date), and per-account figures (limit, receivables, holds) for the portfolio. A batch's events are
/// gathered in memory and written set-based when the batch completes: new accounts, new lines, settlements, what is open
/// on each line touched, and each account's figures once.
/// </summary>
/// <param name="windowDays">The settlements kept in each account's row of what is open (see <see cref="AgingOpen"/>).</param>
public sealed class AgingProjection(int accountCacheSize, TimeProvider? clock = null, int windowDays = AgingOpen.DefaultWindowDays) : IProjection
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public const string ProjectionName = "aging";

    public string Name => ProjectionName;

    public IReadOnlyList<string> Tables => ["aging_lines", "aging_settlements", "account_figures", "aging_open"];

    /// <summary>An account's currency and minor digits: they never change, so they are read once.</summary>
    private readonly record struct Money(string Currency, int Digits);

    /// <summary>What a batch changes of one account's figures: sums to add, and the latest of what is set.</summary>
    private sealed class FigureChange
    {
        public long Receivables { get; set; }
        public long Holds { get; set; }
        public long? Limit { get; set; }
        public string? Status { get; set; }
        public string? Tier { get; set; }
        public string? Grade { get; set; }
        public string? Score { get; set; }
        public string? Policy { get; set; }
        public string UpdatedAt { get; set; } = "";
    }

    private readonly AccountCache<Money> _money = new(accountCacheSize);
    private readonly List<object?[]> _openedAccounts = [];

    /// <summary>The accounts opened in the batch: not yet in the table, and perhaps evicted from the bounded cache.</summary>
    private readonly Dictionary<string, Money> _openedInBatch = new(StringComparer.Ordinal);
    private readonly List<object?[]> _lines = [];
    private readonly List<object?[]> _settlements = [];
    private readonly Dictionary<(string Account, string Invoice, int Line), long> _settledOnLines = [];
    private readonly Dictionary<string, FigureChange> _figures = new(StringComparer.Ordinal);

    /// <summary>The accounts whose lines the batch changed: their rows of what is open are made again.</summary>
    private readonly HashSet<string> _linesChanged = new(StringComparer.Ordinal);

    public void BeginBatch()
    {
        _openedAccounts.Clear();
        _openedInBatch.Clear();
        _lines.Clear();
        _settlements.Clear();
        _settledOnLines.Clear();
        _figures.Clear();
        _linesChanged.Clear();
    }

    public async Task ApplyAsync(DbConnection connection, DbTransaction transaction, ProjectedEvent projected)
    {
        var (accountId, sequenceNr, _, e) = projected;
        var now = ProjectionWriter.Instant(e.Meta.RecordedAt);
        switch (e)
        {
            case AccountOpened o:
                var digits = Currency.Find(o.Currency).MinorDigits;
                _openedInBatch[accountId] = new Money(o.Currency, digits);
                _openedAccounts.Add([accountId, o.Currency, digits, Tier(o.Profile.Tier), "active", Minor.From(o.CreditLimit, digits), 0L, 0L, now]);
                break;
            case ProfileUpdated p:
                Change(accountId, now).Tier = Tier(p.Profile.Tier);
                break;
            case RatingAssigned r:
                var rated = Change(accountId, now);
                (rated.Grade, rated.Score, rated.Policy) = (r.Grade, r.Score.ToString(CultureInfo.InvariantCulture), $"{r.PolicyId}/v{r.PolicyVersion}");
                break;
            // An external rating reaches the reports through the rating it feeds.
            case ExternalRatingRecorded:
                break;
            case CreditLimitChanged c:
                var limit = Minor.From(c.NewLimit, (await MoneyAsync(connection, transaction, accountId)).Digits);
                Change(accountId, now).Limit = limit;
                break;
            case AccountBlocked or AccountUnblocked or AccountClosed:
                Change(accountId, now).Status = e switch { AccountBlocked => "blocked", AccountClosed => "closed", _ => "active" };
                break;
            case CreditHoldPlaced h:
                await AddHoldsAsync(connection, transaction, accountId, h.Amount, now);
                break;
            case CreditHoldCaptured h:
                await AddHoldsAsync(connection, transaction, accountId, -(h.CapturedAmount + h.ReleasedAmount), now);
                break;
            case CreditHoldReleased h:
                await AddHoldsAsync(connection, transaction, accountId, -h.Amount, now);
                break;
            case CreditHoldExpired h:
                await AddHoldsAsync(connection, transaction, accountId, -h.Amount, now);
                break;
            case InvoiceIssued i:
                await AddLinesAsync(connection, transaction, accountId, i.InvoiceNumber, i.IssueDate, i.Lines, i.Amount, now);
                break;
            // Fees and interest are receivable lines of their own, due the day they are charged.
            case LateFeeCharged f:
                await AddLinesAsync(connection, transaction, accountId, f.ChargeNumber, f.DueDate, [new IssuedLine(1, f.DueDate, f.Amount)], f.Amount, now);
                break;
            case InterestCharged c:
                await AddLinesAsync(connection, transaction, accountId, c.ChargeNumber, c.DueDate, [new IssuedLine(1, c.DueDate, c.Amount)], c.Amount, now);
                break;
            // Collections moves no money but by the charges above.
            case DunningNoticeIssued or InvoiceDisputed or DisputeResolved or PromiseToPayRecorded or PromiseKept or PromiseBroken
                or CollectionNoteAdded or CollectorAssigned or ContactPreferencesSet or StatementIssued or StatementSent or StatementDeliveryFailed or BalanceConfirmed or BalanceDisputed or ReconciliationItemResolved or DunningNoticeSent or DunningDeliveryFailed or PersonalDataErased:
                break;
            case PaymentAllocated p:
                await SettleAsync(connection, transaction, accountId, sequenceNr, e, "payment", p.Allocations.Select(a => (a.InvoiceNumber, a.Line, a.Amount)));
                break;
            case CreditNoteIssued n:
                await SettleAsync(connection, transaction, accountId, sequenceNr, e, "credit-note", n.Lines.Select(l => (n.InvoiceNumber, l.Line, l.Amount)));
                break;
            case EarlyPaymentDiscountGranted d:
                await SettleAsync(connection, transaction, accountId, sequenceNr, e, "discount", d.Lines.Select(l => (d.InvoiceNumber, l.Line, l.Amount)));
                break;
            case InvoiceLineWrittenOff w:
                await SettleAsync(connection, transaction, accountId, sequenceNr, e, "write-off", [(w.InvoiceNumber, w.Line, w.Amount)]);
                break;
            // A limit moves only when CreditLimitChanged is written; cash received counts when it is allocated.
            case CreditLimitChangeRequested or CreditLimitChangeApproved or CreditLimitChangeRejected or PaymentReceived:
                break;
            default:
                throw new UnknownEventException(nameof(AgingProjection), e);
        }
    }

    /// <summary>Writes what the batch gathered, in an order that respects what refers to what, a statement per table (and chunk).</summary>
    public async Task CompleteBatchAsync(DbConnection connection, DbTransaction transaction)
    {
        await Bulk.InsertAsync(connection, transaction, "account_figures",
            ["account_id", "currency", "minor_digits", "tier", "status", "credit_limit_minor", "receivables_minor", "holds_minor", "updated_at"],
            _openedAccounts);
        await Bulk.InsertAsync(connection, transaction, "aging_lines",
            ["account_id", "invoice_number", "line", "currency", "issue_date", "due_date", "amount_minor", "recorded_at", "open_minor"], _lines);
        await Bulk.InsertAsync(connection, transaction, "aging_settlements",
            ["account_id", "sequence_nr", "part", "invoice_number", "line", "effective_date", "recorded_at", "amount_minor", "kind"], _settlements);
        var lines = _settledOnLines.Select(x => new object?[] { x.Key.Account, x.Key.Invoice, x.Key.Line, x.Value }).ToList();
        var updatedLines = await Bulk.UpdateAsync(connection, transaction, "aging_lines",
            [("account_id", "TEXT"), ("invoice_number", "TEXT"), ("line", "INTEGER"), ("minor", "BIGINT")], lines,
            "open_minor = aging_lines.open_minor - v.minor",
            "aging_lines.account_id = v.account_id AND aging_lines.invoice_number = v.invoice_number AND aging_lines.line = v.line");
        if (updatedLines != lines.Count)
            throw new InvalidOperationException($"The aging read model lacks {lines.Count - updatedLines} settled lines; it must be rebuilt");
        var figures = _figures.Select(f => new object?[] { f.Key, f.Value.Receivables, f.Value.Holds, f.Value.Limit, f.Value.Status, f.Value.Tier,
            f.Value.Grade, f.Value.Score, f.Value.Policy, f.Value.UpdatedAt }).ToList();
        var updatedAccounts = await Bulk.UpdateAsync(connection, transaction, "account_figures",
            [("account_id", "TEXT"), ("receivables", "BIGINT"), ("holds", "BIGINT"), ("credit_limit", "BIGINT"), ("status", "TEXT"), ("tier", "TEXT"),
                ("grade", "TEXT"), ("score", "TEXT"), ("policy", "TEXT"), ("updated_at", "TEXT")], figures,
            """
            receivables_minor = account_figures.receivables_minor + v.receivables, holds_minor = account_figures.holds_minor + v.holds,
            credit_limit_minor = COALESCE(v.credit_limit, account_figures.credit_limit_minor), status = COALESCE(v.status, account_figures.status),
            tier = COALESCE(v.tier, account_figures.tier), grade = COALESCE(v.grade, account_figures.grade),
            rating_score = COALESCE(v.score, account_figures.rating_score), rating_policy = COALESCE(v.policy, account_figures.rating_policy),
            updated_at = v.updated_at
            """,
            "account_figures.account_id = v.account_id");
        if (updatedAccounts != figures.Count)
            throw new InvalidOperationException($"The aging read model lacks {figures.Count - updatedAccounts} accounts; it must be rebuilt");
        await AgingOpen.RefreshAsync(connection, transaction, DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime), windowDays, _linesChanged);
    }

    private static string Tier(Tier tier) => tier.ToString().ToLowerInvariant();

    private FigureChange Change(string accountId, string now)
    {
        if (!_figures.TryGetValue(accountId, out var change))
            _figures[accountId] = change = new FigureChange();
        change.UpdatedAt = now;
        return change;
    }

    private async Task SettleAsync(DbConnection connection, DbTransaction transaction, string accountId, long sequenceNr, AccountEvent e,
        string kind, IEnumerable<(string Invoice, int Line, decimal Amount)> parts)
    {
        var digits = (await MoneyAsync(connection, transaction, accountId)).Digits;
        var now = ProjectionWriter.Instant(e.Meta.RecordedAt);
        var total = 0L;
        var part = 0;
        foreach (var (invoice, line, amount) in parts)
        {
            var minor = Minor.From(amount, digits);
            total += minor;
            _settlements.Add([accountId, sequenceNr, part++, invoice, line, ProjectionWriter.Date(e.Meta.EffectiveDate), now, minor, kind]);
            _settledOnLines[(accountId, invoice, line)] = _settledOnLines.GetValueOrDefault((accountId, invoice, line)) + minor;
        }
        Change(accountId, now).Receivables -= total;
        _linesChanged.Add(accountId);
    }

    private async Task AddLinesAsync(DbConnection connection, DbTransaction transaction, string accountId, string number, DateOnly issueDate,
        IReadOnlyList<IssuedLine> lines, decimal total, string now)
    {
        var money = await MoneyAsync(connection, transaction, accountId);
        foreach (var line in lines)
        {
            var amount = Minor.From(line.Amount, money.Digits);
            _lines.Add([accountId, number, line.Line, money.Currency, ProjectionWriter.Date(issueDate), ProjectionWriter.Date(line.DueDate), amount, now, amount]);
        }
        Change(accountId, now).Receivables += Minor.From(total, money.Digits);
        _linesChanged.Add(accountId);
    }

    private async Task AddHoldsAsync(DbConnection connection, DbTransaction transaction, string accountId, decimal amount, string now) =>
        Change(accountId, now).Holds += Minor.From(amount, (await MoneyAsync(connection, transaction, accountId)).Digits);

    private async Task<Money> MoneyAsync(DbConnection connection, DbTransaction transaction, string accountId)
    {
        if (_openedInBatch.TryGetValue(accountId, out var opened) || _money.TryGetValue(accountId, out opened))
            return opened;
        var row = await connection.QuerySingleOrDefaultAsync<(string Currency, int Digits)?>(
            "SELECT currency, minor_digits FROM account_figures WHERE account_id = @accountId", new { accountId }, transaction)
            ?? throw new InvalidOperationException($"The aging read model has no account {accountId}; it must be rebuilt");
        var money = new Money(row.Currency, row.Digits);
        _money.Set(accountId, money);
        return money;
    }

    public void Reset() => _money.Clear();
}
