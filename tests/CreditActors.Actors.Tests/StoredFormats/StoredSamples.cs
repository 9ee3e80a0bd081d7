using System.Collections.Immutable;
using CreditActors.Domain.Accounts;
using CreditActors.Domain.Collections;
using CreditActors.Persistence;
using CreditActors.Domain.Rating;
using CreditActors.Persistence.Snapshots;

namespace CreditActors.Actors.Tests.StoredFormats;

/// <summary>One fixed instance of everything the journal stores, every member given a value (nullable ones too).</summary>
public static class StoredSamples
{
    private static readonly EventMetadata Meta = new(new DateOnly(2026, 3, 1), new DateTimeOffset(2026, 3, 1, 9, 30, 15, 123, TimeSpan.Zero), "anna.li",
        "corr-7781");
    private static readonly Profile Profile = new("Shanghai Acme Trading", "Li Wei", "+86 21 5555 0100", "ar@acme.example", "88 Century Avenue",
        "wholesale", "91310000MA1FL8XX3N", Tier.Strategic, "pays by bank transfer");

    public static readonly IReadOnlyList<AccountEvent> Events =
    [
        new AccountOpened(Meta, "ACME-001", "CNY", 50_000m, 30, Profile, "Asia/Shanghai"),
        new ProfileUpdated(Meta, Profile with { Phone = "+86 21 5555 0199" }, ["phone"]),
        new CreditLimitChanged(Meta, 50_000m, 80_000m, "annual review", "anna.li"),
        new CreditLimitChangeRequested(Meta, "LR-1", 80_000m, 200_000m, "new contract", "anna.li"),
        new CreditLimitChangeApproved(Meta, "LR-1", "wang.fang", "guarantee on file"),
        new CreditLimitChangeRejected(Meta, "LR-2", "wang.fang", "made against the old limit"),
        new AccountBlocked(Meta, "cheque returned unpaid"),
        new AccountUnblocked(Meta, "paid in cash"),
        new AccountClosed(Meta, "customer ceased trading"),
        new CreditHoldPlaced(Meta, "SO-1001", 12_000.50m, new DateTimeOffset(2026, 3, 8, 9, 30, 15, TimeSpan.Zero), "SO-1001",
            new HoldDecision(80_000m, 2_500.00m, 77_500.00m, "D", "standard/v1", new RatingFloor(false, 20m, 200_000m), 30)),
        new CreditHoldCaptured(Meta, "SO-1001", "INV-1", 12_000m, 0.50m),
        new CreditHoldReleased(Meta, "SO-1002", 500m, "order cancelled"),
        new CreditHoldExpired(Meta, "SO-1003", 250m, new DateTimeOffset(2026, 3, 8, 0, 0, 0, TimeSpan.Zero)),
        new InvoiceIssued(Meta, "INV-1", new DateOnly(2026, 3, 1), new DateOnly(2026, 5, 1), 12_000m,
            [new IssuedLine(1, new DateOnly(2026, 4, 1), 6_000m), new IssuedLine(2, new DateOnly(2026, 5, 1), 6_000m)],
            new DiscountTerms(2m, 10), "SO-1001"),
        new CreditNoteIssued(Meta, "CN-1", "INV-1", 500m, "damaged in transit", 1, [new LineAmount(1, 500m)]),
        new PaymentReceived(Meta, "BANK-7781", new DateOnly(2026, 3, 9), 11_260m, [new RemittanceLine("INV-1", 2, 5_500m)]),
        new PaymentAllocated(Meta, "BANK-7781", [new AllocationLine("INV-1", 1, 5_500m), new AllocationLine("INV-1", 2, 5_760m)]),
        new EarlyPaymentDiscountGranted(Meta, "INV-1", "BANK-7781", 240m, [new LineAmount(2, 240m)]),
        new InvoiceLineWrittenOff(Meta, "WO-1", "INV-1", 2, 0.01m, "rounding", 2, 0.01m),
        new RatingAssigned(Meta, "standard", 1, new DateOnly(2026, 3, 1), 34.5m, "E", "C", "downgrade",
            [new RatingFactor("paymentIndex", 19.0m, 0, 30), new RatingFactor("externalRating", null, null, 10)],
            [new FactorMove("adverseEvents", 100, 20), new FactorMove("paymentIndex", null, 0)],
            Tier.Watch, 5_000m, new RatingFloor(true, null, null), "grade_changed", "event:blocked", null),
        new ExternalRatingRecorded(Meta, "Dagong", "AA-", 72, new DateOnly(2026, 2, 20), "R-2026-0007"),
        new DunningNoticeIssued(Meta, "notice-20260301", 3, "Second notice",
            [new NoticeLine("INV-1", 1, new DateOnly(2026, 1, 30), 30, 6_000m, 3, new DateOnly(2026, 3, 1), 12m),
             new NoticeLine("INV-2", 2, new DateOnly(2026, 3, 4), -3, 1_500.25m, 1, null, null)],
            7_500.25m, 200m, 32.22m, 15.5m, NoticeChannel.Email, "second-notice", "standard/v1", true, true),
        new LateFeeCharged(Meta, "fee:20260301", "notice-20260301", 3, 200m, new DateOnly(2026, 3, 1)),
        new InterestCharged(Meta, "interest:20260301", "notice-20260301", 32.22m, new DateOnly(2026, 3, 1),
            [new InterestLine("INV-1", 1, new DateOnly(2026, 2, 1), new DateOnly(2026, 3, 1), 98_000m, 12m, 32.22m)]),
        new InvoiceDisputed(Meta, "D-1", "INV-1", 1_000m, 1, [new LineAmount(1, 1_000m)], "pricing", "unit price above the contract"),
        new DisputeResolved(Meta, "D-1", "credited", "CN-1", "price corrected"),
        new PromiseToPayRecorded(Meta, "PR-1", 5_000m, new DateOnly(2026, 3, 10), ["INV-1", "INV-2"], "after their customer pays"),
        new PromiseKept(Meta, "PR-1", 5_000m),
        new PromiseBroken(Meta, "PR-2", 1_000m, 4_000m),
        new CollectionNoteAdded(Meta, "N-1", "call", "Spoke to Li Wei in accounts payable", "promised 5,000 by the 10th",
            new DateOnly(2026, 3, 11), "check the bank statement"),
        new CollectorAssigned(Meta, "zhao.min", "wang.fang"),
        new ContactPreferencesSet(Meta, "zh", "ap@acme.example", true, "confirmation"),
        new StatementIssued(Meta, "statement-202602", new DateOnly(2026, 2, 1), new DateOnly(2026, 2, 28),
            new DateTimeOffset(2026, 3, 1, 3, 0, 0, TimeSpan.Zero), 3_000m, 8_000.50m, 8_010.50m, 10m, 42,
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "confirmation", "zh"),
        new StatementSent(Meta, "statement-202602", 1, "ap@acme.example", "<statement-202602.ACME-001@creditactors>"),
        new StatementDeliveryFailed(Meta, "statement-202602", 1, "connection refused", false, new DateTimeOffset(2026, 3, 1, 3, 0, 30, TimeSpan.Zero)),
        new BalanceConfirmed(Meta, "statement-202602", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", 8_000.50m, "Li Wei", "agreed"),
        new BalanceDisputed(Meta, "statement-202603", "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752", 8_000.50m, 7_500.50m, -500m,
            [new DifferenceItem("BANK-0331", -500m, "paid on 31 March"), new DifferenceItem("INV-9", 0.01m, null)], "Li Wei", "see our payment"),
        new ReconciliationItemResolved(Meta, "statement-202603", "payment-found", "BANK-0331", "payment reached the bank on 1 April"),
        new DunningNoticeSent(Meta, "notice-20260301", 2, NoticeChannel.Email, "ar@acme.example", "<notice-20260301.ACME-001@creditactors>"),
        new DunningDeliveryFailed(Meta, "notice-20260301", 1, NoticeChannel.Email, "connection refused", false,
            new DateTimeOffset(2026, 3, 1, 9, 31, 15, TimeSpan.Zero)),
        new PersonalDataErased(Meta, "data subject request DSR-2026-0042"),
    ];

    private static readonly DateTimeOffset BankAt = new(2026, 12, 1, 9, 15, 0, 250, TimeSpan.Zero);

    /// <summary>One of each bank-book event, as a month-end import writes them.</summary>
    public static readonly IReadOnlyList<Domain.Banking.BankEvent> BankEvents =
    [
        new Domain.Banking.BankStatementImported("camt-053-3f2a9c1d0b7e4a5f6c8d", "camt.053", "camt053-20261130.xml", new string('c', 64),
            "1001200012345678", "CNY",
            [new Domain.Banking.BankTransaction("B20261128002", new DateOnly(2026, 11, 28), 15_000.00m, "CNY", "Shanghai Acme Trading",
                "6222000033334444", "INV-2026-0001 INV-2026-0002")], ["B20261128001"], "finance.li", BankAt),
        new Domain.Banking.BankMatchDecided("B20261128002",
            [new Domain.Banking.BankPaymentPart("B20261128002", "ACME-001", 15_000.00m,
                [new RemittanceLine("INV-2026-0001", 1, 12_000.00m), new RemittanceLine("INV-2026-0002", null, 3_000.00m)])],
            "invoice-number", 0.95m, "15.00 short of the lines (bank charges, or a part payment)", null, BankAt),
        new Domain.Banking.BankPaymentPosted("B20261128002", "B20261128002", BankAt),
        new Domain.Banking.BankPaymentRefused("B20261128002", "B20261128002-2", "invalid", "2000.00 is more than the 15 open on invoice INV-C2 line 1", BankAt),
        new Domain.Banking.BankTransactionIgnored("B20261201002", "refund of an insurance premium", "finance.li", BankAt),
    ];

    /// <summary>The upcast manifests' samples, in the shape they were stored in.</summary>
    public static readonly IReadOnlyDictionary<string, object> Upcast = new Dictionary<string, object>
    {
        ["credit-account.credit-hold-placed.v1"] =
            new CreditHoldPlacedV1(Meta, "SO-1001", 12_000.50m, new DateTimeOffset(2026, 3, 8, 9, 30, 15, TimeSpan.Zero), "SO-1001"),
        ["credit-account.account-opened.v1"] = new AccountOpenedV1(Meta, "ACME-001", "CNY", 50_000m, 30, Profile),
    };

    public static AccountSnapshotV1 Snapshot => AccountSnapshotV1.From(AccountState.Empty("ACME-001") with
    {
        IsOpened = true,
        CurrencyCode = "CNY",
        CreditLimit = 80_000m,
        PaymentTermsDays = 30,
        Profile = Profile,
        Status = AccountStatus.Blocked,
        Receivables = 6_000m,
        HeldAmount = 500m,
        UnappliedCash = 10m,
        Holds = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("SO-1",
            new Hold("SO-1", 500m, new DateTimeOffset(2026, 3, 8, 0, 0, 0, TimeSpan.Zero), "SO-1", HoldStatus.Active, Meta.RecordedAt, "INV-9"))]),
        Invoices = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("INV-1",
            new Invoice("INV-1", new DateOnly(2026, 3, 1), new DateOnly(2026, 4, 1), 6_500m,
                [new InvoiceLine(1, new DateOnly(2026, 4, 1), 6_500m, 300m, 100m, 50m, 50m)], new DiscountTerms(2m, 10), "SO-0", 50m))]),
        Payments = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("P-1",
            new Payment("P-1", new DateOnly(2026, 3, 9), 310m, [new RemittanceLine("INV-1", 1, 300m)], 10m, [new AllocationLine("INV-1", 1, 300m)]))]),
        CreditNotes = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("CN-1",
            new CreditNote("CN-1", "INV-1", 100m, "damaged", 1))]),
        WriteOffs = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("WO-1",
            new WriteOff("WO-1", "INV-1", 1, 50m, "small balance", 50m))]),
        OpenedWith = new OpenedTerms(50_000m, 30, Profile),
        LimitRequests = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("LR-1",
            new LimitRequest("LR-1", 50_000m, 80_000m, "review", "anna.li", Meta.RecordedAt, LimitRequestStatus.Approved, "wang.fang", Meta.RecordedAt,
                "ok"))]),
        Version = 42,
    });
}

/// <summary>One fixed live state of snapshot version 2: open items of every kind and settled ids of every kind.</summary>
public static class StoredSnapshotV2Sample
{
    public static AccountState State => StoredSamples.Snapshot.ToState().WithoutSettled() with
    {
        Settled = StoredSamples.Snapshot.ToState().WithoutSettled().Settled with
        {
            Holds = SettledIds.Table([
                KeyValuePair.Create("SO-0", new EndedHold(0x0123456789ABCDEFUL, new DateTimeOffset(2026, 2, 20, 0, 0, 0, TimeSpan.Zero), HoldStatus.Captured)),
                KeyValuePair.Create("SO-7", new EndedHold(0xFEDCBA9876543210UL, new DateTimeOffset(2026, 2, 21, 0, 0, 0, TimeSpan.Zero), HoldStatus.Expired))]),
            Invoices = SettledIds.Table([KeyValuePair.Create("INV-0", new SettledInvoice(42UL, 3))]),
            Payments = SettledIds.Table([KeyValuePair.Create("P-0", 7UL)]),
        },
    };

    /// <summary>The same state with a behaviour history, a rating and an external rating (snapshot schema 3).</summary>
    public static AccountState Rated => State with
    {
        Behaviour = new RatingHistory(
            [new MonthFacts(24_312, Invoiced: 12_000.00m, Payments: 1, PaidAmount: 11_760.00m, PaidIndexAmount: 1_058_400.0000m, UtilisationDays: 300.00m, Days: 10),
             new MonthFacts(24_313, Credited: 0.50m, WriteOffs: 1, Blocks: 2, UtilisationDays: 0m, Days: 28)],
            new DateOnly(2026, 1, 5), 3, new DateOnly(2026, 2, 28)),
        Rating = new AccountRating("standard", 1, new DateOnly(2026, 2, 28), 62.5m, "C",
            [new RatingFactor("paymentIndex", 90.0m, 100, 30), new RatingFactor("externalRating", null, null, 10)],
            new RatingFloor(false, 20m, 15_000.00m), Tier.Watch, 11_000m, new DateTimeOffset(2026, 2, 28, 9, 30, 0, TimeSpan.Zero), "RUN-7"),
        External = new ExternalRating("Dagong", "AA-", 72, new DateOnly(2026, 1, 10), "R-1"),
        LastReviewId = "RUN-7",
    };

    /// <summary>The rated state with lines being chased, a dispute, promises, deliveries owed and a collector (snapshot schema 4).</summary>
    /// <summary>Schema 5: an account in Shanghai's business time zone.</summary>
    public static AccountState Zoned => Chased with { TimeZone = "Asia/Shanghai" };

    public static AccountState Chased => Rated with
    {
        Collections = CollectionState.None with
        {
            Lines = ImmutableSortedDictionary.CreateRange([KeyValuePair.Create(new LineRef("INV-1", 1), new LineDunning(new DateOnly(2026, 4, 1), 3,
                [new LateReduction(new DateOnly(2026, 4, 10), 300m)], new DateOnly(2026, 5, 1), 12m, 32.22m, new DateOnly(2026, 5, 11), false))]),
            Disputes = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("D-1", new InvoiceDispute("D-1", "INV-1", 100m, 1,
                [new LineAmount(1, 100m)], "pricing", new DateOnly(2026, 4, 2), null))]),
            Promises = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("PR-1", new PaymentPromise("PR-1", 1_000m,
                new DateOnly(2026, 5, 20), ["INV-1"], new DateOnly(2026, 5, 12), 250m, PromiseStatus.Open))]),
            Deliveries = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("notice-20260511", new NoticeDelivery(
                "notice-20260511", new DateOnly(2026, 5, 11), NoticeChannel.Webhook, 2, DeliveryStatus.Failed, "HTTP 503"))]),
            NoteIds = ["N-1", "N-2"],
            LastNoticeOn = new DateOnly(2026, 5, 11),
            LastNoticeLevel = 3,
            Collector = "zhao.min",
            LastContactOn = new DateOnly(2026, 5, 12),
            Language = "en",
            BillingEmail = "billing@acme.example",
            MonthlyStatements = true,
            Confirmation = "request",
            Statements = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("statement-202604",
                "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")]),
            StatementFigures = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("statement-202604",
                new StatementFigures(6_000.25m, "request", true, "open"))]),
        },
    };
}
