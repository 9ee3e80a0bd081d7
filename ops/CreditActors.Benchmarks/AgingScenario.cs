using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using CreditActors.Domain.Aging;
using CreditActors.Persistence;
using CreditActors.Projections.Aging;
using CreditActors.Projections.Runtime;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CreditActors.Benchmarks;

/// <summary>
/// The portfolio aging report over a large book: the read model is filled in bulk (in no account order, as a live book
/// is written) with accounts of three open lines each (due from 200 days ago to 60 days ahead, a third of them partly paid), then the report the endpoint serves, as of
/// today (from the projection's sums for the day) and as of 30 days ago (from the lines), is timed against a plain read of
/// the same lines, and its plan read.
/// </summary>
public static class AgingScenario
{
    public const int LinesPerAccount = 3;

    public static async Task RunAsync(ServiceUnderTest service, Sizes sizes, Results results)
    {
        var database = service.Services.GetRequiredService<ReadModelDatabase>();
        var queries = service.Services.GetRequiredService<AgingQueries>();
        var asOf = DateOnly.FromDateTime(DateTime.UtcNow);
        await FillAsync(database, service.Storage, sizes.AgingAccounts, asOf);
        // What the read model does once, when the table of each account's row of what is open is new: every row from the lines.
        var rollover = Stopwatch.StartNew();
        await using (var connection = await database.OpenAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await AgingOpen.RebuildAsync(connection, transaction, asOf, AgingOpen.DefaultWindowDays);
            await transaction.CommitAsync();
        }
        rollover.Stop();

        var scan = await Load.TimeAsync(3, async () =>
        {
            await using var connection = await database.OpenAsync();
            var rows = (await connection.QueryAsync<(string, string, long, string, long)>(
                "SELECT account_id, invoice_number, line, due_date, amount_minor FROM aging_lines")).AsList();
            if (rows.Count == 0)
                throw new InvalidOperationException("No lines");
        });
        // As of today every line's settlements have taken effect; 30 days ago a third of the lines had a settlement still to
        // come, and those sum their settlements up to the date.
        foreach (var (label, date) in new[] { ("today", asOf), ("30 days ago", asOf.AddDays(-30)) })
        {
            AgingReport? report = null;
            var timed = await Load.TimeAsync(3, async () => report = await queries.ReportAsync(date, AgingBuckets.Default, new AgingQueries.Filter()));
            // The same report from the lines: as known at an instant after everything was recorded, which only the lines answer.
            var lines = await Load.TimeAsync(1, () => queries.ReportAsync(date, AgingBuckets.Default, new AgingQueries.Filter(KnownAt: DateTimeOffset.UtcNow.AddDays(1))));
            var plan = await PlanAsync(database, date);
            results.Add(new Measurement($"Aging report over {sizes.AgingAccounts:N0} accounts as of {label}", service.StoreName,
                "GET /reports/aging (query and buckets)", timed.MedianMs, "plain read of the same lines", scan.MedianMs, "ms", "< 500 ms",
                timed.MedianMs < 500, new Dictionary<string, string>
                {
                    ["book"] = $"{sizes.AgingAccounts * LinesPerAccount:N0} lines, {sizes.AgingAccounts * LinesPerAccount / 3:N0} partial settlements "
                        + $"(effective 10 days ago); {report!.Accounts.Count:N0} account rows in the report",
                    ["runs"] = $"median of 3: report {timed.MinMs:0}–{timed.MaxMs:0} ms, read {scan.MinMs:0}–{scan.MaxMs:0} ms",
                    ["plan"] = $"read from each account's row of what is open (aging_open: open lines and the settlements of the last "
                        + $"{AgingOpen.DefaultWindowDays} days), summed in the service: {plan}; the rows made from the lines (once, when the table is new) "
                        + $"{rollover.ElapsedMilliseconds:N0} ms for this book; from the lines (as known at an instant, or before the window): {lines.MedianMs:0} ms",
                }));
        }
    }

    /// <summary>What the store does with the report's query: PostgreSQL's EXPLAIN ANALYZE (its top nodes and times), SQLite's query plan.</summary>
    private static async Task<string> PlanAsync(ReadModelDatabase database, DateOnly asOf)
    {
        var (sql, parameters) = AgingQueries.BooksQuery(new AgingQueries.Filter());
        await using var connection = await database.OpenAsync();
        if (database.Provider == StorageProvider.PostgreSql)
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await connection.ExecuteAsync(AgingQueries.PostgreSqlSettings, transaction: transaction);
            var lines = (await connection.QueryAsync<string>("EXPLAIN (ANALYZE, BUFFERS) " + sql, parameters, transaction)).ToList();
            var nodes = lines.Where(l => l.Contains("actual time", StringComparison.Ordinal)).Take(8)
                .Select(l => System.Text.RegularExpressions.Regex.Replace(l.Trim().TrimStart('-', '>', ' '), @"\(cost=[^)]*\)\s*", ""));
            return string.Join(" | ", nodes.Append(lines.LastOrDefault(l => l.StartsWith("Execution Time", StringComparison.Ordinal)) ?? ""));
        }
        var steps = await connection.QueryAsync<(long, long, long, string)>("EXPLAIN QUERY PLAN " + sql, parameters);
        return string.Join(" | ", steps.Select(s => s.Item4));
    }

    private static async Task FillAsync(ReadModelDatabase database, StorageSettings storage, int accounts, DateOnly asOf)
    {
        var recorded = ProjectionWriter.Instant(DateTimeOffset.UtcNow);
        IEnumerable<object?[]> Figures() => Enumerable.Range(0, accounts).Select(a => new object?[]
            { Id(a), "CNY", 2, a % 10 == 0 ? "Strategic" : "Standard", "Active", 100_000_000L, 300_000L, 0L, recorded });
        // Line 1 of each account is partly paid (see the settlements): what the projection keeps on the line says so.
        // Written as a live book is: an account's lines at different times (line by line across the accounts, in no order),
        // so that the table is not already in account order.
        var order = Enumerable.Range(0, accounts).ToArray();
        new Random(11).Shuffle(order);
        IEnumerable<object?[]> Lines() => Enumerable.Range(1, LinesPerAccount).SelectMany(l => order.Select(a => new object?[]
        {
            Id(a), $"INV-{a}", l, "CNY", ProjectionWriter.Date(asOf.AddDays(-230)), ProjectionWriter.Date(asOf.AddDays(-200 + (a * 7 + l * 37) % 260)),
            100_000L, recorded, l == 1 ? 60_000L : 100_000L,
        }));
        IEnumerable<object?[]> Settlements() => Enumerable.Range(0, accounts).Select(a => new object?[]
            { Id(a), 3L, 0, $"INV-{a}", 1, ProjectionWriter.Date(asOf.AddDays(-10)), recorded, 40_000L, "payment" });

        await using var connection = await database.OpenAsync();
        await BulkAsync(connection, "account_figures",
            ["account_id", "currency", "minor_digits", "tier", "status", "credit_limit_minor", "receivables_minor", "holds_minor", "updated_at"], Figures());
        await BulkAsync(connection, "aging_lines",
            ["account_id", "invoice_number", "line", "currency", "issue_date", "due_date", "amount_minor", "recorded_at", "open_minor"], Lines());
        await BulkAsync(connection, "aging_settlements",
            ["account_id", "sequence_nr", "part", "invoice_number", "line", "effective_date", "recorded_at", "amount_minor", "kind"], Settlements());
        if (storage.Provider == StorageProvider.PostgreSql)
            await connection.ExecuteAsync("ANALYZE account_figures, aging_lines, aging_settlements");
    }

    private static string Id(int account) => "aging-" + account.ToString("D6", CultureInfo.InvariantCulture);

    private static async Task BulkAsync(DbConnection connection, string table, string[] columns, IEnumerable<object?[]> rows)
    {
        if (connection is NpgsqlConnection npgsql)
        {
            await using var importer = await npgsql.BeginBinaryImportAsync($"COPY {table} ({string.Join(", ", columns)}) FROM STDIN (FORMAT BINARY)");
            foreach (var row in rows)
                await importer.WriteRowAsync(default, row);
            await importer.CompleteAsync();
            return;
        }
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i))})";
        foreach (var row in rows)
        {
            command.Parameters.Clear();
            for (var i = 0; i < row.Length; i++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = "p" + i;
                parameter.Value = row[i] ?? DBNull.Value;
                command.Parameters.Add(parameter);
            }
            await command.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
    }
}
