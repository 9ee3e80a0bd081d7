using System.Text.Json;
using Akka.Actor;
using CreditActors.Host.Cluster;
using CreditActors.Host.Http;
using CreditActors.Host.OpenApi;
using CreditActors.Host.Security;
using CreditActors.Projections.Alerts;
using CreditActors.Projections.Runtime;

namespace CreditActors.Host.Apis;

/// <summary>Risk alerts: list, acknowledge, and the live Server-Sent Events feed.</summary>
public static class AlertsApi
{
    private static readonly string[] AlertReaders = [Roles.Finance, Roles.CreditManager, Roles.Auditor, Roles.Analyst];

    /// <summary>A live feed closes after this long; the client reconnects with Last-Event-ID and misses nothing.</summary>
    private static readonly TimeSpan StreamLifetime = TimeSpan.FromMinutes(30);

    private static readonly TimeSpan StreamPollInterval = TimeSpan.FromMilliseconds(250);

    public static void MapAlertsApi(this IEndpointRouteBuilder app)
    {
        var alerts = app.MapGroup("/alerts").WithTags("Alerts");
        alerts.MapGet("/", ListAsync).Describe("listAlerts", "Risk alerts in the order they were raised, filtered")
            .Produces<List<Alert>>().Allow(AlertReaders);

        alerts.MapPost("/{alertId}/acknowledge", async (string alertId, HttpContext http, AlertQueries queries, TimeProvider clock) =>
        {
            var alert = await queries.AcknowledgeAsync(alertId, http.User.Identity?.Name ?? "unknown", clock.GetUtcNow(), http.RequestAborted);
            return alert is null ? Problems.NotFound("alert_not_found", $"Alert {alertId} does not exist") : Results.Ok(alert);
        }).Describe("acknowledgeAlert", "Record that a person has seen the alert; a second acknowledgement keeps the first")
            .Produces<Alert>().Allow(Roles.Finance, Roles.CreditManager, Roles.Analyst);

        alerts.MapGet("/stream", StreamAsync).Describe("streamAlerts", "Alerts as Server-Sent Events: those after Last-Event-ID, then new ones live")
            .WithContract(new ContractMetadata(EventStream: true)).Allow(AlertReaders);
    }

    private static async Task<IResult> ListAsync(
        string? since, string? kind, string? accountId, string? acknowledged, string? after, string? limit, HttpContext http, AlertQueries queries)
    {
        if (kind is not null && !AlertKinds.All.Contains(kind))
            return Problems.Invalid("kind", $"kind must be one of {string.Join(", ", AlertKinds.All)}");
        var (sinceValue, problem) = QueryValues.Instant(since, "since");
        var (acknowledgedValue, acknowledgedProblem) = QueryValues.Boolean(acknowledged, "acknowledged");
        var (afterValue, afterProblem) = QueryValues.WholeNumber(after, "after", 0, long.MaxValue);
        var (limitValue, limitProblem) = QueryValues.WholeNumber(limit, "limit", 1, 1000);
        if ((problem ?? acknowledgedProblem ?? afterProblem ?? limitProblem) is { } first)
            return first;
        var filter = new AlertFilter(afterValue, sinceValue, kind, accountId, acknowledgedValue, (int)(limitValue ?? 500));
        return Results.Ok(await queries.ListAsync(filter, http.RequestAborted));
    }

    /// <summary>
    /// Server-Sent Events: every alert after the client's Last-Event-ID (the alert's sequence), then new ones as they
    /// are raised. The event id is the sequence, so a reconnecting client resumes exactly where it left off.
    /// </summary>
    private static async Task StreamAsync(HttpContext http, AlertQueries queries, string? kind, string? accountId)
    {
        var last = long.TryParse(http.Request.Headers["Last-Event-ID"].ToString(), out var header) ? header
            : long.TryParse(http.Request.Query["lastEventId"], out var query) ? query : 0;
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        lifetime.CancelAfter(StreamLifetime);
        try
        {
            await http.Response.WriteAsync(": connected\n\n", lifetime.Token);
            await http.Response.Body.FlushAsync(lifetime.Token);
            while (!lifetime.IsCancellationRequested)
            {
                var batch = await queries.ListAsync(new AlertFilter(AfterSequence: last, Kind: kind, AccountId: accountId, Limit: 200), lifetime.Token);
                foreach (var alert in batch)
                {
                    var data = JsonSerializer.Serialize(alert, ApiJson.Options);
                    await http.Response.WriteAsync($"id: {alert.Sequence}\nevent: alert\ndata: {data}\n\n", lifetime.Token);
                    last = alert.Sequence;
                }
                await http.Response.Body.FlushAsync(lifetime.Token);
                if (batch.Count == 0)
                    await Task.Delay(StreamPollInterval, lifetime.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away, or the feed reached its lifetime: both end the response normally.
        }
    }
}
