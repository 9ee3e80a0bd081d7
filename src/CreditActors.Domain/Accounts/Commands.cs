namespace CreditActors.Domain.Accounts;

/// <summary>Who asked for a command and the correlation id that ties its events to the request.</summary>
public sealed record CommandContext(string Actor, string CorrelationId);

/// <summary>A request to change an account. Decided by <see cref="CreditAccount.Decide"/>.</summary>
public abstract record AccountCommand;

/// <param name="TimeZone">The account's business time zone (IANA id): when its "today" turns. Default UTC.</param>
public sealed record OpenAccount(
    string AccountId, string CurrencyCode, decimal CreditLimit, int PaymentTermsDays, Profile Profile, string? TimeZone = null) : AccountCommand;

/// <summary>Profile fields to change: null leaves a field as it is, an empty string clears an optional field.</summary>
public sealed record UpdateProfile(
    string? Name = null,
    string? Contact = null,
    string? Phone = null,
    string? Email = null,
    string? Address = null,
    string? Industry = null,
    string? TaxId = null,
    Tier? Tier = null,
    string? Notes = null) : AccountCommand;

public sealed record ChangeCreditLimit(decimal NewLimit, string Reason) : AccountCommand;

public sealed record ApproveCreditLimitChange(string RequestId, string? Comment) : AccountCommand;

public sealed record RejectCreditLimitChange(string RequestId, string Reason) : AccountCommand;

public sealed record BlockAccount(string Reason) : AccountCommand;

public sealed record UnblockAccount(string? Reason) : AccountCommand;

public sealed record CloseAccount(string? Reason) : AccountCommand;

/// <summary>Erase the account's personal data (contact, phone, email, address, tax id, billing email): who asks is recorded with why.</summary>
public sealed record ErasePersonalData(string Reason) : AccountCommand;

public sealed record PlaceHold(string HoldId, decimal Amount, DateTimeOffset? ExpiresAt, string? OrderReference) : AccountCommand;

public sealed record ReleaseHold(string HoldId, string? Reason) : AccountCommand;

/// <summary>Sent by the clock: every active hold whose expiry instant has passed expires.</summary>
public sealed record ExpireDueHolds : AccountCommand;

public sealed record InstallmentRequest(DateOnly DueDate, decimal Amount);

public sealed record IssueInvoice(
    string InvoiceNumber,
    decimal Amount,
    DateOnly IssueDate,
    DateOnly? DueDate,
    IReadOnlyList<InstallmentRequest>? Installments,
    DiscountTerms? Discount,
    string? HoldId) : AccountCommand;

public sealed record ReceivePayment(
    string PaymentReference, decimal Amount, DateOnly ReceivedDate, IReadOnlyList<RemittanceLine>? Allocations) : AccountCommand;

public sealed record IssueCreditNote(
    string CreditNoteNumber, string InvoiceNumber, decimal Amount, string Reason, int? Line, DateOnly? EffectiveDate) : AccountCommand;

public sealed record WriteOffInvoice(
    string WriteOffId, string InvoiceNumber, int? Line, decimal? Amount, string Reason, DateOnly? EffectiveDate) : AccountCommand;

/// <summary>
/// Rate the account under the active rating policy as of today. <paramref name="Trigger"/> names what asked (review, run,
/// event); <paramref name="ReviewId"/> names a scheduled run, whose repeat for the same account writes nothing twice.
/// </summary>
public sealed record ReviewRating(string Trigger, string? ReviewId) : AccountCommand;

/// <summary>A credit manager accepts the tier the current rating suggests: the profile takes it.</summary>
public sealed record AcceptSuggestedTier : AccountCommand;

public sealed record RecordExternalRating(string Agency, string Grade, int Score, DateOnly ReportDate, string? Reference) : AccountCommand;

/// <summary>
/// The daily collections step for this account as of today: promises whose date came are kept or broken, the notice due
/// (if any) is issued at the highest level reached with its fee and interest, and interest on settled lines is charged.
/// Idempotent: the same day asked twice writes nothing the second time.
/// </summary>
public sealed record RunDunning : AccountCommand;

public sealed record DisputeInvoice(string DisputeId, string InvoiceNumber, decimal Amount, int? Line, string Reason, string? Comment) : AccountCommand;

public sealed record ResolveDispute(string DisputeId, string Resolution, string? Reference, string? Comment) : AccountCommand;

public sealed record RecordPromiseToPay(
    string PromiseId, decimal Amount, DateOnly PromisedDate, IReadOnlyList<string>? InvoiceNumbers, string? Comment) : AccountCommand;

public sealed record AddCollectionNote(
    string NoteId, string Kind, string Summary, string? Outcome, DateOnly? NextStepDate, string? NextStep) : AccountCommand;

/// <summary>Gives the account to a collector; null takes it from whoever had it.</summary>
public sealed record AssignCollector(string? Collector) : AccountCommand;

/// <summary>
/// The language notices and statements are written in (zh or en), the billing email (null: the profile's), monthly
/// statements, and the balance confirmation they ask for.
/// </summary>
public sealed record SetContactPreferences(string Language, string? Email, bool MonthlyStatements = false, string? Confirmation = null) : AccountCommand;

/// <summary>
/// Record that a statement drawn from the journal is sent: its id (one per period), period, the instant it was drawn as
/// known at, figures, version and content hash. The account checks what it can (the version, a repeat) and owes its delivery.
/// </summary>
public sealed record IssueStatement(
    string StatementId, DateOnly From, DateOnly To, DateTimeOffset DrawnAt, decimal OpeningBalance, decimal ClosingBalance, decimal Receivables,
    decimal UnappliedCash, long Version, string ContentHash, string? Confirmation, string Language) : AccountCommand;

/// <summary>
/// The customer's reply to a statement's confirmation, through its signed link: agree with the closing balance, or state
/// theirs with the items they see differently. Bound to the statement's content hash.
/// </summary>
public sealed record ReplyToStatement(
    string StatementId, string ContentHash, bool Agrees, decimal? TheirBalance, IReadOnlyList<DifferenceItem>? Items, string Respondent, string? Comment)
    : AccountCommand;

/// <summary>Finance closes the reconciliation item a disputed balance opened.</summary>
public sealed record ResolveReconciliationItem(string StatementId, string Resolution, string? Reference, string? Comment) : AccountCommand;

/// <summary>The outcome of one delivery attempt of a notice, reported by the outbox.</summary>
public sealed record RecordDeliveryOutcome(
    string NoticeId, int Attempt, bool Delivered, string? Recipient, string? MessageId, string? Error, bool Final, DateTimeOffset? NextAttemptAt)
    : AccountCommand;
