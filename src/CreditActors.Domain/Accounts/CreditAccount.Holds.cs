namespace CreditActors.Domain.Accounts;

/// <summary>The answer to "may this account take this much more credit now?".</summary>
/// <remarks>The grade and the rating policy that set the floor applied, when the account has a rating.</remarks>
public sealed record CreditCheckResult(
    bool Approved, decimal CreditLimit, decimal Exposure, decimal AvailableCredit, IReadOnlyList<DeclineReason> Reasons,
    string? Grade = null, string? RatingPolicy = null);

public static partial class CreditAccount
{
    public const int MaximumOrderReferenceLength = 100;

    /// <summary>The read-only credit decision. Holds past their expiry no longer count, written or not.</summary>
    /// <remarks>Called on every order: it allocates nothing beyond its answer when the account is in good standing.</remarks>
    public static CreditCheckResult CheckCredit(AccountState state, decimal amount, DateTimeOffset now, CreditPolicy policy)
    {
        var current = AsOf(state, now);
        List<DeclineReason>? reasons = null;
        if (current.Status == AccountStatus.Closed)
            (reasons ??= []).Add(new DeclineReason(DeclineCodes.AccountClosed, "The account is closed"));
        if (current.Status == AccountStatus.Blocked)
            (reasons ??= []).Add(new DeclineReason(DeclineCodes.AccountBlocked, "The account is on credit hold"));
        if (amount > current.AvailableCredit)
            (reasons ??= []).Add(new DeclineReason(DeclineCodes.InsufficientCredit,
                $"Requested {amount} exceeds available credit {current.AvailableCredit}",
                AvailableCredit: current.AvailableCredit, RequestedAmount: amount));
        if (FloorReason(current, amount) is { } floor)
            (reasons ??= []).Add(floor);

        // Open lines exist only while receivables are above zero (no line is ever below zero).
        if (current.Receivables > 0m)
        {
            var today = current.TodayAt(now);
            var overdue = 0m;
            var days = 0;
            // A disputed amount is not late until the dispute is resolved, when the collections policy says so.
            var excludeDisputed = policy.Collections?.ExcludeDisputedFromOverdueTolerance == true && !current.Collections.Disputes.IsEmpty;
            foreach (var invoice in current.Invoices.Values)
                foreach (var line in invoice.Lines)
                {
                    var late = today.DayNumber - line.DueDate.DayNumber;
                    var open = excludeDisputed ? line.Open - Math.Min(line.Open, current.Collections.DisputedOn(invoice.InvoiceNumber, line.Line)) : line.Open;
                    if (open > 0m && late > policy.OverdueToleranceDays)
                    {
                        overdue += open;
                        days = Math.Max(days, late);
                    }
                }
            if (overdue > 0m)
                (reasons ??= []).Add(new DeclineReason(DeclineCodes.OverdueBeyondTolerance,
                    $"{overdue} is more than {policy.OverdueToleranceDays} days past due (oldest {days} days)",
                    OverdueAmount: overdue, DaysPastDue: days));
        }
        return new CreditCheckResult(
            reasons is null, current.CreditLimit, current.Exposure, current.AvailableCredit, reasons ?? (IReadOnlyList<DeclineReason>)[],
            current.Rating?.Grade, current.Rating?.PolicyKey);
    }

    private static Decision DecidePlaceHold(AccountState state, PlaceHold c, Stamp stamp, CreditPolicy policy)
    {
        var problem = IdProblem("holdId", c.HoldId)
            ?? AmountProblem(state, "amount", c.Amount)
            ?? TextProblem("orderReference", c.OrderReference, required: false, MaximumOrderReferenceLength);
        if (problem is not null)
            return Decision.Reject(problem);

        // A retry is answered as the first time, even after the hold's expiry instant has passed.
        if (TryFindHold(state, c.HoldId, out var existing, out _))
        {
            var same = existing.Fingerprint == Fingerprints.Hold(c.Amount, c.OrderReference)
                && (c.ExpiresAt is null || c.ExpiresAt == existing.ExpiresAt);
            return same
                ? Decision.Unchanged
                : Decision.Reject(Rejection.Conflict("hold_id_conflict", $"Hold {c.HoldId} already exists with other details", "holdId"));
        }
        if (c.ExpiresAt is { } expiresAt && expiresAt <= stamp.Now)
            return Decision.Reject(Rejection.Invalid("expiresAt", "expiresAt must be in the future"));
        if (c.ExpiresAt is { } latest && latest - stamp.Now > policy.MaximumHoldDuration)
            return Decision.Reject(Rejection.Invalid("expiresAt", $"expiresAt must be within {policy.MaximumHoldDuration.TotalDays} days"));

        var check = CheckCredit(state, c.Amount, stamp.Now, policy);
        if (!check.Approved)
            return Decision.Reject(new Rejection(RejectionKind.Declined, "declined",
                $"Hold of {c.Amount} declined: {string.Join(", ", check.Reasons.Select(r => r.Code))}", null, check.Reasons));
        var expiry = (c.ExpiresAt ?? stamp.Now + policy.DefaultHoldDuration).ToUniversalTime();
        var facts = new HoldDecision(check.CreditLimit, check.Exposure, check.AvailableCredit, check.Grade, check.RatingPolicy,
            state.Rating?.Floor, policy.OverdueToleranceDays);
        return WithDueExpiries(state, stamp, new CreditHoldPlaced(stamp.Meta(), c.HoldId, c.Amount, expiry, c.OrderReference, facts));
    }

    private static Decision DecideReleaseHold(AccountState state, ReleaseHold c, Stamp stamp)
    {
        var problem = IdProblem("holdId", c.HoldId) ?? TextProblem("reason", c.Reason, required: false);
        if (problem is not null)
            return Decision.Reject(problem);
        if (!TryFindHold(state, c.HoldId, out var hold, out var live))
            return Decision.Reject(Rejection.NotFound("hold_not_found", $"Hold {c.HoldId} does not exist"));
        return hold.Status switch
        {
            HoldStatus.Released => Decision.Unchanged,
            HoldStatus.Active when hold.ExpiresAt > stamp.Now =>
                Decision.Accept(new CreditHoldReleased(stamp.Meta(), c.HoldId, live!.Amount, c.Reason)),
            _ => Decision.Reject(Rejection.Conflict("hold_not_active",
                $"Hold {c.HoldId} is {(hold.Status == HoldStatus.Active ? "expired" : hold.Status.ToString().ToLowerInvariant())}")),
        };
    }

    private static Decision DecideExpiry(AccountState state, Stamp stamp)
    {
        // Nothing due: answered without building anything (the common case, on every hold).
        if (state.EarliestExpiry is not { } earliest || earliest > stamp.Now)
            return Decision.Unchanged;
        // The index is ordered by expiry, then hold id: the due holds are its head.
        var expired = state.ActiveHoldsByExpiry
            .TakeWhile(h => h.ExpiresAt <= stamp.Now)
            .Select(h => state.Holds[h.HoldId])
            .Select(h => (AccountEvent)new CreditHoldExpired(
                stamp.Meta(DateOnly.FromDateTime(h.ExpiresAt.UtcDateTime)), h.HoldId, h.Amount, h.ExpiresAt))
            .ToList();
        return expired.Count == 0 ? Decision.Unchanged : Decision.Accept(expired);
    }

    /// <summary>Accepts events, preceded by the expiry of any hold whose time has passed, so the state never counts a dead hold.</summary>
    private static Decision WithDueExpiries(AccountState state, Stamp stamp, params AccountEvent[] events)
    {
        var expiries = DecideExpiry(state, stamp).Events;
        return Decision.Accept(expiries.Count == 0 ? events : [.. expiries, .. events]);
    }
}

/// <summary>
/// A hold's decision replayed: what was recorded, what deciding it again on the account's events before it gives, and
/// whether the two agree.
/// </summary>
public sealed record HoldDecisionReplay(CreditHoldPlaced Recorded, CreditHoldPlaced? Replayed, Rejection? Rejection, long Version)
{
    /// <summary>The replay placed the same hold on the same facts (a hold recorded before facts were kept agrees by placing it).</summary>
    public bool Agrees => Replayed is not null
        && Replayed.Amount == Recorded.Amount && Replayed.ExpiresAt == Recorded.ExpiresAt && Replayed.OrderReference == Recorded.OrderReference
        && (Recorded.Decision is null || Replayed.Decision == Recorded.Decision);
}

public static partial class CreditAccount
{
    /// <summary>
    /// Decides a placed hold again: folds the account's events before it, and decides the same request at the instant it was
    /// recorded, by the same person, under the same overdue tolerance. Null when the events hold no such hold.
    /// </summary>
    public static HoldDecisionReplay? ReplayHoldDecision(string accountId, IEnumerable<AccountEvent> events, string holdId, CreditPolicy policy)
    {
        var state = AccountState.Empty(accountId);
        foreach (var e in events)
        {
            if (e is CreditHoldPlaced placed && placed.HoldId == holdId)
            {
                var applied = placed.Decision is { } facts ? policy with { OverdueToleranceDays = facts.OverdueToleranceDays } : policy;
                var decision = Decide(state, new PlaceHold(holdId, placed.Amount, placed.ExpiresAt, placed.OrderReference),
                    new CommandContext(placed.Meta.Actor, placed.Meta.CorrelationId), placed.Meta.RecordedAt, applied);
                return new HoldDecisionReplay(placed, decision.Events.OfType<CreditHoldPlaced>().SingleOrDefault(), decision.Rejection,
                    state.Version + 1);
            }
            state = Evolve(state, e);
        }
        return null;
    }
}
