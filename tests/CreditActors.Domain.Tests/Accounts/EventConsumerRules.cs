using CreditActors.Domain.Accounts;
using CreditActors.Domain.Aging;
using CreditActors.Domain.Ledger;
using CreditActors.Domain.Tests.Support;

namespace CreditActors.Domain.Tests.Accounts;

// Protects every consumer of events in the domain from a new event kind: each handles or names every kind, and throws on one it does not know.
public class EventConsumerRules
{
    private static readonly IReadOnlyList<AccountEvent> History = EveryEventKind.History();

    [Fact]
    public void the_history_holds_every_event_kind_the_domain_defines()
    {
        var kinds = History.Select(e => e.GetType()).ToHashSet();
        Assert.All(EveryEventKind.Kinds.Where(k => k != typeof(EveryEventKind.UnknownKind)), k => Assert.Contains(k, kinds));
    }

    [Fact]
    public void the_fold_takes_every_kind_and_throws_on_an_unknown_one()
    {
        var state = CreditAccount.Replay(Scenario.AccountId, History);
        Assert.Equal(History.Count, state.Version);
        Assert.Throws<UnknownEventException>(() => CreditAccount.Evolve(state, EveryEventKind.Unknown));
    }

    [Fact]
    public void postings_take_every_kind_and_throw_on_an_unknown_one()
    {
        Assert.All(History, e => Assert.Equal(0m, Postings.For(Scenario.AccountId, e).Sum(p => p.Amount)));
        Assert.Throws<UnknownEventException>(() => Postings.For(Scenario.AccountId, EveryEventKind.Unknown));
    }

    [Fact]
    public void the_aging_calculator_takes_every_kind_and_throws_on_an_unknown_one()
    {
        var lines = AgingCalculator.FromEvents(Scenario.AccountId, History, new DateOnly(2026, 6, 1), AgingBuckets.Default);
        Assert.Equal(0m, lines.Sum(l => l.Open));
        Assert.Throws<UnknownEventException>(() =>
            AgingCalculator.FromEvents(Scenario.AccountId, [.. History, EveryEventKind.Unknown], new DateOnly(2026, 6, 1), AgingBuckets.Default));
    }
}
