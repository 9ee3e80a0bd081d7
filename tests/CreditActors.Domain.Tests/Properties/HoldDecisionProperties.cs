using CreditActors.Domain.Accounts;
using CreditActors.Domain.Tests.Support;
using FsCheck.Xunit;

namespace CreditActors.Domain.Tests.Properties;

// Every approved hold records the facts it was decided on, and deciding it again on the account's events before it (at
// the instant it was recorded) places the same hold on the same facts, for random workloads with ratings and floors.
[Properties(Arbitrary = [typeof(WorkloadArbitraries)], MaxTest = 200)]
public class HoldDecisionProperties
{
    private const string AccountId = "HOLD-1";

    [Property]
    public void a_hold_decided_again_on_the_events_before_it_agrees_with_what_was_recorded(Workload workload)
    {
        var (_, events, _) = WorkloadRunner.Run(AccountId, WorkloadRunner.OpenPrefix(AccountId), workload.Steps);
        foreach (var placed in events.OfType<CreditHoldPlaced>())
        {
            var replay = CreditAccount.ReplayHoldDecision(AccountId, events, placed.HoldId, WorkloadRunner.Policy)!;
            Assert.NotNull(placed.Decision);
            Assert.True(replay.Agrees, $"hold {placed.HoldId} decided again: {replay.Rejection?.Message}");
            Assert.Equal(Json.Of(placed), Json.Of(replay.Replayed!));
            Assert.Equal(events.IndexOf(placed) + 1, replay.Version);
            // What the facts say holds: the hold fitted the credit available before it.
            Assert.True(placed.Amount <= placed.Decision!.AvailableCredit);
            Assert.Equal(placed.Decision.CreditLimit - placed.Decision.ExposureBefore, placed.Decision.AvailableCredit);
        }
    }
}
