using CreditActors.Domain.Money;

namespace CreditActors.Domain.Accounts;

public static partial class CreditAccount
{
    public const int MaximumPaymentTermsDays = 3650;

    private static Decision DecideOpen(AccountState state, OpenAccount c, Stamp stamp)
    {
        var problem = IdProblem("accountId", c.AccountId)
            ?? (c.AccountId == state.AccountId ? null : Rejection.Invalid("accountId", "accountId does not match the account addressed"))
            ?? (Currency.TryFind(c.CurrencyCode, out _) ? null
                : Rejection.Invalid("currency", $"currency '{c.CurrencyCode}' is not a supported ISO 4217 code"))
            ?? (c.PaymentTermsDays is >= 0 and <= MaximumPaymentTermsDays ? null
                : Rejection.Invalid("paymentTermsDays", $"paymentTermsDays must be between 0 and {MaximumPaymentTermsDays}"))
            ?? ProfileProblem(c.Profile);
        if (problem is null)
        {
            var currencyProblem = Currency.Find(c.CurrencyCode).Problem(c.CreditLimit, allowZero: true);
            if (currencyProblem is not null)
                problem = Rejection.Invalid("creditLimit", $"creditLimit {currencyProblem}");
        }
        if (problem is not null)
            return Decision.Reject(problem);

        if (state.IsOpened)
        {
            var sameAsOpened = state.CurrencyCode == c.CurrencyCode
                && state.OpenedWith == new OpenedTerms(c.CreditLimit, c.PaymentTermsDays, c.Profile)
                && state.TimeZone == (c.TimeZone ?? Calendar.BusinessTime.Utc);
            return sameAsOpened
                ? Decision.Unchanged
                : Decision.Reject(Rejection.Conflict("account_exists", $"Account {c.AccountId} already exists with other details", "accountId"));
        }
        return Decision.Accept(new AccountOpened(stamp.Meta(), c.AccountId, c.CurrencyCode, c.CreditLimit, c.PaymentTermsDays, c.Profile,
            c.TimeZone ?? Calendar.BusinessTime.Utc));
    }

    private static Rejection? ProfileProblem(Profile p) =>
        TextProblem("name", p.Name, required: true, maximumLength: 200)
        ?? TextProblem("contact", p.Contact, false, 200)
        ?? TextProblem("phone", p.Phone, false, 50)
        ?? TextProblem("email", p.Email, false, 254)
        ?? (p.Email is null || (p.Email.Contains('@') && !p.Email.Any(char.IsWhiteSpace)) ? null
            : Rejection.Invalid("email", "email must be an address such as name@example.com"))
        ?? TextProblem("address", p.Address, false)
        ?? TextProblem("industry", p.Industry, false, 100)
        ?? TextProblem("taxId", p.TaxId, false, 50)
        ?? TextProblem("notes", p.Notes, false, 2000)
        ?? (Enum.IsDefined(p.Tier) ? null : Rejection.Invalid("tier", "tier must be strategic, standard or watch"));

    private static Decision DecideProfile(AccountState state, UpdateProfile c, Stamp stamp)
    {
        if (state.Status == AccountStatus.Closed)
            return Decision.Reject(ClosedConflict(state));
        static string? Patch(string? current, string? change) => change is null ? current : change.Length == 0 ? null : change;
        var old = state.Profile;
        if (c.Name is { Length: 0 })
            return Decision.Reject(Rejection.Invalid("name", "name cannot be cleared"));
        var updated = new Profile(
            c.Name ?? old.Name,
            Patch(old.Contact, c.Contact),
            Patch(old.Phone, c.Phone),
            Patch(old.Email, c.Email),
            Patch(old.Address, c.Address),
            Patch(old.Industry, c.Industry),
            Patch(old.TaxId, c.TaxId),
            c.Tier ?? old.Tier,
            Patch(old.Notes, c.Notes));
        var problem = ProfileProblem(updated);
        if (problem is not null)
            return Decision.Reject(problem);
        var changed = ChangedFields(old, updated);
        return changed.Count == 0 ? Decision.Unchanged : Decision.Accept(new ProfileUpdated(stamp.Meta(), updated, changed));
    }

    private static List<string> ChangedFields(Profile old, Profile updated)
    {
        var fields = new List<string>();
        void Compare<T>(string name, T a, T b) { if (!EqualityComparer<T>.Default.Equals(a, b)) fields.Add(name); }
        Compare("name", old.Name, updated.Name);
        Compare("contact", old.Contact, updated.Contact);
        Compare("phone", old.Phone, updated.Phone);
        Compare("email", old.Email, updated.Email);
        Compare("address", old.Address, updated.Address);
        Compare("industry", old.Industry, updated.Industry);
        Compare("taxId", old.TaxId, updated.TaxId);
        Compare("tier", old.Tier, updated.Tier);
        Compare("notes", old.Notes, updated.Notes);
        return fields;
    }

    private static Decision DecideLimit(AccountState state, ChangeCreditLimit c, Stamp stamp, CreditPolicy policy)
    {
        var problem = AmountProblem(state, "creditLimit", c.NewLimit, allowZero: true) ?? TextProblem("reason", c.Reason, required: true);
        if (problem is not null)
            return Decision.Reject(problem);
        if (state.Status == AccountStatus.Closed)
            return Decision.Reject(ClosedConflict(state));
        // A cut is risk management and applies at once, even with an increase pending; that request then cannot be
        // approved as it stands, since it was made against another limit.
        if (c.NewLimit < state.CreditLimit)
            return Decision.Accept(new CreditLimitChanged(stamp.Meta(), state.CreditLimit, c.NewLimit, c.Reason, stamp.Context.Actor));
        if (state.PendingLimitRequest is { } pending)
        {
            // One pending request at a time: its repeat answers as before; anything else waits for the decision.
            return pending.NewLimit == c.NewLimit && pending.Reason == c.Reason && pending.RequestedBy == stamp.Context.Actor
                ? Decision.Unchanged
                : Decision.Reject(Rejection.Conflict("limit_change_pending",
                    $"Limit request {pending.RequestId} to {pending.NewLimit} awaits approval; approve or reject it first", "creditLimit"));
        }
        if (c.NewLimit == state.CreditLimit)
            return Decision.Unchanged;
        if (policy.LimitApproval.NeedsApproval(state.CreditLimit, c.NewLimit))
            return Decision.Accept(new CreditLimitChangeRequested(
                stamp.Meta(), $"LCR-{state.Version + 1}", state.CreditLimit, c.NewLimit, c.Reason, stamp.Context.Actor));
        return Decision.Accept(new CreditLimitChanged(stamp.Meta(), state.CreditLimit, c.NewLimit, c.Reason, stamp.Context.Actor));
    }

    private static Decision DecideApproval(AccountState state, ApproveCreditLimitChange c, Stamp stamp)
    {
        var settled = SettledBeforeDecision(state, c.RequestId, TextProblem("comment", c.Comment, required: false),
            r => r.Status == LimitRequestStatus.Approved && r.DecidedBy == stamp.Context.Actor, out var request);
        if (settled is not null)
            return settled;
        if (request.RequestedBy == stamp.Context.Actor)
            return Decision.Reject(new Rejection(RejectionKind.Forbidden, "self_approval",
                $"{stamp.Context.Actor} requested {c.RequestId} and cannot approve it; another credit manager must"));
        if (state.Status == AccountStatus.Closed)
            return Decision.Reject(ClosedConflict(state));
        // The checker approved a change from a given limit; if the limit moved since, the approval is stale.
        if (state.CreditLimit != request.OldLimit)
            return Decision.Reject(Rejection.Conflict("limit_changed_since_request",
                $"The limit is {state.CreditLimit}, not the {request.OldLimit} that {c.RequestId} was made against; reject it and request again"));
        return Decision.Accept(
            new CreditLimitChangeApproved(stamp.Meta(), request.RequestId, stamp.Context.Actor, c.Comment),
            new CreditLimitChanged(stamp.Meta(), request.OldLimit, request.NewLimit, request.Reason, request.RequestedBy));
    }

    private static Decision DecideLimitRejection(AccountState state, RejectCreditLimitChange c, Stamp stamp)
    {
        var settled = SettledBeforeDecision(state, c.RequestId, TextProblem("reason", c.Reason, required: true),
            r => r.Status == LimitRequestStatus.Rejected && r.DecidedBy == stamp.Context.Actor && r.DecisionNote == c.Reason, out var request);
        return settled ?? Decision.Accept(new CreditLimitChangeRejected(stamp.Meta(), request.RequestId, stamp.Context.Actor, c.Reason));
    }

    /// <summary>
    /// What approving or rejecting a limit request answers before its own rules: invalid input, an unknown request,
    /// a repeat of the same decision, or a request already decided otherwise. Null when the request is pending.
    /// </summary>
    private static Decision? SettledBeforeDecision(
        AccountState state, string requestId, Rejection? inputProblem, Func<LimitRequest, bool> isRepeat, out LimitRequest request)
    {
        request = null!;
        var problem = IdProblem("requestId", requestId) ?? inputProblem;
        if (problem is not null)
            return Decision.Reject(problem);
        if (!state.LimitRequests.TryGetValue(requestId, out var found))
            return Decision.Reject(Rejection.NotFound("limit_request_not_found", $"Limit request {requestId} does not exist"));
        request = found;
        if (isRepeat(found))
            return Decision.Unchanged;
        return found.Status == LimitRequestStatus.Pending
            ? null
            : Decision.Reject(Rejection.Conflict("limit_request_decided",
                $"Limit request {requestId} is already {found.Status.ToString().ToLowerInvariant()}"));
    }

    private static Decision DecideBlock(AccountState state, BlockAccount c, Stamp stamp)
    {
        var problem = TextProblem("reason", c.Reason, required: true);
        if (problem is not null)
            return Decision.Reject(problem);
        return state.Status switch
        {
            AccountStatus.Closed => Decision.Reject(ClosedConflict(state)),
            AccountStatus.Blocked => Decision.Unchanged,
            _ => Decision.Accept(new AccountBlocked(stamp.Meta(), c.Reason)),
        };
    }

    private static Decision DecideUnblock(AccountState state, UnblockAccount c, Stamp stamp)
    {
        var problem = TextProblem("reason", c.Reason, required: false);
        if (problem is not null)
            return Decision.Reject(problem);
        return state.Status switch
        {
            AccountStatus.Closed => Decision.Reject(ClosedConflict(state)),
            AccountStatus.Active => Decision.Unchanged,
            _ => Decision.Accept(new AccountUnblocked(stamp.Meta(), c.Reason)),
        };
    }

    private static Decision DecideClose(AccountState state, CloseAccount c, Stamp stamp)
    {
        var problem = TextProblem("reason", c.Reason, required: false);
        if (problem is not null)
            return Decision.Reject(problem);
        if (state.Status == AccountStatus.Closed)
            return Decision.Unchanged;
        // Closing is final; it would strand money, so everything must be settled first.
        if (state.Receivables != 0m || state.HeldAmount != 0m || state.UnappliedCash != 0m)
            return Decision.Reject(Rejection.Conflict("account_has_open_balance",
                $"Account {state.AccountId} still has receivables {state.Receivables}, holds {state.HeldAmount} and unapplied cash "
                + $"{state.UnappliedCash}; settle them before closing"));
        return Decision.Accept(new AccountClosed(stamp.Meta(), c.Reason));
    }

    /// <summary>What an erasure leaves of a profile: the company's name, industry, tier and notes; none of the personal fields.</summary>
    public static Profile WithoutPersonalData(Profile p) => p with { Contact = null, Phone = null, Email = null, Address = null, TaxId = null };

    private static Decision DecideErasure(AccountState state, ErasePersonalData c, Stamp stamp)
    {
        var problem = TextProblem("reason", c.Reason, required: true);
        if (problem is not null)
            return Decision.Reject(problem);
        // Asked again, it answers as the first time: the data is erased, and nothing new is written.
        if (state.PersonalDataErasedAt is not null && WithoutPersonalData(state.Profile) == state.Profile && state.Collections.BillingEmail is null)
            return Decision.Unchanged;
        return Decision.Accept(new PersonalDataErased(stamp.Meta(), c.Reason.Trim()));
    }
}
