using System.Collections.Immutable;

namespace CreditActors.Domain.Accounts;

public static partial class CreditAccount
{
    /// <summary>Applies one event. Pure and total over the published events; an unknown event is an error.</summary>
    public static AccountState Evolve(AccountState state, AccountEvent @event)
    {
        var next = @event switch
        {
            AccountOpened e => state with
            {
                IsOpened = true,
                CurrencyCode = e.Currency,
                TimeZone = e.TimeZone,
                CreditLimit = e.CreditLimit,
                PaymentTermsDays = e.PaymentTermsDays,
                Profile = e.Profile,
                Status = AccountStatus.Active,
                OpenedWith = new OpenedTerms(e.CreditLimit, e.PaymentTermsDays, e.Profile),
            },
            ProfileUpdated e => state with { Profile = e.Profile },
            CreditLimitChanged e => state with { CreditLimit = e.NewLimit },
            CreditLimitChangeRequested e => state with
            {
                LimitRequests = state.LimitRequests.Add(e.RequestId, new LimitRequest(
                    e.RequestId, e.OldLimit, e.NewLimit, e.Reason, e.RequestedBy, e.Meta.RecordedAt, LimitRequestStatus.Pending)),
            },
            CreditLimitChangeApproved e => DecideRequest(state, e.RequestId, LimitRequestStatus.Approved, e.ApprovedBy, e.Meta.RecordedAt, e.Comment),
            CreditLimitChangeRejected e => DecideRequest(state, e.RequestId, LimitRequestStatus.Rejected, e.RejectedBy, e.Meta.RecordedAt, e.Reason),
            AccountBlocked => state with { Status = AccountStatus.Blocked },
            AccountUnblocked => state with { Status = AccountStatus.Active },
            AccountClosed => state with { Status = AccountStatus.Closed },
            PersonalDataErased e => state with
            {
                Profile = WithoutPersonalData(state.Profile),
                OpenedWith = state.OpenedWith with { Profile = WithoutPersonalData(state.OpenedWith.Profile) },
                Collections = state.Collections with { BillingEmail = null },
                PersonalDataErasedAt = e.Meta.RecordedAt,
            },
            CreditHoldPlaced e => PlaceHold(state, new Hold(e.HoldId, e.Amount, e.ExpiresAt, e.OrderReference, HoldStatus.Active, e.Meta.RecordedAt)),
            CreditHoldCaptured e => EndHold(state, e.HoldId, HoldStatus.Captured, e.InvoiceNumber),
            CreditHoldReleased e => EndHold(state, e.HoldId, HoldStatus.Released, null),
            CreditHoldExpired e => EndHold(state, e.HoldId, HoldStatus.Expired, null),
            InvoiceIssued e => state.WithInvoice(null, new Invoice(
                    e.InvoiceNumber, e.IssueDate, e.DueDate, e.Amount,
                    e.Lines.Select(l => new InvoiceLine(l.Line, l.DueDate, l.Amount)).ToImmutableArray(),
                    e.Discount, e.HoldId),
                state.Receivables + e.Amount),
            CreditNoteIssued e => ApplyToLines(state, e.InvoiceNumber, e.Lines,
                    (line, amount) => line with { Credited = line.Credited + amount }) with
            {
                CreditNotes = state.CreditNotes.Add(e.CreditNoteNumber,
                    new CreditNote(e.CreditNoteNumber, e.InvoiceNumber, e.Amount, e.Reason, e.RequestedLine)),
            },
            PaymentReceived e => state with
            {
                Payments = state.Payments.Add(e.PaymentReference, new Payment(
                    e.PaymentReference, e.ReceivedDate, e.Amount, [.. e.Remittance], e.Amount, [])),
                UnappliedCash = state.UnappliedCash + e.Amount,
            },
            PaymentAllocated e => ApplyAllocation(state, e),
            EarlyPaymentDiscountGranted e => ApplyDiscount(state, e),
            InvoiceLineWrittenOff e => ApplyWriteOff(state, e),
            RatingAssigned e => state with { Rating = RatingOf(e), LastReviewId = e.ReviewId ?? state.LastReviewId },
            ExternalRatingRecorded e => state with { External = new ExternalRating(e.Agency, e.Grade, e.Score, e.ReportDate, e.Reference) },
            DunningNoticeIssued e => ApplyNotice(state, e),
            LateFeeCharged e => AddCharge(state, e.ChargeNumber, e.DueDate, e.Amount),
            InterestCharged e => ApplyInterest(state, e),
            InvoiceDisputed e => state with
            {
                Collections = state.Collections with
                {
                    Disputes = state.Collections.Disputes.Add(e.DisputeId, new InvoiceDispute(
                        e.DisputeId, e.InvoiceNumber, e.Amount, e.RequestedLine, [.. e.Lines], e.Reason, e.Meta.EffectiveDate, null)),
                },
            },
            DisputeResolved e => state with
            {
                Collections = state.Collections with
                {
                    Disputes = state.Collections.Disputes.SetItem(e.DisputeId, state.Collections.Disputes[e.DisputeId] with { Resolution = e.Resolution }),
                },
            },
            PromiseToPayRecorded e => state with
            {
                Collections = state.Collections with
                {
                    Promises = state.Collections.Promises.Add(e.PromiseId, new PaymentPromise(
                        e.PromiseId, e.Amount, e.PromisedDate, [.. e.InvoiceNumbers], e.Meta.EffectiveDate, 0m, PromiseStatus.Open)),
                },
            },
            PromiseKept e => ApplyPromiseOutcome(state, e.PromiseId, PromiseStatus.Kept, e.Received),
            PromiseBroken e => ApplyPromiseOutcome(state, e.PromiseId, PromiseStatus.Broken, e.Received),
            CollectionNoteAdded e => state with
            {
                Collections = state.Collections with { NoteIds = state.Collections.NoteIds.Add(e.NoteId), LastContactOn = e.Meta.EffectiveDate },
            },
            ContactPreferencesSet e => state with
            {
                Collections = state.Collections with
                {
                    Language = e.Language, BillingEmail = e.Email, MonthlyStatements = e.MonthlyStatements, Confirmation = e.Confirmation,
                },
            },
            StatementIssued e => state with
            {
                Collections = state.Collections with
                {
                    Statements = state.Collections.Statements.Add(e.StatementId, e.ContentHash),
                    StatementFigures = e.Confirmation is null ? state.Collections.StatementFigures
                        : state.Collections.StatementFigures.SetItem(e.StatementId, new StatementFigures(e.ClosingBalance, e.Confirmation, false, null)),
                    Deliveries = state.Collections.Deliveries.SetItem(e.StatementId,
                        new NoticeDelivery(e.StatementId, e.Meta.EffectiveDate, Collections.NoticeChannel.Email, 0, DeliveryStatus.Pending, null)),
                },
            },
            StatementSent e => ApplyDelivery(state, e.StatementId, _ => null),
            BalanceConfirmed e => ApplyReply(state, e.StatementId, null),
            BalanceDisputed e => ApplyReply(state, e.StatementId, "open"),
            ReconciliationItemResolved e => ApplyReply(state, e.StatementId, e.Resolution),
            StatementDeliveryFailed e => ApplyDelivery(state, e.StatementId, d => d with
            {
                Attempts = e.Attempt, Status = e.Final ? DeliveryStatus.Failed : DeliveryStatus.Pending, LastError = e.Error,
            }),
            CollectorAssigned e => state with { Collections = state.Collections with { Collector = e.Collector } },
            DunningNoticeSent e => ApplyDelivery(state, e.NoticeId, _ => null),
            DunningDeliveryFailed e => ApplyDelivery(state, e.NoticeId, d => d with
            {
                Attempts = e.Attempt, Status = e.Final ? DeliveryStatus.Failed : DeliveryStatus.Pending, LastError = e.Error,
            }),
            _ => throw new UnknownEventException(nameof(Evolve), @event),
        };
        next = TrackCollections(state, next, @event);
        var behaviour = Observe(state, next, @event);
        next = ReferenceEquals(behaviour, next.Behaviour) ? next with { Version = state.Version + 1 } : next with { Version = state.Version + 1, Behaviour = behaviour };
        return state.KeepsSettled ? next : RetireSettled(next, @event);
    }

    /// <summary>Folds a whole history from the empty state into the live state (settled items leave it).</summary>
    public static AccountState Replay(string accountId, IEnumerable<AccountEvent> events) =>
        events.Aggregate(AccountState.Empty(accountId), Evolve);

    /// <summary>Folds a whole history keeping every item the account ever had: for reads of settled items and audits.</summary>
    public static AccountState ReplayWithHistory(string accountId, IEnumerable<AccountEvent> events) =>
        events.Aggregate(AccountState.EmptyWithHistory(accountId), Evolve);

    /// <summary>Moves the items an event settled out of the live state: only those it names can have settled.</summary>
    private static AccountState RetireSettled(AccountState state, AccountEvent @event) => @event switch
    {
        CreditHoldCaptured e => state.RetireHold(e.HoldId),
        CreditHoldReleased e => state.RetireHold(e.HoldId),
        CreditHoldExpired e => state.RetireHold(e.HoldId),
        InvoiceIssued e => RetireIfSettled(state, e.InvoiceNumber),
        CreditNoteIssued e => RetireIfSettled(state.RetireCreditNote(e.CreditNoteNumber), e.InvoiceNumber),
        PaymentAllocated e => RetireIfApplied(e.Allocations.Select(a => a.InvoiceNumber).Distinct().Aggregate(state, RetireIfSettled), e.PaymentReference),
        EarlyPaymentDiscountGranted e => RetireIfSettled(state, e.InvoiceNumber),
        InvoiceLineWrittenOff e => RetireIfSettled(state.RetireWriteOff(e.WriteOffId), e.InvoiceNumber),
        _ => state,
    };

    private static AccountState RetireIfSettled(AccountState state, string invoiceNumber) =>
        state.Invoices.TryGetValue(invoiceNumber, out var invoice) && invoice.Open == 0m ? state.RetireInvoice(invoiceNumber) : state;

    private static AccountState RetireIfApplied(AccountState state, string paymentReference) =>
        state.Payments.TryGetValue(paymentReference, out var payment) && payment.Unapplied == 0m ? state.RetirePayment(paymentReference) : state;

    private static AccountState DecideRequest(
        AccountState state, string requestId, LimitRequestStatus status, string decidedBy, DateTimeOffset decidedAt, string? note)
    {
        var request = state.LimitRequests[requestId];
        if (request.Status != LimitRequestStatus.Pending)
            throw new InvalidOperationException($"Limit request {requestId} is already {request.Status}");
        return state with
        {
            LimitRequests = state.LimitRequests.SetItem(requestId,
                request with { Status = status, DecidedBy = decidedBy, DecidedAt = decidedAt, DecisionNote = note }),
        };
    }

    private static AccountState EndHold(AccountState state, string holdId, HoldStatus status, string? invoiceNumber)
    {
        var hold = state.Holds[holdId];
        if (hold.Status != HoldStatus.Active)
            throw new InvalidOperationException($"Hold {holdId} is {hold.Status}, not active");
        return state.WithHold(hold with { Status = status, InvoiceNumber = invoiceNumber }, state.HeldAmount - hold.Amount);
    }

    private static AccountState PlaceHold(AccountState state, Hold hold) =>
        state.Holds.ContainsKey(hold.HoldId)
            ? throw new InvalidOperationException($"Hold {hold.HoldId} is already placed")
            : state.WithHold(hold, state.HeldAmount + hold.Amount);

    private static AccountState ApplyAllocation(AccountState state, PaymentAllocated e)
    {
        var total = e.Allocations.Sum(a => a.Amount);
        var payment = state.Payments[e.PaymentReference];
        if (total > payment.Unapplied)
            throw new InvalidOperationException($"Payment {e.PaymentReference} allocates {total} of {payment.Unapplied} unapplied");
        var next = state;
        foreach (var group in e.Allocations.GroupBy(a => a.InvoiceNumber))
            next = ApplyToLines(next, group.Key, group.Select(a => new LineAmount(a.Line, a.Amount)).ToList(),
                (line, amount) => line with { Paid = line.Paid + amount });
        return next with
        {
            Payments = next.Payments.SetItem(e.PaymentReference,
                payment with { Unapplied = payment.Unapplied - total, Allocations = payment.Allocations.AddRange(e.Allocations) }),
            UnappliedCash = next.UnappliedCash - total,
        };
    }

    private static AccountState ApplyDiscount(AccountState state, EarlyPaymentDiscountGranted e)
    {
        var next = ApplyToLines(state, e.InvoiceNumber, e.Lines,
            (line, amount) => line with { Discounted = line.Discounted + amount });
        var invoice = next.Invoices[e.InvoiceNumber];
        return next.WithInvoice(invoice, invoice with { DiscountGranted = invoice.DiscountGranted + e.Amount }, next.Receivables);
    }

    private static AccountState ApplyWriteOff(AccountState state, InvoiceLineWrittenOff e)
    {
        var next = ApplyToLines(state, e.InvoiceNumber, [new LineAmount(e.Line, e.Amount)],
            (line, amount) => line with { WrittenOff = line.WrittenOff + amount });
        var writeOff = next.WriteOffs.TryGetValue(e.WriteOffId, out var existing)
            ? existing with { Amount = existing.Amount + e.Amount }
            : new WriteOff(e.WriteOffId, e.InvoiceNumber, e.RequestedLine, e.RequestedAmount, e.Reason, e.Amount);
        return next with { WriteOffs = next.WriteOffs.SetItem(e.WriteOffId, writeOff) };
    }

    private static int IndexOfLine(ImmutableArray<InvoiceLine> lines, int line)
    {
        for (var i = 0; i < lines.Length; i++)
            if (lines[i].Line == line)
                return i;
        return -1;
    }

    /// <summary>Settles amounts against invoice lines and lowers receivables by their total. A line never goes below zero.</summary>
    private static AccountState ApplyToLines(
        AccountState state, string invoiceNumber, IReadOnlyList<LineAmount> amounts, Func<InvoiceLine, decimal, InvoiceLine> settle)
    {
        var invoice = state.Invoices[invoiceNumber];
        var lines = invoice.Lines;
        foreach (var amount in amounts)
        {
            var index = IndexOfLine(lines, amount.Line);
            if (index < 0)
                throw new InvalidOperationException($"Invoice {invoiceNumber} has no line {amount.Line}");
            var settled = settle(lines[index], amount.Amount);
            if (settled.Open < 0m || amount.Amount <= 0m)
                throw new InvalidOperationException($"Invoice {invoiceNumber} line {amount.Line} would have open {settled.Open}");
            lines = lines.SetItem(index, settled);
        }
        return state.WithInvoice(invoice, invoice with { Lines = lines }, state.Receivables - amounts.Sum(a => a.Amount));
    }
}

public static partial class CreditAccount
{
    /// <summary>
    /// The account as it stood at the end of <paramref name="asOf"/> and, with <paramref name="knownAt"/>, as the ledger knew it at
    /// that instant: every item it ever had, folded from the events effective by that date (and recorded by that instant). An
    /// event that acts on an item the cut-off leaves out (the capture of a hold placed after the date, a payment allocated to
    /// an invoice issued after it) is left out with it. The account exists from its opening, or from its earliest event when
    /// that is dated before the opening (receivables taken over from an earlier system); before that it is not opened.
    /// </summary>
    public static AccountState ReplayAsOf(string accountId, IEnumerable<AccountEvent> events, DateOnly asOf, DateTimeOffset? knownAt)
    {
        var state = AccountState.EmptyWithHistory(accountId);
        foreach (var (_, after, _) in AsOfSteps(accountId, events, asOf, knownAt))
            state = after;
        return state;
    }

    /// <summary>
    /// The steps of <see cref="ReplayAsOf"/>: each event it applies, with the state before and after it (a state that keeps
    /// every item). What a statement reads to tell the movements of a period.
    /// </summary>
    public static IReadOnlyList<(AccountState Before, AccountState After, AccountEvent Event)> ReplayAsOfSteps(
        string accountId, IEnumerable<AccountEvent> events, DateOnly asOf, DateTimeOffset? knownAt) =>
        [.. AsOfSteps(accountId, events, asOf, knownAt)];

    private static IEnumerable<(AccountState Before, AccountState After, AccountEvent Event)> AsOfSteps(
        string accountId, IEnumerable<AccountEvent> events, DateOnly asOf, DateTimeOffset? knownAt)
    {
        var known = events.Where(e => knownAt is null || e.Meta.RecordedAt <= knownAt).ToList();
        var openedOn = known.Count == 0 ? DateOnly.MaxValue : known.Min(e => e.Meta.EffectiveDate);
        var state = AccountState.EmptyWithHistory(accountId);
        foreach (var e in known)
        {
            var effective = e is AccountOpened ? openedOn : e.Meta.EffectiveDate;
            if (effective > asOf || !Applies(state, e))
                continue;
            var next = Evolve(state, e);
            yield return (state, next, e);
            state = next;
        }
    }

    /// <summary>Whether what an event acts on is in the state (a state that keeps every item).</summary>
    private static bool Applies(AccountState state, AccountEvent e)
    {
        bool ActiveHold(string id) => state.Holds.TryGetValue(id, out var hold) && hold.Status == HoldStatus.Active;
        bool Lines(string invoice, IEnumerable<LineAmount> amounts) => state.Invoices.TryGetValue(invoice, out var i)
            && amounts.All(a => i.Lines.Any(l => l.Line == a.Line && l.Open >= a.Amount));
        if (e is AccountOpened)
            return !state.IsOpened;
        if (!state.IsOpened)
            return false;
        return e switch
        {
            CreditHoldPlaced h => !state.Holds.ContainsKey(h.HoldId),
            CreditHoldCaptured h => ActiveHold(h.HoldId),
            CreditHoldReleased h => ActiveHold(h.HoldId),
            CreditHoldExpired h => ActiveHold(h.HoldId),
            InvoiceIssued i => !state.Invoices.ContainsKey(i.InvoiceNumber),
            CreditNoteIssued c => !state.CreditNotes.ContainsKey(c.CreditNoteNumber) && Lines(c.InvoiceNumber, c.Lines),
            EarlyPaymentDiscountGranted d => Lines(d.InvoiceNumber, d.Lines),
            InvoiceLineWrittenOff w => Lines(w.InvoiceNumber, [new LineAmount(w.Line, w.Amount)]),
            PaymentReceived p => !state.Payments.ContainsKey(p.PaymentReference),
            PaymentAllocated p => state.Payments.TryGetValue(p.PaymentReference, out var payment)
                && p.Allocations.Sum(a => a.Amount) <= payment.Unapplied
                && p.Allocations.GroupBy(a => a.InvoiceNumber).All(g => Lines(g.Key, g.Select(a => new LineAmount(a.Line, a.Amount)))),
            CreditLimitChangeRequested r => !state.LimitRequests.ContainsKey(r.RequestId),
            CreditLimitChangeApproved a => state.LimitRequests.TryGetValue(a.RequestId, out var r) && r.Status == LimitRequestStatus.Pending,
            CreditLimitChangeRejected x => state.LimitRequests.TryGetValue(x.RequestId, out var r) && r.Status == LimitRequestStatus.Pending,
            LateFeeCharged f => !state.Invoices.ContainsKey(f.ChargeNumber),
            InterestCharged i => !state.Invoices.ContainsKey(i.ChargeNumber),
            InvoiceDisputed d => !state.Collections.Disputes.ContainsKey(d.DisputeId) && state.Invoices.ContainsKey(d.InvoiceNumber),
            DisputeResolved d => state.Collections.Disputes.TryGetValue(d.DisputeId, out var dispute) && dispute.IsOpen,
            PromiseToPayRecorded p => !state.Collections.Promises.ContainsKey(p.PromiseId),
            StatementIssued s => !state.Collections.Statements.ContainsKey(s.StatementId),
            PromiseKept p => state.Collections.Promises.TryGetValue(p.PromiseId, out var promise) && promise.Status == PromiseStatus.Open,
            PromiseBroken p => state.Collections.Promises.TryGetValue(p.PromiseId, out var promise) && promise.Status == PromiseStatus.Open,
            _ => true,
        };
    }
}

