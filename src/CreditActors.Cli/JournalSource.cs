using System.Data.Common;
using System.Runtime.CompilerServices;
using CreditActors.Actors.Accounts;
using CreditActors.Domain.Accounts;
using CreditActors.Persistence;
using CreditActors.Persistence.Audit;

namespace CreditActors.Cli;

/// <summary>Why a command could not run: it ends the process with <see cref="ExitCode"/> and the message on standard error.</summary>
public sealed class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>The account events of a journal, read straight from its table in the order asked for, one row at a time.</summary>
public sealed class JournalSource(JournalDatabase database)
{
    /// <summary>Personal fields are opened with the accounts' keys where they still exist, and read as erased where not.</summary>
    private readonly Persistence.PersonalData.PersonalDataProtection _personal = new(new Persistence.PersonalData.PersonalDataKeys(database));

    public JournalDatabase Database => database;

    public static string Prefix => AccountSettings.PersistenceIdPrefix;

    /// <summary>Opens the journal, checking that it is one (a SQLite file that does not exist is refused, never created).</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken cancellation)
    {
        DbConnection connection;
        try
        {
            connection = await database.OpenAsync(cancellation);
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or ArgumentException)
        {
            throw new CliException(ExitCodes.Unreadable, $"cannot open the journal: {e.Message}");
        }
        if (!await database.HasTableAsync(connection, "journal", cancellation))
        {
            await connection.DisposeAsync();
            throw new CliException(ExitCodes.Unreadable, "this database has no journal table: it is not a CreditActors journal");
        }
        return connection;
    }

    /// <param name="byAccount">In account order (each account's events together, in sequence) rather than in the order written.</param>
    public async IAsyncEnumerable<(string AccountId, long Version, AccountEvent Event)> EventsAsync(
        string? accountId, bool byAccount, [EnumeratorCancellation] CancellationToken cancellation)
    {
        await using var connection = await OpenAsync(cancellation);
        var order = byAccount
            ? database.Provider == StorageProvider.PostgreSql ? "persistence_id COLLATE \"C\", sequence_number" : "persistence_id, sequence_number"
            : "ordering";
        await using var command = accountId is null
            ? JournalDatabase.Command(connection,
                $"SELECT persistence_id, sequence_number, manifest, message FROM journal WHERE persistence_id LIKE @p ORDER BY {order}", ("@p", Prefix + "%"))
            : JournalDatabase.Command(connection,
                "SELECT persistence_id, sequence_number, manifest, message FROM journal WHERE persistence_id = @p ORDER BY sequence_number", ("@p", Prefix + accountId));
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
        {
            var manifest = reader.GetString(2);
            if (AccountEventSerializer.Read((byte[])reader.GetValue(3), manifest, _personal) is AccountEvent e)
                yield return (reader.GetString(0)[Prefix.Length..], reader.GetInt64(1), e);
        }
    }

    /// <summary>Each account with all its events, one account at a time.</summary>
    public async IAsyncEnumerable<(string AccountId, List<AccountEvent> Events)> AccountsAsync([EnumeratorCancellation] CancellationToken cancellation)
    {
        string? current = null;
        var events = new List<AccountEvent>();
        await foreach (var (id, _, e) in EventsAsync(null, byAccount: true, cancellation))
        {
            if (current is not null && id != current)
            {
                yield return (current, events);
                events = [];
            }
            current = id;
            events.Add(e);
        }
        if (current is not null)
            yield return (current, events);
    }
}

public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>verify found a broken link or a seal that no longer matches.</summary>
    public const int Tampered = 1;
    /// <summary>The command line itself is wrong.</summary>
    public const int Usage = 2;
    /// <summary>The journal cannot be opened or read.</summary>
    public const int Unreadable = 3;
    /// <summary>The account asked for is not in the journal.</summary>
    public const int NotFound = 4;
}
