using Akka.Actor;
using CreditActors.Persistence.Snapshots;

namespace CreditActors.Persistence.PersonalData;

/// <summary>
/// The personal-data protection of one actor system, set by the host before any account starts: the serializer reads
/// through it (every reader of the journal sees personal fields opened, or erased) and the account actors seal what they
/// write with it. A system without it (a test kit) writes and reads fields as they are.
/// </summary>
public sealed class PersonalDataExtension : IExtension
{
    public PersonalDataProtection Protection { get; set; } = PersonalDataProtection.None;

    public static PersonalDataExtension Get(ActorSystem system) => system.WithExtension<PersonalDataExtension, PersonalDataExtensionProvider>();

    /// <summary>The protection of the system, or none when there is no system (a serializer made by hand).</summary>
    public static PersonalDataProtection Of(ActorSystem? system) => system is null ? PersonalDataProtection.None : Get(system).Protection;

    /// <summary>A snapshot's personal fields, sealed for storing or opened after reading.</summary>
    public static void Transform(AccountSnapshotV2 snapshot, Func<string?, string?> field)
    {
        foreach (var profile in new[] { snapshot.Profile, snapshot.OpenedProfile })
            if (profile is not null)
                (profile.Contact, profile.Phone, profile.Email, profile.Address, profile.TaxId) =
                    (field(profile.Contact), field(profile.Phone), field(profile.Email), field(profile.Address), field(profile.TaxId));
        if (snapshot.Collections is { } collections)
            collections.BillingEmail = field(collections.BillingEmail);
    }
}

public sealed class PersonalDataExtensionProvider : ExtensionIdProvider<PersonalDataExtension>
{
    public override PersonalDataExtension CreateExtension(ExtendedActorSystem system) => new();
}
