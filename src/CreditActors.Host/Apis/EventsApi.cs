using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using CreditActors.Actors.Accounts;
using CreditActors.Domain.Accounts;
using CreditActors.Host.Cluster;
using CreditActors.Host.Http;
using CreditActors.Host.OpenApi;
using CreditActors.Host.Security;
using CreditActors.Persistence;

namespace CreditActors.Host.Apis;

public sealed record EventView(
    long Version, string Type, DateOnly EffectiveDate, DateTimeOffset RecordedAt, string Actor, string CorrelationId, JsonObject Data);

/// <summary>An account's stream, in order, as the journal holds it: for auditors and for replays elsewhere.</summary>
public static class EventsApi
{
    public static void MapEventsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/accounts/{accountId}/events", ReadAsync).WithTags("Audit")
            .Describe("listEvents", "The account's events in order, a page at a time, as the journal holds them; asOf and knownAt keep those effective by that date and recorded by that instant")
            .WithContract(new ContractMetadata(PagesEvents: true)).Produces<List<EventView>>()
            .Allow(Roles.Finance, Roles.CreditManager, Roles.Auditor);
    }

    private static async Task<IResult> ReadAsync(
        string accountId, string? fromVersion, string? limit, string? asOf, string? knownAt, HttpContext http, AkkaNode node, ApiSettings settings)
    {
        var (date, dateProblem) = QueryValues.Date(asOf, "asOf");
        var (known, knownProblem) = QueryValues.Instant(knownAt, "knownAt");
        if ((dateProblem ?? knownProblem) is { } cutProblem)
            return cutProblem;
        var maximum = settings.MaximumEventsPerPage;
        var (fromValue, problem) = QueryValues.WholeNumber(fromVersion, "fromVersion", 1, long.MaxValue - maximum);
        var (limitValue, limitProblem) = QueryValues.WholeNumber(limit, "limit", 1, maximum);
        if ((problem ?? limitProblem) is { } first)
            return first;
        if (!Identifiers.IsValid(accountId))
            return Problems.Invalid("accountId", $"accountId {Identifiers.Rule}");

        var from = fromValue ?? 1;
        var take = limitValue ?? maximum;
        var envelopes = await ReadJournalAsync(node, accountId, from, from + take - 1);
        // The journal itself says whether the account exists (its first event is its opening): the account is not woken.
        if (envelopes.Count == 0 && (from == 1 || (await ReadJournalAsync(node, accountId, 1, 1)).Count == 0))
            return Problems.NotFound("account_not_found", $"Account {accountId} does not exist");
        http.Response.Headers["X-Next-Version"] = (envelopes.Count == 0 ? from : envelopes[^1].SequenceNr + 1).ToString();
        // A page is read by version and then cut: a page may hold fewer events than the limit, and the next version says where to go on.
        return Results.Ok(envelopes
            .Where(e => (date is null || ((AccountEvent)e.Event).Meta.EffectiveDate <= date) && (known is null || ((AccountEvent)e.Event).Meta.RecordedAt <= known))
            .Select(ToView).ToList());
    }

    private static Task<IImmutableList<EventEnvelope>> ReadJournalAsync(AkkaNode node, string accountId, long from, long to) =>
        node.ReadJournal.CurrentEventsByPersistenceId(AccountSettings.PersistenceIdPrefix + accountId, from, to)
            .RunWith(Sink.Seq<EventEnvelope>(), node.System.Materializer());

    private static EventView ToView(EventEnvelope envelope)
    {
        var e = (AccountEvent)envelope.Event;
        var data = JsonSerializer.SerializeToNode(e, e.GetType(), JournalJson.Options)!.AsObject();
        data.Remove("meta");
        return new EventView(envelope.SequenceNr, EventCatalog.ForType(e.GetType()).Name, e.Meta.EffectiveDate, e.Meta.RecordedAt,
            e.Meta.Actor, e.Meta.CorrelationId, data);
    }
}
