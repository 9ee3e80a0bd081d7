using System.Runtime.Serialization;
using System.Text.Json;
using Akka.Actor;
using Akka.Serialization;
using CreditActors.Domain.Accounts;
using CreditActors.Persistence.Snapshots;

namespace CreditActors.Persistence;

/// <summary>
/// Serializes account events as JSON and snapshots as protocol buffers (version 2; version 1 was JSON and is still read),
/// under their stable manifests. Bound in akka.hocon to <see cref="AccountEvent"/>, <see cref="AccountSnapshotV1"/> and
/// <see cref="AccountSnapshotV2"/>. An unknown manifest is an error, never skipped.
/// </summary>
public sealed class AccountEventSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>The serializer id stored in every journal row; never change it.</summary>
    public const int Id = 4_301;

    public override int Identifier => Id;

    public override string Manifest(object o) => o switch
    {
        AccountEvent e => EventCatalog.ForType(e.GetType()).Manifest,
        Domain.Rating.RatingPolicyEvent e => EventCatalog.ForType(e.GetType()).Manifest,
        Domain.Rating.RatingRunEvent e => EventCatalog.ForType(e.GetType()).Manifest,
        Domain.Banking.BankEvent e => EventCatalog.ForType(e.GetType()).Manifest,
        AccountSnapshotV1 => EventCatalog.SnapshotManifest,
        AccountSnapshotV2 => EventCatalog.SnapshotV2Manifest,
        _ => throw new ArgumentException($"Cannot serialize {o.GetType().Name} with {nameof(AccountEventSerializer)}"),
    };

    private PersonalData.PersonalDataProtection Protection => PersonalData.PersonalDataExtension.Of(system);

    public override byte[] ToBinary(object obj)
    {
        if (obj is not AccountSnapshotV2 snapshot)
            return JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), JournalJson.Options);
        // A snapshot holds the profile: its personal fields are stored sealed, like the events'.
        var protection = Protection;
        PersonalData.PersonalDataExtension.Transform(snapshot, value => protection.Seal(snapshot.AccountId, value, create: false));
        using var stream = new MemoryStream();
        ProtoBuf.Serializer.Serialize(stream, snapshot);
        return stream.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest) => Read(bytes, manifest, Protection);

    /// <summary>
    /// A stored event or snapshot from its bytes and manifest, through its upcaster if it has one, with its personal fields
    /// opened (or erased) by <paramref name="protection"/>; usable with no actor system (the command line).
    /// </summary>
    public static object Read(byte[] bytes, string manifest, PersonalData.PersonalDataProtection protection) =>
        Read(bytes, manifest) switch
        {
            AccountEvent e => protection.Reveal(e),
            AccountSnapshotV2 s => Opened(s, protection),
            var other => other,
        };

    private static AccountSnapshotV2 Opened(AccountSnapshotV2 snapshot, PersonalData.PersonalDataProtection protection)
    {
        PersonalData.PersonalDataExtension.Transform(snapshot, protection.Open);
        return snapshot;
    }

    private static object Read(byte[] bytes, string manifest)
    {
        if (manifest == EventCatalog.SnapshotV2Manifest)
            return ProtoBuf.Serializer.Deserialize<AccountSnapshotV2>(bytes.AsSpan());
        if (manifest == EventCatalog.SnapshotManifest)
            return Deserialize(bytes, typeof(AccountSnapshotV1), manifest);
        if (EventCatalog.TryForManifest(manifest, out var entry))
            return Deserialize(bytes, entry.Type, manifest);
        if (EventCatalog.TryUpcaster(manifest, out var upcaster))
            return upcaster.Upcast(Deserialize(bytes, upcaster.StoredType, manifest));
        throw new SerializationException($"Unknown account event manifest '{manifest}'");
    }

    private static object Deserialize(byte[] bytes, Type type, string manifest) =>
        JsonSerializer.Deserialize(bytes, type, JournalJson.Options)
        ?? throw new SerializationException($"Stored '{manifest}' decoded to nothing");
}
