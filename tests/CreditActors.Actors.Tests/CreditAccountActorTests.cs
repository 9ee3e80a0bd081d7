using Akka.Actor;
using Akka.Cluster.Sharding;
using CreditActors.Actors.Accounts;
using CreditActors.Actors.Tests.Support;
using CreditActors.Domain.Accounts;
using CreditActors.Domain.Tests.Support;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace CreditActors.Actors.Tests;

// Protects the account actor on a real SQLite journal: recovery, snapshots, hold expiry across restarts, passivation.
public sealed class CreditAccountActorTests : StoreTestKit
{
    public CreditAccountActorTests(ITestOutputHelper output) : base(new TestStore(extra: "credit-actors.account.snapshot-every-events = 5"), output)
    {
    }

    private static readonly CommandContext Context = new("actor-test", "corr-actor");

    private IActorRef Account(string id, AccountSettings? settings = null) =>
        Sys.ActorOf(CreditAccountActor.Props(id, settings ?? Store.Settings, TimeProvider.System));

    private CommandOutcome Send(IActorRef account, AccountCommand command)
    {
        account.Tell(new Execute(command, Context));
        return ExpectMsg<CommandOutcome>(TimeSpan.FromSeconds(10));
    }

    /// <summary>Everything the account answers to reads: its figures and every item of every kind.</summary>
    private sealed record Seen(
        AccountSummary Account, IReadOnlyDictionary<string, Hold> Holds, IReadOnlyDictionary<string, Invoice> Invoices,
        IReadOnlyList<Payment> Payments, IReadOnlyList<LimitRequest> LimitRequests)
    {
        public long Version => Account.Version;
        public decimal Receivables => Account.Receivables;
        public decimal AvailableCredit => Account.AvailableCredit;
    }

    private Seen StateOf(IActorRef account)
    {
        AccountRead Read(AccountReadKind kind)
        {
            account.Tell(new ReadAccount(kind));
            return ExpectMsg<AccountRead>(TimeSpan.FromSeconds(10));
        }
        return new Seen(Read(AccountReadKind.Account).Account, Read(AccountReadKind.Holds).Holds.ToDictionary(h => h.HoldId),
            Read(AccountReadKind.Invoices).Invoices.ToDictionary(i => i.InvoiceNumber), Read(AccountReadKind.Payments).Payments,
            Read(AccountReadKind.LimitRequests).LimitRequests);
    }

    private void Stop(IActorRef account)
    {
        Watch(account);
        account.Tell(PoisonPill.Instance);
        ExpectTerminated(account, TimeSpan.FromSeconds(10));
    }

    private static OpenAccount Open(string id, decimal limit = 10_000m) => new(id, "CNY", limit, 30, new Profile("Acme"));

    [Fact]
    public void an_account_recovers_while_another_connection_holds_the_journal_files_write_lock()
    {
        var account = Account("LOCKED-1");
        Assert.Null(Send(account, Open("LOCKED-1")).Rejection);
        Assert.Null(Send(account, new PlaceHold("H-1", 100m, null, "SO-1")).Rejection);
        Stop(account);

        // Given another writer inside a transaction on the journal's file (SQLite lets one writer in at a time).
        using var writer = new SqliteConnection($"Data Source={Store.Storage.SqliteFilePath}");
        writer.Open();
        using var transaction = writer.BeginTransaction(deferred: false);

        // When the account recovers, its reads do not wait for that writer: they read the committed log beside it.
        var again = Account("LOCKED-1");
        again.Tell(new ReadAccount(AccountReadKind.Account));
        var read = ExpectMsg<AccountRead>(TimeSpan.FromSeconds(10)).Account;
        transaction.Rollback();
        Assert.Equal(2, read.Version);
        Assert.Equal(100m, read.Holds);
    }

    [Fact]
    public void state_after_restart_equals_state_before()
    {
        var account = Account("REC-1");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        Send(account, Open("REC-1"));
        Send(account, new PlaceHold("H-1", 1_000m, null, "SO-1"));
        Send(account, new IssueInvoice("INV-1", 700m, today.AddDays(-3), null, null, new DiscountTerms(2m, 10), "H-1"));
        Send(account, new ReceivePayment("PAY-1", 686m, today, null));
        Send(account, new IssueInvoice("INV-2", 300m, today, null, [new(today.AddDays(10), 100m), new(today.AddDays(20), 200m)], null, null));
        Send(account, new IssueCreditNote("CN-1", "INV-2", 50m, "returned", null, null));
        var before = StateOf(account);
        Stop(account);

        var after = StateOf(Account("REC-1"));
        Assert.Equal(Json.Of(before), Json.Of(after));
        // INV-1 is paid (net of its discount): it left the live state and is read from the journal.
        Assert.DoesNotContain("INV-1", after.Invoices.Keys);
        Assert.Equal(0m, HistoryOf("REC-1", DateTimeOffset.UtcNow).Invoices["INV-1"].Open);
        Assert.Equal(250m, after.Receivables);
    }

    [Fact]
    public void a_rejected_command_writes_no_event()
    {
        var account = Account("REJ-1");
        Send(account, Open("REJ-1", limit: 100m));
        var rows = Store.JournalRows("REJ-1");

        var declined = Send(account, new PlaceHold("H-1", 100.01m, null, null));
        var invalid = Send(account, new IssueInvoice("INV-1", 10.001m, DateOnly.FromDateTime(DateTime.UtcNow), null, null, null, null));

        Assert.Equal(RejectionKind.Declined, declined.Rejection?.Kind);
        Assert.Equal(RejectionKind.Invalid, invalid.Rejection?.Kind);
        Assert.Equal(rows, Store.JournalRows("REJ-1"));
        Assert.Equal(1, StateOf(account).Version);
    }

    [Fact]
    public void a_repeated_command_answers_the_same_and_writes_nothing()
    {
        var account = Account("REP-1");
        Send(account, Open("REP-1"));
        var first = Send(account, new PlaceHold("H-1", 10m, null, "SO-1"));
        var rows = Store.JournalRows("REP-1");
        var second = Send(account, new PlaceHold("H-1", 10m, null, "SO-1"));

        Assert.Single(first.Written);
        Assert.Empty(second.Written);
        Assert.Null(second.Rejection);
        Assert.Equal(rows, Store.JournalRows("REP-1"));
    }

    [Fact]
    public void snapshots_are_taken_on_the_configured_cadence_and_recovery_uses_them()
    {
        var account = Account("SNAP-1");
        Send(account, Open("SNAP-1"));
        for (var i = 0; i < 11; i++)
            Send(account, new PlaceHold($"H-{i}", 10m, null, null));
        var before = StateOf(account);

        AwaitAssert(() => Assert.True(Store.SnapshotRows("SNAP-1") >= 1), TimeSpan.FromSeconds(5));
        Stop(account);
        var after = StateOf(Account("SNAP-1"));
        Assert.Equal(Json.Of(before), Json.Of(after));
        Assert.Equal(12, after.Version);
    }

    [Fact]
    public void a_growing_account_snapshots_in_proportion_to_its_state()
    {
        // Every 5 events, or once the events since the last snapshot reach half the items of the state. Event 1 opens,
        // events 2..41 place holds (items = sequence - 1): snapshots at 5, 10, 18 and 34, where a fixed cadence takes 8.
        var account = Account("GROW-1", Store.Settings with { SnapshotGrowthFraction = 0.5 });
        Send(account, Open("GROW-1", limit: 1_000_000m));
        for (var i = 0; i < 40; i++)
            Send(account, new PlaceHold($"H-{i}", 10m, null, null));

        AwaitAssert(() => Assert.Equal(4, Store.SnapshotRows("GROW-1")), TimeSpan.FromSeconds(5));
        Assert.Equal(4, Store.Count("select count(*) from snapshot where persistence_id = 'credit-account-GROW-1' and sequence_number in (5, 10, 18, 34)"));
        Stop(account);
        Assert.Equal(41, StateOf(Account("GROW-1")).Version);
    }

    [Fact]
    public void a_hold_expires_on_its_timer_while_the_account_is_up()
    {
        var account = Account("EXP-1");
        Send(account, Open("EXP-1", limit: 100m));
        Send(account, new PlaceHold("H-1", 100m, DateTimeOffset.UtcNow.AddMilliseconds(800), null));

        // The timer writes the expiry; reads show the hold expired from its instant on, written or not.
        AwaitAssert(() => Assert.Equal(3, Store.JournalRows("EXP-1")), TimeSpan.FromSeconds(10));
        Assert.DoesNotContain("H-1", StateOf(account).Holds.Keys);
        Assert.Equal(HoldStatus.Expired, HistoryOf("EXP-1", DateTimeOffset.UtcNow).Holds["H-1"].Status);
        Assert.Equal(100m, StateOf(account).AvailableCredit);
    }

    [Fact]
    public void a_hold_that_expired_while_the_account_was_down_expires_on_recovery()
    {
        var account = Account("EXP-2");
        Send(account, Open("EXP-2", limit: 100m));
        var expiresAt = DateTimeOffset.UtcNow.AddMilliseconds(500);
        Send(account, new PlaceHold("H-1", 100m, expiresAt, null));
        Stop(account);
        while (DateTimeOffset.UtcNow < expiresAt.AddMilliseconds(200))
            Thread.Sleep(100);

        Assert.Equal(2, Store.JournalRows("EXP-2"));
        var restarted = Account("EXP-2");
        AwaitAssert(() => Assert.Equal(3, Store.JournalRows("EXP-2")), TimeSpan.FromSeconds(10));
        Assert.DoesNotContain("H-1", StateOf(restarted).Holds.Keys);
        var hold = HistoryOf("EXP-2", DateTimeOffset.UtcNow).Holds["H-1"];
        Assert.Equal((HoldStatus.Expired, expiresAt), (hold.Status, hold.ExpiresAt));
    }

    [Fact]
    public void an_idle_account_passivates_but_not_while_it_has_active_holds()
    {
        var settings = Store.Settings with { PassivateAfterIdle = TimeSpan.FromMilliseconds(300) };
        var probe = CreateTestProbe();
        var shard = Sys.ActorOf(Props.Create(() => new FakeShard(CreditAccountActor.Props("IDLE-1", settings, TimeProvider.System), probe)));

        shard.Tell(new Execute(Open("IDLE-1"), Context));
        ExpectMsg<CommandOutcome>();
        shard.Tell(new Execute(new PlaceHold("H-1", 10m, null, null), Context));
        ExpectMsg<CommandOutcome>();
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(1_000));

        shard.Tell(new Execute(new ReleaseHold("H-1", null), Context));
        ExpectMsg<CommandOutcome>();
        probe.ExpectMsg<Passivate>(TimeSpan.FromSeconds(5));
        probe.ExpectMsg("entity-stopped", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void an_unknown_account_answers_not_found_and_writes_nothing()
    {
        var account = Account("NOPE-1");
        var result = Send(account, new ChangeCreditLimit(5m, "x"));
        Assert.Equal(RejectionKind.NotFound, result.Rejection?.Kind);
        account.Tell(new CheckCredit(5m));
        Assert.Equal(RejectionKind.NotFound, ExpectMsg<CreditCheckReply>().Rejection?.Kind);
        Assert.Equal(0, Store.JournalRows("NOPE-1"));
    }
}
