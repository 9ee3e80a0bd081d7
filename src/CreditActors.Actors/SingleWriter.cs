using Akka.Actor;
using Akka.Persistence;
using CreditActors.Domain.Accounts;

namespace CreditActors.Actors;

/// <summary>
/// The one writer of a stream that a pure book decides (the rating-policy registry, the bank book), run as a cluster
/// singleton: decides a command with the book, persists what it decided, folds it in, and replies with the book, what
/// was written, or why the command was refused. A refused or repeated command writes nothing.
/// </summary>
public abstract class SingleWriter<TBook, TCommand, TEvent> : ReceivePersistentActor where TEvent : class
{
    private readonly TimeProvider _clock;

    /// <summary>Who waits for the write in flight (PersistAll stashes every other command until it is done).</summary>
    private IActorRef? _awaiting;

    protected SingleWriter(TBook initial, TimeProvider clock)
    {
        Book = initial;
        _clock = clock;
        Recover<TEvent>(e => Book = Apply(Book, e));
    }

    protected TBook Book { get; private set; }

    protected abstract TBook Apply(TBook book, TEvent e);

    protected abstract (IReadOnlyList<TEvent> Events, Rejection? Rejection) Decide(TBook book, TCommand command, string actor, DateTimeOffset now);

    protected abstract object Reply(TBook book, IReadOnlyList<TEvent> written, Rejection? rejection);

    /// <summary>Answers a read with the book as it stands.</summary>
    protected void Read() => Sender.Tell(Reply(Book, [], null));

    /// <summary>Decides <paramref name="command"/> as <paramref name="actor"/>, persists and replies.</summary>
    protected void Handle(TCommand command, string actor)
    {
        var (events, rejection) = Decide(Book, command, actor, _clock.GetUtcNow());
        if (events.Count == 0)
        {
            Sender.Tell(Reply(Book, [], rejection));
            return;
        }
        var replyTo = Sender;
        _awaiting = replyTo;
        var remaining = events.Count;
        PersistAll(events, e =>
        {
            Book = Apply(Book, e);
            if (--remaining == 0)
            {
                _awaiting = null;
                replyTo.Tell(Reply(Book, events, null));
            }
        });
    }

    /// <summary>
    /// The journal failed the write: the caller is told at once (rather than left to its timeout), and the actor stops, as
    /// Akka's rule is; its supervisor starts it again and it recovers what the journal holds.
    /// </summary>
    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        FailAwaiting(cause);
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        FailAwaiting(cause);
        base.OnPersistRejected(cause, @event, sequenceNr);
        Context.Stop(Self);
    }

    private void FailAwaiting(Exception cause)
    {
        _awaiting?.Tell(new Status.Failure(new WriteFailedException(cause.Message)));
        _awaiting = null;
    }
}

/// <summary>A singleton could not write what it decided (the database failed the write): nothing was recorded.</summary>
public sealed class WriteFailedException(string message) : Exception(message);
