using System.Text;
using System.Text.Json;
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

/// <summary>
/// Events for analysts and auditors: all of them, one account's, or those effective in a date range, as JSON Lines (the
/// default) or CSV, streamed as the journal is read straight from the store: memory stays bounded over millions of events.
/// </summary>
public static class ExportsApi
{
    public static void MapExportsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/exports/events", ExportAsync).WithTags("Audit")
            .Describe("exportEvents", "Every event (or one account's, or those effective from a date to a date), streamed as JSON Lines or CSV")
            .WithContract(new ContractMetadata(Csv: true, JsonLines: true)).Allow(Roles.Finance, Roles.Auditor, Roles.Analyst);
    }

    private static IResult ExportAsync(string? accountId, string? from, string? to, HttpContext http, AkkaNode node)
    {
        var (start, startProblem) = QueryValues.Date(from, "from");
        var (end, endProblem) = QueryValues.Date(to, "to");
        if ((startProblem ?? endProblem) is { } problem)
            return problem;
        if (accountId is not null && !Identifiers.IsValid(accountId))
            return Problems.Invalid("accountId", $"accountId {Identifiers.Rule}");
        var prefix = AccountSettings.PersistenceIdPrefix;
        var source = accountId is null
            ? node.ReadJournal.CurrentEventsByTag(AccountEventTagger.AllAccountEvents, Offset.NoOffset())
            : node.ReadJournal.CurrentEventsByPersistenceId(prefix + accountId, 0, long.MaxValue);
        var csv = http.Request.Headers.Accept.ToString().Contains("text/csv", StringComparison.OrdinalIgnoreCase);
        return Results.Stream(async body =>
        {
            await using var writer = new StreamWriter(body, new UTF8Encoding(false));
            if (csv)
                await writer.WriteLineAsync("accountId,version,type,effectiveDate,recordedAt,actor,correlationId,data");
            await source
                .Where(e => ((AccountEvent)e.Event).Meta.EffectiveDate is var d && (start is null || d >= start) && (end is null || d <= end))
                .SelectAsync(1, async envelope =>
                {
                    var e = (AccountEvent)envelope.Event;
                    var data = JsonSerializer.SerializeToNode(e, e.GetType(), JournalJson.Options)!.AsObject();
                    data.Remove("meta");
                    var account = envelope.PersistenceId[prefix.Length..];
                    var type = EventCatalog.ForType(e.GetType()).Name;
                    await writer.WriteLineAsync(csv
                        ? $"{account},{envelope.SequenceNr},{type},{e.Meta.EffectiveDate:yyyy-MM-dd},{e.Meta.RecordedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffffffZ},{Csv(e.Meta.Actor)},{Csv(e.Meta.CorrelationId)},{Csv(data.ToJsonString())}"
                        : JsonSerializer.Serialize(new
                        {
                            accountId = account, version = envelope.SequenceNr, type, effectiveDate = e.Meta.EffectiveDate, recordedAt = e.Meta.RecordedAt,
                            actor = e.Meta.Actor, correlationId = e.Meta.CorrelationId, data,
                        }, ApiJson.Options));
                    return Akka.NotUsed.Instance;
                }).RunWith(Sink.Ignore<Akka.NotUsed>(), node.System.Materializer());
        }, csv ? "text/csv; charset=utf-8" : "application/x-ndjson");
    }

    /// <summary>A CSV field: quoted when it holds a comma, a quote or a line break.</summary>
    private static string Csv(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
