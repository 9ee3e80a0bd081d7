using CreditActors.Domain.Accounts;
using CreditActors.Domain.Tests.Support;
using FsCheck.Xunit;

namespace CreditActors.Domain.Tests.Properties;

// The live state keeps what is open and a fingerprint of what has settled. These hold it to a state that keeps every item:
// the same decisions, and the same live state, after every command of random sequences (driven by the full state, so that
// commands also name settled items: repeats, conflicts, payments and credit notes against settled invoices).
[Properties(Arbitrary = [typeof(WorkloadArbitraries)], MaxTest = 300)]
public class LiveStateProperties
{
    private const string AccountId = "LIVE-1";

    [Property]
    public void the_live_state_decides_every_command_as_a_state_that_keeps_every_item(Workload workload, int seed)
    {
        var (_, _, outcomes) = WorkloadRunner.Run(AccountId, WorkloadRunner.OpenPrefix(AccountId), workload.Steps,
            (index, _) => (index + seed) % 4 == 0, keepSettled: true);
        var live = AccountState.Empty(AccountId);
        foreach (var outcome in outcomes)
        {
            var decision = CreditAccount.Decide(live, outcome.Command, outcome.Context, outcome.Now, WorkloadRunner.Policy);
            Assert.Equal(Json.Of(outcome.Decision), Json.Of(decision));
            live = decision.Events.Aggregate(live, CreditAccount.Evolve);
            Assert.Equal(Canonical(outcome.After.WithoutSettled()), Canonical(live));
        }
    }

    [Property]
    public void the_live_state_holds_only_open_items(Workload workload)
    {
        var (state, _, _) = WorkloadRunner.Run(AccountId, WorkloadRunner.OpenPrefix(AccountId), workload.Steps);
        Assert.All(state.Holds.Values, h => Assert.Equal(HoldStatus.Active, h.Status));
        Assert.All(state.Invoices.Values, i => Assert.True(i.Open > 0m));
        Assert.All(state.Payments.Values, p => Assert.True(p.Unapplied > 0m));
        Assert.Empty(state.CreditNotes);
        Assert.Empty(state.WriteOffs);
    }

    /// <summary>The state as JSON with its settled tables in id order (a hash table's order is not part of its content).</summary>
    private static string Canonical(AccountState state) =>
        Json.Of(state with { Settled = SettledItems.None })
        + Json.Of(state.Settled.Holds.OrderBy(x => x.Key, StringComparer.Ordinal).ToList())
        + Json.Of(state.Settled.Invoices.OrderBy(x => x.Key, StringComparer.Ordinal).ToList())
        + Json.Of(state.Settled.Payments.OrderBy(x => x.Key, StringComparer.Ordinal).ToList())
        + Json.Of(state.Settled.CreditNotes.OrderBy(x => x.Key, StringComparer.Ordinal).ToList())
        + Json.Of(state.Settled.WriteOffs.OrderBy(x => x.Key, StringComparer.Ordinal).ToList());
}
