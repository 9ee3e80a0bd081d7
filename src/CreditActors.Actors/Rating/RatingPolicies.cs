using Akka.Actor;
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
public sealed class RatingPolicyRegistry : SingleWriter<RatingPolicyBook, RatingPolicyCommand, RatingPolicyEvent>
{
    public RatingPolicyRegistry(TimeProvider clock) : base(RatingPolicyBook.Initial, clock)
    {
        Command<ReadRatingPolicies>(_ => Read());
        Command<RatingPolicyRequest>(request => Handle(request.Command, request.Actor));
    }

    public override string PersistenceId => EventCatalog.RatingPoliciesPersistenceId;

    protected override RatingPolicyBook Apply(RatingPolicyBook book, RatingPolicyEvent e) => book.Apply(e);

    protected override (IReadOnlyList<RatingPolicyEvent> Events, Rejection? Rejection) Decide(
        RatingPolicyBook book, RatingPolicyCommand command, string actor, DateTimeOffset now) => book.Decide(command, actor, now);

    protected override object Reply(RatingPolicyBook book, IReadOnlyList<RatingPolicyEvent> written, Rejection? rejection) =>
        new RatingPolicyReply(book, written, rejection);

    public static Props Props(TimeProvider clock) => Akka.Actor.Props.Create(() => new RatingPolicyRegistry(clock));
}
