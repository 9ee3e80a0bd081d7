using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CreditActors.Persistence.Audit;

/// <summary>
/// The journal's database, opened directly (not through Akka): by the service's chain keeper and sealer, and by the
/// command line, which works on a SQLite file or a PostgreSQL connection string with no service running.
/// </summary>
public sealed class JournalDatabase(StorageProvider provider, string connectionString, bool readOnly = false, string? journalFile = null)
{
    /// <summary>On SQLite, the chain and seal tables live in this file beside the journal, so that chaining never takes the journal's write lock.</summary>
    public const string AuditFileName = "creditactors-audit.db";

    public StorageProvider Provider => provider;

    public bool ReadOnly => readOnly;

    public static JournalDatabase From(StorageSettings storage) =>
        new(storage.Provider, storage.EffectiveConnectionString, journalFile: storage.Provider == StorageProvider.Sqlite ? storage.SqliteFilePath : null);

    /// <summary>A SQLite journal file; read-only opens it so that nothing can be written, not even by mistake.</summary>
    public static JournalDatabase SqliteFile(string path, bool readOnly) =>
        new(StorageProvider.Sqlite, new SqliteConnectionStringBuilder
        {
            DataSource = Path.GetFullPath(path),
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWrite,
            Pooling = false,
        }.ToString(), readOnly, Path.GetFullPath(path));

    public static JournalDatabase PostgreSql(string connectionString, bool readOnly) => new(StorageProvider.PostgreSql, connectionString, readOnly);

    /// <summary>The SQLite file of the chain and seal tables (beside the journal); null on PostgreSQL, where they are in the journal's database.</summary>
    public string? AuditFile => journalFile is null ? null : Path.Combine(Path.GetDirectoryName(journalFile)!, AuditFileName);

    public async Task<DbConnection> OpenAsync(CancellationToken cancellation = default)
    {
        DbConnection connection = provider == StorageProvider.Sqlite ? new SqliteConnection(connectionString) : new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellation);
        if (provider == StorageProvider.Sqlite)
            await ExecuteAsync(connection, "PRAGMA busy_timeout = 10000;", cancellation);
        else if (readOnly)
            await ExecuteAsync(connection, "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY;", cancellation);
        return connection;
    }

    /// <summary>
    /// A connection that sees the chain and seal tables and the journal. On PostgreSQL, the journal's database. On SQLite,
    /// the audit file with the journal attached (never written through it): "journal" names the journal's table, the chain's tables
    /// are written to the audit file. Read-only and no audit file yet: an empty one in memory, so nothing is chained.
    /// </summary>
    public async Task<DbConnection> OpenChainAsync(CancellationToken cancellation = default)
    {
        if (provider != StorageProvider.Sqlite || journalFile is null)
            return await OpenAsync(cancellation);
        var audit = AuditFile!;
        var source = readOnly && !File.Exists(audit) ? ":memory:" : audit;
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = source,
            Mode = source == ":memory:" ? SqliteOpenMode.Memory : readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        await connection.OpenAsync(cancellation);
        await ExecuteAsync(connection, "PRAGMA busy_timeout = 10000;", cancellation);
        if (!readOnly && source != ":memory:")
            await ExecuteAsync(connection, "PRAGMA journal_mode = WAL;", cancellation);
        await ExecuteAsync(connection, "ATTACH DATABASE @file AS journal_db;", cancellation, ("@file", journalFile));
        return connection;
    }

    public static async Task<int> ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellation, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellation);
    }

    public static DbCommand Command(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    /// <summary>Whether a table exists (the chain tables do not, in a journal that was never chained).</summary>
    public async Task<bool> HasTableAsync(DbConnection connection, string table, CancellationToken cancellation)
    {
        var sql = provider == StorageProvider.Sqlite
            ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = @t"
            : "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = @t";
        await using var command = Command(connection, sql, ("@t", table));
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellation), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }
}
