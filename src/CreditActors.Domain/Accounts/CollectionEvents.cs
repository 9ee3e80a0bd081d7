using CreditActors.Domain.Collections;

namespace CreditActors.Domain.Accounts;

/// <summary>
/// One line a notice lists: the line, its days past due (negative: days until due), what is open and not disputed, and the
/// level it reached. When this notice starts interest on the line, from when and at what annual rate.
/// </summary>
public sealed record NoticeLine(
    string InvoiceNumber, int Line, DateOnly DueDate, int DaysPastDue, decimal Open, int Level, DateOnly? InterestFrom, decimal? InterestRatePercent);

/// <summary>
/// A dunning notice decided by the account: its level (the highest any listed line reached), every line it lists, their
/// total, the fee and interest charged with it, how it is delivered, and the policy and template it was decided with. At
/// most one per account per day (<paramref name="NoticeId"/> is the day's), and a line reaches each level once.
/// </summary>
public sealed record DunningNoticeIssued(
    EventMetadata Meta,
    string NoticeId,
    int Level,
    string LevelName,
    IReadOnlyList<NoticeLine> Lines,
    decimal Total,
    decimal Fee,
    decimal Interest,
    decimal OutstandingCharges,
    NoticeChannel Channel,
    string Template,
    string PolicyKey,
    bool BlocksNewCredit,
    bool NotifiesCreditManagers)
    : AccountEvent(Meta);

/// <summary>A late fee: a receivable line of its own (<paramref name="ChargeNumber"/>, due at once), owed like an invoice.</summary>
public sealed record LateFeeCharged(EventMetadata Meta, string ChargeNumber, string NoticeId, int Level, decimal Amount, DateOnly DueDate)
    : AccountEvent(Meta);

/// <summary>Interest on one overdue line over a period: its days, the balance-days it ran on, the rate and the amount.</summary>
public sealed record InterestLine(
    string InvoiceNumber, int Line, DateOnly From, DateOnly To, decimal BalanceDays, decimal AnnualRatePercent, decimal Amount);

/// <summary>
/// Interest charged as a receivable line of its own (<paramref name="ChargeNumber"/>, due at once): with a notice, or when
/// the principal it ran on was settled. <paramref name="NoticeId"/> is null for the latter.
/// </summary>
public sealed record InterestCharged(
    EventMetadata Meta, string ChargeNumber, string? NoticeId, decimal Amount, DateOnly DueDate, IReadOnlyList<InterestLine> Lines)
    : AccountEvent(Meta);

/// <summary>The customer disputes an amount of an invoice (held on the lines named, oldest due first): dunning pauses on it.</summary>
public sealed record InvoiceDisputed(
    EventMetadata Meta, string DisputeId, string InvoiceNumber, decimal Amount, int? RequestedLine, IReadOnlyList<LineAmount> Lines,
    string Reason, string? Comment)
    : AccountEvent(Meta);

/// <summary>How a dispute ended: <c>credited</c>, <c>paid</c>, <c>written-off</c> or <c>rejected</c>, with the document that settled it.</summary>
public sealed record DisputeResolved(EventMetadata Meta, string DisputeId, string Resolution, string? Reference, string? Comment)
    : AccountEvent(Meta);

/// <summary>The customer promises to pay an amount by a date, for the invoices named (all overdue ones when none are).</summary>
public sealed record PromiseToPayRecorded(
    EventMetadata Meta, string PromiseId, decimal Amount, DateOnly PromisedDate, IReadOnlyList<string> InvoiceNumbers, string? Comment)
    : AccountEvent(Meta);

/// <summary>Payments received since the promise reached its amount by its date.</summary>
public sealed record PromiseKept(EventMetadata Meta, string PromiseId, decimal Received) : AccountEvent(Meta);

/// <summary>The promised date passed with less received than promised.</summary>
public sealed record PromiseBroken(EventMetadata Meta, string PromiseId, decimal Received, decimal Shortfall) : AccountEvent(Meta);

/// <summary>A contact with the customer: a call, an email, a visit or a meeting; who made it; what came of it; the next step.</summary>
public sealed record CollectionNoteAdded(
    EventMetadata Meta, string NoteId, string Kind, string Summary, string? Outcome, DateOnly? NextStepDate, string? NextStep)
    : AccountEvent(Meta);

/// <summary>The account is given to a collector (null: taken from whoever had it).</summary>
public sealed record CollectorAssigned(EventMetadata Meta, string? Collector, string? PreviousCollector) : AccountEvent(Meta);

/// <summary>
/// How the customer is written to: the language of notices and statements (<c>zh</c> or <c>en</c>), the billing email they
/// go to (null: the profile's email), whether a statement goes out every month, and the balance confirmation it asks for
/// (<c>confirmation</c>, <c>request</c>, <c>notification</c>; null: none).
/// </summary>
public sealed record ContactPreferencesSet(EventMetadata Meta, string Language, string? Email, bool MonthlyStatements, string? Confirmation)
    : AccountEvent(Meta);

/// <summary>
/// A statement of account sent to the customer: its period, the instant it was drawn as known at, its figures, the account
/// version it was drawn at and its content hash (a confirmation binds to these), the confirmation it asks for, its language.
/// </summary>
public sealed record StatementIssued(
    EventMetadata Meta, string StatementId, DateOnly From, DateOnly To, DateTimeOffset DrawnAt, decimal OpeningBalance, decimal ClosingBalance,
    decimal Receivables, decimal UnappliedCash, long Version, string ContentHash, string? Confirmation, string Language)
    : AccountEvent(Meta);

/// <summary>An item the customer sees differently: the document (ours or theirs), the amount by which they differ, and why.</summary>
public sealed record DifferenceItem(string Document, decimal Amount, string? Note);

/// <summary>The customer confirms the closing balance of a statement (对账确认): the statement and its content hash, the balance, who answered.</summary>
public sealed record BalanceConfirmed(EventMetadata Meta, string StatementId, string ContentHash, decimal Balance, string Respondent, string? Comment)
    : AccountEvent(Meta);

/// <summary>
/// The customer states another balance: theirs, ours at the statement, the difference (theirs less ours), the items they see
/// differently, who answered. It opens a reconciliation item for finance.
/// </summary>
public sealed record BalanceDisputed(
    EventMetadata Meta, string StatementId, string ContentHash, decimal OurBalance, decimal TheirBalance, decimal Difference,
    IReadOnlyList<DifferenceItem> Items, string Respondent, string? Comment)
    : AccountEvent(Meta);

/// <summary>Finance closes the reconciliation item a disputed balance opened: how (<c>credit-note</c>, <c>payment-found</c>, <c>customer-error</c>), with the document.</summary>
public sealed record ReconciliationItemResolved(EventMetadata Meta, string StatementId, string Resolution, string? Reference, string? Comment)
    : AccountEvent(Meta);

/// <summary>A delivery attempt of a statement succeeded.</summary>
public sealed record StatementSent(EventMetadata Meta, string StatementId, int Attempt, string Recipient, string? MessageId) : AccountEvent(Meta);

/// <summary>A delivery attempt of a statement failed; <paramref name="Final"/>: no further attempt without a person.</summary>
public sealed record StatementDeliveryFailed(
    EventMetadata Meta, string StatementId, int Attempt, string Error, bool Final, DateTimeOffset? NextAttemptAt)
    : AccountEvent(Meta);

/// <summary>A delivery attempt of a notice succeeded: the channel, the recipient and the transport's message id.</summary>
public sealed record DunningNoticeSent(EventMetadata Meta, string NoticeId, int Attempt, NoticeChannel Channel, string Recipient, string? MessageId)
    : AccountEvent(Meta);

/// <summary>A delivery attempt of a notice failed; <paramref name="Final"/>: no further attempt will be made without a person.</summary>
public sealed record DunningDeliveryFailed(
    EventMetadata Meta, string NoticeId, int Attempt, NoticeChannel Channel, string Error, bool Final, DateTimeOffset? NextAttemptAt)
    : AccountEvent(Meta);
