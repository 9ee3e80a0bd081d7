using System.Collections.Immutable;
using CreditActors.Domain.Collections;

namespace CreditActors.Domain.Accounts;

public static partial class CreditAccount
{
    /// <summary>The reasons a customer may give for disputing an amount.</summary>
    public static readonly IReadOnlyList<string> DisputeReasons =
        ["pricing", "quantity", "quality", "not-delivered", "not-ordered", "duplicate", "terms", "other"];

    /// <summary>How a dispute can end. The money moves by its own command (a credit note, a payment, a write-off).</summary>
    public static readonly IReadOnlyList<string> DisputeResolutions = ["credited", "paid", "written-off", "rejected"];

    public static readonly IReadOnlyList<string> ContactKinds = ["call", "email", "visit", "meeting", "letter"];

    private static Decision DecideDunning(AccountState state, Stamp stamp, CreditPolicy policy)
    {
        if (policy.Collections is not { } collections || state.Status == AccountStatus.Closed)
            return Decision.Unchanged;
        var today = stamp.Today;
        var events = new List<AccountEvent>();
        var meta = stamp.Meta();

        foreach (var promise in state.Collections.Promises.Values.Where(p => p.Status == PromiseStatus.Open))
        {
            if (promise.Received >= promise.Amount)
                events.Add(new PromiseKept(meta, promise.PromiseId, promise.Received));
            else if (today > promise.PromisedDate)
                events.Add(new PromiseBroken(meta, promise.PromiseId, promise.Received, promise.Amount - promise.Received));
        }
        var after = events.Aggregate(state, Evolve);

        // Interest is charged with a notice on every line it runs on, and otherwise once a line's principal has settled.
        var notice = state.Collections.LastNoticeOn == today ? null : NoticeFor(after, collections, today, meta);
        if (notice is not null)
            events.AddRange(notice);
        else if (InterestCharge(after, today, meta, null, settledOnly: true) is { } interest)
            events.Add(interest);
        return events.Count == 0 ? Decision.Unchanged : WithDueExpiries(state, stamp, [.. events]);
    }

    /// <summary>The notice due today, with its fee, the block it orders and the interest it charges; null when no line reached a new level.</summary>
    private static List<AccountEvent>? NoticeFor(AccountState state, DunningPolicy policy, DateOnly today, EventMetadata meta)
    {
        var schedule = policy.For(state.Profile.Tier);
        var currency = state.Currency;
        var listed = new List<NoticeLine>();
        var newlyReached = new SortedSet<int>();
        var noticeLevel = 0;
        foreach (var (invoice, line) in state.OpenLinesOldestFirst())
        {
            if (ChargeNumbers.IsCharge(invoice.InvoiceNumber) || state.Collections.UnderPromise(invoice.InvoiceNumber))
                continue;
            var dunnable = line.Open - Math.Min(line.Open, state.Collections.DisputedOn(invoice.InvoiceNumber, line.Line));
            if (dunnable <= 0m)
                continue;
            var due = schedule.LevelDue(line.DueDate, today);
            if (due == 0)
                continue;
            state.Collections.Lines.TryGetValue(new LineRef(invoice.InvoiceNumber, line.Line), out var kept);
            var reached = kept?.Level ?? 0;
            if (due > reached)
            {
                noticeLevel = Math.Max(noticeLevel, due);
                for (var l = reached + 1; l <= due; l++)
                    newlyReached.Add(l);
            }
            var starts = kept is { InterestRuns: true } ? null : schedule.InterestAt(Math.Max(due, reached));
            listed.Add(new NoticeLine(invoice.InvoiceNumber, line.Line, line.DueDate, today.DayNumber - line.DueDate.DayNumber, dunnable,
                Math.Max(due, reached), starts is null ? null : starts.From == InterestStart.DueDate ? line.DueDate : today, starts?.AnnualRatePercent));
        }
        if (noticeLevel == 0)
            return null;
        var level = schedule.Get(noticeLevel);
        var total = listed.Sum(l => l.Open);
        if (total < level.MinimumFor(state.CurrencyCode))
            return null;

        var noticeId = ChargeNumbers.NoticeId(today);
        // Each level that charges a fee does so once for every notice on which a line newly reaches it.
        var feeLevels = newlyReached.Select(schedule.Get).Where(l => l.Fee?.For(state.CurrencyCode) is > 0m).ToList();
        var fee = feeLevels.Sum(l => currency.Round(l.Fee!.For(state.CurrencyCode)!.Value));
        var charges = state.Invoices.Values.Where(i => ChargeNumbers.IsCharge(i.InvoiceNumber)).Sum(i => i.Open);
        var actions = level.Actions ?? new LevelActions();
        var notice = new DunningNoticeIssued(meta, noticeId, noticeLevel, level.Name, listed, total, fee, 0m, charges, level.Channel,
            level.Template, policy.Key, actions.BlockNewCredit, actions.NotifyCreditManagers);
        // The interest is known once the lines' levels are in (the notice may start it): charged by its own event, named on the
        // notice. Neither the fee nor a block changes it.
        var interest = listed.Any(l => l.InterestFrom is not null) || state.Collections.Lines.Values.Any(l => l.InterestRuns)
            ? InterestCharge(Evolve(state, notice), today, meta, noticeId, settledOnly: false)
            : null;
        var events = new List<AccountEvent> { notice with { Interest = interest?.Amount ?? 0m } };
        if (fee > 0m)
            events.Add(new LateFeeCharged(meta, ChargeNumbers.Fee(today), noticeId, feeLevels[^1].Level, fee, today));
        if (actions.BlockNewCredit && state.Status == AccountStatus.Active)
            events.Add(new AccountBlocked(meta, $"dunning: {level.Name} (level {noticeLevel}) on notice {noticeId}"));
        if (interest is not null)
            events.Add(interest);
        return events;
    }

    /// <summary>
    /// Interest owed today on the lines it runs on (only those whose principal has settled, with <paramref name="settledOnly"/>),
    /// as one charge; null when nothing is owed or today's charge was made.
    /// </summary>
    private static InterestCharged? InterestCharge(AccountState state, DateOnly today, EventMetadata meta, string? noticeId, bool settledOnly)
    {
        var number = ChargeNumbers.Interest(today);
        if (state.Invoices.ContainsKey(number) || state.Settled.Invoices.ContainsKey(number))
            return null;
        var lines = new List<InterestLine>();
        foreach (var (key, line) in state.Collections.Lines)
        {
            if (!line.InterestRuns || (settledOnly && !line.Settled))
                continue;
            var open = OpenOf(state, key);
            var owed = line.InterestOwed(open, today, state.Currency);
            if (owed <= 0m)
                continue;
            var from = line.InterestFrom!.Value;
            lines.Add(new InterestLine(key.InvoiceNumber, key.Line, from, today,
                InterestAccrual.BalanceDays(open, line.LateReductions, from, today), line.InterestRatePercent, owed));
        }
        return lines.Count == 0 ? null : new InterestCharged(meta, number, noticeId, lines.Sum(l => l.Amount), today, lines);
    }

    private static decimal OpenOf(AccountState state, LineRef key) =>
        state.Invoices.TryGetValue(key.InvoiceNumber, out var invoice) && IndexOfLine(invoice.Lines, key.Line) is var i and >= 0
            ? invoice.Lines[i].Open
            : 0m;

    private static Decision DecideDispute(AccountState state, DisputeInvoice c, Stamp stamp)
    {
        var problem = IdProblem("disputeId", c.DisputeId)
            ?? ReceivableProblem("invoiceNumber", c.InvoiceNumber)
            ?? AmountProblem(state, "amount", c.Amount)
            ?? (DisputeReasons.Contains(c.Reason) ? null : Rejection.Invalid("reason", $"reason must be one of {string.Join(", ", DisputeReasons)}"))
            ?? TextProblem("comment", c.Comment, required: false)
            ?? (c.Line is < 1 ? Rejection.Invalid("line", "line numbers start at 1") : null);
        if (problem is not null)
            return Decision.Reject(problem);
        if (state.Collections.Disputes.TryGetValue(c.DisputeId, out var existing))
            return existing.InvoiceNumber == c.InvoiceNumber && existing.Amount == c.Amount && existing.RequestedLine == c.Line && existing.Reason == c.Reason
                ? Decision.Unchanged
                : Decision.Reject(Rejection.Conflict("dispute_id_conflict", $"Dispute {c.DisputeId} already exists with other details", "disputeId"));
        if (state.Status == AccountStatus.Closed)
            return Decision.Reject(ClosedConflict(state));
        var (targets, _, targetProblem) = SettlementTargets(state, c.InvoiceNumber, c.Line, "");
        if (targetProblem is not null)
            return Decision.Reject(targetProblem);
        // What is open and not already held by another dispute, line by line, oldest due first.
        var free = targets.Select(t => (t.Item1, t.Item2 with { Paid = t.Item2.Paid + Math.Min(t.Item2.Open, state.Collections.DisputedOn(c.InvoiceNumber, t.Item2.Line)) }))
            .Where(t => t.Item2.Open > 0m).ToList();
        var available = free.Sum(t => t.Item2.Open);
        if (c.Amount > available)
            return Decision.Reject(Rejection.Invalid("amount",
                $"{c.Amount} is more than the {available / 1.0000000000000000000000000000m} open and not already disputed on invoice {c.InvoiceNumber}"));
        var lines = Distribute(free, c.Amount).Select(x => new LineAmount(x.Line.Line, x.Amount)).ToList();
        return Decision.Accept(new InvoiceDisputed(stamp.Meta(), c.DisputeId, c.InvoiceNumber, c.Amount, c.Line, lines, c.Reason, c.Comment));
    }

    private static Decision DecideResolution(AccountState state, ResolveDispute c, Stamp stamp)
    {
        var problem = IdProblem("disputeId", c.DisputeId)
            ?? (DisputeResolutions.Contains(c.Resolution) ? null : Rejection.Invalid("resolution", $"resolution must be one of {string.Join(", ", DisputeResolutions)}"))
            ?? (c.Reference is null ? null : ReceivableProblem("reference", c.Reference))
            ?? TextProblem("comment", c.Comment, required: false);
        if (problem is not null)
            return Decision.Reject(problem);
        if (!state.Collections.Disputes.TryGetValue(c.DisputeId, out var dispute))
            return Decision.Reject(Rejection.NotFound("dispute_not_found", $"Dispute {c.DisputeId} does not exist on account {state.AccountId}"));
        if (!dispute.IsOpen)
            return dispute.Resolution == c.Resolution
                ? Decision.Unchanged
                : Decision.Reject(Rejection.Conflict("dispute_resolved", $"Dispute {c.DisputeId} was already resolved as {dispute.Resolution}"));
        return Decision.Accept(new DisputeResolved(stamp.Meta(), c.DisputeId, c.Resolution, c.Reference, c.Comment));
    }

    private static Decision DecidePromise(AccountState state, RecordPromiseToPay c, Stamp stamp)
    {
        var problem = IdProblem("promiseId", c.PromiseId)
            ?? AmountProblem(state, "amount", c.Amount)
            ?? DateProblem("promisedDate", c.PromisedDate)
            ?? (c.PromisedDate < stamp.Today ? Rejection.Invalid("promisedDate", "promisedDate must not be in the past") : null)
            ?? (c.PromisedDate > stamp.Today.AddDays(366) ? Rejection.Invalid("promisedDate", "promisedDate must be within a year") : null)
            ?? TextProblem("comment", c.Comment, required: false)
            ?? (c.InvoiceNumbers is { Count: > 100 } ? Rejection.Invalid("invoiceNumbers", "a promise names at most 100 invoices") : null);
        for (var i = 0; problem is null && i < (c.InvoiceNumbers?.Count ?? 0); i++)
        {
            var number = c.InvoiceNumbers![i];
            problem = ReceivableProblem($"invoiceNumbers[{i}]", number)
                ?? (state.Invoices.TryGetValue(number, out var inv) && inv.Open > 0m ? null
                    : Rejection.Invalid($"invoiceNumbers[{i}]", $"invoice {number} has nothing open on this account"));
        }
        if (problem is not null)
            return Decision.Reject(problem);
        if (state.Collections.Promises.TryGetValue(c.PromiseId, out var existing))
            return existing.Amount == c.Amount && existing.PromisedDate == c.PromisedDate
                && (c.InvoiceNumbers is null || existing.InvoiceNumbers.SequenceEqual(c.InvoiceNumbers.Distinct().Order(StringComparer.Ordinal)))
                ? Decision.Unchanged
                : Decision.Reject(Rejection.Conflict("promise_id_conflict", $"Promise {c.PromiseId} already exists with other details", "promiseId"));
        if (state.Status == AccountStatus.Closed)
            return Decision.Reject(ClosedConflict(state));
        var covered = c.InvoiceNumbers is { Count: > 0 } named
            ? named.Distinct().Order(StringComparer.Ordinal).ToList()
            : state.Invoices.Values.Where(i => i.Lines.Any(l => l.DueDate < stamp.Today
                    && l.Open > Math.Min(l.Open, state.Collections.DisputedOn(i.InvoiceNumber, l.Line))))
                .Select(i => i.InvoiceNumber).ToList();
        if (covered.Count == 0)
            return Decision.Reject(Rejection.Invalid("invoiceNumbers", "nothing is overdue: name the invoices the promise covers"));
        return Decision.Accept(new PromiseToPayRecorded(stamp.Meta(), c.PromiseId, c.Amount, c.PromisedDate, covered, c.Comment));
    }

    private static Decision DecideNote(AccountState state, AddCollectionNote c, Stamp stamp)
    {
        var problem = IdProblem("noteId", c.NoteId)
            ?? (ContactKinds.Contains(c.Kind) ? null : Rejection.Invalid("kind", $"kind must be one of {string.Join(", ", ContactKinds)}"))
            ?? TextProblem("summary", c.Summary, required: true, maximumLength: 4000)
            ?? TextProblem("outcome", c.Outcome, required: false)
            ?? TextProblem("nextStep", c.NextStep, required: false)
            ?? DateProblem("nextStepDate", c.NextStepDate);
        if (problem is not null)
            return Decision.Reject(problem);
        if (state.Collections.NoteIds.Contains(c.NoteId))
            return Decision.Unchanged;
        return Decision.Accept(new CollectionNoteAdded(stamp.Meta(), c.NoteId, c.Kind, c.Summary, c.Outcome, c.NextStepDate, c.NextStep));
    }

    private static Decision DecideAssignment(AccountState state, AssignCollector c, Stamp stamp)
    {
        if (c.Collector is not null && TextProblem("collector", c.Collector, required: true, maximumLength: 200) is { } problem)
            return Decision.Reject(problem);
        return c.Collector == state.Collections.Collector
            ? Decision.Unchanged
            : Decision.Accept(new CollectorAssigned(stamp.Meta(), c.Collector, state.Collections.Collector));
    }

    /// <summary>The languages notices are written in.</summary>
    public static readonly IReadOnlyList<string> NoticeLanguages = ["zh", "en"];

    /// <summary>The balance confirmations a statement may ask for (the three variants auditors use).</summary>
    public static readonly IReadOnlyList<string> ConfirmationVariants = ["confirmation", "request", "notification"];

    private static Decision DecideContactPreferences(AccountState state, SetContactPreferences c, Stamp stamp)
    {
        var problem = (NoticeLanguages.Contains(c.Language) ? null : Rejection.Invalid("language", "language must be zh or en"))
            ?? (c.Confirmation is null || ConfirmationVariants.Contains(c.Confirmation) ? null
                : Rejection.Invalid("confirmation", "confirmation must be confirmation, request or notification"))
            ?? (c.Email is null ? null : TextProblem("email", c.Email, required: true, maximumLength: 254))
            ?? (c.Email is { } email && (!email.Contains('@', StringComparison.Ordinal) || email.Any(char.IsWhiteSpace))
                ? Rejection.Invalid("email", "email must be an address such as ap@example.com") : null);
        if (problem is not null)
            return Decision.Reject(problem);
        var kept = state.Collections;
        return kept.Language == c.Language && kept.BillingEmail == c.Email && kept.MonthlyStatements == c.MonthlyStatements
            && kept.Confirmation == c.Confirmation
            ? Decision.Unchanged
            : Decision.Accept(new ContactPreferencesSet(stamp.Meta(), c.Language, c.Email, c.MonthlyStatements, c.Confirmation));
    }

    /// <summary>How finance closes a reconciliation item.</summary>
    public static readonly IReadOnlyList<string> ReconciliationResolutions = ["credit-note", "payment-found", "customer-error"];

    public const int MaximumDifferenceItems = 100;

    private static Decision DecideReply(AccountState state, ReplyToStatement c, Stamp stamp)
    {
        if (!state.Collections.Statements.TryGetValue(c.StatementId, out var hash))
            return Decision.Reject(Rejection.NotFound("statement_not_found", $"Statement {c.StatementId} was not issued to account {state.AccountId}"));
        if (hash != c.ContentHash)
            return Decision.Reject(Rejection.Conflict("statement_changed", $"The reply is for other figures than statement {c.StatementId} holds"));
        // The figures are kept while a reply is awaited (and a disputed balance is open): without them, it was answered.
        if (!state.Collections.StatementFigures.TryGetValue(c.StatementId, out var figures))
            return Decision.Reject(Rejection.Conflict("statement_already_answered", $"Statement {c.StatementId} was already answered, or asks for no reply"));
        var problem = TextProblem("respondent", c.Respondent, required: true, maximumLength: 200)
            ?? TextProblem("comment", c.Comment, required: false, maximumLength: 2000)
            ?? (c.Items is { Count: > MaximumDifferenceItems } ? Rejection.Invalid("items", $"at most {MaximumDifferenceItems} items") : null)
            ?? (c.Agrees ? null : c.TheirBalance is { } theirs
                ? (theirs < -Money.Currency.MaximumAmount || theirs > Money.Currency.MaximumAmount || !state.Currency.Fits(theirs)
                    ? Rejection.Invalid("theirBalance", $"theirBalance must be an amount of {state.CurrencyCode}") : null)
                : Rejection.Invalid("theirBalance", "theirBalance is required to disagree"));
        for (var i = 0; problem is null && i < (c.Items?.Count ?? 0); i++)
        {
            var item = c.Items![i];
            problem = TextProblem($"items[{i}].document", item?.Document, required: true, maximumLength: 100)
                ?? (item!.Amount == 0m || !state.Currency.Fits(item.Amount) || Math.Abs(item.Amount) > Money.Currency.MaximumAmount
                    ? Rejection.Invalid($"items[{i}].amount", $"items[{i}].amount must be a non-zero amount of {state.CurrencyCode}") : null)
                ?? TextProblem($"items[{i}].note", item.Note, required: false);
        }
        if (problem is not null)
            return Decision.Reject(problem);
        if (figures.Replied)
            return Decision.Reject(Rejection.Conflict("statement_already_answered", $"Statement {c.StatementId} was already answered"));
        if (c.Agrees)
            return figures.Confirmation == "request"
                ? Decision.Reject(Rejection.Invalid("theirBalance", "this statement asks for your balance: state it"))
                : Decision.Accept(new BalanceConfirmed(stamp.Meta(), c.StatementId, hash, figures.ClosingBalance, c.Respondent, c.Comment));
        var their = c.TheirBalance!.Value;
        return their == figures.ClosingBalance && (c.Items is null || c.Items.Count == 0)
            ? Decision.Accept(new BalanceConfirmed(stamp.Meta(), c.StatementId, hash, figures.ClosingBalance, c.Respondent, c.Comment))
            : Decision.Accept(new BalanceDisputed(stamp.Meta(), c.StatementId, hash, figures.ClosingBalance, their, their - figures.ClosingBalance,
                c.Items ?? [], c.Respondent, c.Comment));
    }

    private static Decision DecideReconciliation(AccountState state, ResolveReconciliationItem c, Stamp stamp)
    {
        var problem = (ReconciliationResolutions.Contains(c.Resolution) ? null
                : Rejection.Invalid("resolution", $"resolution must be one of {string.Join(", ", ReconciliationResolutions)}"))
            ?? TextProblem("reference", c.Reference, required: false, maximumLength: 100)
            ?? TextProblem("comment", c.Comment, required: false, maximumLength: 2000);
        if (problem is not null)
            return Decision.Reject(problem);
        if (!state.Collections.StatementFigures.TryGetValue(c.StatementId, out var figures) || figures.Reconciliation is null)
            return Decision.Reject(Rejection.NotFound("reconciliation_item_not_found", $"Statement {c.StatementId} has no reconciliation item"));
        return figures.Reconciliation == "open"
            ? Decision.Accept(new ReconciliationItemResolved(stamp.Meta(), c.StatementId, c.Resolution, c.Reference, c.Comment))
            : figures.Reconciliation == c.Resolution
                ? Decision.Unchanged
                : Decision.Reject(Rejection.Conflict("reconciliation_item_resolved", $"The item of statement {c.StatementId} was resolved as {figures.Reconciliation}"));
    }

    private static Decision DecideStatement(AccountState state, IssueStatement c, Stamp stamp)
    {
        var problem = IdProblem("statementId", c.StatementId)
            ?? DateProblem("from", c.From) ?? DateProblem("to", c.To)
            ?? (c.To < c.From ? Rejection.Invalid("to", "to must not be before from") : null)
            ?? (c.Version < 1 || c.Version > state.Version ? Rejection.Invalid("version", $"version must be between 1 and the account's {state.Version}") : null)
            ?? (c.ContentHash is { Length: 64 } hash && hash.All(char.IsAsciiHexDigitLower) ? null
                : Rejection.Invalid("contentHash", "contentHash must be 64 lower-case hexadecimal digits (SHA-256)"))
            ?? (c.Confirmation is null || ConfirmationVariants.Contains(c.Confirmation) ? null
                : Rejection.Invalid("confirmation", "confirmation must be confirmation, request or notification"))
            ?? (NoticeLanguages.Contains(c.Language) ? null : Rejection.Invalid("language", "language must be zh or en"));
        if (problem is not null)
            return Decision.Reject(problem);
        if (state.Collections.Statements.TryGetValue(c.StatementId, out var issued))
            return issued == c.ContentHash
                ? Decision.Unchanged
                : Decision.Reject(Rejection.Conflict("statement_id_conflict", $"Statement {c.StatementId} was already issued with other figures", "statementId"));
        return Decision.Accept(new StatementIssued(stamp.Meta(), c.StatementId, c.From, c.To, c.DrawnAt.ToUniversalTime(), c.OpeningBalance, c.ClosingBalance,
            c.Receivables, c.UnappliedCash, c.Version, c.ContentHash, c.Confirmation, c.Language));
    }

    private static Decision DecideDeliveryOutcome(AccountState state, RecordDeliveryOutcome c, Stamp stamp)
    {
        if (!state.Collections.Deliveries.TryGetValue(c.NoticeId, out var delivery)
            || delivery.Status != DeliveryStatus.Pending || c.Attempt <= delivery.Attempts)
            return Decision.Unchanged; // delivered already, or this attempt's outcome is recorded: a repeat
        if (c.Attempt != delivery.Attempts + 1)
            return Decision.Reject(Rejection.Conflict("attempt_out_of_order", $"Notice {c.NoticeId} had {delivery.Attempts} attempts; attempt {c.Attempt} is not the next"));
        var next = c.Final ? null : c.NextAttemptAt;
        if (state.Collections.Statements.ContainsKey(c.NoticeId))
            return c.Delivered
                ? Decision.Accept(new StatementSent(stamp.Meta(), c.NoticeId, c.Attempt, c.Recipient ?? "", c.MessageId))
                : Decision.Accept(new StatementDeliveryFailed(stamp.Meta(), c.NoticeId, c.Attempt, c.Error ?? "unknown error", c.Final, next));
        return c.Delivered
            ? Decision.Accept(new DunningNoticeSent(stamp.Meta(), c.NoticeId, c.Attempt, delivery.Channel, c.Recipient ?? "", c.MessageId))
            : Decision.Accept(new DunningDeliveryFailed(stamp.Meta(), c.NoticeId, c.Attempt, delivery.Channel, c.Error ?? "unknown error", c.Final, next));
    }
}
