using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using CreditActors.Persistence.Audit;

namespace CreditActors.Persistence.PersonalData;

/// <summary>
/// The per-account keys that encrypt an account's personal data in the journal, held outside it (table
/// personal_data_keys). Erasure destroys the key: the row stays, its key is gone, and everything it encrypted reads as
/// erased. Calls are synchronous and cached: a key is looked up once per node, created once per account.
/// </summary>
public sealed class PersonalDataKeys(JournalDatabase database)
{
    private readonly ConcurrentDictionary<string, byte[]?> _cache = new(StringComparer.Ordinal);

    /// <summary>Creates the table, at start: never from a serializer, which may run inside the journal's own write.</summary>
    public async Task EnsureSchemaAsync(CancellationToken cancellation = default)
    {
        var blob = database.Provider == StorageProvider.Sqlite ? "BLOB" : "BYTEA";
        await using var connection = await database.OpenAsync(cancellation);
        await using var schemaLock = await SchemaChanges.LockAsync(connection, cancellation);
        await SchemaChanges.ExecuteAsync(connection,
            $"CREATE TABLE IF NOT EXISTS personal_data_keys (account_id TEXT PRIMARY KEY, data_key {blob} NULL, created_at TEXT NOT NULL, erased_at TEXT NULL)",
            cancellation: cancellation);
    }

    private DbConnection Open() => database.OpenAsync().GetAwaiter().GetResult();

    /// <summary>The account's key; made when <paramref name="create"/> and the account has none. Null when erased (or absent and not made).</summary>
    public byte[]? KeyFor(string accountId, bool create)
    {
        if (_cache.TryGetValue(accountId, out var cached) && (cached is not null || !create))
            return cached;
        DbConnection connection;
        try
        {
            connection = Open();
        }
        catch (DbException) when (!create)
        {
            return null; // a journal with no key table (or read-only, made before keys): nothing of it is sealed
        }
        using var owned = connection;
        (bool exists, byte[]? key) found;
        try
        {
            found = Read(connection, accountId);
        }
        catch (DbException) when (!create)
        {
            return null;
        }
        var (exists, key) = found;
        if (!exists && create)
        {
            using var insert = JournalDatabase.Command(connection,
                "INSERT INTO personal_data_keys (account_id, data_key, created_at) VALUES (@a, @k, @t) ON CONFLICT (account_id) DO NOTHING",
                ("@a", accountId), ("@k", RandomNumberGenerator.GetBytes(32)), ("@t", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture)));
            insert.ExecuteNonQuery();
            (_, key) = Read(connection, accountId);
        }
        else if (exists && key is null && create)
        {
            // Erased before, personal data given again: a new key, for what comes from now on; the erased data stays erased.
            var fresh = RandomNumberGenerator.GetBytes(32);
            using var renew = JournalDatabase.Command(connection, "UPDATE personal_data_keys SET data_key = @k, erased_at = NULL WHERE account_id = @a",
                ("@k", fresh), ("@a", accountId));
            renew.ExecuteNonQuery();
            key = fresh;
        }
        if (key is not null || exists)
            _cache[accountId] = key;
        return key;
    }

    private static (bool Exists, byte[]? Key) Read(DbConnection connection, string accountId)
    {
        using var select = JournalDatabase.Command(connection, "SELECT data_key FROM personal_data_keys WHERE account_id = @a", ("@a", accountId));
        using var reader = select.ExecuteReader();
        return reader.Read() ? (true, reader.IsDBNull(0) ? null : (byte[])reader.GetValue(0)) : (false, null);
    }

    /// <summary>Destroys the account's key (idempotent): what it encrypted can no longer be read, by anyone.</summary>
    public void Destroy(string accountId)
    {
        using var connection = Open();
        using var erase = JournalDatabase.Command(connection,
            "UPDATE personal_data_keys SET data_key = NULL, erased_at = COALESCE(erased_at, @t) WHERE account_id = @a",
            ("@t", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture)), ("@a", accountId));
        erase.ExecuteNonQuery();
        _cache[accountId] = null;
    }

    /// <summary>Forgets what this node cached of an account's key (another node erased it).</summary>
    public void Forget(string accountId) => _cache.TryRemove(accountId, out _);
}
