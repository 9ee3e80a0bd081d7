using System.Data.Common;
using System.Text;
using CreditActors.Domain.Aging;
using CreditActors.Projections.Runtime;
using Dapper;

namespace CreditActors.Projections.Aging;

/// <summary>
/// Each account's sums per default bucket as of one day, the projection's today (tables aging_today and aging_today_meta):
/// the portfolio report as of today reads one row per account instead of every line. The aging projection keeps it: at the
/// end of each batch it sums again the accounts whose lines the batch changed, and on the first batch of a new day (UTC) it
/// sums every account afresh. A report as of another day, with other buckets, as known at an instant, or before a batch of the
/// day has run, reads the lines instead.
/// </summary>
public static class AgingDay
{
    /// <summary>The buckets the day's sums are kept for: the default ones, six of them (columns b0 to b5).</summary>
    public static readonly AgingBuckets Buckets = AgingBuckets.Default;

    private static readonly string[] Columns = Buckets.Labels.Select((_, i) => $"b{i}").ToArray();

    private static string Key => string.Join(",", Buckets.Boundaries);

    /// <summary>Accounts summed again per statement when a batch touched many.</summary>
    private const int AccountsPerStatement = 500;

    public static IEnumerable<string> Schema() =>
    [
        $"CREATE TABLE IF NOT EXISTS aging_today (account_id TEXT PRIMARY KEY, {string.Join(", ", Columns.Select(c => $"{c} BIGINT NOT NULL"))})",
        "CREATE TABLE IF NOT EXISTS aging_today_meta (id INTEGER PRIMARY KEY, as_of TEXT NOT NULL, boundaries TEXT NOT NULL)",
    ];

    /// <summary>Whether a report could be read from the day's sums (if they are of its date).</summary>
    public static bool Applies(DateOnly asOf, AgingBuckets buckets, AgingQueries.Filter filter) =>
        buckets.Boundaries.SequenceEqual(Buckets.Boundaries) && filter.KnownAt is null && filter.DueBefore is null;

    /// <summary>Whether the day's sums are those of <paramref name="asOf"/> with the default buckets.</summary>
    public static async Task<bool> IsOfAsync(DbConnection connection, DbTransaction transaction, DateOnly asOf) =>
        await connection.QuerySingleOrDefaultAsync<int?>(
            "SELECT 1 FROM aging_today_meta WHERE id = 1 AND as_of = @asOf AND boundaries = @key",
            new { asOf = ProjectionWriter.Date(asOf), key = Key }, transaction) is not null;

    /// <summary>The report's rows from the day's sums, in the shape of <see cref="AgingQueries.ReportQuery"/>.</summary>
    public static (string Sql, DynamicParameters Parameters) ReportQuery(AgingQueries.Filter filter)
    {
        var parameters = new DynamicParameters();
        var where = new StringBuilder("WHERE 1 = 1");
        AgingQueries.AppendAccountFilters(where, parameters, filter, "t.account_id", "a.currency", "a.tier", "a.grade");
        return ($"""
            SELECT t.account_id, {string.Join(", ", Columns.Select(c => "t." + c))}, a.currency, a.minor_digits, a.tier, a.grade, a.rating_score
            FROM aging_today t JOIN account_figures a ON a.account_id = t.account_id
            {where}
            """, parameters);
    }

    /// <summary>
    /// Brings the day's sums to <paramref name="today"/>: the <paramref name="changed"/> accounts summed again from their lines, or,
    /// if the sums are of another day (or were never made), every account. Runs inside the projection's batch transaction.
    /// </summary>
    /// <returns>Whether every account was summed afresh.</returns>
    public static async Task<bool> RefreshAsync(DbConnection connection, DbTransaction transaction, DateOnly today, IReadOnlyCollection<string> changed)
    {
        if (!await IsOfAsync(connection, transaction, today))
        {
            await RebuildAsync(connection, transaction, today);
            return true;
        }
        foreach (var chunk in changed.Chunk(AccountsPerStatement))
        {
            var (some, parameters) = AgingQueries.AccountSums(today, Buckets, new AgingQueries.Filter(), chunk);
            var names = string.Join(", ", chunk.Select((_, i) => $"@account{i}"));
            await connection.ExecuteAsync($"DELETE FROM aging_today WHERE account_id IN ({names})", parameters, transaction);
            await connection.ExecuteAsync(Insert + some, parameters, transaction);
        }
        return false;
    }

    /// <summary>Every account's sums for <paramref name="today"/>, afresh from the lines (and the day marked).</summary>
    public static async Task RebuildAsync(DbConnection connection, DbTransaction transaction, DateOnly today)
    {
        await connection.ExecuteAsync("DELETE FROM aging_today", transaction: transaction);
        var (all, parameters) = AgingQueries.AccountSums(today, Buckets, new AgingQueries.Filter(), accounts: null);
        await connection.ExecuteAsync(Insert + all, parameters, transaction);
        await connection.ExecuteAsync("DELETE FROM aging_today_meta", transaction: transaction);
        await connection.ExecuteAsync("INSERT INTO aging_today_meta (id, as_of, boundaries) VALUES (1, @asOf, @key)",
            new { asOf = ProjectionWriter.Date(today), key = Key }, transaction);
    }

    private static string Insert => $"INSERT INTO aging_today (account_id, {string.Join(", ", Columns)}) ";
}
