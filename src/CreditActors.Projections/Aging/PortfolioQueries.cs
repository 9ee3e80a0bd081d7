using System.Globalization;
using CreditActors.Domain.Calendar;
using CreditActors.Domain.Aging;
using CreditActors.Projections.Runtime;
using Dapper;

namespace CreditActors.Projections.Aging;

public sealed record OverdueAccount(string AccountId, decimal Overdue, int OldestDaysPastDue);

public sealed record CurrencyPortfolio(
    string Currency, int Accounts, decimal TotalCreditLimit, decimal Exposure, decimal Receivables, decimal Holds,
    decimal Overdue, decimal? OverdueShare, IReadOnlyDictionary<string, int> UtilizationDistribution, decimal? DaysSalesOutstanding,
    IReadOnlyList<OverdueAccount> LargestOverdue);

public sealed record PortfolioReport(DateOnly AsOf, IReadOnlyList<CurrencyPortfolio> Currencies);

/// <summary>
/// Portfolio figures per currency. Receivables and overdue are as of the date (from the aging read model); limits and
/// holds are the current ones. DSO = receivables ÷ credit sales of the 90 days up to the date × 90.
/// </summary>
public sealed class PortfolioQueries(ReadModelDatabase database, decimal utilizationHighPercent)
{
    public const int DsoDays = 90;

    private sealed class FigureRow
    {
        public string AccountId { get; set; } = "";
        public string Currency { get; set; } = "";
        public int Digits { get; set; }
        public long LimitMinor { get; set; }
        public long HoldsMinor { get; set; }
    }

    private sealed class SalesRow
    {
        public string Currency { get; set; } = "";
        public long SalesMinor { get; set; }
    }

    public async Task<PortfolioReport> ReportAsync(DateOnly asOf, CancellationToken cancellation = default)
    {
        var lines = await new AgingQueries(database).OpenLinesAsync(asOf, AgingBuckets.Default, new AgingQueries.Filter(), cancellation);
        await using var connection = await database.OpenAsync(cancellation);
        var figures = (await connection.QueryAsync<FigureRow>("""
            SELECT account_id AS AccountId, currency AS Currency, minor_digits AS Digits, credit_limit_minor AS LimitMinor, holds_minor AS HoldsMinor
            FROM account_figures
            """)).ToList();
        var sales = (await connection.QueryAsync<SalesRow>("""
            SELECT currency AS Currency, SUM(amount_minor) AS SalesMinor FROM aging_lines
            WHERE issue_date > @from AND issue_date <= @asOf GROUP BY currency
            """, new { from = ProjectionWriter.Date(asOf.AddDaysSaturating(-DsoDays)), asOf = ProjectionWriter.Date(asOf) }))
            .ToDictionary(r => r.Currency, r => r.SalesMinor);

        var receivablesByAccount = lines.GroupBy(l => l.AccountId).ToDictionary(g => g.Key, g => g.Sum(l => l.Open));
        var currencies = figures.GroupBy(f => f.Currency).OrderBy(g => g.Key, StringComparer.Ordinal).Select(group =>
        {
            var digits = group.First().Digits;
            var currencyLines = lines.Where(l => l.Currency == group.Key).ToList();
            var receivables = currencyLines.Sum(l => l.Open);
            var holds = group.Sum(f => Minor.To(f.HoldsMinor, digits));
            var overdueLines = currencyLines.Where(l => l.DaysPastDue > 0).ToList();
            var overdue = overdueLines.Sum(l => l.Open);
            // The bands meet at the utilisation that raises LimitUtilizationHigh (credit-actors.projections.utilization-high-percent).
            var high = utilizationHighPercent.ToString(CultureInfo.InvariantCulture);
            var (low, middle, top) = ("0-50", $"50-{high}", $"{high}-100");
            var distribution = new Dictionary<string, int> { [low] = 0, [middle] = 0, [top] = 0, ["over-100"] = 0, ["no-limit"] = 0 };
            foreach (var f in group)
            {
                var exposure = receivablesByAccount.GetValueOrDefault(f.AccountId) + Minor.To(f.HoldsMinor, digits);
                var limit = Minor.To(f.LimitMinor, digits);
                var utilization = limit == 0m ? 0m : exposure * 100m / limit;
                var key = limit == 0m ? "no-limit" : utilization < 50m ? low : utilization < utilizationHighPercent ? middle : utilization <= 100m ? top : "over-100";
                distribution[key]++;
            }
            var salesMinor = sales.GetValueOrDefault(group.Key);
            decimal? dso = salesMinor == 0 ? null : decimal.Round(receivables / Minor.To(salesMinor, digits) * DsoDays, 1);
            var largest = overdueLines.GroupBy(l => l.AccountId)
                .Select(g => new OverdueAccount(g.Key, g.Sum(l => l.Open), g.Max(l => l.DaysPastDue)))
                .OrderByDescending(a => a.Overdue).ThenBy(a => a.AccountId, StringComparer.Ordinal).Take(10).ToList();
            return new CurrencyPortfolio(group.Key, group.Count(), group.Sum(f => Minor.To(f.LimitMinor, digits)), receivables + holds,
                receivables, holds, overdue, receivables == 0m ? null : decimal.Round(overdue / receivables, 4), distribution, dso, largest);
        }).ToList();
        return new PortfolioReport(asOf, currencies);
    }
}
