using CreditActors.Domain.Calendar;

namespace CreditActors.Domain.Accounts;

/// <summary>The account aggregate: pure decisions over its state, and the fold of its events.</summary>
public static partial class CreditAccount
{
    public const int MaximumTextLength = 500;

    /// <summary>
    /// Decides a command against the state as of <paramref name="now"/>. Returns the events to persist, a
    /// rejection, or <see cref="Decision.Unchanged"/> for a repeat. Never throws for bad input.
    /// </summary>
    public static Decision Decide(
        AccountState state, AccountCommand command, CommandContext context, DateTimeOffset now, CreditPolicy policy)
    {
        if (command is OpenAccount open)
            return open.TimeZone is { } zone && !Calendar.BusinessTime.IsKnown(zone)
                ? Decision.Reject(Rejection.Invalid("timeZone", $"timeZone {Calendar.BusinessTime.Rule}"))
                : DecideOpen(state, open, new Stamp(context, now, open.TimeZone ?? Calendar.BusinessTime.Utc));
        if (!state.IsOpened)
            return Decision.Reject(Rejection.NotFound("account_not_found", $"Account {state.AccountId} does not exist"));

        var stamp = new Stamp(context, now, state.TimeZone);
        return command switch
        {
            UpdateProfile c => DecideProfile(state, c, stamp),
            ChangeCreditLimit c => DecideLimit(state, c, stamp, policy),
            ApproveCreditLimitChange c => DecideApproval(state, c, stamp),
            RejectCreditLimitChange c => DecideLimitRejection(state, c, stamp),
            BlockAccount c => AfterMaterialEvent(state, DecideBlock(state, c, stamp), stamp, policy),
            UnblockAccount c => DecideUnblock(state, c, stamp),
            CloseAccount c => DecideClose(state, c, stamp),
            ErasePersonalData c => DecideErasure(state, c, stamp),
            PlaceHold c => DecidePlaceHold(state, c, stamp, policy),
            ReleaseHold c => DecideReleaseHold(state, c, stamp),
            ExpireDueHolds => DecideExpiry(state, stamp),
            IssueInvoice c => DecideInvoice(state, c, stamp),
            ReceivePayment c => AfterMaterialEvent(state, DecidePayment(state, c, stamp), stamp, policy),
            IssueCreditNote c => DecideCreditNote(state, c, stamp),
            WriteOffInvoice c => AfterMaterialEvent(state, DecideWriteOff(state, c, stamp), stamp, policy),
            ReviewRating c => DecideReview(state, c, stamp, policy),
            RecordExternalRating c => DecideExternalRating(state, c, stamp, policy),
            AcceptSuggestedTier => DecideAcceptTier(state, stamp),
            RunDunning => DecideDunning(state, stamp, policy),
            DisputeInvoice c => DecideDispute(state, c, stamp),
            ResolveDispute c => DecideResolution(state, c, stamp),
            RecordPromiseToPay c => DecidePromise(state, c, stamp),
            AddCollectionNote c => DecideNote(state, c, stamp),
            AssignCollector c => DecideAssignment(state, c, stamp),
            RecordDeliveryOutcome c => DecideDeliveryOutcome(state, c, stamp),
            SetContactPreferences c => DecideContactPreferences(state, c, stamp),
            IssueStatement c => DecideStatement(state, c, stamp),
            ReplyToStatement c => DecideReply(state, c, stamp),
            ResolveReconciliationItem c => DecideReconciliation(state, c, stamp),
            _ => throw new InvalidOperationException($"Unknown account command {command.GetType().Name}"),
        };
    }

    /// <summary>The events that the passing of time alone causes at <paramref name="now"/>: holds past their expiry.</summary>
    public static IReadOnlyList<AccountEvent> DueExpiries(AccountState state, DateTimeOffset now) =>
        state.IsOpened ? DecideExpiry(state, new Stamp(new CommandContext("system", "hold-expiry"), now, state.TimeZone)).Events : [];

    /// <summary>
    /// The state as it stands at <paramref name="now"/>: holds past their expiry count as expired, though the account has not
    /// yet written their expiry (its timer does that). What every read of an account shows.
    /// </summary>
    public static AccountState AsOf(AccountState state, DateTimeOffset now) =>
        state.EarliestExpiry is { } earliest && earliest <= now
            ? DueExpiries(state, now).Aggregate(state, Evolve)
            : state;

    /// <summary>The earliest instant at which an active hold expires, if any.</summary>
    public static DateTimeOffset? NextExpiry(AccountState state) =>
        state.EarliestExpiry;

    /// <summary>Builds event metadata for a decision taken at one instant.</summary>
    /// <param name="Zone">The account's business time zone: "today" is the date there.</param>
    private readonly record struct Stamp(CommandContext Context, DateTimeOffset Now, string Zone)
    {
        public DateOnly Today => Calendar.BusinessTime.Today(Zone, Now);
        public EventMetadata Meta(DateOnly? effectiveDate = null) =>
            new(effectiveDate ?? Today, Now.ToUniversalTime(), Context.Actor, Context.CorrelationId);
    }

    private static Rejection? TextProblem(string field, string? value, bool required, int maximumLength = MaximumTextLength)
    {
        if (string.IsNullOrWhiteSpace(value))
            return required ? Rejection.Invalid(field, $"{field} is required") : null;
        return value.Length > maximumLength
            ? Rejection.Invalid(field, $"{field} must be at most {maximumLength} characters")
            : null;
    }

    private static Rejection? AmountProblem(AccountState state, string field, decimal amount, bool allowZero = false)
    {
        var problem = state.Currency.Problem(amount, allowZero);
        return problem is null ? null : Rejection.Invalid(field, $"{field} {problem}");
    }

    private static Rejection? DateProblem(string field, DateOnly? date) =>
        date is { } d && !BusinessDates.InRange(d) ? Rejection.Invalid(field, $"{field} {BusinessDates.Rule}") : null;

    private static Rejection? IdProblem(string field, string? id) =>
        Identifiers.IsValid(id) ? null : Rejection.Invalid(field, $"{field} {Identifiers.Rule}");

    /// <summary>An invoice number, or the number of a fee or interest charge (which a caller may credit, pay or write off).</summary>
    private static Rejection? ReceivableProblem(string field, string? number) =>
        Collections.ChargeNumbers.IsWellFormed(number) ? null : IdProblem(field, number);

    private static Rejection ClosedConflict(AccountState state) =>
        Rejection.Conflict(DeclineCodes.AccountClosed, $"Account {state.AccountId} is closed");
}
