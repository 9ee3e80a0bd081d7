using CreditActors.Domain.Accounts;
using CreditActors.Domain.Rating;
using CreditActors.Domain.Tests.Support;
using FsCheck.Xunit;

namespace CreditActors.Domain.Tests.Properties;

// The rating over random account histories (with reviews, external ratings, and the ratings that material events cause):
// deterministic, the same from the live state as from the events, blind to what is effective after its date, and never
// lowered in payment behaviour by a payment made on time.
[Properties(Arbitrary = [typeof(WorkloadArbitraries)], MaxTest = 200)]
public class RatingProperties
{
    private const string AccountId = "RATE-1";
    private static readonly RatingPolicy Policy = RatingPolicyDocument.Standard;

    private static (AccountState State, List<AccountEvent> Events, DateOnly Today) Run(Workload workload)
    {
        var (state, events, outcomes) = WorkloadRunner.Run(AccountId, WorkloadRunner.OpenPrefix(AccountId), workload.Steps);
        return (state, events, DateOnly.FromDateTime(outcomes[^1].Now.UtcDateTime));
    }

    [Property]
    public void a_rating_is_the_same_for_the_same_events_policy_and_date(Workload workload)
    {
        var (_, events, today) = Run(workload);
        var first = RatingEngine.Rate(Policy, RatingInputs.FromState(CreditAccount.Replay(AccountId, events), today));
        var second = RatingEngine.Rate(Policy, RatingInputs.FromState(CreditAccount.Replay(AccountId, events), today));
        Assert.Equal(Json.Of(first), Json.Of(second));
    }

    [Property]
    public void the_live_state_and_a_fold_of_the_events_give_the_same_rating(Workload workload)
    {
        var (state, events, today) = Run(workload);
        // The live state holds what was recorded, also a payment dated after today; a fold as of today leaves it out. The two
        // agree when nothing is dated after the day.
        if (events.Any(e => e.Meta.EffectiveDate > today))
            return;
        var live = RatingInputs.FromState(state, today);
        var folded = RatingInputs.FromEvents(events, today);
        Assert.Equal(Json.Of(RatingEngine.Rate(Policy, live)), Json.Of(RatingEngine.Rate(Policy, folded)));
        Assert.Equal(Json.Of(live.History), Json.Of(folded.History));
    }

    [Property]
    public void a_rating_as_of_a_date_ignores_everything_effective_after_it(Workload workload, byte daysBack)
    {
        var (_, events, today) = Run(workload);
        var asOf = today.AddDays(-daysBack);
        var all = RatingEngine.Rate(Policy, RatingInputs.FromEvents(events, asOf));
        var until = RatingEngine.Rate(Policy, RatingInputs.FromEvents(events.Where(e => e.Meta.EffectiveDate <= asOf), asOf));
        Assert.Equal(Json.Of(all), Json.Of(until));
    }

    [Property]
    public void a_payment_on_time_never_lowers_the_payment_behaviour_points(Workload workload, bool early)
    {
        var (state, _, today) = Run(workload);
        if (state.Status == AccountStatus.Closed)
            return;
        var now = new DateTimeOffset(today.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);
        int? Points(AccountState s) => CreditAccount.RateNow(s, Policy, now).Factors.Single(f => f.Name == RatingEngine.PaymentIndexFactor).Points;
        var before = Points(state);

        // An invoice due today (terms 30 days), paid today or 10 days early, naming the invoice.
        var context = new CommandContext("property", "on-time");
        var issue = today.AddDays(-30);
        var after = state;
        foreach (var command in new AccountCommand[]
        {
            new IssueInvoice("ON-TIME", 1_000m, issue, null, null, null, null),
            new ReceivePayment("ON-TIME-PAY", 1_000m, early ? today.AddDays(-10) : today, [new RemittanceLine("ON-TIME", null, 1_000m)]),
        })
        {
            var decision = CreditAccount.Decide(after, command, context, now, CreditPolicy.Default);
            if (decision.IsRejected)
                return;
            after = decision.Events.Aggregate(after, CreditAccount.Evolve);
        }
        var points = Points(after);
        if (before is { } b)
            Assert.True(points >= b, $"payment points fell from {b} to {points}");
    }
}
