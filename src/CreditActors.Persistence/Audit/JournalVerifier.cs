using System.Data.Common;
using System.Diagnostics;

namespace CreditActors.Persistence.Audit;

/// <summary>The first broken link of a stream: where, what kind of change, and what was found.</summary>
public sealed record ChainBreak(string PersistenceId, long SequenceNumber, string Kind, string Detail);

/// <summary>Whether a seal still matches the journal (and the copy held outside, when one was given).</summary>
public sealed record SealCheck(long SealId, bool Matches, string Detail);

public sealed record VerifyReport(
    string Mode, long Streams, long Events, long Unchained, IReadOnlyList<ChainBreak> Breaks, IReadOnlyList<SealCheck> Seals, TimeSpan Elapsed)
{
    public bool Clean => Breaks.Count == 0 && Seals.All(s => s.Matches);
}

/// <summary>A seal as exported and held by an outside party: what verify checks the seal table against.</summary>
public sealed record ExportedSeal(long SealId, string Root, long HighestOrdering);

/// <summary>
/// Recomputes the hash chains from the journal rows as stored and reports the first broken link of every stream: a
/// changed payload, a deleted event, an inserted event, events swapped in their sequence, a changed manifest or instant;
/// and every seal that the journal no longer gives. Full: every event from the first; incremental: the events after the
/// last seal, starting from the heads it recorded (after checking that they give its root). Reads only; streams the
/// journal in stream order, holding one stream's chain rows at a time.
/// </summary>
public static class JournalVerifier
{
    public const string Changed = "payload-changed";
    public const string Deleted = "event-deleted";
    public const string Inserted = "event-inserted";
    public const string Reordered = "events-reordered";
    public const string MetadataChanged = "metadata-changed";
    public const string SealMismatch = "seal-mismatch";

    private sealed record ChainRow(long Sequence, byte[] Digest, byte[] Link);

    public static async Task<VerifyReport> VerifyAsync(JournalDatabase database, bool full, ExportedSeal? held = null, IProgress<long>? progress = null,
        CancellationToken cancellation = default)
    {
        var clock = Stopwatch.StartNew();
        await using var control = await database.OpenChainAsync(cancellation);
        var chained = await database.HasTableAsync(control, "event_chain", cancellation);
        var seals = chained ? await JournalChain.SealsAsync(control, cancellation) : [];
        var latest = seals.Count == 0 ? null : seals[^1];
        var checks = new List<SealCheck>();
        var breaks = new List<ChainBreak>();

        // The seals to check against the recomputed chain: the latest, and the one held outside if it is another.
        var sealHeads = new Dictionary<long, Dictionary<string, (long Sequence, byte[] Link)>>();
        foreach (var seal in seals.Where(s => s == latest || s.SealId == held?.SealId))
            sealHeads[seal.SealId] = await JournalChain.HeadsAtAsync(control, seal.SealId, cancellation);
        if (held is not null)
        {
            var table = seals.FirstOrDefault(s => s.SealId == held.SealId);
            checks.Add(table is null
                ? new SealCheck(held.SealId, false, $"seal {held.SealId} held outside is not in the seal table: the table was altered")
                : table.Root != held.Root
                    ? new SealCheck(held.SealId, false, $"seal {held.SealId}: the table says root {table.Root}, the copy held outside {held.Root}: the table was altered")
                    : new SealCheck(held.SealId, true, $"seal {held.SealId}: the table's root is the one held outside"));
        }

        // Incremental: start from the latest seal's heads, once they are shown to give its root.
        var start = new Dictionary<string, (long Sequence, byte[] Link)>(StringComparer.Ordinal);
        var afterOrdering = 0L;
        if (!full && latest is not null)
        {
            start = sealHeads[latest.SealId];
            if (ChainLinks.Hex(ChainLinks.MerkleRoot(start.Select(h => (h.Key, h.Value.Sequence, h.Value.Link)))) != latest.Root)
            {
                checks.Add(new SealCheck(latest.SealId, false, $"seal {latest.SealId}: its recorded heads no longer give its root; verify in full"));
                return new VerifyReport("incremental", 0, 0, 0, breaks, checks, clock.Elapsed);
            }
            afterOrdering = latest.HighestOrdering;
        }

        // The recomputed link at each position a seal names.
        var wanted = new HashSet<(string, long)>(sealHeads.Values.SelectMany(h => h.Select(x => (x.Key, x.Value.Sequence))));
        var recomputed = new Dictionary<(string, long), byte[]>();

        await using var journalConnection = await database.OpenAsync(cancellation);
        await using var chainConnection = await database.OpenChainAsync(cancellation);
        var order = database.Provider == StorageProvider.PostgreSql ? "persistence_id COLLATE \"C\", sequence_number" : "persistence_id, sequence_number";
        await using var journalCommand = JournalDatabase.Command(journalConnection,
            $"SELECT ordering, persistence_id, sequence_number, manifest, identifier, created, message FROM journal WHERE ordering > @o ORDER BY {order}",
            ("@o", afterOrdering));
        await using var journal = await journalCommand.ExecuteReaderAsync(cancellation);
        DbCommand? chainCommand = null;
        DbDataReader? chain = null;
        if (chained)
        {
            chainCommand = JournalDatabase.Command(chainConnection,
                $"SELECT persistence_id, sequence_number, digest, link FROM event_chain WHERE ordering > @o ORDER BY {order}", ("@o", afterOrdering));
            chain = await chainCommand.ExecuteReaderAsync(cancellation);
        }
        try
        {
            long streams = 0, events = 0, unchained = 0;
            var journalRow = await journal.ReadAsync(cancellation) ? JournalChain.Read(journal) : null;
            var chainHas = chain is not null && await chain.ReadAsync(cancellation);
            while (journalRow is not null || chainHas)
            {
                // The next stream, in ordinal order of ids, from either side.
                var chainId = chainHas ? chain!.GetString(0) : null;
                var id = journalRow is null ? chainId! : chainId is null || string.CompareOrdinal(journalRow.PersistenceId, chainId) <= 0 ? journalRow.PersistenceId : chainId;
                var rows = new List<ChainRow>();
                while (chainHas && chain!.GetString(0) == id)
                {
                    rows.Add(new ChainRow(chain.GetInt64(1), (byte[])chain.GetValue(2), (byte[])chain.GetValue(3)));
                    chainHas = await chain.ReadAsync(cancellation);
                }
                var bySequence = rows.ToDictionary(r => r.Sequence);
                var lastChained = rows.Count == 0 ? 0 : rows[^1].Sequence;
                var (expected, previous) = start.TryGetValue(id, out var head) ? (head.Sequence + 1, head.Link) : (1L, ChainLinks.Genesis);
                ChainBreak? broken = null;
                streams++;
                while (journalRow is not null && journalRow.PersistenceId == id)
                {
                    var row = journalRow;
                    journalRow = await journal.ReadAsync(cancellation) ? JournalChain.Read(journal) : null;
                    if (broken is not null || row.SequenceNumber < expected)
                        continue;
                    events++;
                    if (events % 10_000 == 0)
                        progress?.Report(events);
                    if (row.SequenceNumber > expected)
                    {
                        broken = new ChainBreak(id, expected, Deleted, bySequence.ContainsKey(expected)
                            ? $"event {expected} was chained but is no longer in the journal"
                            : $"the stream jumps from {expected - 1} to {row.SequenceNumber}: events are missing");
                        continue;
                    }
                    var link = ChainLinks.Link(previous, row);
                    if (bySequence.TryGetValue(row.SequenceNumber, out var stored))
                    {
                        if (!stored.Link.AsSpan().SequenceEqual(link))
                        {
                            var digest = ChainLinks.Digest(row.Message);
                            var next = journalRow is { } n && n.PersistenceId == id && n.SequenceNumber == row.SequenceNumber + 1 ? ChainLinks.Digest(n.Message) : null;
                            bool Is(long sequence, byte[]? d) => d is not null && bySequence.TryGetValue(sequence, out var r) && r.Digest.AsSpan().SequenceEqual(d);
                            var moved = rows.FirstOrDefault(r => r.Sequence != row.SequenceNumber && r.Digest.AsSpan().SequenceEqual(digest));
                            broken = stored.Digest.AsSpan().SequenceEqual(digest)
                                ? new ChainBreak(id, row.SequenceNumber, MetadataChanged,
                                    $"event {row.SequenceNumber} has its payload but not its chained manifest, serializer, instant or place (or an event before it changed)")
                                : Is(row.SequenceNumber + 1, digest) && Is(row.SequenceNumber, next)
                                    ? new ChainBreak(id, row.SequenceNumber, Reordered, $"events {row.SequenceNumber} and {row.SequenceNumber + 1} were swapped")
                                : Is(row.SequenceNumber, next)
                                    ? new ChainBreak(id, row.SequenceNumber, Inserted,
                                        $"event {row.SequenceNumber} ({row.Manifest}) was never chained: it was put in, and the events after it moved down")
                                : Is(row.SequenceNumber + 1, digest)
                                    ? new ChainBreak(id, row.SequenceNumber, Deleted, $"event {row.SequenceNumber} was taken out, and the events after it moved up")
                                : moved is not null
                                    ? new ChainBreak(id, row.SequenceNumber, Reordered, $"event {row.SequenceNumber} holds the event chained as {moved.Sequence}")
                                    : new ChainBreak(id, row.SequenceNumber, Changed, $"the payload of event {row.SequenceNumber} ({row.Manifest}) is not the one chained");
                            continue;
                        }
                    }
                    else if (row.SequenceNumber < lastChained)
                    {
                        broken = new ChainBreak(id, row.SequenceNumber, Inserted, $"event {row.SequenceNumber} was never chained, yet events after it were: it was put in afterwards");
                        continue;
                    }
                    else
                        unchained++;
                    if (wanted.Contains((id, row.SequenceNumber)))
                        recomputed[(id, row.SequenceNumber)] = link;
                    previous = link;
                    expected = row.SequenceNumber + 1;
                }
                if (broken is null && lastChained >= expected)
                    broken = new ChainBreak(id, expected, Deleted, $"events {expected} to {lastChained} were chained but are no longer in the journal");
                if (broken is not null)
                    breaks.Add(broken);
            }

            foreach (var seal in seals.Where(s => sealHeads.ContainsKey(s.SealId)))
            {
                var heads = sealHeads[seal.SealId];
                var lost = heads.Where(h => (full || h.Value.Sequence > 0) && !(start.TryGetValue(h.Key, out var s0) && s0.Sequence >= h.Value.Sequence)
                        && (!recomputed.TryGetValue((h.Key, h.Value.Sequence), out var l) || !l.AsSpan().SequenceEqual(h.Value.Link)))
                    .Select(h => h.Key).ToList();
                var root = ChainLinks.Hex(ChainLinks.MerkleRoot(heads.Select(h => (h.Key, h.Value.Sequence,
                    recomputed.TryGetValue((h.Key, h.Value.Sequence), out var l) ? l : start.TryGetValue(h.Key, out var s) && s.Sequence == h.Value.Sequence ? s.Link : []))));
                checks.Add(root == seal.Root && lost.Count == 0
                    ? new SealCheck(seal.SealId, true, $"seal {seal.SealId} ({seal.Kind}, {seal.SealedAt:O}): the journal gives its root {seal.Root}")
                    : new SealCheck(seal.SealId, false, $"seal {seal.SealId} ({seal.Kind}, {seal.SealedAt:O}) no longer matches the journal"
                        + (lost.Count > 0 ? $" in {string.Join(", ", lost.Order(StringComparer.Ordinal).Take(10))}{(lost.Count > 10 ? $" and {lost.Count - 10} more" : "")}" : "")));
                foreach (var stream in lost.Where(s => breaks.All(b => b.PersistenceId != s)))
                    breaks.Add(new ChainBreak(stream, heads[stream].Sequence, SealMismatch,
                        $"the chain up to event {heads[stream].Sequence} is not the one seal {seal.SealId} recorded: the chain table was rewritten to match an altered journal"));
            }
            progress?.Report(events);
            return new VerifyReport(full ? "full" : "incremental", streams, events, unchained,
                [.. breaks.OrderBy(b => b.PersistenceId, StringComparer.Ordinal)], checks, clock.Elapsed);
        }
        finally
        {
            if (chain is not null)
                await chain.DisposeAsync();
            if (chainCommand is not null)
                await chainCommand.DisposeAsync();
        }
    }
}
