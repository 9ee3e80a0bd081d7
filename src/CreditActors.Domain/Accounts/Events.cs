namespace CreditActors.Domain.Accounts;

/// <summary>What every event carries: the business date it is effective on, when it was recorded, who asked, and why.</summary>
public sealed record EventMetadata(DateOnly EffectiveDate, DateTimeOffset RecordedAt, string Actor, string CorrelationId);

/// <summary>An event of one account's stream. Names are published: never rename or reuse one.</summary>
public abstract record AccountEvent(EventMetadata Meta);

/// <summary>
/// What every consumer of events (the fold, postings, aging, the projections) throws on an event it does not name: each
/// names the events it handles and those it ignores, so a new event kind fails loudly instead of skewing a figure.
/// </summary>
public sealed class UnknownEventException(string consumer, AccountEvent @event)
    : InvalidOperationException($"{consumer} does not know the account event {@event.GetType().Name}");

public enum Tier { Standard, Strategic, Watch }

public sealed record Profile(
    string Name,
    string? Contact = null,
    string? Phone = null,
    string? Email = null,
    string? Address = null,
    string? Industry = null,
    string? TaxId = null,
    Tier Tier = Tier.Standard,
    string? Notes = null);

public sealed record DiscountTerms(decimal Percent, int WithinDays);

public sealed record LineAmount(int Line, decimal Amount);

public sealed record IssuedLine(int Line, DateOnly DueDate, decimal Amount);

/// <summary>An amount the payer named for an invoice (and optionally one line of it): the remittance advice.</summary>
public sealed record RemittanceLine(string InvoiceNumber, int? Line, decimal Amount);

public sealed record AllocationLine(string InvoiceNumber, int Line, decimal Amount);

/// <summary>Version 2: with the account's business time zone (IANA id). Version 1 had none and reads as UTC.</summary>
public sealed record AccountOpened(
    EventMetadata Meta, string AccountId, string Currency, decimal CreditLimit, int PaymentTermsDays, Profile Profile, string TimeZone)
    : AccountEvent(Meta);

public sealed record ProfileUpdated(EventMetadata Meta, Profile Profile, IReadOnlyList<string> ChangedFields)
    : AccountEvent(Meta);

/// <summary>
/// The account's personal data was erased (the person and the reason in the metadata and here): from it on, contact,
/// phone, email, address, tax id and the billing email read as erased, in the state and in every earlier event.
/// </summary>
public sealed record PersonalDataErased(EventMetadata Meta, string Reason) : AccountEvent(Meta);

public sealed record CreditLimitChanged(
    EventMetadata Meta, decimal OldLimit, decimal NewLimit, string Reason, string ChangedBy)
    : AccountEvent(Meta);

/// <summary>A limit increase above the approval threshold waits for a second person (maker-checker).</summary>
public sealed record CreditLimitChangeRequested(
    EventMetadata Meta, string RequestId, decimal OldLimit, decimal NewLimit, string Reason, string RequestedBy)
    : AccountEvent(Meta);

/// <summary>Written together with the <see cref="CreditLimitChanged"/> it causes.</summary>
public sealed record CreditLimitChangeApproved(EventMetadata Meta, string RequestId, string ApprovedBy, string? Comment)
    : AccountEvent(Meta);

public sealed record CreditLimitChangeRejected(EventMetadata Meta, string RequestId, string RejectedBy, string Reason)
    : AccountEvent(Meta);

public sealed record AccountBlocked(EventMetadata Meta, string Reason) : AccountEvent(Meta);

public sealed record AccountUnblocked(EventMetadata Meta, string? Reason) : AccountEvent(Meta);

public sealed record AccountClosed(EventMetadata Meta, string? Reason) : AccountEvent(Meta);

/// <summary>
/// The facts an approved hold was decided on: the limit, the exposure before it and the credit available, the grade and the
/// rating policy that gave it with the floor that applied, and the overdue tolerance in force.
/// </summary>
public sealed record HoldDecision(
    decimal CreditLimit, decimal ExposureBefore, decimal AvailableCredit, string? Grade, string? RatingPolicy, RatingFloor? Floor,
    int OverdueToleranceDays);

/// <summary>
/// Version 2 carries the facts the hold was decided on. Version 1 (without them) is still read: its
/// <paramref name="Decision"/> is null.
/// </summary>
public sealed record CreditHoldPlaced(
    EventMetadata Meta, string HoldId, decimal Amount, DateTimeOffset ExpiresAt, string? OrderReference, HoldDecision? Decision)
    : AccountEvent(Meta);

/// <summary>The hold is consumed by an invoice: the captured part becomes receivable, the rest is released.</summary>
public sealed record CreditHoldCaptured(
    EventMetadata Meta, string HoldId, string InvoiceNumber, decimal CapturedAmount, decimal ReleasedAmount)
    : AccountEvent(Meta);

public sealed record CreditHoldReleased(EventMetadata Meta, string HoldId, decimal Amount, string? Reason)
    : AccountEvent(Meta);

public sealed record CreditHoldExpired(EventMetadata Meta, string HoldId, decimal Amount, DateTimeOffset ExpiredAt)
    : AccountEvent(Meta);

public sealed record InvoiceIssued(
    EventMetadata Meta,
    string InvoiceNumber,
    DateOnly IssueDate,
    DateOnly DueDate,
    decimal Amount,
    IReadOnlyList<IssuedLine> Lines,
    DiscountTerms? Discount,
    string? HoldId)
    : AccountEvent(Meta);

public sealed record CreditNoteIssued(
    EventMetadata Meta,
    string CreditNoteNumber,
    string InvoiceNumber,
    decimal Amount,
    string Reason,
    int? RequestedLine,
    IReadOnlyList<LineAmount> Lines)
    : AccountEvent(Meta);

public sealed record PaymentReceived(
    EventMetadata Meta, string PaymentReference, DateOnly ReceivedDate, decimal Amount, IReadOnlyList<RemittanceLine> Remittance)
    : AccountEvent(Meta);

/// <summary>Cash of one payment applied to invoice lines (at receipt, or later from unapplied cash).</summary>
public sealed record PaymentAllocated(EventMetadata Meta, string PaymentReference, IReadOnlyList<AllocationLine> Allocations)
    : AccountEvent(Meta);

public sealed record EarlyPaymentDiscountGranted(
    EventMetadata Meta, string InvoiceNumber, string PaymentReference, decimal Amount, IReadOnlyList<LineAmount> Lines)
    : AccountEvent(Meta);

public sealed record InvoiceLineWrittenOff(
    EventMetadata Meta,
    string WriteOffId,
    string InvoiceNumber,
    int Line,
    decimal Amount,
    string Reason,
    int? RequestedLine,
    decimal? RequestedAmount)
    : AccountEvent(Meta);

/// <summary>One factor of a rating: its raw value (null when unavailable), the points its bands gave, and its weight.</summary>
public sealed record RatingFactor(string Name, decimal? Raw, int? Points, int Weight);

/// <summary>A factor whose points moved between two ratings, most first.</summary>
public sealed record FactorMove(string Name, int? FromPoints, int? ToPoints);

/// <summary>
/// What the credit decision applies to an account under its grade, resolved for the account's currency: decline every new
/// hold, cap a hold at a share of the limit, cap a single order. Null fields do not apply.
/// </summary>
public sealed record RatingFloor(bool DeclineNewHolds, decimal? MaxHoldPercentOfLimit, decimal? MaxSingleOrder)
{
    public static readonly RatingFloor None = new(false, null, null);
}

/// <summary>
/// A grade and score from a versioned rating policy as of a date, with every factor that produced them. Written when the
/// grade or the score moved by more than the policy's threshold, under a new policy, or when the periodic review is due;
/// <paramref name="Reason"/> says which, <paramref name="Trigger"/> what asked (a review, a run, an event).
/// </summary>
public sealed record RatingAssigned(
    EventMetadata Meta,
    string PolicyId,
    int PolicyVersion,
    DateOnly AsOf,
    decimal Score,
    string Grade,
    string? PreviousGrade,
    string Change,
    IReadOnlyList<RatingFactor> Factors,
    IReadOnlyList<FactorMove> Moves,
    Tier SuggestedTier,
    decimal? SuggestedLimit,
    RatingFloor Floor,
    string Reason,
    string Trigger,
    string? ReviewId)
    : AccountEvent(Meta);

/// <summary>A rating from an outside agency (信用报告), recorded by a credit manager: its grade as the agency writes it, and a score 0–100.</summary>
public sealed record ExternalRatingRecorded(
    EventMetadata Meta, string Agency, string Grade, int Score, DateOnly ReportDate, string? Reference)
    : AccountEvent(Meta);
