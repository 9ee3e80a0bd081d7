using System.Data.Common;
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
/// The portfolio aging report over a large book: the read model is filled in bulk with accounts of three open lines
/// each (due from 200 days ago to 60 days ahead, a third of them partly paid), then the report the endpoint serves is
/// timed against a plain read of the same lines.
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

        AgingReport? report = null;
        var timed = await Load.TimeAsync(3, async () => report = await queries.ReportAsync(asOf, AgingBuckets.Default, new AgingQueries.Filter()));
        var scan = await Load.TimeAsync(3, async () =>
        {
            await using var connection = await database.OpenAsync();
            var rows = (await connection.QueryAsync<(string, string, long, string, long)>(
                "SELECT account_id, invoice_number, line, due_date, amount_minor FROM aging_lines")).AsList();
            if (rows.Count == 0)
                throw new InvalidOperationException("No lines");
        });
        var accounts = report!.Accounts.Count;
        results.Add(new Measurement($"Aging report over {sizes.AgingAccounts:N0} accounts", service.StoreName, "GET /reports/aging (query and buckets)",
            timed.MedianMs, "plain read of the same lines", scan.MedianMs, "ms", "< 500 ms", timed.MedianMs < 500, new Dictionary<string, string>
            {
                ["book"] = $"{sizes.AgingAccounts * LinesPerAccount:N0} lines, {sizes.AgingAccounts * LinesPerAccount / 3:N0} partial settlements; {accounts:N0} account rows in the report",
                ["runs"] = $"median of 3: report {timed.MinMs:0}–{timed.MaxMs:0} ms, read {scan.MinMs:0}–{scan.MaxMs:0} ms",
            }));
    }

    private static async Task FillAsync(ReadModelDatabase database, StorageSettings storage, int accounts, DateOnly asOf)
    {
        var recorded = ProjectionWriter.Instant(DateTimeOffset.UtcNow);
        IEnumerable<object?[]> Figures() => Enumerable.Range(0, accounts).Select(a => new object?[]
            { Id(a), "CNY", 2, a % 10 == 0 ? "Strategic" : "Standard", "Active", 100_000_000L, 300_000L, 0L, recorded });
        IEnumerable<object?[]> Lines() => Enumerable.Range(0, accounts).SelectMany(a => Enumerable.Range(1, LinesPerAccount).Select(l => new object?[]
        {
            Id(a), $"INV-{a}", l, "CNY", ProjectionWriter.Date(asOf.AddDays(-230)), ProjectionWriter.Date(asOf.AddDays(-200 + (a * 7 + l * 37) % 260)),
            100_000L, recorded,
        }));
        IEnumerable<object?[]> Settlements() => Enumerable.Range(0, accounts).Select(a => new object?[]
            { Id(a), 3L, 0, $"INV-{a}", 1, ProjectionWriter.Date(asOf.AddDays(-10)), recorded, 40_000L, "payment" });

        await using var connection = await database.OpenAsync();
        await BulkAsync(connection, "account_figures",
            ["account_id", "currency", "minor_digits", "tier", "status", "credit_limit_minor", "receivables_minor", "holds_minor", "updated_at"], Figures());
        await BulkAsync(connection, "aging_lines",
            ["account_id", "invoice_number", "line", "currency", "issue_date", "due_date", "amount_minor", "recorded_at"], Lines());
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
