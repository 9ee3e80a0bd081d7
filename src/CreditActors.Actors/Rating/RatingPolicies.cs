using Akka.Actor;
using Akka.Persistence;
using CreditActors.Actors.Accounts;
using CreditActors.Domain.Accounts;
using CreditActors.Domain.Rating;
using CreditActors.Persistence;

namespace CreditActors.Actors.Rating;

/// <summary>Decide a rating-policy command as <paramref name="Actor"/>. Replies <see cref="RatingPolicyReply"/>.</summary>
public sealed record RatingPolicyRequest(RatingPolicyCommand Command, string Actor) : IAccountProtocol;

/// <summary>Every version known. Replies <see cref="RatingPolicyReply"/>.</summary>
public sealed record ReadRatingPolicies : IAccountProtocol;

/// <summary>The book after a command (or a read), what the command wrote, or why it was refused.</summary>
public sealed record RatingPolicyReply(RatingPolicyBook Book, IReadOnlyList<RatingPolicyEvent> Written, Rejection? Rejection) : IAccountProtocol;

/// <summary>
/// The rating policy in force on this node, read by every account it hosts with each command: the configured credit policy
/// with the active rating policy. Kept current from the rating-policy stream (and at once on the node that activated it).
/// </summary>
public sealed class ActiveRatingPolicy(CreditPolicy basePolicy, RatingPolicy? initial)
{
    private volatile CreditPolicy _current = basePolicy with { Rating = initial };

    public CreditPolicy Current => _current;

    public RatingPolicy? Rating => _current.Rating;

    public void Activate(RatingPolicy? rating)
    {
        if (!ReferenceEquals(_current.Rating, rating) && _current.Rating?.Key != rating?.Key)
            _current = basePolicy with { Rating = rating };
    }
}

/// <summary>
/// The one writer of the rating-policy stream, run as a cluster singleton: decides proposals and the second person's
/// decisions on them with the pure <see cref="RatingPolicyBook"/>, persists, replies with the book.
/// </summary>
public sealed class RatingPolicyRegistry : ReceivePersistentActor
{
    private RatingPolicyBook _book = RatingPolicyBook.Initial;

    public RatingPolicyRegistry(TimeProvider clock)
    {
        Recover<RatingPolicyEvent>(e => _book = _book.Apply(e));
        Command<ReadRatingPolicies>(_ => Sender.Tell(new RatingPolicyReply(_book, [], null)));
        Command<RatingPolicyRequest>(request =>
        {
            var (events, rejection) = _book.Decide(request.Command, request.Actor, clock.GetUtcNow());
            if (events.Count == 0)
            {
                Sender.Tell(new RatingPolicyReply(_book, [], rejection));
                return;
            }
            var replyTo = Sender;
            var remaining = events.Count;
            PersistAll(events, e =>
            {
                _book = _book.Apply(e);
                if (--remaining == 0)
                    replyTo.Tell(new RatingPolicyReply(_book, events, null));
            });
        });
    }

    public override string PersistenceId => EventCatalog.RatingPoliciesPersistenceId;

    public static Props Props(TimeProvider clock) => Akka.Actor.Props.Create(() => new RatingPolicyRegistry(clock));
}
