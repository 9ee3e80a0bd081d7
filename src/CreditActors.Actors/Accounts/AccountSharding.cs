using Akka.Actor;
using Akka.Cluster.Sharding;

namespace CreditActors.Actors.Accounts;

/// <summary>Starts the account shard region: one <see cref="CreditAccountActor"/> per account id, hashed into shards.</summary>
public static class AccountSharding
{
    public static IActorRef Start(ActorSystem system, AccountSettings settings, TimeProvider clock) =>
        ClusterSharding.Get(system).Start(
            settings.ShardRegion,
            accountId => CreditAccountActor.Props(accountId, settings, clock),
            ClusterShardingSettings.Create(system).WithRole(settings.Role),
            new AccountMessageExtractor(settings.NumberOfShards));

    /// <summary>
    /// A region that hosts no accounts and routes every message to the nodes that do: a node without the accounts' role (one
    /// that only serves HTTP, or runs the projections).
    /// </summary>
    public static IActorRef StartProxy(ActorSystem system, AccountSettings settings) =>
        ClusterSharding.Get(system).StartProxy(settings.ShardRegion, settings.Role!, new AccountMessageExtractor(settings.NumberOfShards));

    private sealed class AccountMessageExtractor(int numberOfShards) : HashCodeMessageExtractor(numberOfShards)
    {
        public override string? EntityId(object message) => (message as AccountEnvelope)?.AccountId;

        public override object? EntityMessage(object message) => (message as AccountEnvelope)?.Message ?? message;
    }
}
