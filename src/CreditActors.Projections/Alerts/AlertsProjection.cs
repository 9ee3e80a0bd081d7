using System.Data.Common;
using CreditActors.Domain.Accounts;
using CreditActors.Domain.Money;
using CreditActors.Projections.Runtime;
using Dapper;

namespace CreditActors.Projections.Alerts;

/// <summary>
/// Risk alerts raised by events: limit utilization high (at or above the threshold) and limit exceeded, once per
/// episode (an episode ends when exposure falls back below); a hold that expired without being captured.
/// Overdue alerts come from the passing of time: see <see cref="OverdueEvaluator"/>.
/// </summary>
public sealed class AlertsProjection(decimal utilizationHighPercent, int accountCacheSize) : IProjection
{
    public const string ProjectionName = "alerts";

    public string Name => ProjectionName;

    public IReadOnlyList<string> Tables => ["alert_accounts", "alerts"];

    // Each account's figures as committed (this projection is their only writer: it runs once in the cluster), and those
    // changed by the batch in progress. A batch reads an account's figures once and writes them once; what a batch
    // changed joins the committed figures only when its transaction commits.
    private readonly AccountCache<Figures> _committed = new(accountCacheSize);
    private readonly Dictionary<string, Figures> _batch = new(StringComparer.Ordinal);

    private sealed class Figures
    {
        public string Currency { get; set; } = "";
        public int Digits { get; set; }
        public long Limit { get; set; }
        public long Exposure { get; set; }
        public int UtilizationHigh { get; set; }
        public int UtilizationEpisode { get; set; }
        public int Exceeded { get; set; }
        public int ExceededEpisode { get; set; }

        public Figures Copy() => (Figures)MemberwiseClone();
    }

    public void BeginBatch() => _batch.Clear();

    /// <summary>Each account's figures changed by the batch, in one statement (per chunk).</summary>
    public async Task CompleteBatchAsync(DbConnection connection, DbTransaction transaction)
    {
        var rows = _batch.Select(x => new object?[]
            { x.Key, x.Value.Limit, x.Value.Exposure, x.Value.UtilizationHigh, x.Value.UtilizationEpisode, x.Value.Exceeded, x.Value.ExceededEpisode }).ToList();
        var updated = await Bulk.UpdateAsync(connection, transaction, "alert_accounts",
            [("account_id", "TEXT"), ("credit_limit", "BIGINT"), ("exposure", "BIGINT"), ("utilization_high", "INTEGER"), ("utilization_episode", "INTEGER"),
                ("exceeded", "INTEGER"), ("exceeded_episode", "INTEGER")], rows,
            """
            credit_limit_minor = v.credit_limit, exposure_minor = v.exposure, utilization_high = v.utilization_high,
            utilization_episode = v.utilization_episode, exceeded = v.exceeded, exceeded_episode = v.exceeded_episode
            """,
            "alert_accounts.account_id = v.account_id");
        if (updated != rows.Count)
            throw new InvalidOperationException($"The alerts read model lacks {rows.Count - updated} accounts; it must be rebuilt");
    }

    public void BatchCommitted()
    {
        foreach (var (accountId, f) in _batch)
            _committed.Set(accountId, f);
        _batch.Clear();
    }

    public void Reset()
    {
        _committed.Clear();
        _batch.Clear();
    }

    private async Task<Figures> FiguresAsync(DbConnection connection, DbTransaction transaction, string accountId)
    {
        if (_batch.TryGetValue(accountId, out var inBatch))
            return inBatch;
        var figures = _committed.TryGetValue(accountId, out var committed)
            ? committed.Copy()
            : await connection.QuerySingleAsync<Figures>("""
                SELECT currency AS Currency, minor_digits AS Digits, credit_limit_minor AS "Limit", exposure_minor AS Exposure,
                       utilization_high AS UtilizationHigh, utilization_episode AS UtilizationEpisode, exceeded AS Exceeded, exceeded_episode AS ExceededEpisode
                FROM alert_accounts WHERE account_id = @accountId
                """, new { accountId }, transaction);
        _batch[accountId] = figures;
        return figures;
    }

    public async Task ApplyAsync(DbConnection connection, DbTransaction transaction, ProjectedEvent projected)
    {
        var (accountId, sequenceNr, _, e) = projected;
        if (e is RatingAssigned { Change: CreditAccount.RatingChanges.Downgrade } r)
        {
            // Once per rating that moved the grade down: its place in the stream is the cause.
            await AlertStore.RaiseAsync(connection, transaction, $"rating-downgraded:{accountId}:{sequenceNr}", accountId, AlertKinds.RatingDowngraded,
                r.Floor.DeclineNewHolds ? "high" : "medium",
                new
                {
                    from = r.PreviousGrade, to = r.Grade, score = r.Score, policy = $"{r.PolicyId}/v{r.PolicyVersion}", asOf = r.AsOf,
                    trigger = r.Trigger, moves = r.Moves.Select(m => new { factor = m.Name, fromPoints = m.FromPoints, toPoints = m.ToPoints }),
                }, r.Meta.RecordedAt);
            return;
        }
        if (await CollectionAlertAsync(connection, transaction, accountId, e))
            return;
        if (e is AccountOpened o)
        {
            var digits = Currency.Find(o.Currency).MinorDigits;
            await connection.ExecuteAsync("""
                INSERT INTO alert_accounts (account_id, currency, minor_digits, credit_limit_minor, exposure_minor, utilization_high,
                    utilization_episode, exceeded, exceeded_episode)
                VALUES (@accountId, @currency, @digits, @limit, 0, 0, 0, 0, 0)
                """, new { accountId, currency = o.Currency, digits, limit = Minor.From(o.CreditLimit, digits) }, transaction);
            return;
        }
        var change = ExposureChange(e);
        if (change is null && e is not CreditLimitChanged)
            return;
        var figures = await FiguresAsync(connection, transaction, accountId);
        if (e is CreditLimitChanged c)
            figures.Limit = Minor.From(c.NewLimit, figures.Digits);
        figures.Exposure += Minor.From(change ?? 0m, figures.Digits);
        if (e is CreditHoldExpired expired)
            await AlertStore.RaiseAsync(connection, transaction, $"hold-expired:{accountId}:{expired.HoldId}", accountId, AlertKinds.HoldExpiredUncaptured,
                "low",
                new { holdId = expired.HoldId, amount = expired.Amount, currency = figures.Currency, expiredAt = expired.ExpiredAt }, e.Meta.RecordedAt);
        await EvaluateAsync(connection, transaction, accountId, figures, e.Meta.RecordedAt);
    }

    /// <summary>
    /// The alerts collections raises, each once for its cause: a notice at a level with actions (the credit managers are told),
    /// a broken promise, a dispute opened, a notice whose delivery failed for good. True when the event raises nothing else.
    /// </summary>
    private static async Task<bool> CollectionAlertAsync(DbConnection connection, DbTransaction transaction, string accountId, AccountEvent e)
    {
        switch (e)
        {
            case DunningNoticeIssued n when n.BlocksNewCredit || n.NotifiesCreditManagers:
                await AlertStore.RaiseAsync(connection, transaction, $"dunning-escalated:{accountId}:{n.NoticeId}", accountId, AlertKinds.DunningEscalated,
                    n.BlocksNewCredit ? "high" : "medium",
                    new { noticeId = n.NoticeId, level = n.Level, levelName = n.LevelName, total = n.Total, fee = n.Fee, interest = n.Interest,
                        blocksNewCredit = n.BlocksNewCredit, oldestDaysPastDue = n.Lines.Max(l => l.DaysPastDue) }, n.Meta.RecordedAt);
                return true;
            case PromiseBroken b:
                await AlertStore.RaiseAsync(connection, transaction, $"promise-broken:{accountId}:{b.PromiseId}", accountId, AlertKinds.PromiseBroken,
                    "medium", new { promiseId = b.PromiseId, received = b.Received, shortfall = b.Shortfall }, b.Meta.RecordedAt);
                return true;
            case InvoiceDisputed d:
                await AlertStore.RaiseAsync(connection, transaction, $"dispute-opened:{accountId}:{d.DisputeId}", accountId, AlertKinds.DisputeOpened,
                    "low", new { disputeId = d.DisputeId, invoiceNumber = d.InvoiceNumber, amount = d.Amount, reason = d.Reason }, d.Meta.RecordedAt);
                return true;
            case BalanceDisputed b:
                await AlertStore.RaiseAsync(connection, transaction, $"balance-disputed:{accountId}:{b.StatementId}", accountId, AlertKinds.BalanceDisputed,
                    "medium", new { statementId = b.StatementId, ourBalance = b.OurBalance, theirBalance = b.TheirBalance, difference = b.Difference,
                        items = b.Items.Count, respondent = b.Respondent }, b.Meta.RecordedAt);
                return true;
            case DunningDeliveryFailed { Final: true } f:
                await AlertStore.RaiseAsync(connection, transaction, $"delivery-failed:{accountId}:{f.NoticeId}", accountId, AlertKinds.DunningDeliveryFailed,
                    "medium", new { noticeId = f.NoticeId, attempts = f.Attempt, channel = f.Channel.ToString().ToLowerInvariant(), error = f.Error },
                    f.Meta.RecordedAt);
                return true;
            default:
                return false;
        }
    }

    /// <summary>How an event moves exposure (receivables + holds), or null when it does not.</summary>
    private static decimal? ExposureChange(AccountEvent e) => e switch
    {
        CreditHoldPlaced h => h.Amount,
        CreditHoldCaptured h => -(h.CapturedAmount + h.ReleasedAmount),
        CreditHoldReleased h => -h.Amount,
        CreditHoldExpired h => -h.Amount,
        InvoiceIssued i => i.Amount,
        PaymentAllocated p => -p.Allocations.Sum(a => a.Amount),
        CreditNoteIssued n => -n.Amount,
        EarlyPaymentDiscountGranted d => -d.Amount,
        InvoiceLineWrittenOff w => -w.Amount,
        LateFeeCharged f => f.Amount,
        InterestCharged i => i.Amount,
        // Exposure is receivables plus holds: cash received moves it when allocated; the rest never do.
        AccountOpened or ProfileUpdated or CreditLimitChanged or CreditLimitChangeRequested or CreditLimitChangeApproved
            or CreditLimitChangeRejected or AccountBlocked or AccountUnblocked or AccountClosed or PaymentReceived
            or RatingAssigned or ExternalRatingRecorded or DunningNoticeIssued or InvoiceDisputed or DisputeResolved or PromiseToPayRecorded
            or PromiseKept or PromiseBroken or CollectionNoteAdded or CollectorAssigned or ContactPreferencesSet or StatementIssued or StatementSent or StatementDeliveryFailed or BalanceConfirmed or BalanceDisputed or ReconciliationItemResolved or DunningNoticeSent or DunningDeliveryFailed or PersonalDataErased => null,
        _ => throw new UnknownEventException(nameof(AlertsProjection), e),
    };

    private async Task EvaluateAsync(DbConnection connection, DbTransaction transaction, string accountId, Figures f, DateTimeOffset at)
    {
        var facts = new
        {
            creditLimit = Minor.To(f.Limit, f.Digits), exposure = Minor.To(f.Exposure, f.Digits), currency = f.Currency,
            utilizationPercent = f.Limit == 0 ? (decimal?)null : decimal.Round(f.Exposure * 100m / f.Limit, 2),
        };
        var exceeded = f.Exposure > f.Limit;
        if (exceeded && f.Exceeded == 0)
            await AlertStore.RaiseAsync(connection, transaction, $"limit-exceeded:{accountId}:{f.ExceededEpisode}", accountId, AlertKinds.LimitExceeded,
                "high", facts, at);
        if (!exceeded && f.Exceeded == 1)
            f.ExceededEpisode++;
        f.Exceeded = exceeded ? 1 : 0;

        var high = f.Limit > 0 && f.Exposure * 100m >= f.Limit * utilizationHighPercent;
        if (high && f.UtilizationHigh == 0)
            await AlertStore.RaiseAsync(connection, transaction, $"utilization-high:{accountId}:{f.UtilizationEpisode}", accountId,
                AlertKinds.LimitUtilizationHigh, "medium", facts, at);
        if (!high && f.UtilizationHigh == 1)
            f.UtilizationEpisode++;
        f.UtilizationHigh = high ? 1 : 0;
    }
}
