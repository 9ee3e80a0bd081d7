using System.Data.Common;
using System.Diagnostics;
using CreditActors.Persistence;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CreditActors.Benchmarks;

/// <summary>
/// The write baseline: rows shaped like journal rows (same columns, same indexes, the same serialized event as
/// payload) inserted straight into the same database in batches of a given number of rows per transaction by one
/// writer (<see cref="BatchSize"/>, or the best size a sweep finds). No actors, no serialization per row, no reply: what the
/// database alone takes.
/// </summary>
public static class RawInserts
{
    public const int BatchSize = 100;

    /// <summary>The batch sizes the sweep for the best baseline tries.</summary>
    public static readonly int[] SweepSizes = [100, 250, 500, 1_000, 2_000, 5_000];

    public static async Task<LoadResult> RunAsync(StorageSettings storage, byte[] payload, string manifest, int streams, TimeSpan duration,
        int batchSize = BatchSize)
    {
        await using var connection = await OpenAsync(storage);
        await ExecuteAsync(connection, "DROP TABLE IF EXISTS bench_raw_journal");
        await ExecuteAsync(connection, storage.Provider == StorageProvider.Sqlite
            ? """
              CREATE TABLE bench_raw_journal (ordering INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, created INTEGER NOT NULL, deleted Bit NOT NULL,
                persistence_id NVarChar(255) NOT NULL, sequence_number INTEGER NOT NULL, message VarBinary NOT NULL, tags NVarChar(100) NULL,
                manifest NVarChar(500) NULL, identifier INTEGER NULL, writer_uuid NVarChar(128) NULL)
              """
            : """
              CREATE TABLE bench_raw_journal (ordering BIGSERIAL NOT NULL PRIMARY KEY, created BIGINT NOT NULL, deleted BOOLEAN NOT NULL,
                persistence_id VARCHAR(255) NOT NULL, sequence_number BIGINT NOT NULL, message BYTEA NOT NULL, tags VARCHAR(100) NULL,
                manifest VARCHAR(500) NULL, identifier INTEGER NULL, writer_uuid VARCHAR(128) NULL)
              """);
        await ExecuteAsync(connection, "CREATE UNIQUE INDEX bench_raw_journal_uq ON bench_raw_journal (persistence_id, sequence_number)");
        await ExecuteAsync(connection, "CREATE INDEX bench_raw_journal_created ON bench_raw_journal (created)");
        await ExecuteAsync(connection, "CREATE INDEX bench_raw_journal_seq ON bench_raw_journal (sequence_number)");

        var sequence = new long[streams];
        var writer = Guid.NewGuid().ToString();
        long rows = 0;
        var batchTimes = new List<long>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            var begin = Stopwatch.GetTimestamp();
            await using (var transaction = await connection.BeginTransactionAsync())
            {
                if (connection is NpgsqlConnection npgsql)
                {
                    await using var batch = new NpgsqlBatch(npgsql, (NpgsqlTransaction)transaction);
                    for (var i = 0; i < batchSize; i++, rows++)
                    {
                        var command = new NpgsqlBatchCommand(Insert);
                        AddRow(command.Parameters, rows, streams, sequence, payload, manifest, writer, (name, value) => new NpgsqlParameter(name, value));
                        batch.BatchCommands.Add(command);
                    }
                    await batch.ExecuteNonQueryAsync();
                }
                else
                {
                    await using var command = connection.CreateCommand();
                    command.Transaction = transaction;
                    command.CommandText = Insert;
                    for (var i = 0; i < batchSize; i++, rows++)
                    {
                        command.Parameters.Clear();
                        AddRow(command.Parameters, rows, streams, sequence, payload, manifest, writer, (name, value) => new SqliteParameter(name, value));
                        await command.ExecuteNonQueryAsync();
                    }
                }
                await transaction.CommitAsync();
            }
            batchTimes.Add(Stopwatch.GetTimestamp() - begin);
        }
        var elapsed = clock.Elapsed;
        await ExecuteAsync(connection, "DROP TABLE bench_raw_journal");
        var sorted = batchTimes.ToArray();
        Array.Sort(sorted);
        return new LoadResult(rows, 0, elapsed, Load.Percentile(sorted, 0.5), Load.Percentile(sorted, 0.99));
    }

    private const string Insert = """
        INSERT INTO bench_raw_journal (created, deleted, persistence_id, sequence_number, message, tags, manifest, identifier, writer_uuid)
        VALUES (@created, @deleted, @pid, @seq, @message, @tags, @manifest, @identifier, @writer)
        """;

    private static void AddRow(DbParameterCollection parameters, long row, int streams, long[] sequence, byte[] payload, string manifest,
        string writer, Func<string, object, DbParameter> parameter)
    {
        var stream = (int)(row % streams);
        parameters.Add(parameter("created", DateTime.UtcNow.Ticks));
        parameters.Add(parameter("deleted", false));
        parameters.Add(parameter("pid", "credit-account-raw-" + stream));
        parameters.Add(parameter("seq", ++sequence[stream]));
        parameters.Add(parameter("message", payload));
        parameters.Add(parameter("tags", ";credit-account;"));
        parameters.Add(parameter("manifest", manifest));
        parameters.Add(parameter("identifier", 4301));
        parameters.Add(parameter("writer", writer));
    }

    public static async Task<DbConnection> OpenAsync(StorageSettings storage)
    {
        DbConnection connection = storage.Provider == StorageProvider.Sqlite
            ? new SqliteConnection(storage.EffectiveConnectionString)
            : new NpgsqlConnection(storage.EffectiveConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 600;
        await command.ExecuteNonQueryAsync();
    }
}
