using System.Text;
using CreditActors.Domain.Aging;
using CreditActors.Projections.Runtime;
using Dapper;

namespace CreditActors.Projections.Aging;

public sealed record AgingLineReport(
    string AccountId, string InvoiceNumber, int Line, string Currency, DateOnly DueDate, int DaysPastDue, string Bucket, decimal Open);

public sealed record AgingAccountRow(string AccountId, string Currency, string Tier, IReadOnlyDictionary<string, decimal> Buckets, decimal Total);

public sealed record AgingCurrencyTotal(string Currency, IReadOnlyDictionary<string, decimal> Buckets, decimal Total);

public sealed record AgingReport(DateOnly AsOf, DateTimeOffset? KnownAt, IReadOnlyList<string> Buckets, IReadOnlyList<AgingAccountRow> Accounts, IReadOnlyList<AgingCurrencyTotal> Totals);

/// <summary>Aging answered from the read model as of any date (and optionally as known at an instant).</summary>
public sealed class AgingQueries(ReadModelDatabase database)
{
    // Settable properties: Dapper then converts SQLite's and PostgreSQL's column types alike.
    private sealed class Row
    {
        public string AccountId { get; set; } = "";
        public string InvoiceNumber { get; set; } = "";
        public int Line { get; set; }
        public string Currency { get; set; } = "";
        public int Digits { get; set; }
        public string Tier { get; set; } = "";
        public string DueDate { get; set; } = "";
        public long OpenMinor { get; set; }
    }

    public sealed record Filter(string? AccountId = null, string? Currency = null, string? Tier = null, DateTimeOffset? KnownAt = null);

    /// <summary>Every line open as of the date, with its days past due and bucket.</summary>
    public async Task<IReadOnlyList<AgingLineReport>> OpenLinesAsync(DateOnly asOf, AgingBuckets buckets, Filter filter, CancellationToken cancellation = default)
    {
        var sql = new StringBuilder("""
            SELECT l.account_id AS AccountId, l.invoice_number AS InvoiceNumber, l.line AS Line, l.currency AS Currency,
                   f.minor_digits AS Digits, f.tier AS Tier, l.due_date AS DueDate,
                   l.amount_minor - COALESCE(SUM(s.amount_minor), 0) AS OpenMinor
            FROM aging_lines l
            JOIN account_figures f ON f.account_id = l.account_id
            LEFT JOIN aging_settlements s ON s.account_id = l.account_id AND s.invoice_number = l.invoice_number
                 AND s.line = l.line AND s.effective_date <= @asOf
            """);
        var parameters = new DynamicParameters(new { asOf = ProjectionWriter.Date(asOf) });
        if (filter.KnownAt is { } known)
        {
            sql.Append(" AND s.recorded_at <= @known");
            parameters.Add("known", ProjectionWriter.Instant(known));
        }
        sql.Append(" WHERE l.issue_date <= @asOf");
        if (filter.KnownAt is not null)
            sql.Append(" AND l.recorded_at <= @known");
        if (filter.AccountId is { } account)
        {
            sql.Append(" AND l.account_id = @account");
            parameters.Add("account", account);
        }
        if (filter.Currency is { } currency)
        {
            sql.Append(" AND l.currency = @currency");
            parameters.Add("currency", currency);
        }
        if (filter.Tier is { } tier)
        {
            sql.Append(" AND f.tier = @tier");
            parameters.Add("tier", tier);
        }
        sql.Append(" GROUP BY l.account_id, l.invoice_number, l.line, l.currency, f.minor_digits, f.tier, l.due_date, l.amount_minor");

        await using var connection = await database.OpenAsync(cancellation);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(sql.ToString(), parameters, cancellationToken: cancellation));
        var labels = buckets.Labels;
        return rows.Where(r => r.OpenMinor > 0)
            .Select(r =>
            {
                var due = DateOnly.ParseExact(r.DueDate, "yyyy-MM-dd");
                var days = asOf.DayNumber - due.DayNumber;
                return new AgingLineReport(r.AccountId, r.InvoiceNumber, r.Line, r.Currency, due, days, labels[buckets.IndexFor(days)], Minor.To(r.OpenMinor, r.Digits));
            })
            .OrderBy(r => r.AccountId, StringComparer.Ordinal).ThenBy(r => r.InvoiceNumber, StringComparer.Ordinal).ThenBy(r => r.Line)
            .ToList();
    }

    /// <summary>The portfolio aging: a row per account and totals per currency (amounts of different currencies are never added).</summary>
    public async Task<AgingReport> ReportAsync(DateOnly asOf, AgingBuckets buckets, Filter filter, CancellationToken cancellation = default)
    {
        var lines = await OpenLinesAsync(asOf, buckets, filter, cancellation);
        var labels = buckets.Labels;
        await using var connection = await database.OpenAsync(cancellation);
        var tiers = (await connection.QueryAsync<Row>("SELECT account_id AS AccountId, tier AS Tier FROM account_figures"))
            .ToDictionary(t => t.AccountId, t => t.Tier);
        Dictionary<string, decimal> Sum(IEnumerable<AgingLineReport> of) =>
            labels.ToDictionary(label => label, label => of.Where(l => l.Bucket == label).Sum(l => l.Open));
        var accounts = lines.GroupBy(l => (l.AccountId, l.Currency))
            .Select(g => new AgingAccountRow(g.Key.AccountId, g.Key.Currency, tiers.GetValueOrDefault(g.Key.AccountId, ""), Sum(g), g.Sum(l => l.Open)))
            .ToList();
        var totals = lines.GroupBy(l => l.Currency).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new AgingCurrencyTotal(g.Key, Sum(g), g.Sum(l => l.Open)))
            .ToList();
        return new AgingReport(asOf, filter.KnownAt, labels, accounts, totals);
    }
}
