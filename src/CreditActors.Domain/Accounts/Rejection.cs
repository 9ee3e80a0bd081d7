namespace CreditActors.Domain.Accounts;

public enum RejectionKind
{
    /// <summary>The command is malformed or breaks a rule of its own content (HTTP 400).</summary>
    Invalid,
    /// <summary>The account or the named item does not exist (HTTP 404).</summary>
    NotFound,
    /// <summary>The id is already used for something else, or the account's state forbids it (HTTP 409).</summary>
    Conflict,
    /// <summary>A credit request answered no (HTTP 422).</summary>
    Declined,
    /// <summary>The caller may not do this, whatever the content (HTTP 403): for example approving their own request.</summary>
    Forbidden,
}

/// <summary>A machine-readable reason a credit request was declined, with the figures behind it.</summary>
public sealed record DeclineReason(
    string Code,
    string Message,
    decimal? AvailableCredit = null,
    decimal? RequestedAmount = null,
    decimal? OverdueAmount = null,
    int? DaysPastDue = null,
    string? Grade = null,
    decimal? Floor = null);

public static class DeclineCodes
{
    public const string AccountClosed = "account_closed";
    public const string AccountBlocked = "account_blocked";
    public const string InsufficientCredit = "insufficient_credit";
    public const string OverdueBeyondTolerance = "overdue_beyond_tolerance";
    public const string RatingBelowFloor = "rating_below_floor";
}

/// <summary>Why a command was refused. A rejected command writes no event.</summary>
public sealed record Rejection(
    RejectionKind Kind, string Code, string Message, string? Field = null, IReadOnlyList<DeclineReason>? Reasons = null)
{
    public static Rejection Invalid(string field, string message) => new(RejectionKind.Invalid, "invalid", message, field);
    public static Rejection NotFound(string code, string message) => new(RejectionKind.NotFound, code, message);
    public static Rejection Conflict(string code, string message, string? field = null) =>
        new(RejectionKind.Conflict, code, message, field);
}

/// <summary>
/// The outcome of deciding a command: events to persist, a rejection, or neither when the command was
/// already applied (an idempotent repeat, or a change to the value the account already has).
/// </summary>
public sealed record Decision(IReadOnlyList<AccountEvent> Events, Rejection? Rejection)
{
    public static readonly Decision Unchanged = new([], null);
    public static Decision Accept(params AccountEvent[] events) => new(events, null);
    public static Decision Accept(IReadOnlyList<AccountEvent> events) => new(events, null);
    public static Decision Reject(Rejection rejection) => new([], rejection);

    public bool IsRejected => Rejection is not null;
    public bool IsUnchanged => Rejection is null && Events.Count == 0;
}
