using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace CreditActors.Persistence.Audit;

/// <summary>A journal row as stored: what its link is computed over.</summary>
public sealed record JournalRow(long Ordering, string PersistenceId, long SequenceNumber, string Manifest, int Identifier, long Created, byte[] Message);

/// <summary>
/// The hash chain of a stream. Each event's link is SHA-256 over the previous link (32 zero bytes for the first event),
/// the stream's id, the sequence number, the serializer and manifest, the instant the journal recorded it (its created
/// ticks) and the payload bytes exactly as stored, each length-prefixed. Changing any of them, dropping an event,
/// inserting one or swapping two changes every link after it.
/// </summary>
public static class ChainLinks
{
    public static readonly byte[] Genesis = new byte[32];

    public static byte[] Link(byte[] previous, JournalRow row)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        return Link(hash, previous, row);
    }

    /// <summary>The link, with a SHA-256 hash the caller reuses for many (it is left reset).</summary>
    public static byte[] Link(IncrementalHash hash, byte[] previous, JournalRow row)
    {
        Span<byte> number = stackalloc byte[8];
        hash.AppendData(previous);
        Append(hash, Encoding.UTF8.GetBytes(row.PersistenceId));
        BinaryPrimitives.WriteInt64BigEndian(number, row.SequenceNumber);
        hash.AppendData(number);
        BinaryPrimitives.WriteInt64BigEndian(number, row.Identifier);
        hash.AppendData(number);
        Append(hash, Encoding.UTF8.GetBytes(row.Manifest));
        BinaryPrimitives.WriteInt64BigEndian(number, row.Created);
        hash.AppendData(number);
        Append(hash, row.Message);
        return hash.GetHashAndReset();
    }

    /// <summary>The payload's own digest: tells a changed payload from an event moved to another place in the stream.</summary>
    public static byte[] Digest(byte[] message) => SHA256.HashData(message);

    private static void Append(IncrementalHash hash, byte[] bytes)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        hash.AppendData(length);
        hash.AppendData(bytes);
    }

    /// <summary>
    /// The Merkle root over the heads of every stream (leaf: the stream's id, its last sequence number and link), in the
    /// ordinal order of the ids; an odd node is carried up as it is. The root of no streams is the hash of nothing.
    /// </summary>
    public static byte[] MerkleRoot(IEnumerable<(string PersistenceId, long SequenceNumber, byte[] Link)> heads)
    {
        var level = heads.OrderBy(h => h.PersistenceId, StringComparer.Ordinal).Select(h =>
        {
            using var leaf = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            Span<byte> number = stackalloc byte[8];
            leaf.AppendData([0]);
            Append(leaf, Encoding.UTF8.GetBytes(h.PersistenceId));
            BinaryPrimitives.WriteInt64BigEndian(number, h.SequenceNumber);
            leaf.AppendData(number);
            leaf.AppendData(h.Link);
            return leaf.GetHashAndReset();
        }).ToList();
        if (level.Count == 0)
            return SHA256.HashData([]);
        while (level.Count > 1)
        {
            var next = new List<byte[]>((level.Count + 1) / 2);
            for (var i = 0; i < level.Count; i += 2)
                next.Add(i + 1 < level.Count ? SHA256.HashData([1, .. level[i], .. level[i + 1]]) : level[i]);
            level = next;
        }
        return level[0];
    }

    public static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
