using System.Data.Common;
using System.Globalization;
using CreditActors.Domain.Accounts;
using CreditActors.Persistence;
using CreditActors.Projections.Runtime;
using Dapper;

namespace CreditActors.Projections.Collections;

/// <summary>
/// The outbox, fed by the small delivery tag: a row per dunning notice or statement, pending from the moment the account
/// wrote it until an attempt delivers it (sent) or the last attempt fails (failed). The account's events are the truth; this
/// table is what the dispatcher polls, and a rebuild gives it back from them.
/// </summary>
public sealed class NoticeOutboxProjection : IProjection
{
    public const string ProjectionName = "notice-outbox";

    public string Name => ProjectionName;

    public string Tag => AccountEventTagger.Deliveries;

    public IReadOnlyList<string> Tables => ["notice_outbox"];

    public async Task ApplyAsync(DbConnection connection, DbTransaction transaction, ProjectedEvent projected)
    {
        var (accountId, _, _, e) = projected;
        var at = ProjectionWriter.Instant(e.Meta.RecordedAt);
        switch (e)
        {
            case DunningNoticeIssued n:
                await OwedAsync(connection, transaction, accountId, n.NoticeId, "notice", n.Channel.ToString().ToLowerInvariant(), n.Level, at);
                break;
            case StatementIssued s:
                await OwedAsync(connection, transaction, accountId, s.StatementId, "statement", "email", 0, at);
                break;
            case DunningNoticeSent s:
                await SentAsync(connection, transaction, accountId, s.NoticeId, s.Attempt, s.Recipient, s.MessageId, at);
                break;
            case StatementSent s:
                await SentAsync(connection, transaction, accountId, s.StatementId, s.Attempt, s.Recipient, s.MessageId, at);
                break;
            case DunningDeliveryFailed f:
                await FailedAsync(connection, transaction, accountId, f.NoticeId, f.Attempt, f.Error, f.Final, f.NextAttemptAt ?? f.Meta.RecordedAt, at);
                break;
            case StatementDeliveryFailed f:
                await FailedAsync(connection, transaction, accountId, f.StatementId, f.Attempt, f.Error, f.Final, f.NextAttemptAt ?? f.Meta.RecordedAt, at);
                break;
            // No other event carries the delivery tag.
            default:
                throw new UnknownEventException(nameof(NoticeOutboxProjection), e);
        }
    }

    private static Task<int> OwedAsync(DbConnection connection, DbTransaction transaction, string accountId, string id, string kind, string channel, int level,
        string at) =>
        connection.ExecuteAsync("""
            INSERT INTO notice_outbox (account_id, notice_id, kind, channel, level, status, attempts, next_attempt_at, issued_at, updated_at)
            VALUES (@accountId, @id, @kind, @channel, @level, 'pending', 0, @at, @at, @at)
            ON CONFLICT (account_id, notice_id) DO NOTHING
            """, new { accountId, id, kind, channel, level, at }, transaction);

    private static Task<int> SentAsync(DbConnection connection, DbTransaction transaction, string accountId, string id, int attempt, string recipient,
        string? messageId, string at) =>
        connection.ExecuteAsync("""
            UPDATE notice_outbox SET status = 'sent', attempts = @attempt, recipient = @recipient, message_id = @messageId, last_error = NULL, updated_at = @at
            WHERE account_id = @accountId AND notice_id = @id
            """, new { accountId, id, attempt, recipient, messageId, at }, transaction);

    private static Task<int> FailedAsync(DbConnection connection, DbTransaction transaction, string accountId, string id, int attempt, string error, bool final,
        DateTimeOffset next, string at) =>
        connection.ExecuteAsync("""
            UPDATE notice_outbox SET status = @status, attempts = @attempt, last_error = @error, next_attempt_at = @next, updated_at = @at
            WHERE account_id = @accountId AND notice_id = @id
            """, new { accountId, id, status = final ? "failed" : "pending", attempt, error, next = ProjectionWriter.Instant(next), at }, transaction);
}

/// <summary>A notice owed a delivery, or how its delivery ended.</summary>
public sealed record OutboxRow(
    string AccountId, string NoticeId, string Kind, string Channel, int Level, string Status, int Attempts, DateTimeOffset NextAttemptAt, DateTimeOffset IssuedAt,
    string? LastError, string? Recipient, string? MessageId);

public sealed class NoticeOutboxQueries(ReadModelDatabase database)
{
    private sealed class Row
    {
        public string AccountId { get; set; } = "";
        public string NoticeId { get; set; } = "";
        public string Kind { get; set; } = "";
        public string Channel { get; set; } = "";
        public long Level { get; set; }
        public string Status { get; set; } = "";
        public long Attempts { get; set; }
        public string NextAttemptAt { get; set; } = "";
        public string IssuedAt { get; set; } = "";
        public string? LastError { get; set; }
        public string? Recipient { get; set; }
        public string? MessageId { get; set; }
    }

    private const string Columns = """
        account_id AS AccountId, notice_id AS NoticeId, kind AS Kind, channel AS Channel, level AS Level, status AS Status, attempts AS Attempts,
        next_attempt_at AS NextAttemptAt, issued_at AS IssuedAt, last_error AS LastError, recipient AS Recipient, message_id AS MessageId
        """;

    /// <summary>The pending notices whose next attempt is due at <paramref name="now"/>, oldest first.</summary>
    public async Task<IReadOnlyList<OutboxRow>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellation = default)
    {
        await using var connection = await database.OpenAsync(cancellation);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition($"""
            SELECT {Columns} FROM notice_outbox WHERE status = 'pending' AND next_attempt_at <= @now
            ORDER BY next_attempt_at, account_id, notice_id LIMIT @limit
            """, new { now = ProjectionWriter.Instant(now), limit }, cancellationToken: cancellation));
        return rows.Select(ToRow).ToList();
    }

    /// <summary>The notices with the status (all when null), newest first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<OutboxRow>> ListAsync(string? status, int limit, CancellationToken cancellation = default)
    {
        await using var connection = await database.OpenAsync(cancellation);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition($"""
            SELECT {Columns} FROM notice_outbox {(status is null ? "" : "WHERE status = @status")}
            ORDER BY issued_at DESC, account_id, notice_id LIMIT @limit
            """, new { status, limit }, cancellationToken: cancellation));
        return rows.Select(ToRow).ToList();
    }

    private static OutboxRow ToRow(Row r) => new(r.AccountId, r.NoticeId, r.Kind, r.Channel, (int)r.Level, r.Status, (int)r.Attempts, Instant(r.NextAttemptAt),
        Instant(r.IssuedAt), r.LastError, r.Recipient, r.MessageId);

    private static DateTimeOffset Instant(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
