using System.Globalization;
using CreditActors.Domain.Collections;
using CreditActors.Domain.Money;
using CreditActors.Projections.Runtime;
using Dapper;

namespace CreditActors.Projections.Collections;

/// <summary>The worklist's facts for every open account, or those of one collector or currency, as of a day.</summary>
public sealed class WorklistQueries(ReadModelDatabase database)
{
    private sealed class Row
    {
        public string AccountId { get; set; } = "";
        public string Currency { get; set; } = "";
        public string? Collector { get; set; }
        public string ProfileOn { get; set; } = "";
        public string? RatedOn { get; set; }
        public string? LastContactOn { get; set; }
        public string? NextStepOn { get; set; }
        public string? NextStep { get; set; }
        public long BrokenPromises { get; set; }
        public string? PromiseId { get; set; }
        public string? PromiseOn { get; set; }
        public string? PromiseAmount { get; set; }
        public string? LastNoticeOn { get; set; }
        public long? LastNoticeLevel { get; set; }
        public long OverdueMinor { get; set; }
        public string? OldestDue { get; set; }
        public long OpenDisputes { get; set; }
        public long DisputedMinor { get; set; }
        public string? Grade { get; set; }
    }

    public async Task<IReadOnlyList<WorklistFacts>> FactsAsync(
        DateOnly today, string? collector, string? currency, Func<string?, (int Rank, int Count)> grade, CancellationToken cancellation = default)
    {
        await using var connection = await database.OpenAsync(cancellation);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition($"""
            WITH overdue AS (
                SELECT account_id, CAST(SUM(open_minor) AS BIGINT) AS overdue_minor, MIN(due_date) AS oldest_due FROM aging_lines
                WHERE open_minor > 0 AND due_date < @today GROUP BY account_id),
            disputes AS (
                SELECT account_id, COUNT(*) AS open_disputes, CAST(SUM(amount_minor) AS BIGINT) AS disputed_minor FROM collection_disputes
                WHERE is_open = 1 GROUP BY account_id)
            SELECT c.account_id AS AccountId, c.currency AS Currency, c.collector AS Collector, c.profile_on AS ProfileOn, c.rated_on AS RatedOn,
                   c.last_contact_on AS LastContactOn, c.next_step_on AS NextStepOn, c.next_step AS NextStep, c.broken_promises AS BrokenPromises,
                   c.promise_id AS PromiseId, c.promise_on AS PromiseOn, c.promise_amount AS PromiseAmount, c.last_notice_on AS LastNoticeOn,
                   c.last_notice_level AS LastNoticeLevel, COALESCE(o.overdue_minor, 0) AS OverdueMinor, o.oldest_due AS OldestDue,
                   COALESCE(d.open_disputes, 0) AS OpenDisputes, COALESCE(d.disputed_minor, 0) AS DisputedMinor, f.grade AS Grade
            FROM collection_accounts c
            LEFT JOIN overdue o ON o.account_id = c.account_id
            LEFT JOIN disputes d ON d.account_id = c.account_id
            LEFT JOIN account_figures f ON f.account_id = c.account_id
            WHERE c.closed = 0
              {(collector is null ? "" : "AND c.collector = @collector")}
              {(currency is null ? "" : "AND c.currency = @currency")}
            """, new { today = ProjectionWriter.Date(today), collector, currency }, cancellationToken: cancellation));
        return rows.Select(r =>
        {
            var digits = Currency.Find(r.Currency).MinorDigits;
            var (rank, count) = grade(r.Grade);
            return new WorklistFacts(r.AccountId, r.Currency, r.Collector, Minor.To(r.OverdueMinor, digits),
                r.OldestDue is null ? 0 : today.DayNumber - Date(r.OldestDue).DayNumber, (int)r.BrokenPromises, rank, count,
                Maybe(r.LastContactOn), Maybe(r.NextStepOn), r.NextStep, r.PromiseId, Maybe(r.PromiseOn),
                r.PromiseAmount is null ? null : decimal.Parse(r.PromiseAmount, CultureInfo.InvariantCulture), (int)r.OpenDisputes,
                Minor.To(r.DisputedMinor, digits), Maybe(r.LastNoticeOn), (int?)r.LastNoticeLevel, Date(r.ProfileOn), Maybe(r.RatedOn));
        }).ToList();
    }

    /// <summary>The open accounts that asked for a statement every month, in id order.</summary>
    public async Task<IReadOnlyList<string>> MonthlyStatementAccountsAsync(CancellationToken cancellation = default)
    {
        await using var connection = await database.OpenAsync(cancellation);
        return [.. await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT account_id FROM collection_accounts WHERE monthly_statements = 1 AND closed = 0 ORDER BY account_id", cancellationToken: cancellation))];
    }

    private static DateOnly Date(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly? Maybe(string? text) => text is null ? null : Date(text);
}
