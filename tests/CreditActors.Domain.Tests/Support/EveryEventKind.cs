using CreditActors.Domain.Accounts;

namespace CreditActors.Domain.Tests.Support;

/// <summary>A consistent account history with at least one event of every kind the domain defines, and an event no consumer knows.</summary>
public static class EveryEventKind
{
    /// <summary>Every concrete event type of the domain, found by reflection: a new kind joins the tests by itself.</summary>
    public static IReadOnlyList<Type> Kinds { get; } = typeof(AccountEvent).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(AccountEvent)) && !t.IsAbstract).OrderBy(t => t.Name).ToList();

    /// <summary>An event kind that no consumer names: each must throw on it.</summary>
    public sealed record UnknownKind(EventMetadata Meta) : AccountEvent(Meta);

    private static readonly Domain.Collections.DunningSchedule InterestFromDue = new([
        .. Collections.DunningCalendar.Calendar.Default.Levels.Select(l => l.Interest is null ? l : l with { Interest = new(12m, Domain.Collections.InterestStart.DueDate) }),
    ]);

    public static UnknownKind Unknown => new(new EventMetadata(new DateOnly(2026, 3, 2), Scenario.Start, "tester", "corr-unknown"));

    public static IReadOnlyList<AccountEvent> History(string accountId = Scenario.AccountId)
    {
        var scenario = new Scenario(accountId);
        var issue = new DateOnly(2026, 3, 1);
        scenario.Given(
            new OpenAccount(accountId, "CNY", 50_000m, 30, new Profile("Every Kind Co")),
            new UpdateProfile(Phone: "+86 21 5555 0100"),
            new ChangeCreditLimit(60_000m, "annual review"),
            new ChangeCreditLimit(200_000m, "new contract"));
        var requestId = scenario.State.PendingLimitRequest!.RequestId;
        scenario.Apply(CreditAccount.Decide(scenario.State, new ApproveCreditLimitChange(requestId, "ok"), new CommandContext("checker", "corr-2"),
            scenario.Now, scenario.Policy));
        scenario.Given(new ChangeCreditLimit(500_000m, "peak season"));
        var second = scenario.State.PendingLimitRequest!.RequestId;
        scenario.Apply(CreditAccount.Decide(scenario.State, new RejectCreditLimitChange(second, "no"), new CommandContext("checker", "corr-3"),
            scenario.Now, scenario.Policy));
        scenario.Given(
            new PlaceHold("SO-1", 12_000m, null, "SO-1"),
            Scenario.Invoice("INV-1", 12_000m, issue, discount: new DiscountTerms(2m, 10), holdId: "SO-1"),
            Scenario.Payment("P-1", 11_760m, issue.AddDays(4)),
            new PlaceHold("SO-2", 300m, null, null),
            new ReleaseHold("SO-2", "cancelled"),
            new PlaceHold("SO-3", 200m, Scenario.Start.AddHours(1), null),
            new BlockAccount("cheque returned"),
            new UnblockAccount("paid"),
            Scenario.Invoice("INV-2", 5_000m, issue),
            new IssueCreditNote("CN-1", "INV-2", 500m, "damaged", null, null),
            new WriteOffInvoice("WO-1", "INV-2", null, 100m, "freight", null),
            Scenario.Payment("P-2", 4_400m, issue.AddDays(20)));
        scenario.Policy = scenario.Policy with { Rating = Domain.Rating.RatingPolicyDocument.Standard };
        scenario.Given(new RecordExternalRating("Dagong", "A", 70, issue, "R-1"), new ReviewRating("review", null));
        scenario.At(Scenario.Start.AddHours(2)).Given(new ExpireDueHolds());
        // Collections: a notice at 30 days late with a fee and interest from the due date, a dispute, promises kept and broken,
        // a contact, a collector, and a delivery that failed once and then went out.
        scenario.Policy = scenario.Policy with { Collections = Collections.DunningCalendar.Calendar with { Default = InterestFromDue } };
        scenario.Given(
            Scenario.Invoice("INV-3", 5_000m, new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 20)),
            new DisputeInvoice("D-1", "INV-3", 1_000m, null, "pricing", "unit price"),
            new ResolveDispute("D-1", "rejected", null, "price as agreed"),
            new RunDunning(),
            new RecordDeliveryOutcome("notice-20260302", 1, false, null, null, "connection refused", false, scenario.Now.AddMinutes(1)),
            new RecordDeliveryOutcome("notice-20260302", 2, true, "ap@every.example", "msg-1", null, false, null),
            new AssignCollector("collector-1"),
            new SetContactPreferences("en", "ap@every.example", MonthlyStatements: true, Confirmation: "confirmation"),
            new AddCollectionNote("N-1", "call", "Spoke to accounts payable", "promised 100", new DateOnly(2026, 3, 5), "check the bank"),
            new RecordPromiseToPay("PR-1", 100m, new DateOnly(2026, 3, 5), null, null),
            Scenario.Payment("P-3", 100m, scenario.Today),
            new RunDunning(),
            new RecordPromiseToPay("PR-2", 50m, scenario.Today, ["INV-3"], "the rest today"));
        scenario.At(Scenario.Start.AddDays(1)).Given(new RunDunning());
        scenario.Given(new IssueStatement("statement-202602", new DateOnly(2026, 2, 1), new DateOnly(2026, 2, 28), scenario.Now, 0m, 5_000m, 5_000m, 0m,
            scenario.State.Version, new string('a', 64), "confirmation", "en"));
        scenario.Given(
            new RecordDeliveryOutcome("statement-202602", 1, false, null, null, "refused", false, scenario.Now.AddMinutes(1)),
            new RecordDeliveryOutcome("statement-202602", 2, true, "ap@every.example", "m-2", null, false, null),
            new ReplyToStatement("statement-202602", new string('a', 64), true, null, null, "Li Wei", null));
        scenario.Given(new IssueStatement("statement-202601", new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 31), scenario.Now, 0m, 5_000m, 5_000m, 0m,
            scenario.State.Version, new string('c', 64), "request", "en"));
        scenario.Given(
            new ReplyToStatement("statement-202601", new string('c', 64), false, 4_500m, [new DifferenceItem("BANK-1", -500m, "paid")], "Li Wei", null),
            new ResolveReconciliationItem("statement-202601", "payment-found", "BANK-1", null));
        scenario.Given(Scenario.Payment("P-4", scenario.State.Receivables, scenario.Today), new CloseAccount("ceased trading"),
            new ErasePersonalData("data subject request DSR-1"));
        var kinds = scenario.History.Select(e => e.GetType()).ToHashSet();
        var missing = Kinds.Where(k => k != typeof(UnknownKind) && !kinds.Contains(k)).Select(k => k.Name).ToList();
        return missing.Count == 0 ? scenario.History : throw new InvalidOperationException($"the history lacks {string.Join(", ", missing)}");
    }
}
