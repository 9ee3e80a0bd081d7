using Akka.Actor;
using Akka.Cluster.Sharding;

namespace CreditActors.Actors.Tests.Support;

/// <summary>Stands in for a shard: creates one entity, forwards messages to it, and reports its Passivate requests.</summary>
public sealed class FakeShard : ReceiveActor
{
    public FakeShard(Props entity, IActorRef probe)
    {
        var child = Context.Watch(Context.ActorOf(entity, "entity"));
        Receive<Passivate>(p =>
        {
            probe.Tell(p);
            child.Tell(p.StopMessage);
        });
        Receive<Terminated>(_ => probe.Tell("entity-stopped"));
        ReceiveAny(m => child.Forward(m));
    }
}
