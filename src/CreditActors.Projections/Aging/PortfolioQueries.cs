using System.Globalization;
using CreditActors.Domain.Calendar;
using CreditActors.Projections.Runtime;
using Dapper;

namespace CreditActors.Projections.Aging;

public sealed record OverdueAccount(string AccountId, decimal Overdue, int OldestDaysPastDue);

public sealed record CurrencyPortfolio(
    string Currency, int Accounts, decimal TotalCreditLimit, decimal Exposure, decimal Receivables, decimal Holds,
    decimal Overdue, decimal? OverdueShare, IReadOnlyDictionary<string, int> UtilizationDistribution, decimal? DaysSalesOutstanding,
    IReadOnlyList<OverdueAccount> LargestOverdue, IReadOnlyDictionary<string, int> GradeDistribution);

public sealed record PortfolioReport(DateOnly AsOf, IReadOnlyList<CurrencyPortfolio> Currencies);

/// <summary>
/// Portfolio figures per currency. Receivables and overdue are as of the date (from the aging read model); limits and
/// holds are the current ones. DSO = receivables ÷ credit sales of the 90 days up to the date × 90.
/// </summary>
public sealed class PortfolioQueries(ReadModelDatabase database, decimal utilizationHighPercent)
{
    public const int DsoDays = 90;

    private sealed class AccountRow
    {
        public string AccountId { get; set; } = "";
        public string Currency { get; set; } = "";
        public int Digits { get; set; }
        public long LimitMinor { get; set; }
        public long HoldsMinor { get; set; }
        public long ReceivablesMinor { get; set; }
        public long OverdueMinor { get; set; }
        public string? OldestOverdueDue { get; set; }
        public string? Grade { get; set; }
    }

    private sealed class SalesRow
    {
        public string Currency { get; set; } = "";
        public long SalesMinor { get; set; }
    }

    /// <summary>
    /// One row per account, summed in the database: its limit and holds (current), and what it owed and had overdue as of
    /// the date. The service receives as many rows as there are accounts, not lines.
    /// </summary>
    private const string AccountsSql = """
        SELECT f.account_id AS AccountId, f.currency AS Currency, f.minor_digits AS Digits, f.credit_limit_minor AS LimitMinor,
               f.holds_minor AS HoldsMinor, CAST(COALESCE(SUM(o.open_minor), 0) AS BIGINT) AS ReceivablesMinor,
               CAST(COALESCE(SUM(CASE WHEN o.due_date < @asOf THEN o.open_minor ELSE 0 END), 0) AS BIGINT) AS OverdueMinor,
               MIN(CASE WHEN o.due_date < @asOf THEN o.due_date END) AS OldestOverdueDue, f.grade AS Grade
        FROM account_figures f
        LEFT JOIN (
            SELECT l.account_id, l.due_date, l.amount_minor - COALESCE(SUM(s.amount_minor), 0) AS open_minor
            FROM aging_lines l
            LEFT JOIN aging_settlements s ON s.account_id = l.account_id AND s.invoice_number = l.invoice_number
                 AND s.line = l.line AND s.effective_date <= @asOf
            WHERE l.issue_date <= @asOf
            GROUP BY l.account_id, l.invoice_number, l.line, l.due_date, l.amount_minor
            HAVING l.amount_minor - COALESCE(SUM(s.amount_minor), 0) > 0
        ) o ON o.account_id = f.account_id
        WHERE @grade IS NULL OR f.grade = @grade
        GROUP BY f.account_id, f.currency, f.minor_digits, f.credit_limit_minor, f.holds_minor, f.grade
        """;

    /// <summary>What an account without a rating counts as in the grade distribution.</summary>
    public const string Unrated = "unrated";

    /// <param name="grade">Only accounts whose current rating has this grade.</param>
    public async Task<PortfolioReport> ReportAsync(DateOnly asOf, string? grade = null, CancellationToken cancellation = default)
    {
        await using var connection = await database.OpenAsync(cancellation);
        var accounts = (await connection.QueryAsync<AccountRow>(new CommandDefinition(AccountsSql,
            new { asOf = ProjectionWriter.Date(asOf), grade }, cancellationToken: cancellation))).ToList();
        var sales = (await connection.QueryAsync<SalesRow>(new CommandDefinition("""
            SELECT currency AS Currency, SUM(amount_minor) AS SalesMinor FROM aging_lines
            WHERE issue_date > @from AND issue_date <= @asOf GROUP BY currency
            """, new { from = ProjectionWriter.Date(asOf.AddDaysSaturating(-DsoDays)), asOf = ProjectionWriter.Date(asOf) },
            cancellationToken: cancellation)))
            .ToDictionary(r => r.Currency, r => r.SalesMinor);
        var currencies = accounts.GroupBy(a => a.Currency).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(group => Currency(group.Key, group.ToList(), sales.GetValueOrDefault(group.Key), asOf)).ToList();
        return new PortfolioReport(asOf, currencies);
    }

    private CurrencyPortfolio Currency(string currency, List<AccountRow> accounts, long salesMinor, DateOnly asOf)
    {
        var digits = accounts[0].Digits;
        decimal Major(long minor) => Minor.To(minor, digits);
        var receivables = Major(accounts.Sum(a => a.ReceivablesMinor));
        var holds = Major(accounts.Sum(a => a.HoldsMinor));
        var overdue = Major(accounts.Sum(a => a.OverdueMinor));
        // The bands meet at the utilisation that raises LimitUtilizationHigh (credit-actors.projections.utilization-high-percent).
        var high = utilizationHighPercent.ToString(CultureInfo.InvariantCulture);
        var (low, middle, top) = ("0-50", $"50-{high}", $"{high}-100");
        var distribution = new Dictionary<string, int> { [low] = 0, [middle] = 0, [top] = 0, ["over-100"] = 0, ["no-limit"] = 0 };
        foreach (var a in accounts)
        {
            var utilization = a.LimitMinor == 0 ? 0m : (a.ReceivablesMinor + a.HoldsMinor) * 100m / a.LimitMinor;
            var key = a.LimitMinor == 0 ? "no-limit" : utilization < 50m ? low : utilization < utilizationHighPercent ? middle
                : utilization <= 100m ? top : "over-100";
            distribution[key]++;
        }
        decimal? dso = salesMinor == 0 ? null : decimal.Round(receivables / Major(salesMinor) * DsoDays, 1);
        var largest = accounts.Where(a => a.OverdueMinor > 0)
            .Select(a => new OverdueAccount(a.AccountId, Major(a.OverdueMinor),
                asOf.DayNumber - DateOnly.ParseExact(a.OldestOverdueDue!, "yyyy-MM-dd", CultureInfo.InvariantCulture).DayNumber))
            .OrderByDescending(a => a.Overdue).ThenBy(a => a.AccountId, StringComparer.Ordinal).Take(10).ToList();
        return new CurrencyPortfolio(currency, accounts.Count, Major(accounts.Sum(a => a.LimitMinor)), receivables + holds,
            receivables, holds, overdue, receivables == 0m ? null : decimal.Round(overdue / receivables, 4), distribution, dso, largest,
            accounts.GroupBy(a => a.Grade ?? Unrated).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()));
    }
}
