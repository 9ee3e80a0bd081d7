using CreditActors.Domain.Accounts;
using CreditActors.Domain.Rating;

namespace CreditActors.Persistence;

/// <summary>
/// The published names of everything the journal stores. A manifest never changes once written: a new shape of an
/// event gets a new version and an upcaster, and the old manifest keeps reading.
/// </summary>
public static class EventCatalog
{
    public sealed record Entry(string Name, string Manifest, Type Type);

    /// <summary>Snapshots of version 1: JSON of a state with every item the account ever had. Still read, no longer written.</summary>
    public const string SnapshotManifest = "credit-account.snapshot.v1";

    /// <summary>Snapshots of version 2: protocol buffers of the live state (open items and settled fingerprints).</summary>
    public const string SnapshotV2Manifest = "credit-account.snapshot.v2";

    // Each event's public name (the "type" of the events API) and manifest are literals: renaming a CLR type changes
    // neither. AccountBlocked and AccountUnblocked were published as AccountPutOnHold and AccountReleasedFromHold.
    public static readonly IReadOnlyList<Entry> Events =
    [
        Of<AccountOpened>("AccountOpened", "account-opened", version: 2),
        Of<ProfileUpdated>("ProfileUpdated", "profile-updated"),
        Of<CreditLimitChanged>("CreditLimitChanged", "credit-limit-changed"),
        Of<CreditLimitChangeRequested>("CreditLimitChangeRequested", "credit-limit-change-requested"),
        Of<CreditLimitChangeApproved>("CreditLimitChangeApproved", "credit-limit-change-approved"),
        Of<CreditLimitChangeRejected>("CreditLimitChangeRejected", "credit-limit-change-rejected"),
        Of<AccountBlocked>("AccountPutOnHold", "account-put-on-hold"),
        Of<AccountUnblocked>("AccountReleasedFromHold", "account-released-from-hold"),
        Of<AccountClosed>("AccountClosed", "account-closed"),
        Of<CreditHoldPlaced>("CreditHoldPlaced", "credit-hold-placed", version: 2),
        Of<CreditHoldCaptured>("CreditHoldCaptured", "credit-hold-captured"),
        Of<CreditHoldReleased>("CreditHoldReleased", "credit-hold-released"),
        Of<CreditHoldExpired>("CreditHoldExpired", "credit-hold-expired"),
        Of<InvoiceIssued>("InvoiceIssued", "invoice-issued"),
        Of<CreditNoteIssued>("CreditNoteIssued", "credit-note-issued"),
        Of<PaymentReceived>("PaymentReceived", "payment-received"),
        Of<PaymentAllocated>("PaymentAllocated", "payment-allocated"),
        Of<EarlyPaymentDiscountGranted>("EarlyPaymentDiscountGranted", "early-payment-discount-granted"),
        Of<InvoiceLineWrittenOff>("InvoiceLineWrittenOff", "invoice-line-written-off"),
        Of<RatingAssigned>("RatingAssigned", "rating-assigned"),
        Of<ExternalRatingRecorded>("ExternalRatingRecorded", "external-rating-recorded"),
        Of<DunningNoticeIssued>("DunningNoticeIssued", "dunning-notice-issued"),
        Of<LateFeeCharged>("LateFeeCharged", "late-fee-charged"),
        Of<InterestCharged>("InterestCharged", "interest-charged"),
        Of<InvoiceDisputed>("InvoiceDisputed", "invoice-disputed"),
        Of<DisputeResolved>("DisputeResolved", "dispute-resolved"),
        Of<PromiseToPayRecorded>("PromiseToPayRecorded", "promise-to-pay-recorded"),
        Of<PromiseKept>("PromiseKept", "promise-kept"),
        Of<PromiseBroken>("PromiseBroken", "promise-broken"),
        Of<CollectionNoteAdded>("CollectionNoteAdded", "collection-note-added"),
        Of<CollectorAssigned>("CollectorAssigned", "collector-assigned"),
        Of<ContactPreferencesSet>("ContactPreferencesSet", "contact-preferences-set"),
        Of<StatementIssued>("StatementIssued", "statement-issued"),
        Of<StatementSent>("StatementSent", "statement-sent"),
        Of<StatementDeliveryFailed>("StatementDeliveryFailed", "statement-delivery-failed"),
        Of<BalanceConfirmed>("BalanceConfirmed", "balance-confirmed"),
        Of<BalanceDisputed>("BalanceDisputed", "balance-disputed"),
        Of<ReconciliationItemResolved>("ReconciliationItemResolved", "reconciliation-item-resolved"),
        Of<DunningNoticeSent>("DunningNoticeSent", "dunning-notice-sent"),
        Of<DunningDeliveryFailed>("DunningDeliveryFailed", "dunning-delivery-failed"),
        Of<PersonalDataErased>("PersonalDataErased", "personal-data-erased"),
    ];

    /// <summary>The events of the rating-policy stream (<see cref="RatingPoliciesPersistenceId"/>): versions proposed and decided.</summary>
    public static readonly IReadOnlyList<Entry> PolicyEvents =
    [
        new("RatingPolicyProposed", "rating-policy.proposed.v1", typeof(RatingPolicyProposed)),
        new("RatingPolicyActivated", "rating-policy.activated.v1", typeof(RatingPolicyActivated)),
        new("RatingPolicyRejected", "rating-policy.rejected.v1", typeof(RatingPolicyRejected)),
    ];

    /// <summary>The events of the rating-run and dunning-run streams: runs over every account, their progress and their end.</summary>
    public static readonly IReadOnlyList<Entry> RunEvents =
    [
        new("RatingRunStarted", "rating-run.started.v1", typeof(RatingRunStarted)),
        new("RatingRunProgressed", "rating-run.progressed.v1", typeof(RatingRunProgressed)),
        new("RatingRunCompleted", "rating-run.completed.v1", typeof(RatingRunCompleted)),
        new("DunningRunStarted", "dunning-run.started.v1", typeof(Domain.Collections.DunningRunStarted)),
        new("DunningRunProgressed", "dunning-run.progressed.v1", typeof(Domain.Collections.DunningRunProgressed)),
        new("DunningRunCompleted", "dunning-run.completed.v1", typeof(Domain.Collections.DunningRunCompleted)),
        new("StatementRunStarted", "statement-run.started.v1", typeof(Domain.Statements.StatementRunStarted)),
        new("StatementRunProgressed", "statement-run.progressed.v1", typeof(Domain.Statements.StatementRunProgressed)),
        new("StatementRunCompleted", "statement-run.completed.v1", typeof(Domain.Statements.StatementRunCompleted)),
    ];

    /// <summary>The events of the bank-reconciliation stream (<see cref="BankReconciliationPersistenceId"/>).</summary>
    public static readonly IReadOnlyList<Entry> BankEvents =
    [
        new("BankStatementImported", "bank.statement-imported.v1", typeof(Domain.Banking.BankStatementImported)),
        new("BankMatchDecided", "bank.match-decided.v1", typeof(Domain.Banking.BankMatchDecided)),
        new("BankPaymentPosted", "bank.payment-posted.v1", typeof(Domain.Banking.BankPaymentPosted)),
        new("BankPaymentRefused", "bank.payment-refused.v1", typeof(Domain.Banking.BankPaymentRefused)),
        new("BankTransactionIgnored", "bank.transaction-ignored.v1", typeof(Domain.Banking.BankTransactionIgnored)),
    ];

    /// <summary>The one stream of the bank book: bank statement files, matches and the payments posted from them.</summary>
    public const string BankReconciliationPersistenceId = "bank-reconciliation";

    /// <summary>The one stream of rating policy versions.</summary>
    public const string RatingPoliciesPersistenceId = "rating-policies";

    private static readonly Dictionary<Type, Entry> ByType = Events.Concat(PolicyEvents).Concat(RunEvents).Concat(BankEvents).ToDictionary(e => e.Type);
    private static readonly Dictionary<string, Entry> ByManifest =
        Events.Concat(PolicyEvents).Concat(RunEvents).Concat(BankEvents).ToDictionary(e => e.Manifest, StringComparer.Ordinal);

    private static Entry Of<T>(string publicName, string kebabName, int version = 1) where T : AccountEvent =>
        new(publicName, $"credit-account.{kebabName}.v{version}", typeof(T));

    /// <summary>An earlier shape of an event, still read: its stored type, and how it becomes today's event.</summary>
    public sealed record Upcaster(string Manifest, Type StoredType, Func<object, AccountEvent> Upcast);

    /// <summary>
    /// The manifests no longer written but still read, each with its upcaster. CreditHoldPlaced version 1 had no decision
    /// facts: it reads as version 2 without them. AccountOpened version 1 had no time zone: it reads as version 2 in UTC.
    /// </summary>
    public static readonly IReadOnlyList<Upcaster> Upcasters =
    [
        new("credit-account.credit-hold-placed.v1", typeof(CreditHoldPlacedV1), stored => ((CreditHoldPlacedV1)stored).Upcast()),
        new("credit-account.account-opened.v1", typeof(AccountOpenedV1), stored => ((AccountOpenedV1)stored).Upcast()),
    ];

    public static bool TryUpcaster(string manifest, out Upcaster upcaster)
    {
        upcaster = Upcasters.FirstOrDefault(u => u.Manifest == manifest)!;
        return upcaster is not null;
    }

    public static Entry ForType(Type type) =>
        ByType.TryGetValue(type, out var entry) ? entry : throw new ArgumentException($"{type.Name} is not a published account event");

    public static bool TryForManifest(string manifest, out Entry entry) => ByManifest.TryGetValue(manifest, out entry!);
}

/// <summary>AccountOpened as version 1 stored it (no time zone): the account's days turned at midnight UTC, and still do.</summary>
public sealed record AccountOpenedV1(EventMetadata Meta, string AccountId, string Currency, decimal CreditLimit, int PaymentTermsDays, Profile Profile)
{
    public AccountOpened Upcast() => new(Meta, AccountId, Currency, CreditLimit, PaymentTermsDays, Profile, Domain.Calendar.BusinessTime.Utc);
}

/// <summary>CreditHoldPlaced as version 1 stored it (no decision facts). Never written again.</summary>
public sealed record CreditHoldPlacedV1(EventMetadata Meta, string HoldId, decimal Amount, DateTimeOffset ExpiresAt, string? OrderReference)
{
    public CreditHoldPlaced Upcast() => new(Meta, HoldId, Amount, ExpiresAt, OrderReference, null);
}
