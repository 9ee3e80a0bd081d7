using Akka;
using Akka.Actor;
using Akka.Persistence;
using CreditActors.Domain.Accounts;
using CreditActors.Persistence.Snapshots;

namespace CreditActors.Benchmarks;

/// <summary>
/// Writes prepared events under an account's persistence id, as the account actor would have (through the journal's adapters,
/// so they are tagged), and, on request, a snapshot.
/// </summary>
public sealed class StreamLoader : ReceivePersistentActor
{
    public sealed record Write(IReadOnlyList<AccountEvent> Events);

    public sealed record Snapshot(AccountState State);

    private IActorRef _snapshotRequester = ActorRefs.Nobody;

    public StreamLoader(string persistenceId)
    {
        PersistenceId = persistenceId;
        Command<Write>(write =>
        {
            var replyTo = Sender;
            var remaining = write.Events.Count;
            PersistAll(write.Events, _ =>
            {
                if (--remaining == 0)
                    replyTo.Tell(Done.Instance);
            });
        });
        Command<Snapshot>(snapshot =>
        {
            _snapshotRequester = Sender;
            SaveSnapshot(AccountSnapshotV2.From(snapshot.State));
        });
        Command<SaveSnapshotSuccess>(_ => _snapshotRequester.Tell(Done.Instance));
        Command<SaveSnapshotFailure>(f => _snapshotRequester.Tell(new Status.Failure(f.Cause)));
    }

    public override string PersistenceId { get; }
}
