using Akka.Actor;
using CreditActors.Actors.Accounts;
using CreditActors.Actors.Tests.Support;
using CreditActors.Domain.Accounts;
using Xunit.Abstractions;

namespace CreditActors.Actors.Tests;

// Protects group commit in the account actor: commands that arrive while a write is in flight are decided against the
// pending state, written together, and each answered only once its events are in the journal; a command whose decision
// throws is answered at once and costs no other caller its answer.
public sealed class GroupCommitTests : StoreTestKit
{
    public GroupCommitTests(ITestOutputHelper output) : base(new TestStore(), output)
    {
    }

    private static readonly CommandContext Context = new("actor-test", "corr-group");

    private IActorRef Open(string id, decimal limit, AccountSettings? settings = null)
    {
        var account = Sys.ActorOf(CreditAccountActor.Props(id, settings ?? Store.Settings, TimeProvider.System));
        account.Tell(new Execute(new OpenAccount(id, "CNY", limit, 30, new Profile("Burst Ltd")), Context));
        Assert.Null(ExpectMsg<CommandOutcome>(TimeSpan.FromSeconds(10)).Rejection);
        return account;
    }

    [Fact]
    public void a_burst_of_holds_never_takes_exposure_past_the_limit_and_each_answer_follows_its_write()
    {
        var account = Open("BURST-1", 1_000m);
        for (var i = 1; i <= 300; i++)
            account.Tell(new Execute(new PlaceHold($"H-{i}", 10m, null, $"SO-{i}"), Context));

        var written = new List<string>();
        for (var i = 1; i <= 300; i++)
        {
            var reply = ExpectMsg<CommandOutcome>(TimeSpan.FromSeconds(30));
            if (reply.Rejection is { } rejection)
            {
                Assert.Equal("declined", rejection.Code);
                continue;
            }
            var hold = ((CreditHoldPlaced)reply.Written.Single()).HoldId;
            written.Add(hold);
            // Answered only after the write: the journal already holds every event up to this command's.
            Assert.True(Store.JournalRows("BURST-1") >= reply.Account.Version, $"{hold} answered before its event was in the journal");
            Assert.Equal(hold, reply.Hold?.HoldId);
        }

        // Decided in arrival order against the pending state: exactly the first hundred fit the limit.
        Assert.Equal(Enumerable.Range(1, 100).Select(i => $"H-{i}"), written);
        Assert.Equal(101, Store.JournalRows("BURST-1"));
        account.Tell(new ReadAccount(AccountReadKind.Account));
        var state = ExpectMsg<AccountRead>().Account;
        Assert.Equal(1_000m, state.Holds);
        Assert.Equal(0m, state.AvailableCredit);
    }

    [Fact]
    public void a_repeat_sent_while_the_first_is_in_flight_is_answered_after_it_and_writes_nothing()
    {
        var account = Open("BURST-2", 1_000m);
        var hold = new PlaceHold("H-1", 100m, null, "SO-1");
        account.Tell(new Execute(hold, Context));
        account.Tell(new Execute(hold, Context));
        account.Tell(new Execute(hold with { Amount = 200m }, Context));

        var first = ExpectMsg<CommandOutcome>(TimeSpan.FromSeconds(10));
        var repeat = ExpectMsg<CommandOutcome>(TimeSpan.FromSeconds(10));
        var conflict = ExpectMsg<CommandOutcome>(TimeSpan.FromSeconds(10));
        Assert.Single(first.Written);
        Assert.Empty(repeat.Written);
        Assert.Null(repeat.Rejection);
        Assert.Equal("H-1", repeat.Hold?.HoldId);
        Assert.Equal("hold_id_conflict", conflict.Rejection?.Code);
        Assert.Equal(2, Store.JournalRows("BURST-2"));
    }

    [Fact]
    public void commands_beyond_the_pending_bound_are_refused_and_write_nothing()
    {
        var account = Open("BURST-3", 1_000_000m, Store.Settings with { MaximumPendingCommands = 5 });
        for (var i = 1; i <= 200; i++)
            account.Tell(new Execute(new PlaceHold($"H-{i}", 10m, null, null), Context));

        var replies = Enumerable.Range(0, 200).Select(_ => ExpectMsg<object>(TimeSpan.FromSeconds(30))).ToList();
        var written = replies.OfType<CommandOutcome>().Count(r => r.Written.Count > 0);
        var busy = replies.OfType<AccountBusy>().Count();
        Assert.Equal(200, written + busy);
        Assert.True(busy > 0, "a burst of 200 against a bound of 5 refuses some");
        Assert.Equal(1 + written, Store.JournalRows("BURST-3"));
    }

    /// <summary>A command the domain does not know: deciding it throws, as a defect in a decision would.</summary>
    private sealed record UndecidableCommand : AccountCommand;

    [Fact]
    public void a_command_that_throws_is_answered_at_once_and_the_holds_around_it_get_their_own_answers()
    {
        var account = Sys.ActorOf(CreditAccountActor.Props("THROW-1", Store.Settings, TimeProvider.System));
        account.Tell(new Execute(new OpenAccount("THROW-1", "CNY", 1_000_000m, 30, new Profile("Throw Ltd")), Context));
        Assert.Null(ExpectMsg<CommandOutcome>(TimeSpan.FromSeconds(10)).Rejection);

        for (var i = 1; i <= 60; i++)
        {
            account.Tell(new Execute(new PlaceHold($"H-{i}", 10m, null, null), Context));
            if (i % 20 == 0)
                account.Tell(new Execute(new UndecidableCommand(), Context));
        }

        // Every caller is answered well inside the ask timeout (10 s in the host): none waits for it to run out.
        var replies = Enumerable.Range(0, 63).Select(_ => ExpectMsg<object>(TimeSpan.FromSeconds(5))).ToList();
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        Assert.Equal(3, replies.OfType<CommandFailed>().Count());
        var holds = replies.OfType<CommandOutcome>().ToList();
        Assert.Equal(60, holds.Count);
        Assert.All(holds, h => Assert.Null(h.Rejection));
        Assert.Equal(Enumerable.Range(1, 60).Select(i => $"H-{i}").Order(),
            holds.Select(h => ((CreditHoldPlaced)h.Written.Single()).HoldId).Order());
        // Exactly the opening and the sixty holds are in the journal: the failed commands wrote nothing.
        Assert.Equal(61, Store.JournalRows("THROW-1"));

        account.Tell(new ReadAccount(AccountReadKind.Account));
        Assert.Equal(600m, ExpectMsg<AccountRead>().Account.Holds);
    }
}
