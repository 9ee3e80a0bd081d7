using Akka.Actor;
using Akka.Cluster;
using CreditActors.Actors.Accounts;
using CreditActors.Actors.Tests.Support;
using CreditActors.Domain.Accounts;
using Xunit.Abstractions;

namespace CreditActors.Actors.Tests;

// Protects answers across nodes: an account whose state is far larger than a remoting frame (128 KB) still answers every
// command sent through another node, because answers carry what happened, never the state.
public sealed class CrossNodeTests : StoreTestKit
{
    // The accounts live on nodes with the role "accounts": this test's own node. The second node has no role and only routes.
    public CrossNodeTests(ITestOutputHelper output)
        : base(new TestStore(provider: "cluster", extra: "akka.cluster.roles = [accounts]\nakka.cluster.sharding.role = accounts"), output)
    {
    }

    private static readonly CommandContext Context = new("cross-node-test", "corr-cross");

    [Fact]
    public async Task a_large_account_answers_commands_and_reads_sent_through_a_second_node()
    {
        var host = Cluster.Get(Sys);
        host.Join(host.SelfAddress);
        AwaitCondition(() => host.SelfMember.Status == MemberStatus.Up, TimeSpan.FromSeconds(15));
        var region = AccountSharding.Start(Sys, Store.Settings, TimeProvider.System);

        using var second = ActorSystem.Create(Sys.Name,
            Akka.Configuration.ConfigurationFactory.ParseString("akka.cluster.roles = []").WithFallback(Store.Config));
        try
        {
            var secondCluster = Cluster.Get(second);
            secondCluster.Join(host.SelfAddress);
            AwaitCondition(() => secondCluster.SelfMember.Status == MemberStatus.Up, TimeSpan.FromSeconds(20));
            var proxy = AccountSharding.StartProxy(second, Store.Settings);

            // About 1,500 invoices: the state's JSON is several times a 128 KB remoting frame.
            const string id = "BIG-1";
            region.Tell(new AccountEnvelope(id, new Execute(new OpenAccount(id, "CNY", 100_000_000m, 30, new Profile("Big Account Co")), Context)));
            Assert.Null(ExpectMsg<CommandOutcome>(TimeSpan.FromSeconds(15)).Rejection);
            var issue = DateOnly.FromDateTime(DateTime.UtcNow);
            for (var i = 0; i < 1_500; i++)
                region.Tell(new AccountEnvelope(id, new Execute(new IssueInvoice($"INV-{i:D5}", 1_000m, issue, null, null, null, null), Context)));
            for (var i = 0; i < 1_500; i++)
                Assert.Null(ExpectMsg<CommandOutcome>(TimeSpan.FromSeconds(30)).Rejection);
            // The premise: the account's items alone, read on its own node, serialize to far more than one frame.
            region.Tell(new AccountEnvelope(id, new ReadAccount(AccountReadKind.Invoices)));
            var everything = ExpectMsg<AccountRead>(TimeSpan.FromSeconds(10));
            var bytes = Sys.Serialization.FindSerializerFor(everything).ToBinary(everything).Length;
            Assert.True(bytes > 2 * 128_000, $"{bytes} bytes");

            var hold = await proxy.Ask<CommandOutcome>(new AccountEnvelope(id, new Execute(new PlaceHold("H-1", 500m, null, "SO-1"), Context)),
                TimeSpan.FromSeconds(10));
            Assert.Equal(("H-1", 1_502L), (hold.Hold?.HoldId, hold.Account.Version));
            var invoice = await proxy.Ask<CommandOutcome>(new AccountEnvelope(id,
                new Execute(new IssueInvoice("INV-LAST", 500m, issue, null, null, null, "H-1"), Context)), TimeSpan.FromSeconds(10));
            Assert.Equal(1_500_500m, invoice.Account.Receivables);
            var read = await proxy.Ask<AccountRead>(new AccountEnvelope(id, new ReadAccount(AccountReadKind.Invoices, "INV-00042")), TimeSpan.FromSeconds(10));
            Assert.Equal(1_000m, Assert.Single(read.Invoices).Open);
        }
        finally
        {
            await CoordinatedShutdown.Get(second).Run(CoordinatedShutdown.ClrExitReason.Instance);
        }
    }
}
