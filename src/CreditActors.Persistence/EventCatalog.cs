using CreditActors.Domain.Accounts;

namespace CreditActors.Persistence;

/// <summary>
/// The published names of everything the journal stores. A manifest never changes once written: a new shape of an
/// event gets a new version and an upcaster, and the old manifest keeps reading.
/// </summary>
public static class EventCatalog
{
    public sealed record Entry(string Name, string Manifest, Type Type);

    public const string SnapshotManifest = "credit-account.snapshot.v1";

    public static readonly IReadOnlyList<Entry> Events =
    [
        Of<AccountOpened>("account-opened"),
        Of<ProfileUpdated>("profile-updated"),
        Of<CreditLimitChanged>("credit-limit-changed"),
        Of<CreditLimitChangeRequested>("credit-limit-change-requested"),
        Of<CreditLimitChangeApproved>("credit-limit-change-approved"),
        Of<CreditLimitChangeRejected>("credit-limit-change-rejected"),
        Of<AccountPutOnHold>("account-put-on-hold"),
        Of<AccountReleasedFromHold>("account-released-from-hold"),
        Of<AccountClosed>("account-closed"),
        Of<CreditHoldPlaced>("credit-hold-placed"),
        Of<CreditHoldCaptured>("credit-hold-captured"),
        Of<CreditHoldReleased>("credit-hold-released"),
        Of<CreditHoldExpired>("credit-hold-expired"),
        Of<InvoiceIssued>("invoice-issued"),
        Of<CreditNoteIssued>("credit-note-issued"),
        Of<PaymentReceived>("payment-received"),
        Of<PaymentAllocated>("payment-allocated"),
        Of<EarlyPaymentDiscountGranted>("early-payment-discount-granted"),
        Of<InvoiceLineWrittenOff>("invoice-line-written-off"),
    ];

    private static readonly Dictionary<Type, Entry> ByType = Events.ToDictionary(e => e.Type);
    private static readonly Dictionary<string, Entry> ByManifest = Events.ToDictionary(e => e.Manifest, StringComparer.Ordinal);

    private static Entry Of<T>(string kebabName) where T : AccountEvent =>
        new(typeof(T).Name, $"credit-account.{kebabName}.v1", typeof(T));

    public static Entry ForType(Type type) =>
        ByType.TryGetValue(type, out var entry) ? entry : throw new ArgumentException($"{type.Name} is not a published account event");

    public static bool TryForManifest(string manifest, out Entry entry) => ByManifest.TryGetValue(manifest, out entry!);
}
