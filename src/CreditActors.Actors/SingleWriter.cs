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
        var remaining = events.Count;
        PersistAll(events, e =>
        {
            Book = Apply(Book, e);
            if (--remaining == 0)
                replyTo.Tell(Reply(Book, events, null));
        });
    }
}
