using System.Collections.Immutable;
using Akka.Persistence.Journal;
using CreditActors.Domain.Accounts;

namespace CreditActors.Persistence;

/// <summary>Tags every account event on write so that projections can read them by tag from a stored offset.</summary>
public sealed class AccountEventTagger : IWriteEventAdapter
{
    /// <summary>Every event of every account stream carries this tag.</summary>
    public const string AllAccountEvents = "credit-account";

    /// <summary>Credit-limit requests and their decisions also carry this tag, for the list of pending requests.</summary>
    public const string LimitRequests = "credit-limit-request";

    /// <summary>What the outbox delivers (dunning notices, statements) and each delivery outcome also carry this tag.</summary>
    public const string Deliveries = "delivery";

    private static readonly IImmutableSet<string> Tags = ImmutableHashSet.Create(AllAccountEvents);
    private static readonly IImmutableSet<string> NoticeTags = ImmutableHashSet.Create(AllAccountEvents, Deliveries);
    private static readonly IImmutableSet<string> LimitRequestTags = ImmutableHashSet.Create(AllAccountEvents, LimitRequests);

    public string Manifest(object evt) => string.Empty;

    public object ToJournal(object evt) => evt switch
    {
        CreditLimitChangeRequested or CreditLimitChangeApproved or CreditLimitChangeRejected => new Tagged(evt, LimitRequestTags),
        DunningNoticeIssued or DunningNoticeSent or DunningDeliveryFailed or StatementIssued or StatementSent or StatementDeliveryFailed
            => new Tagged(evt, NoticeTags),
        AccountEvent => new Tagged(evt, Tags),
        _ => evt,
    };
}
