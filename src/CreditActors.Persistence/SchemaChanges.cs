using System.Data.Common;
using System.Text.RegularExpressions;
using CreditActors.Persistence.Audit;
using Npgsql;

namespace CreditActors.Persistence;

/// <summary>
/// The idempotent schema statements a node runs at start-up, made safe to run while the rest of the cluster writes.
/// <para>
/// On PostgreSQL, <c>CREATE INDEX IF NOT EXISTS</c> takes a SHARE lock on its table before it finds that the index exists.
/// Two of them in one transaction, while a projection batch on another node writes those tables, deadlock (a node
/// restarted into a running cluster failed to start this way). So a statement whose table or index already exists is not
/// sent at all, and the nodes of a cluster change the schema one at a time, under an advisory lock: two nodes starting
/// together on a new database would otherwise race to create the same table.
/// </para>
/// </summary>
public static partial class SchemaChanges
{
    /// <summary>The advisory lock every node takes while it changes the schema ("CAschema" in ASCII).</summary>
    public const long AdvisoryLockKey = 0x43_41_73_63_68_65_6D_61;

    [GeneratedRegex(@"^\s*CREATE\s+(?:UNIQUE\s+)?(?:TABLE|INDEX)\s+IF\s+NOT\s+EXISTS\s+(\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex CreatesIfMissing();

    /// <summary>
    /// Runs a statement, unless it only creates a table or index that exists (on PostgreSQL, where asking costs no lock).
    /// </summary>
    public static async Task ExecuteAsync(DbConnection connection, string statement, DbTransaction? transaction = null,
        CancellationToken cancellation = default)
    {
        if (connection is NpgsqlConnection && CreatesIfMissing().Match(statement) is { Success: true } match
            && await ExistsAsync(connection, match.Groups[1].Value, transaction, cancellation))
            return;
        await using var command = JournalDatabase.Command(connection, statement);
        command.Transaction = transaction;
        await command.ExecuteNonQueryAsync(cancellation);
    }

    /// <summary>
    /// Holds the cluster's schema lock on this connection until disposed (PostgreSQL); nothing on SQLite, whose file has one
    /// writer at a time anyway.
    /// </summary>
    public static async Task<IAsyncDisposable> LockAsync(DbConnection connection, CancellationToken cancellation = default)
    {
        if (connection is not NpgsqlConnection)
            return NoLock.Instance;
        await JournalDatabase.ExecuteAsync(connection, $"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellation);
        return new AdvisoryLock(connection);
    }

    private static async Task<bool> ExistsAsync(DbConnection connection, string name, DbTransaction? transaction, CancellationToken cancellation)
    {
        await using var command = JournalDatabase.Command(connection, "SELECT to_regclass(@name) IS NOT NULL", ("@name", name));
        command.Transaction = transaction;
        return await command.ExecuteScalarAsync(cancellation) is true;
    }

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class AdvisoryLock(DbConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (connection.State != System.Data.ConnectionState.Open)
                return; // a closed session has let go of its locks
            await JournalDatabase.ExecuteAsync(connection, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
        }
    }
}
