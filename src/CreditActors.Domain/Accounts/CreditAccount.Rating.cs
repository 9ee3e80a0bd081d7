using CreditActors.Domain.Rating;

namespace CreditActors.Domain.Accounts;

public static partial class CreditAccount
{
    public const int MaximumTriggerLength = 100;
    public const int MaximumAgencyLength = 100;
    public const int MaximumExternalGradeLength = 20;

    /// <summary>Why a rating was written (<see cref="RatingAssigned.Reason"/>).</summary>
    public static class RatingReasons
    {
        public const string First = "first";
        public const string PolicyChanged = "policy_changed";
        public const string GradeChanged = "grade_changed";
        public const string ScoreMoved = "score_moved";
        public const string ReviewDue = "review_due";
    }

    /// <summary>How the grade moved (<see cref="RatingAssigned.Change"/>), ranked by the policy that wrote the new rating.</summary>
    public static class RatingChanges
    {
        public const string First = "first";
        public const string Upgrade = "upgrade";
        public const string Downgrade = "downgrade";
        public const string Same = "same";
    }

    /// <summary>Who a limit request or change written by a rating names as its author.</summary>
    public static string PolicyActor(RatingPolicy policy) => $"rating-policy:{policy.Key}";

    public static AccountRating RatingOf(RatingAssigned e) => new(
        e.PolicyId, e.PolicyVersion, e.AsOf, e.Score, e.Grade, e.Factors, e.Floor, e.SuggestedTier, e.SuggestedLimit, e.Meta.RecordedAt, e.ReviewId);

    /// <summary>The rating the account would get today under a policy, written or not: what a simulation shows.</summary>
    public static RatingResult RateNow(AccountState state, RatingPolicy policy, DateTimeOffset now) =>
        RatingEngine.Rate(policy, RatingInputs.FromState(AsOf(state, now), state.TodayAt(now)));

    private static Decision DecideReview(AccountState state, ReviewRating c, Stamp stamp, CreditPolicy policy)
    {
        var problem = TextProblem("trigger", c.Trigger, required: true, MaximumTriggerLength)
            ?? (c.ReviewId is null ? null : IdProblem("reviewId", c.ReviewId));
        if (problem is not null)
            return Decision.Reject(problem);
        if (policy.Rating is not { } rating)
            return Decision.Reject(Rejection.Conflict("no_rating_policy", "No rating policy is active"));
        if (state.Status == AccountStatus.Closed)
            return Decision.Reject(ClosedConflict(state));
        if (c.ReviewId is not null && c.ReviewId == state.LastReviewId)
            return Decision.Unchanged;

        // Holds past their expiry leave the exposure the rating reads; their expiry is written with it.
        var expiries = DecideExpiry(state, stamp).Events;
        var current = expiries.Aggregate(state, Evolve);
        var events = RatingEvents(current, rating, stamp, c.Trigger, c.ReviewId);
        return events.Count == 0 ? Decision.Unchanged : Decision.Accept([.. expiries, .. events]);
    }

    private static Decision DecideAcceptTier(AccountState state, Stamp stamp)
    {
        if (state.Rating is not { } rating)
            return Decision.Reject(Rejection.Conflict("not_rated", $"Account {state.AccountId} has no rating to suggest a tier"));
        if (state.Status == AccountStatus.Closed)
            return Decision.Reject(ClosedConflict(state));
        return rating.SuggestedTier == state.Profile.Tier
            ? Decision.Unchanged
            : Decision.Accept(new ProfileUpdated(stamp.Meta(), state.Profile with { Tier = rating.SuggestedTier }, ["tier"]));
    }

    private static Decision DecideExternalRating(AccountState state, RecordExternalRating c, Stamp stamp, CreditPolicy policy)
    {
        var problem = TextProblem("agency", c.Agency, required: true, MaximumAgencyLength)
            ?? TextProblem("grade", c.Grade, required: true, MaximumExternalGradeLength)
            ?? (c.Score is < 0 or > 100 ? Rejection.Invalid("score", "score must be between 0 and 100") : null)
            ?? DateProblem("reportDate", c.ReportDate)
            ?? (c.ReportDate > stamp.Today ? Rejection.Invalid("reportDate", "reportDate must not be in the future") : null)
            ?? TextProblem("reference", c.Reference, required: false, MaximumOrderReferenceLength);
        if (problem is not null)
            return Decision.Reject(problem);
        if (state.Status == AccountStatus.Closed)
            return Decision.Reject(ClosedConflict(state));
        var recorded = new ExternalRating(c.Agency, c.Grade, c.Score, c.ReportDate, c.Reference);
        if (state.External == recorded)
            return Decision.Unchanged;
        return AfterMaterialEvent(state, Decision.Accept(
            new ExternalRatingRecorded(stamp.Meta(), c.Agency, c.Grade, c.Score, c.ReportDate, c.Reference)), stamp, policy);
    }

    /// <summary>
    /// Adds a rating review to a decision whose events change a factor materially (a payment more than the policy's days
    /// late, a write-off, a block, an external rating): the rating follows the facts as they happen, not a nightly batch.
    /// The review writes only what moved.
    /// </summary>
    private static Decision AfterMaterialEvent(AccountState state, Decision decision, Stamp stamp, CreditPolicy policy)
    {
        if (policy.Rating is not { } rating || decision.Events.Count == 0 || state.Status == AccountStatus.Closed)
            return decision;
        var trigger = MaterialTrigger(state, decision.Events, rating);
        if (trigger is null)
            return decision;
        var after = decision.Events.Aggregate(state, Evolve);
        var review = RatingEvents(after, rating, stamp, $"event:{trigger}", null);
        return review.Count == 0 ? decision : Decision.Accept([.. decision.Events, .. review]);
    }

    private static string? MaterialTrigger(AccountState state, IReadOnlyList<AccountEvent> events, RatingPolicy rating)
    {
        foreach (var e in events)
        {
            switch (e)
            {
                case InvoiceLineWrittenOff:
                    return "write_off";
                case AccountBlocked:
                    return "blocked";
                case ExternalRatingRecorded:
                    return "external_rating";
                case PaymentAllocated p:
                    foreach (var a in p.Allocations)
                        if (state.Invoices.TryGetValue(a.InvoiceNumber, out var invoice)
                            && invoice.Lines.Any(l => l.Line == a.Line
                                && p.Meta.EffectiveDate.DayNumber - l.DueDate.DayNumber > rating.ReviewAfterPaymentDaysLate))
                            return "payment_late";
                    break;
            }
        }
        return null;
    }

    /// <summary>
    /// The events a review writes: a <see cref="RatingAssigned"/> when the grade or the score moved beyond the policy's
    /// threshold, the policy changed, or the periodic review is due; then what the policy makes the rating do to the
    /// limit (a request for a person, or a cut at once on the worst grade) and to the tier (when it applies tiers itself).
    /// </summary>
    private static List<AccountEvent> RatingEvents(AccountState state, RatingPolicy policy, Stamp stamp, string trigger, string? reviewId)
    {
        var result = RatingEngine.Rate(policy, RatingInputs.FromState(state, stamp.Today));
        var current = state.Rating;
        var reason = current is null ? RatingReasons.First
            : current.PolicyId != result.PolicyId || current.PolicyVersion != result.PolicyVersion ? RatingReasons.PolicyChanged
            : current.Grade != result.Grade ? RatingReasons.GradeChanged
            : Math.Abs(current.Score - result.Score) > policy.ScoreChangeThreshold ? RatingReasons.ScoreMoved
            : stamp.Today.DayNumber - current.AsOf.DayNumber >= policy.ValidityDays ? RatingReasons.ReviewDue
            : null;
        if (reason is null)
            return [];

        var change = RatingChanges.First;
        if (current is not null)
        {
            var (from, to) = (policy.Rank(current.Grade), policy.Rank(result.Grade));
            change = from < 0 || from == to ? RatingChanges.Same : to > from ? RatingChanges.Downgrade : RatingChanges.Upgrade;
        }
        var events = new List<AccountEvent>
        {
            new RatingAssigned(stamp.Meta(), result.PolicyId, result.PolicyVersion, result.AsOf, result.Score, result.Grade,
                current?.Grade, change, result.Factors, Moves(current?.Factors, result.Factors), result.SuggestedTier,
                result.SuggestedLimit, result.Floor, reason, trigger, reviewId),
        };

        var author = PolicyActor(policy);
        if (result.SuggestedLimit is { } suggested && suggested != state.CreditLimit)
        {
            var margin = policy.SuggestedLimit.ReviewMarginPercent;
            if (change == RatingChanges.Downgrade && result.Grade == policy.WorstGrade && policy.SuggestedLimit.CutAtOnceOnWorstGrade
                && suggested < state.CreditLimit)
                events.Add(new CreditLimitChanged(stamp.Meta(), state.CreditLimit, suggested,
                    $"Grade {result.Grade} under rating policy {policy.Key}", author));
            else if (state.PendingLimitRequest is null
                && (state.CreditLimit == 0m || Math.Abs(suggested - state.CreditLimit) * 100m > margin * state.CreditLimit))
                events.Add(new CreditLimitChangeRequested(stamp.Meta(), $"LCR-{state.Version + events.Count + 1}", state.CreditLimit, suggested,
                    $"Suggested by rating policy {policy.Key}: grade {result.Grade}, {policy.Rule(result.Grade).LimitMultiple} × average monthly invoiced {result.AverageMonthlyInvoiced}",
                    author));
        }
        if (policy.Tiers.ApplyAutomatically && result.SuggestedTier != state.Profile.Tier)
            events.Add(new ProfileUpdated(stamp.Meta(), state.Profile with { Tier = result.SuggestedTier }, ["tier"]));
        return events;
    }

    /// <summary>The factors whose points moved, the largest weighted move first, at most three.</summary>
    private static List<FactorMove> Moves(IReadOnlyList<RatingFactor>? before, IReadOnlyList<RatingFactor> after)
    {
        if (before is null)
            return [];
        return [.. after
            .Select(a => (After: a, Before: before.FirstOrDefault(b => b.Name == a.Name)))
            .Where(p => p.Before?.Points != p.After.Points)
            .OrderByDescending(p => Math.Abs(((p.After.Points ?? 0) - (p.Before?.Points ?? 0)) * p.After.Weight))
            .ThenBy(p => p.After.Name, StringComparer.Ordinal)
            .Take(3)
            .Select(p => new FactorMove(p.After.Name, p.Before?.Points, p.After.Points))];
    }

    /// <summary>The reason a rating's floor declines new credit of an amount, if it does.</summary>
    private static DeclineReason? FloorReason(AccountState state, decimal amount)
    {
        if (state.Rating is not { } rating || rating.Floor == RatingFloor.None)
            return null;
        var floor = rating.Floor;
        var grade = $"Grade {rating.Grade} under rating policy {rating.PolicyKey}";
        if (floor.DeclineNewHolds)
            return new DeclineReason(DeclineCodes.RatingBelowFloor, $"{grade}: new credit is declined", RequestedAmount: amount, Grade: rating.Grade);
        if (floor.MaxHoldPercentOfLimit is { } share)
        {
            var most = state.Currency.Round(state.CreditLimit * share / 100m);
            if (amount > most)
                return new DeclineReason(DeclineCodes.RatingBelowFloor,
                    $"{grade}: a single hold may be at most {share} % of the limit, {most}", RequestedAmount: amount, Grade: rating.Grade, Floor: most);
        }
        if (floor.MaxSingleOrder is { } largest && amount > largest)
            return new DeclineReason(DeclineCodes.RatingBelowFloor,
                $"{grade}: a single order may be at most {largest}", RequestedAmount: amount, Grade: rating.Grade, Floor: largest);
        return null;
    }

    /// <summary>What the rating fold adds to an event's effect: the behaviour months, the current and the external rating.</summary>
    private static RatingHistory Observe(AccountState before, AccountState after, AccountEvent @event)
    {
        var history = before.Behaviour;
        var day = DateOnly.FromDateTime(@event.Meta.RecordedAt.UtcDateTime);
        if (history.UtilisationFrom != day)
            history = history.AccrueUntil(day, RatingHistory.UtilisationPercent(before.Exposure, before.CreditLimit));
        var effective = @event.Meta.EffectiveDate;
        switch (@event)
        {
            case InvoiceIssued e:
                return history.Invoiced(e.IssueDate, e.Amount);
            case CreditNoteIssued e:
                return Collections.ChargeNumbers.IsCharge(e.InvoiceNumber) ? history : history.Credited(effective, e.Amount);
            case InvoiceLineWrittenOff e:
                return before.WriteOffs.ContainsKey(e.WriteOffId) || before.Settled.WriteOffs.ContainsKey(e.WriteOffId)
                    ? history
                    : history.WrittenOff(effective);
            case AccountBlocked:
                return history.Blocked(effective);
            case PaymentAllocated e:
                // Fees and interest are not sales: paying them says nothing of how the customer pays its invoices.
                var sales = e.Allocations.Where(a => !Collections.ChargeNumbers.IsCharge(a.InvoiceNumber)).ToList();
                history = history.Paid(effective, sales.Select(a => (before.Invoices[a.InvoiceNumber].Lines.First(l => l.Line == a.Line).DueDate, a.Amount)));
                foreach (var invoice in sales.Select(a => a.InvoiceNumber).Distinct())
                    if (after.Invoices[invoice].Open == 0m)
                        history = history.InvoicePaid();
                return history;
            case EarlyPaymentDiscountGranted e:
                return after.Invoices[e.InvoiceNumber] is { Open: 0m } settled && settled.Lines.Any(l => l.Paid > 0m)
                    ? history.InvoicePaid()
                    : history;
            case AccountOpened or ProfileUpdated or CreditLimitChanged or CreditLimitChangeRequested or CreditLimitChangeApproved
                or CreditLimitChangeRejected or AccountUnblocked or AccountClosed or CreditHoldPlaced or CreditHoldCaptured
                or CreditHoldReleased or CreditHoldExpired or PaymentReceived or RatingAssigned or ExternalRatingRecorded
                or DunningNoticeIssued or LateFeeCharged or InterestCharged or InvoiceDisputed or DisputeResolved or PromiseToPayRecorded
                or PromiseKept or PromiseBroken or CollectionNoteAdded or CollectorAssigned or ContactPreferencesSet or StatementIssued or StatementSent or StatementDeliveryFailed or BalanceConfirmed or BalanceDisputed or ReconciliationItemResolved or DunningNoticeSent or DunningDeliveryFailed or PersonalDataErased:
                return history;
            default:
                throw new UnknownEventException(nameof(Observe), @event);
        }
    }
}
