using System.Data.Common;
using System.Globalization;
using CreditActors.Domain.Accounts;
using CreditActors.Persistence;
using CreditActors.Projections.Runtime;
using Dapper;

namespace CreditActors.Projections.LimitRequests;

/// <summary>
/// Credit-limit requests across all accounts, for the approvers' inbox: fed by the small credit-limit-request tag, so it
/// reads only requests and their decisions. Limits are kept as exact decimal text: nothing here is summed.
/// </summary>
public sealed class LimitRequestsProjection : IProjection
{
    public const string ProjectionName = "limit-requests";

    public string Name => ProjectionName;

    public string Tag => AccountEventTagger.LimitRequests;

    public IReadOnlyList<string> Tables => ["limit_requests"];

    public async Task ApplyAsync(DbConnection connection, DbTransaction transaction, ProjectedEvent projected)
    {
        var (accountId, _, _, e) = projected;
        switch (e)
        {
            case CreditLimitChangeRequested r:
                await connection.ExecuteAsync("""
                    INSERT INTO limit_requests (account_id, request_id, status, old_limit, new_limit, reason, requested_by, requested_at)
                    VALUES (@accountId, @requestId, 'pending', @oldLimit, @newLimit, @reason, @requestedBy, @requestedAt)
                    """, new
                    {
                        accountId, requestId = r.RequestId, oldLimit = Text(r.OldLimit), newLimit = Text(r.NewLimit), reason = r.Reason,
                        requestedBy = r.RequestedBy, requestedAt = ProjectionWriter.Instant(r.Meta.RecordedAt),
                    }, transaction);
                break;
            case CreditLimitChangeApproved a:
                await DecideAsync(connection, transaction, accountId, a.RequestId, "approved", a.ApprovedBy, a.Meta.RecordedAt, a.Comment);
                break;
            case CreditLimitChangeRejected r:
                await DecideAsync(connection, transaction, accountId, r.RequestId, "rejected", r.RejectedBy, r.Meta.RecordedAt, r.Reason);
                break;
            // No other event carries the credit-limit-request tag.
            default:
                throw new UnknownEventException(nameof(LimitRequestsProjection), e);
        }
    }

    private static async Task DecideAsync(DbConnection connection, DbTransaction transaction, string accountId, string requestId, string status,
        string decidedBy, DateTimeOffset decidedAt, string? note) =>
        await connection.ExecuteAsync("""
            UPDATE limit_requests SET status = @status, decided_by = @decidedBy, decided_at = @decidedAt, decision_note = @note
            WHERE account_id = @accountId AND request_id = @requestId
            """, new { accountId, requestId, status, decidedBy, decidedAt = ProjectionWriter.Instant(decidedAt), note }, transaction);

    private static string Text(decimal amount) => amount.ToString(CultureInfo.InvariantCulture);
}

public sealed record LimitRequestRow(
    string AccountId, string RequestId, LimitRequestStatus Status, decimal OldLimit, decimal NewLimit, string Reason, string RequestedBy,
    DateTimeOffset RequestedAt, string? DecidedBy, DateTimeOffset? DecidedAt, string? DecisionNote);

public sealed class LimitRequestQueries(ReadModelDatabase database)
{
    private sealed class Row
    {
        public string AccountId { get; set; } = "";
        public string RequestId { get; set; } = "";
        public string Status { get; set; } = "";
        public string OldLimit { get; set; } = "";
        public string NewLimit { get; set; } = "";
        public string Reason { get; set; } = "";
        public string RequestedBy { get; set; } = "";
        public string RequestedAt { get; set; } = "";
        public string? DecidedBy { get; set; }
        public string? DecidedAt { get; set; }
        public string? DecisionNote { get; set; }
    }

    /// <summary>Requests with the status (all when null), oldest first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<LimitRequestRow>> ListAsync(LimitRequestStatus? status, int limit, CancellationToken cancellation = default)
    {
        await using var connection = await database.OpenAsync(cancellation);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition($"""
            SELECT account_id AS AccountId, request_id AS RequestId, status AS Status, old_limit AS OldLimit, new_limit AS NewLimit,
                   reason AS Reason, requested_by AS RequestedBy, requested_at AS RequestedAt, decided_by AS DecidedBy,
                   decided_at AS DecidedAt, decision_note AS DecisionNote
            FROM limit_requests {(status is null ? "" : "WHERE status = @status")}
            ORDER BY requested_at, account_id, request_id LIMIT @limit
            """, new { status = status?.ToString().ToLowerInvariant(), limit }, cancellationToken: cancellation));
        return rows.Select(r => new LimitRequestRow(r.AccountId, r.RequestId, Enum.Parse<LimitRequestStatus>(r.Status, ignoreCase: true),
            decimal.Parse(r.OldLimit, CultureInfo.InvariantCulture), decimal.Parse(r.NewLimit, CultureInfo.InvariantCulture), r.Reason, r.RequestedBy,
            Instant(r.RequestedAt), r.DecidedBy, r.DecidedAt is null ? null : Instant(r.DecidedAt), r.DecisionNote)).ToList();
    }

    private static DateTimeOffset Instant(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
