using System.Collections.Immutable;
using Akka.Persistence.Journal;
using CreditActors.Domain.Accounts;

namespace CreditActors.Persistence;

/// <summary>Tags every account event on write so that projections can read them by tag from a stored offset.</summary>
public sealed class AccountEventTagger : IWriteEventAdapter
{
    /// <summary>Every event of every account stream carries this tag.</summary>
    public const string AllAccountEvents = "credit-account";

    private static readonly IImmutableSet<string> Tags = ImmutableHashSet.Create(AllAccountEvents);

    public string Manifest(object evt) => string.Empty;

    public object ToJournal(object evt) => evt is AccountEvent ? new Tagged(evt, Tags) : evt;
}
