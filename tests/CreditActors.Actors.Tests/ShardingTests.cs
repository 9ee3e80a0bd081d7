using Akka.Actor;
using Akka.Cluster;
using CreditActors.Actors.Accounts;
using CreditActors.Actors.Tests.Support;
using CreditActors.Domain.Accounts;
using Xunit.Abstractions;

namespace CreditActors.Actors.Tests;

// Protects the sharded deployment: a one-node cluster routes every account's messages to its one actor.
public sealed class ShardingTests : StoreTestKit
{
    public ShardingTests(ITestOutputHelper output) : base(new TestStore(provider: "cluster", extra: "akka.actor.serialize-messages = on"), output)
    {
    }

    [Fact]
    public void accounts_are_reached_through_the_shard_region_of_a_one_node_cluster()
    {
        var cluster = Cluster.Get(Sys);
        cluster.Join(cluster.SelfAddress);
        AwaitCondition(() => cluster.SelfMember.Status == MemberStatus.Up, TimeSpan.FromSeconds(15));
        var region = AccountSharding.Start(Sys, Store.Settings, TimeProvider.System);
        var context = new CommandContext("sharding-test", "corr");

        foreach (var id in new[] { "SH-1", "SH-2", "SH-3" })
        {
            region.Tell(new AccountEnvelope(id, new Execute(new OpenAccount(id, "EUR", 500m, 14, new Domain.Accounts.Profile(id)), context)));
            Assert.Null(ExpectMsg<CommandOutcome>(TimeSpan.FromSeconds(15)).Rejection);
        }
        region.Tell(new AccountEnvelope("SH-2", new CheckCredit(600m)));
        var check = ExpectMsg<CreditCheckReply>(TimeSpan.FromSeconds(10));
        Assert.False(check.Result!.Approved);
        Assert.Equal(DeclineCodes.InsufficientCredit, Assert.Single(check.Result.Reasons).Code);
        region.Tell(new AccountEnvelope("SH-3", new ReadAccount(AccountReadKind.Account)));
        Assert.Equal("EUR", ExpectMsg<AccountRead>().Account.Currency);
    }
}
