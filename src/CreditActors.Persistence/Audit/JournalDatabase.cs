using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CreditActors.Persistence.Audit;

/// <summary>
/// The journal's database, opened directly (not through Akka): by the service's chain keeper and sealer, and by the
/// command line, which works on a SQLite file or a PostgreSQL connection string with no service running.
/// </summary>
public sealed class JournalDatabase(StorageProvider provider, string connectionString, bool readOnly = false)
{
    public StorageProvider Provider => provider;

    public bool ReadOnly => readOnly;

    public static JournalDatabase From(StorageSettings storage) => new(storage.Provider, storage.EffectiveConnectionString);

    /// <summary>A SQLite journal file; read-only opens it so that nothing can be written, not even by mistake.</summary>
    public static JournalDatabase SqliteFile(string path, bool readOnly) =>
        new(StorageProvider.Sqlite, new SqliteConnectionStringBuilder
        {
            DataSource = Path.GetFullPath(path),
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWrite,
            Pooling = false,
        }.ToString(), readOnly);

    public static JournalDatabase PostgreSql(string connectionString, bool readOnly) => new(StorageProvider.PostgreSql, connectionString, readOnly);

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
