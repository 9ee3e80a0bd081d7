using CreditActors.Domain.Calendar;
using System.Data.Common;
using System.Globalization;
using System.Text;
using CreditActors.Domain.Aging;
using CreditActors.Projections.Runtime;
using Dapper;

namespace CreditActors.Projections.Aging;

public sealed record AgingLineReport(
    string AccountId, string InvoiceNumber, int Line, string Currency, DateOnly DueDate, int DaysPastDue, string Bucket, decimal Open);

/// <remarks>
/// The grade and score are the account's current rating (absent before its first). Disputed: what the account's disputes
/// open at the date hold (within the buckets, shown apart).
/// </remarks>
public sealed record AgingAccountRow(
    string AccountId, string Currency, string Tier, IReadOnlyDictionary<string, decimal> Buckets, decimal Total, string? Grade = null, decimal? Score = null,
    decimal Disputed = 0m);

public sealed record AgingCurrencyTotal(string Currency, IReadOnlyDictionary<string, decimal> Buckets, decimal Total, decimal Disputed = 0m);

public sealed record AgingReport(DateOnly AsOf, DateTimeOffset? KnownAt, IReadOnlyList<string> Buckets, IReadOnlyList<AgingAccountRow> Accounts,
    IReadOnlyList<AgingCurrencyTotal> Totals);

/// <summary>An account's or a currency's amount per bucket label: the labels shared by every row, the amounts its own.</summary>
public sealed class BucketAmountDictionary(IReadOnlyList<string> labels, decimal[] amounts) : IReadOnlyDictionary<string, decimal>
{
    public decimal this[string key] => TryGetValue(key, out var amount) ? amount : throw new KeyNotFoundException($"no bucket {key}");

    public IEnumerable<string> Keys => labels;

    public IEnumerable<decimal> Values => amounts;

    public int Count => labels.Count;

    public bool ContainsKey(string key) => labels.Contains(key);

    public bool TryGetValue(string key, out decimal value)
    {
        for (var i = 0; i < labels.Count; i++)
            if (labels[i] == key)
            {
                value = amounts[i];
                return true;
            }
        value = 0m;
        return false;
    }

    public IEnumerator<KeyValuePair<string, decimal>> GetEnumerator() =>
        labels.Select((label, i) => KeyValuePair.Create(label, amounts[i])).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>Aging answered from the read model as of any date (and optionally as known at an instant).</summary>
public sealed class AgingQueries(ReadModelDatabase database)
{
    /// <summary>
    /// For the report's one large query on PostgreSQL, read from EXPLAIN ANALYZE over 100,000 accounts (see docs/benchmarks.md):
    /// no JIT, whose compiling of this query's expressions took about 300 ms before the first row; grouping by sorting (the lines
    /// come in account order from their key) rather than hashing, 280 ms against 450 ms for 100,000 groups of six sums; no
    /// parallel workers, whose plan split each account's lines over the workers (187,000 partial groups to merge for 100,000
    /// accounts) on a machine whose cores the service uses too; and more sort memory than the default 4 MB.
    /// </summary>
    public const string PostgreSqlSettings =
        "SET LOCAL work_mem = '64MB'; SET LOCAL jit = off; SET LOCAL enable_hashagg = off; SET LOCAL max_parallel_workers_per_gather = 0";

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

    /// <param name="DueBefore">Only lines due before this date: the overdue ones, as of it.</param>
    /// <param name="Grade">Only accounts whose current rating has this grade.</param>
    public sealed record Filter(
        string? AccountId = null, string? Currency = null, string? Tier = null, DateTimeOffset? KnownAt = null, DateOnly? DueBefore = null,
        string? Grade = null);

    /// <summary>Every line open as of the date, with its days past due and bucket.</summary>
    public async Task<IReadOnlyList<AgingLineReport>> OpenLinesAsync(DateOnly asOf, AgingBuckets buckets, Filter filter,
        CancellationToken cancellation = default)
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
        AppendLineFilters(sql, parameters, filter);
        sql.Append(" GROUP BY l.account_id, l.invoice_number, l.line, l.currency, f.minor_digits, f.tier, l.due_date, l.amount_minor");

        await using var connection = await database.OpenAsync(cancellation);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(sql.ToString(), parameters, cancellationToken: cancellation));
        var labels = buckets.Labels;
        return rows.Where(r => r.OpenMinor > 0)
            .Select(r =>
            {
                var due = DateOnly.ParseExact(r.DueDate, "yyyy-MM-dd");
                var days = asOf.DayNumber - due.DayNumber;
                return new AgingLineReport(
                    r.AccountId, r.InvoiceNumber, r.Line, r.Currency, due, days, labels[buckets.IndexFor(days)], Minor.To(r.OpenMinor, r.Digits));
            })
            .OrderBy(r => r.AccountId, StringComparer.Ordinal).ThenBy(r => r.InvoiceNumber, StringComparer.Ordinal).ThenBy(r => r.Line)
            .ToList();
    }

    /// <summary>The report's SQL and parameters: public so that the harness can read its plan (EXPLAIN ANALYZE).</summary>
    public static (string Sql, DynamicParameters Parameters) ReportQuery(DateOnly asOf, AgingBuckets buckets, Filter filter)
    {
        var (sums, parameters) = AccountSums(asOf, buckets, filter, accounts: null);
        return ($"""
            SELECT y.*, a.currency, a.minor_digits, a.tier, a.grade, a.rating_score
            FROM ({sums}) y
            JOIN account_figures a ON a.account_id = y.account_id
            """, parameters);
    }

    /// <summary>
    /// One row per account with something open as of the date: its id and its sum per bucket (in minor units), from the lines;
    /// only the <paramref name="accounts"/> given, when given.
    /// </summary>
    /// <remarks>
    /// What is open on a line as of the date (and as known at the instant) is what the projection keeps open on it now plus the
    /// settlements that took effect after the date (or were recorded after the instant): as of today there are none, and the
    /// report is one pass over the lines in account order, summed per account as it goes; as of a past date the settlements
    /// after it are summed per line first and merged in.
    /// </remarks>
    internal static (string Sql, DynamicParameters Parameters) AccountSums(DateOnly asOf, AgingBuckets buckets, Filter filter,
        IReadOnlyList<string>? accounts)
    {
        var labels = buckets.Labels;
        var parameters = new DynamicParameters(new { asOf = ProjectionWriter.Date(asOf) });
        var later = new StringBuilder("s.effective_date > @asOf");
        var where = new StringBuilder("WHERE l.issue_date <= @asOf");
        if (filter.KnownAt is { } known)
        {
            parameters.Add("known", ProjectionWriter.Instant(known));
            later.Append(" OR s.recorded_at > @known");
            where.Append(" AND l.recorded_at <= @known");
        }
        AppendLineFilters(where, parameters, filter);
        if (accounts is not null)
        {
            where.Append(" AND l.account_id IN (").Append(string.Join(", ", accounts.Select((_, i) => $"@account{i}"))).Append(')');
            for (var i = 0; i < accounts.Count; i++)
                parameters.Add($"account{i}", accounts[i]);
        }
        var tier = filter.Tier is null && filter.Grade is null ? "" : "JOIN account_figures f ON f.account_id = l.account_id";

        // A line's bucket from its due date alone: "at most B days past due" is "due on or after asOf - B days". The
        // dates are ISO text, which compares in date order on both stores, so no date arithmetic runs per line.
        var bucket = new StringBuilder("CASE WHEN l.due_date >= @asOf THEN 0");
        for (var i = 0; i < buckets.Boundaries.Count; i++)
        {
            bucket.Append($" WHEN l.due_date >= @bound{i} THEN {i + 1}");
            parameters.Add($"bound{i}", ProjectionWriter.Date(asOf.AddDaysSaturating(-buckets.Boundaries[i])));
        }
        bucket.Append($" ELSE {buckets.Boundaries.Count + 1} END");
        const string open = "(l.open_minor + COALESCE(t.later, 0))";
        // Cast back to 64 bits: PostgreSQL sums bigints as numeric.
        var sums = string.Join(", ", labels.Select((_, i) => $"CAST(SUM(CASE WHEN {bucket} = {i} THEN {open} ELSE 0 END) AS BIGINT)"));
        var sql = $"""
            SELECT l.account_id, {sums}
            FROM aging_lines l {tier}
            LEFT JOIN (
                SELECT s.account_id, s.invoice_number, s.line, SUM(s.amount_minor) AS later
                FROM aging_settlements s WHERE {later}
                GROUP BY s.account_id, s.invoice_number, s.line
            ) t ON t.account_id = l.account_id AND t.invoice_number = l.invoice_number AND t.line = l.line
            {where} AND (l.open_minor <> 0 OR t.later IS NOT NULL)
            GROUP BY l.account_id
            HAVING SUM({open}) > 0
            """;
        return (sql, parameters);
    }

    /// <summary>The account, currency and tier filters, on lines `l` joined with their account figures `f`.</summary>
    private static void AppendLineFilters(StringBuilder where, DynamicParameters parameters, Filter filter)
    {
        AppendAccountFilters(where, parameters, filter, "l.account_id", "l.currency", "f.tier", "f.grade");
        if (filter.DueBefore is { } due)
        {
            where.Append(" AND l.due_date < @dueBefore");
            parameters.Add("dueBefore", ProjectionWriter.Date(due));
        }
    }

    /// <summary>The account, currency, tier and grade filters on the columns named.</summary>
    internal static void AppendAccountFilters(StringBuilder where, DynamicParameters parameters, Filter filter, string accountColumn, string currencyColumn,
        string tierColumn, string gradeColumn)
    {
        foreach (var (value, column, name) in new[] { (filter.AccountId, accountColumn, "account"), (filter.Currency, currencyColumn, "currency"),
            (filter.Tier, tierColumn, "tier"), (filter.Grade, gradeColumn, "grade") })
        {
            if (value is null)
                continue;
            where.Append($" AND {column} = @{name}");
            parameters.Add(name, value);
        }
    }

    /// <summary>The portfolio aging: a row per account and totals per currency (amounts of different currencies are never added).</summary>
    /// <remarks>
    /// Aggregated in the database: each open line is bucketed there and summed per account and bucket, so a book of
    /// a hundred thousand accounts returns one row per account rather than one per line (see <see cref="ReportQuery"/>).
    /// </remarks>
    private const string DisputedSql =
        "SELECT account_id, CAST(SUM(amount_minor) AS BIGINT) FROM collection_disputes WHERE opened_on <= @asOf AND (resolved_on IS NULL OR resolved_on > @asOf) "
        + "GROUP BY account_id";

    public async Task<AgingReport> ReportAsync(DateOnly asOf, AgingBuckets buckets, Filter filter, CancellationToken cancellation = default)
    {
        var labels = buckets.Labels;
        var accounts = new List<AgingAccountRow>();
        await using (var connection = await database.OpenAsync(cancellation))
        // One snapshot for the check of the day and the read, so that a new day's sums cannot slip in between: repeatable read
        // on PostgreSQL; on SQLite a deferred transaction, which reads without taking the write lock from the projections.
        await using (var transaction = await ReadModelDatabase.BeginReadAsync(connection, cancellation))
        {
            // From each account's row of what is open (aging_open) when the rows hold every settlement after the date; as known
            // at an instant, or as of a day before their window, from the lines.
            if (filter.KnownAt is null && await AgingOpen.CoversAsync(connection, transaction, asOf))
                await ReadBooksAsync(connection, transaction, asOf, buckets, filter, accounts, cancellation);
            else
            {
                var (sql, parameters) = ReportQuery(asOf, buckets, filter);
                if (database.Provider == Persistence.StorageProvider.PostgreSql)
                    await connection.ExecuteAsync(PostgreSqlSettings, transaction: transaction);
                await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellation));
                while (await reader.ReadAsync(cancellation))
                {
                    var sums = new long[labels.Count];
                    for (var i = 0; i < sums.Length; i++)
                        sums[i] = reader.GetInt64(1 + i);
                    accounts.Add(AccountRow(reader, reader.GetString(0), labels, sums, labels.Count + 1));
                }
            }
            // What open disputes held at the date (by effective dates): a small table, read apart from the lines.
            var disputed = (await connection.QueryAsync<(string AccountId, long Minor)>(new CommandDefinition(DisputedSql,
                new { asOf = ProjectionWriter.Date(asOf) }, transaction, cancellationToken: cancellation)))
                .ToDictionary(d => d.AccountId, d => d.Minor, StringComparer.Ordinal);
            if (disputed.Count > 0)
                for (var i = 0; i < accounts.Count; i++)
                    if (disputed.TryGetValue(accounts[i].AccountId, out var minor))
                        accounts[i] = accounts[i] with
                        {
                            Disputed = Math.Min(accounts[i].Total, Minor.To(minor, Domain.Money.Currency.Find(accounts[i].Currency).MinorDigits)),
                        };
        }
        // The rows come in account order from either query's key; sorted only when they do not.
        for (var i = 1; i < accounts.Count; i++)
            if (string.CompareOrdinal(accounts[i - 1].AccountId, accounts[i].AccountId) > 0)
            {
                accounts.Sort((a, b) => string.CompareOrdinal(a.AccountId, b.AccountId));
                break;
            }
        // Per currency, one pass over the rows (amounts of different currencies are never added).
        var byCurrency = new SortedDictionary<string, (decimal[] Buckets, decimal Total, decimal Disputed)>(StringComparer.Ordinal);
        foreach (var account in accounts)
        {
            if (!byCurrency.TryGetValue(account.Currency, out var sum))
                sum = (new decimal[labels.Count], 0m, 0m);
            var i = 0;
            foreach (var amount in account.Buckets.Values)
                sum.Buckets[i++] += amount;
            byCurrency[account.Currency] = (sum.Buckets, sum.Total + account.Total, sum.Disputed + account.Disputed);
        }
        var totals = byCurrency.Select(s => new AgingCurrencyTotal(s.Key, new BucketAmountDictionary(labels, s.Value.Buckets), s.Value.Total, s.Value.Disputed))
            .ToList();
        return new AgingReport(asOf, filter.KnownAt, labels, accounts, totals);
    }

    /// <summary>The query of each account's row of what is open, with its figures: public so that the harness can read its plan.</summary>
    public static (string Sql, DynamicParameters Parameters) BooksQuery(Filter filter)
    {
        var parameters = new DynamicParameters();
        var where = new StringBuilder("WHERE 1 = 1");
        AppendAccountFilters(where, parameters, filter, "o.account_id", "a.currency", "a.tier", "a.grade");
        return ($"""
            SELECT o.account_id, o.book, a.currency, a.minor_digits, a.tier, a.grade, a.rating_score
            FROM aging_open o JOIN account_figures a ON a.account_id = o.account_id
            {where}
            ORDER BY o.account_id
            """, parameters);
    }

    /// <summary>The report's rows from each account's row of what is open (see <see cref="OpenBook"/>), summed here.</summary>
    private static async Task ReadBooksAsync(DbConnection connection, DbTransaction transaction, DateOnly asOf, AgingBuckets buckets, Filter filter,
        List<AgingAccountRow> accounts, CancellationToken cancellation)
    {
        var labels = buckets.Labels;
        var (sql, parameters) = BooksQuery(filter);
        int? dueBefore = filter.DueBefore?.DayNumber;
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellation));
        while (await reader.ReadAsync(cancellation))
        {
            var sums = new long[labels.Count];
            OpenBook.AddTo(reader.GetFieldValue<byte[]>(1), sums, asOf.DayNumber, buckets, dueBefore);
            // As the lines' query has it: an account whose open amounts as of the date add up to more than nothing.
            if (sums.Sum() > 0)
                accounts.Add(AccountRow(reader, reader.GetString(0), labels, sums, 2));
        }
    }

    /// <summary>A report row from its sums and the account's columns read from <paramref name="first"/> on: currency, minor digits, tier, grade, score.</summary>
    private static AgingAccountRow AccountRow(DbDataReader reader, string accountId, IReadOnlyList<string> labels, long[] sums, int first)
    {
        var digits = Convert.ToInt32(reader.GetValue(first + 1), CultureInfo.InvariantCulture);
        var amounts = new decimal[labels.Count];
        var total = 0m;
        for (var i = 0; i < labels.Count; i++)
            total += amounts[i] = Minor.To(sums[i], digits);
        return new AgingAccountRow(accountId, reader.GetString(first), reader.GetString(first + 2), new BucketAmountDictionary(labels, amounts), total,
            reader.IsDBNull(first + 3) ? null : reader.GetString(first + 3),
            reader.IsDBNull(first + 4) ? null : decimal.Parse(reader.GetString(first + 4), CultureInfo.InvariantCulture));
    }
}
