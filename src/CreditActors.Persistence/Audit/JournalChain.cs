using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;

namespace CreditActors.Persistence.Audit;

/// <summary>A seal: the Merkle root over every stream's head at an instant, with the journal ordering every chained row is within.</summary>
public sealed record JournalSeal(long SealId, DateTimeOffset SealedAt, string Kind, long HighestOrdering, long Streams, long Events, string Root, string? PreviousRoot);

/// <summary>
/// Keeps the hash chain of every stream of the journal (table event_chain: one link per event) and writes seals
/// (journal_seals, with the heads that changed since the previous one in journal_seal_heads). The links are computed
/// from the rows exactly as the journal stored them, stream by stream in sequence order, so writers take no lock: the
/// chain follows the journal as a read model does. A journal written before the chain existed is chained and sealed the
/// first time (the migration seal): that proves nothing about edits made before it, everything about edits after it.
/// </summary>
public sealed class JournalChain(JournalDatabase database, int cachedHeads = JournalChain.CachedHeads)
{
    /// <summary>How far below its progress the chain looks for rows that committed late (PostgreSQL).</summary>
    public const long LateOrderings = 10_000;

    /// <summary>The last link of each stream chained so far (the chain's own cache; the table is the truth).</summary>
    private readonly Dictionary<string, (long Sequence, byte[] Link)> _heads = new(StringComparer.Ordinal);

    /// <summary>Streams whose last link the cache keeps, at most (about 150 bytes each); when full it empties before a batch and refills from the table.</summary>
    public const int CachedHeads = 200_000;

    private string Blob => database.Provider == StorageProvider.Sqlite ? "BLOB" : "BYTEA";

    public async Task EnsureSchemaAsync(CancellationToken cancellation = default)
    {
        await using var connection = await database.OpenChainAsync(cancellation);
        await using var schemaLock = await SchemaChanges.LockAsync(connection, cancellation);
        foreach (var sql in new[]
        {
            $"CREATE TABLE IF NOT EXISTS event_chain (persistence_id TEXT NOT NULL, sequence_number BIGINT NOT NULL, ordering BIGINT NOT NULL, digest {Blob} NOT NULL, link {Blob} NOT NULL, PRIMARY KEY (persistence_id, sequence_number))",
            "CREATE INDEX IF NOT EXISTS event_chain_ordering ON event_chain (ordering)",
            "CREATE TABLE IF NOT EXISTS chain_progress (id INTEGER PRIMARY KEY, last_ordering BIGINT NOT NULL, updated_at TEXT NOT NULL)",
            "CREATE TABLE IF NOT EXISTS journal_seals (seal_id BIGINT PRIMARY KEY, sealed_at TEXT NOT NULL, kind TEXT NOT NULL, highest_ordering BIGINT NOT NULL, streams BIGINT NOT NULL, events BIGINT NOT NULL, root TEXT NOT NULL, previous_root TEXT NULL)",
            $"CREATE TABLE IF NOT EXISTS journal_seal_heads (seal_id BIGINT NOT NULL, persistence_id TEXT NOT NULL, sequence_number BIGINT NOT NULL, link {Blob} NOT NULL, PRIMARY KEY (seal_id, persistence_id))",
        })
            await SchemaChanges.ExecuteAsync(connection, sql, cancellation: cancellation);
    }

    /// <summary>Whether the journal holds any event.</summary>
    public async Task<bool> HasEventsAsync(CancellationToken cancellation = default)
    {
        await using var connection = await database.OpenChainAsync(cancellation);
        await using var command = JournalDatabase.Command(connection, "SELECT ordering FROM journal LIMIT 1");
        return await command.ExecuteScalarAsync(cancellation) is not (null or DBNull);
    }

    /// <summary>The ordering every journal row up to which is chained.</summary>
    public async Task<long> ProgressAsync(CancellationToken cancellation = default)
    {
        await using var connection = await database.OpenChainAsync(cancellation);
        return await ProgressAsync(connection, cancellation);
    }

    private static async Task<long> ProgressAsync(DbConnection connection, CancellationToken cancellation)
    {
        await using var command = JournalDatabase.Command(connection, "SELECT last_ordering FROM chain_progress WHERE id = 1");
        return await command.ExecuteScalarAsync(cancellation) is { } value and not DBNull ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : 0L;
    }

    /// <summary>
    /// Chains the next rows of the journal (at most <paramref name="batch"/>). A row whose stream has a gap before it (a
    /// transaction with a lower sequence number not committed yet) waits, up to <paramref name="gapWait"/> after it was
    /// written; after that it is chained over the gap, which verify then reports. Returns the links written and whether
    /// more rows wait to be chained now (not while a gap holds the progress back).
    /// </summary>
    public async Task<(int Linked, bool More)> ChainAsync(int batch, TimeSpan gapWait, DateTimeOffset now, CancellationToken cancellation = default)
    {
        // Emptied between batches only: within one, the heads it made are not in the table until it commits.
        if (_heads.Count >= cachedHeads)
            _heads.Clear();
        await using var connection = await database.OpenChainAsync(cancellation);
        var progress = await ProgressAsync(connection, cancellation);
        var rows = new List<JournalRow>();
        // PostgreSQL: concurrent write transactions take their orderings when they insert and commit in any order, so a row
        // can become visible below the progress already made. The rows of the last LateOrderings without a link are read
        // first (an index probe each; usually none): chained in their place when their stream allows it.
        if (database.Provider == StorageProvider.PostgreSql && progress > 0)
            await using (var late = JournalDatabase.Command(connection, """
                SELECT j.ordering, j.persistence_id, j.sequence_number, j.manifest, j.identifier, j.created, j.message FROM journal j
                WHERE j.ordering > @from AND j.ordering <= @p
                  AND NOT EXISTS (SELECT 1 FROM event_chain c WHERE c.persistence_id = j.persistence_id AND c.sequence_number = j.sequence_number)
                ORDER BY j.ordering
                """, ("@from", Math.Max(0, progress - LateOrderings)), ("@p", progress)))
            await using (var reader = await late.ExecuteReaderAsync(cancellation))
                while (await reader.ReadAsync(cancellation))
                    rows.Add(Read(reader));
        var lateCount = rows.Count;
        await using (var command = JournalDatabase.Command(connection,
            "SELECT ordering, persistence_id, sequence_number, manifest, identifier, created, message FROM journal WHERE ordering > @p ORDER BY ordering LIMIT @n",
            ("@p", progress), ("@n", batch)))
        await using (var reader = await command.ExecuteReaderAsync(cancellation))
            while (await reader.ReadAsync(cancellation))
                rows.Add(Read(reader));

        var links = new List<(JournalRow Row, byte[] Digest, byte[] Link)>();
        var newProgress = progress;
        var blocked = false;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var row in rows)
        {
            var head = await HeadAsync(connection, row.PersistenceId, cancellation);
            if (row.SequenceNumber > head.Sequence)
            {
                var gap = row.SequenceNumber != head.Sequence + 1;
                if (gap && now - new DateTimeOffset(row.Created, TimeSpan.Zero) < gapWait)
                {
                    blocked = true;
                    continue;
                }
                var link = ChainLinks.Link(hash, head.Link, row);
                _heads[row.PersistenceId] = (row.SequenceNumber, link);
                links.Add((row, ChainLinks.Digest(row.Message), link));
            }
            if (!blocked && row.Ordering > newProgress)
                newProgress = row.Ordering;
        }
        if (links.Count > 0 || newProgress != progress)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellation);
            await InsertLinksAsync(connection, transaction, links, cancellation);
            await using (var update = JournalDatabase.Command(connection,
                "INSERT INTO chain_progress (id, last_ordering, updated_at) VALUES (1, @o, @u) ON CONFLICT (id) DO UPDATE SET last_ordering = @o, updated_at = @u",
                ("@o", newProgress), ("@u", now.ToString("O", CultureInfo.InvariantCulture))))
            {
                update.Transaction = transaction;
                await update.ExecuteNonQueryAsync(cancellation);
            }
            await transaction.CommitAsync(cancellation);
        }
        // A row waiting for a gap before it holds the progress back: the rows after it are read again at the next call, so
        // there is nothing more to do now (asking again at once would read the same rows in a loop until the gap fills).
        return (links.Count, rows.Count - lateCount == batch && !blocked);
    }

    /// <summary>
    /// Writes the links: on PostgreSQL one statement for the batch (arrays unnested on the server, rather than a round trip and a
    /// statement per link); on SQLite, in process, one prepared statement run per link.
    /// </summary>
    private static async Task InsertLinksAsync(DbConnection connection, DbTransaction transaction, List<(JournalRow Row, byte[] Digest, byte[] Link)> links,
        CancellationToken cancellation)
    {
        if (links.Count == 0)
            return;
        if (connection is Npgsql.NpgsqlConnection)
        {
            await using var batch = JournalDatabase.Command(connection, """
                INSERT INTO event_chain (persistence_id, sequence_number, ordering, digest, link)
                SELECT * FROM unnest(@p, @s, @o, @d, @l) ON CONFLICT DO NOTHING
                """,
                ("@p", links.Select(l => l.Row.PersistenceId).ToArray()), ("@s", links.Select(l => l.Row.SequenceNumber).ToArray()),
                ("@o", links.Select(l => l.Row.Ordering).ToArray()), ("@d", links.Select(l => l.Digest).ToArray()), ("@l", links.Select(l => l.Link).ToArray()));
            batch.Transaction = transaction;
            await batch.ExecuteNonQueryAsync(cancellation);
            return;
        }
        await using var insert = JournalDatabase.Command(connection,
            "INSERT INTO event_chain (persistence_id, sequence_number, ordering, digest, link) VALUES (@p, @s, @o, @d, @l) ON CONFLICT DO NOTHING",
            ("@p", ""), ("@s", 0L), ("@o", 0L), ("@d", Array.Empty<byte>()), ("@l", Array.Empty<byte>()));
        insert.Transaction = transaction;
        insert.Prepare();
        foreach (var (row, digest, link) in links)
        {
            insert.Parameters[0].Value = row.PersistenceId;
            insert.Parameters[1].Value = row.SequenceNumber;
            insert.Parameters[2].Value = row.Ordering;
            insert.Parameters[3].Value = digest;
            insert.Parameters[4].Value = link;
            await insert.ExecuteNonQueryAsync(cancellation);
        }
    }

    /// <summary>Chains every row written so far (rows of a stream with a gap before them wait, as in <see cref="ChainAsync"/>).</summary>
    public async Task<long> ChainAllAsync(TimeSpan gapWait, DateTimeOffset now, IProgress<long>? progress = null, CancellationToken cancellation = default)
    {
        long total = 0;
        while (true)
        {
            var (linked, more) = await ChainAsync(5_000, gapWait, now, cancellation);
            total += linked;
            progress?.Report(total);
            if (!more)
                return total;
        }
    }

    private async Task<(long Sequence, byte[] Link)> HeadAsync(DbConnection connection, string persistenceId, CancellationToken cancellation)
    {
        if (_heads.TryGetValue(persistenceId, out var head))
            return head;
        await using var command = JournalDatabase.Command(connection,
            "SELECT sequence_number, link FROM event_chain WHERE persistence_id = @p ORDER BY sequence_number DESC LIMIT 1", ("@p", persistenceId));
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        head = await reader.ReadAsync(cancellation) ? (reader.GetInt64(0), (byte[])reader.GetValue(1)) : (0L, ChainLinks.Genesis);
        _heads[persistenceId] = head;
        return head;
    }

    internal static JournalRow Read(DbDataReader reader) => new(
        reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.IsDBNull(3) ? "" : reader.GetString(3),
        reader.IsDBNull(4) ? 0 : Convert.ToInt32(reader.GetValue(4), CultureInfo.InvariantCulture), reader.GetInt64(5), (byte[])reader.GetValue(6));

    /// <summary>
    /// Chains what is written, then seals: the Merkle root over every stream's last link, recorded with the heads that
    /// changed since the previous seal. <paramref name="kind"/>: "migration" for the first seal of a journal that had no
    /// chain, "periodic" or "manual" otherwise.
    /// </summary>
    public async Task<JournalSeal> SealAsync(string kind, TimeSpan gapWait, DateTimeOffset now, CancellationToken cancellation = default)
    {
        await ChainAllAsync(gapWait, now, null, cancellation);
        await using var connection = await database.OpenChainAsync(cancellation);
        var progress = await ProgressAsync(connection, cancellation);
        var heads = new List<(string PersistenceId, long Sequence, byte[] Link)>();
        await using (var command = JournalDatabase.Command(connection, """
            SELECT c.persistence_id, c.sequence_number, c.link FROM event_chain c
            JOIN (SELECT persistence_id, MAX(sequence_number) AS s FROM event_chain GROUP BY persistence_id) m
              ON m.persistence_id = c.persistence_id AND m.s = c.sequence_number
            """))
        await using (var reader = await command.ExecuteReaderAsync(cancellation))
            while (await reader.ReadAsync(cancellation))
                heads.Add((reader.GetString(0), reader.GetInt64(1), (byte[])reader.GetValue(2)));
        var seals = await SealsAsync(connection, cancellation);
        var previous = seals.Count == 0 ? null : seals[^1];
        var sealed_ = previous is null ? new Dictionary<string, long>(StringComparer.Ordinal) : await HeadSequencesAtAsync(connection, previous.SealId, cancellation);
        var root = ChainLinks.Hex(ChainLinks.MerkleRoot(heads));
        var seal = new JournalSeal((previous?.SealId ?? 0) + 1, now, kind, progress, heads.Count, heads.Sum(h => h.Sequence), root, previous?.Root);
        await using var transaction = await connection.BeginTransactionAsync(cancellation);
        await using (var insert = JournalDatabase.Command(connection, """
            INSERT INTO journal_seals (seal_id, sealed_at, kind, highest_ordering, streams, events, root, previous_root)
            VALUES (@i, @a, @k, @o, @s, @e, @r, @p)
            """, ("@i", seal.SealId), ("@a", now.ToString("O", CultureInfo.InvariantCulture)), ("@k", kind), ("@o", seal.HighestOrdering),
            ("@s", seal.Streams), ("@e", seal.Events), ("@r", root), ("@p", seal.PreviousRoot)))
        {
            insert.Transaction = transaction;
            await insert.ExecuteNonQueryAsync(cancellation);
        }
        foreach (var (id, sequence, link) in heads.Where(h => !sealed_.TryGetValue(h.PersistenceId, out var s) || s != h.Sequence))
        {
            await using var head = JournalDatabase.Command(connection,
                "INSERT INTO journal_seal_heads (seal_id, persistence_id, sequence_number, link) VALUES (@i, @p, @s, @l)",
                ("@i", seal.SealId), ("@p", id), ("@s", sequence), ("@l", link));
            head.Transaction = transaction;
            await head.ExecuteNonQueryAsync(cancellation);
        }
        await transaction.CommitAsync(cancellation);
        return seal;
    }

    public async Task<IReadOnlyList<JournalSeal>> SealsAsync(CancellationToken cancellation = default)
    {
        await using var connection = await database.OpenChainAsync(cancellation);
        return await SealsAsync(connection, cancellation);
    }

    internal static async Task<IReadOnlyList<JournalSeal>> SealsAsync(DbConnection connection, CancellationToken cancellation)
    {
        var seals = new List<JournalSeal>();
        await using var command = JournalDatabase.Command(connection,
            "SELECT seal_id, sealed_at, kind, highest_ordering, streams, events, root, previous_root FROM journal_seals ORDER BY seal_id");
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
            seals.Add(new JournalSeal(reader.GetInt64(0), DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture), reader.GetString(2),
                reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7)));
        return seals;
    }

    /// <summary>Every stream's head as seal <paramref name="sealId"/> recorded it (the latest head row at or before it).</summary>
    internal static async Task<Dictionary<string, (long Sequence, byte[] Link)>> HeadsAtAsync(DbConnection connection, long sealId, CancellationToken cancellation)
    {
        var heads = new Dictionary<string, (long, byte[])>(StringComparer.Ordinal);
        await using var command = JournalDatabase.Command(connection, """
            SELECT h.persistence_id, h.sequence_number, h.link FROM journal_seal_heads h
            JOIN (SELECT persistence_id, MAX(seal_id) AS s FROM journal_seal_heads WHERE seal_id <= @i GROUP BY persistence_id) m
              ON m.persistence_id = h.persistence_id AND m.s = h.seal_id
            """, ("@i", sealId));
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
            heads[reader.GetString(0)] = (reader.GetInt64(1), (byte[])reader.GetValue(2));
        return heads;
    }

    private static async Task<Dictionary<string, long>> HeadSequencesAtAsync(DbConnection connection, long sealId, CancellationToken cancellation) =>
        (await HeadsAtAsync(connection, sealId, cancellation)).ToDictionary(h => h.Key, h => h.Value.Sequence, StringComparer.Ordinal);
}
