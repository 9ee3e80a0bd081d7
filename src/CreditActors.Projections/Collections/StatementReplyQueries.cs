using System.Globalization;
using CreditActors.Projections.Runtime;
using Dapper;

namespace CreditActors.Projections.Collections;

/// <summary>A statement that asked for a confirmation, and what came of it.</summary>
public sealed record StatementReplyRow(
    string AccountId, string StatementId, string Currency, DateOnly From, DateOnly To, decimal ClosingBalance, string Variant, DateTimeOffset IssuedAt,
    string? Reply, decimal? TheirBalance, decimal? Difference, int? Items, string? Respondent, DateTimeOffset? RepliedAt, string? Reconciliation,
    string? ResolutionReference, DateTimeOffset? ResolvedAt, string? ResolvedBy);

public sealed class StatementReplyQueries(ReadModelDatabase database)
{
    private sealed class Row
    {
        public string AccountId { get; set; } = "";
        public string StatementId { get; set; } = "";
        public string Currency { get; set; } = "";
        public string PeriodFrom { get; set; } = "";
        public string PeriodTo { get; set; } = "";
        public string Closing { get; set; } = "";
        public string Variant { get; set; } = "";
        public string IssuedAt { get; set; } = "";
        public string? Reply { get; set; }
        public string? TheirBalance { get; set; }
        public string? Difference { get; set; }
        public long? Items { get; set; }
        public string? Respondent { get; set; }
        public string? RepliedAt { get; set; }
        public string? Reconciliation { get; set; }
        public string? ResolutionReference { get; set; }
        public string? ResolvedAt { get; set; }
        public string? ResolvedBy { get; set; }
    }

    /// <summary>
    /// The statements whose period ends in [<paramref name="from"/>, <paramref name="to"/>]; with <paramref name="reconciliation"/>,
    /// only those whose item is open ("open") or resolved ("resolved").
    /// </summary>
    public async Task<IReadOnlyList<StatementReplyRow>> ListAsync(DateOnly from, DateOnly to, string? reconciliation, int limit,
        CancellationToken cancellation = default)
    {
        var filter = reconciliation switch
        {
            "open" => "AND reconciliation = 'open'",
            "resolved" => "AND reconciliation IS NOT NULL AND reconciliation <> 'open'",
            _ => "",
        };
        await using var connection = await database.OpenAsync(cancellation);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition($"""
            SELECT account_id AS AccountId, statement_id AS StatementId, currency AS Currency, period_from AS PeriodFrom, period_to AS PeriodTo,
                   closing AS Closing, variant AS Variant, issued_at AS IssuedAt, reply AS Reply, their_balance AS TheirBalance, difference AS Difference,
                   items AS Items, respondent AS Respondent, replied_at AS RepliedAt, reconciliation AS Reconciliation,
                   resolution_reference AS ResolutionReference, resolved_at AS ResolvedAt, resolved_by AS ResolvedBy
            FROM statement_replies WHERE period_to >= @from AND period_to <= @to {filter}
            ORDER BY period_to, account_id, statement_id LIMIT @limit
            """, new { from = ProjectionWriter.Date(from), to = ProjectionWriter.Date(to), limit }, cancellationToken: cancellation));
        return rows.Select(r => new StatementReplyRow(r.AccountId, r.StatementId, r.Currency, Date(r.PeriodFrom), Date(r.PeriodTo), Amount(r.Closing)!.Value,
            r.Variant, Instant(r.IssuedAt)!.Value, r.Reply, Amount(r.TheirBalance), Amount(r.Difference), (int?)r.Items, r.Respondent, Instant(r.RepliedAt),
            r.Reconciliation, r.ResolutionReference, Instant(r.ResolvedAt), r.ResolvedBy)).ToList();
    }

    private static DateOnly Date(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static decimal? Amount(string? text) => text is null ? null : decimal.Parse(text, CultureInfo.InvariantCulture);

    private static DateTimeOffset? Instant(string? text) =>
        text is null ? null : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
