using System.Runtime.Serialization;
using System.Text.Json;
using Akka.Actor;
using Akka.Serialization;
using CreditActors.Domain.Accounts;
using CreditActors.Persistence.Snapshots;

namespace CreditActors.Persistence;

/// <summary>
/// Serializes account events and snapshots as JSON under their stable manifests. Bound in akka.hocon to
/// <see cref="AccountEvent"/> and <see cref="AccountSnapshotV1"/>. An unknown manifest is an error, never skipped.
/// </summary>
public sealed class AccountEventSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>The serializer id stored in every journal row; never change it.</summary>
    public const int Id = 4_301;

    public override int Identifier => Id;

    public override string Manifest(object o) => o switch
    {
        AccountEvent e => EventCatalog.ForType(e.GetType()).Manifest,
        AccountSnapshotV1 => EventCatalog.SnapshotManifest,
        _ => throw new ArgumentException($"Cannot serialize {o.GetType().Name} with {nameof(AccountEventSerializer)}"),
    };

    public override byte[] ToBinary(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), JournalJson.Options);

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (manifest == EventCatalog.SnapshotManifest)
            return Deserialize(bytes, typeof(AccountSnapshotV1), manifest);
        if (EventCatalog.TryForManifest(manifest, out var entry))
            return Deserialize(bytes, entry.Type, manifest);
        throw new SerializationException($"Unknown account event manifest '{manifest}'");
    }

    private static object Deserialize(byte[] bytes, Type type, string manifest) =>
        JsonSerializer.Deserialize(bytes, type, JournalJson.Options)
        ?? throw new SerializationException($"Stored '{manifest}' decoded to nothing");
}
