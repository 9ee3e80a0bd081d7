using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CreditActors.Projections.Runtime;
using Dapper;

namespace CreditActors.Projections.Alerts;

public static class AlertKinds
{
    public const string OverdueBucketEntered = "OverdueBucketEntered";
    public const string LimitUtilizationHigh = "LimitUtilizationHigh";
    public const string LimitExceeded = "LimitExceeded";
    public const string RatingDowngraded = "RatingDowngraded";
    public const string HoldExpiredUncaptured = "HoldExpiredUncaptured";
    public const string DunningEscalated = "DunningEscalated";
    public const string PromiseBroken = "PromiseBroken";
    public const string DisputeOpened = "DisputeOpened";
    public const string DunningDeliveryFailed = "DunningDeliveryFailed";
    public const string BalanceDisputed = "BalanceDisputed";

    public static readonly IReadOnlyList<string> All =
    [
        OverdueBucketEntered, LimitUtilizationHigh, LimitExceeded, RatingDowngraded, HoldExpiredUncaptured, DunningEscalated, PromiseBroken,
        DisputeOpened, DunningDeliveryFailed, BalanceDisputed,
    ];
}

public sealed record Alert(
    long Sequence, string AlertId, string AccountId, string Kind, string Severity, JsonElement Facts, DateTimeOffset RaisedAt,
    DateTimeOffset? AcknowledgedAt, string? AcknowledgedBy);

/// <summary>Raising and reading alerts. An alert is raised once per cause: the cause is a unique key.</summary>
public static class AlertStore
{
    /// <summary>Raises an alert unless its cause was raised before; true when it is new.</summary>
    public static async Task<bool> RaiseAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction,
        string cause, string accountId, string kind, string severity, object facts, DateTimeOffset raisedAt)
    {
        var rows = await connection.ExecuteAsync("""
            INSERT INTO alerts (alert_id, cause, account_id, kind, severity, facts, raised_at)
            VALUES (@id, @cause, @accountId, @kind, @severity, @facts, @raised)
            ON CONFLICT (cause) DO NOTHING
            """, new
            {
                id = IdFor(cause), cause, accountId, kind, severity, facts = JsonSerializer.Serialize(facts, FactsJson),
                raised = ProjectionWriter.Instant(raisedAt),
            }, transaction);
        // Delivered under a sequence once: an alert raised again by a rebuild keeps the one it was first delivered under.
        await connection.ExecuteAsync("INSERT INTO alert_deliveries (alert_id) VALUES (@id) ON CONFLICT (alert_id) DO NOTHING",
            new { id = IdFor(cause) }, transaction);
        return rows == 1;
    }

    private static readonly JsonSerializerOptions FactsJson = new(JsonSerializerDefaults.Web);

    /// <summary>A stable id from the cause, so that a rebuilt read model gives every alert the same id.</summary>
    public static string IdFor(string cause) => "al-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(cause)))[..20];
}

public sealed record AlertFilter(long? AfterSequence = null, DateTimeOffset? Since = null, string? Kind = null, string? AccountId = null,
    bool? Acknowledged = null, int Limit = 500);

public sealed class AlertQueries(ReadModelDatabase database)
{
    private sealed class Row
    {
        public long Seq { get; set; }
        public string AlertId { get; set; } = "";
        public string AccountId { get; set; } = "";
        public string Kind { get; set; } = "";
        public string Severity { get; set; } = "";
        public string Facts { get; set; } = "";
        public string RaisedAt { get; set; } = "";
        public string? AcknowledgedAt { get; set; }
        public string? AcknowledgedBy { get; set; }
    }

    public async Task<IReadOnlyList<Alert>> ListAsync(AlertFilter filter, CancellationToken cancellation = default)
    {
        var sql = new StringBuilder("""
            SELECT d.seq AS Seq, a.alert_id AS AlertId, a.account_id AS AccountId, a.kind AS Kind, a.severity AS Severity, a.facts AS Facts,
                   a.raised_at AS RaisedAt, d.acknowledged_at AS AcknowledgedAt, d.acknowledged_by AS AcknowledgedBy
            FROM alerts a JOIN alert_deliveries d ON d.alert_id = a.alert_id WHERE 1 = 1
            """);
        var parameters = new DynamicParameters();
        if (filter.AfterSequence is { } after) { sql.Append(" AND d.seq > @after"); parameters.Add("after", after); }
        if (filter.Since is { } since) { sql.Append(" AND a.raised_at >= @since"); parameters.Add("since", ProjectionWriter.Instant(since)); }
        if (filter.Kind is { } kind) { sql.Append(" AND a.kind = @kind"); parameters.Add("kind", kind); }
        if (filter.AccountId is { } account) { sql.Append(" AND a.account_id = @account"); parameters.Add("account", account); }
        if (filter.Acknowledged is { } acknowledged) sql.Append(acknowledged ? " AND d.acknowledged_at IS NOT NULL" : " AND d.acknowledged_at IS NULL");
        sql.Append(" ORDER BY d.seq LIMIT @limit");
        parameters.Add("limit", filter.Limit);
        await using var connection = await database.OpenAsync(cancellation);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(sql.ToString(), parameters, cancellationToken: cancellation));
        return rows.Select(r => new Alert(r.Seq, r.AlertId, r.AccountId, r.Kind, r.Severity, JsonDocument.Parse(r.Facts).RootElement.Clone(),
            DateTimeOffset.Parse(r.RaisedAt, System.Globalization.CultureInfo.InvariantCulture),
            r.AcknowledgedAt is null ? null : DateTimeOffset.Parse(r.AcknowledgedAt, System.Globalization.CultureInfo.InvariantCulture),
            r.AcknowledgedBy)).ToList();
    }

    /// <summary>
    /// Acknowledges an alert once; a second acknowledgement keeps the first. Null when there is no such alert. Kept in
    /// alert_deliveries, which the projection's rebuild does not touch: a person's act survives a rebuild.
    /// </summary>
    public async Task<Alert?> AcknowledgeAsync(string alertId, string by, DateTimeOffset at, CancellationToken cancellation = default)
    {
        await using var connection = await database.OpenAsync(cancellation);
        var seq = await connection.ExecuteScalarAsync<long?>("""
            SELECT d.seq FROM alert_deliveries d JOIN alerts a ON a.alert_id = d.alert_id WHERE d.alert_id = @alertId
            """, new { alertId });
        if (seq is null)
            return null;
        await connection.ExecuteAsync("""
            UPDATE alert_deliveries SET acknowledged_at = @at, acknowledged_by = @by WHERE alert_id = @alertId AND acknowledged_at IS NULL
            """, new { alertId, by, at = ProjectionWriter.Instant(at) });
        return (await ListAsync(new AlertFilter(AfterSequence: seq - 1, Limit: 1), cancellation)).Single();
    }
}
