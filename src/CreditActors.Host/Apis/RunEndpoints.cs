using Akka.Actor;
using CreditActors.Actors.Runs;
using CreditActors.Domain.Rating;
using CreditActors.Host.Cluster;
using CreditActors.Host.Http;
using CreditActors.Host.OpenApi;
using CreditActors.Host.Security;

namespace CreditActors.Host.Apis;

/// <summary>The endpoints of a kind of run over every account (rating, dunning): start one, list them, follow one.</summary>
public static class RunEndpoints
{
    /// <param name="kind">The run's name in messages and operation ids: "rating", "dunning".</param>
    /// <param name="runs">The proxy of the run's singleton.</param>
    public static void MapRuns(this RouteGroupBuilder group, string kind, Func<AkkaNode, IActorRef> runs, string[] starters, string[] readers)
    {
        var title = char.ToUpperInvariant(kind[0]) + kind[1..];
        var path = group.MapPost("/", async (HttpContext http, AkkaNode node, ApiSettings settings, TimeProvider clock) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<StartRunRequest>(http.Request, optional: true);
            if (problem is not null)
                return problem;
            var (context, callerProblem) = Caller.From(http);
            if (callerProblem is not null)
                return callerProblem;
            if (await AskAsync(runs(node), settings, new StartAccountRun(context!.Actor, body?.Reason ?? "started by a person")) is not { } reply)
                return Problems.Unavailable($"the {kind} runs did not answer in time");
            if (reply.Rejection is { } rejection)
                return Problems.From(rejection);
            return Results.Accepted($"{http.Request.Path.Value!.TrimEnd('/')}/{reply.RunId}", View(reply.Runs.Single(r => r.RunId == reply.RunId), clock.GetUtcNow()));
        }).Describe($"start{title}Run", $"Start a {kind} run over every account now (one at a time; a daily run starts by itself)")
            .Command<StartRunRequest>(optionalBody: true).Produces<RatingRunView>(202).Allow(starters);
        group.MapGet("/", async (AkkaNode node, ApiSettings settings, TimeProvider clock) =>
            await AskAsync(runs(node), settings, new ReadAccountRuns()) is { } reply
                ? Results.Ok(reply.Runs.Reverse().Select(r => View(r, clock.GetUtcNow())).ToList())
                : Problems.Unavailable($"the {kind} runs did not answer in time"))
            .Describe($"list{title}Runs", $"The latest {kind} runs, newest first, with their progress")
            .Produces<List<RatingRunView>>().Allow(readers);
        group.MapGet("/{runId}", async (string runId, AkkaNode node, ApiSettings settings, TimeProvider clock) =>
            await AskAsync(runs(node), settings, new ReadAccountRuns()) is not { } reply
                ? Problems.Unavailable($"the {kind} runs did not answer in time")
                : reply.Runs.FirstOrDefault(r => r.RunId == runId) is { } run
                    ? Results.Ok(View(run, clock.GetUtcNow()))
                    : Problems.NotFound($"{kind}_run_not_found", $"{title} run {runId} does not exist"))
            .Describe($"get{title}Run", $"One {kind} run's progress: accounts asked, accounts that wrote, pace and time left")
            .Produces<RatingRunView>().Allow(readers);
    }

    public static RatingRunView View(RatingRun r, DateTimeOffset now)
    {
        var elapsed = (decimal)((r.CompletedAt ?? now) - r.StartedAt).TotalMilliseconds / 1000m;
        decimal? pace = elapsed > 0m && r.Counts.Processed > 0 ? decimal.Round(r.Counts.Processed / elapsed, 1) : null;
        decimal? left = r.Running && pace is > 0m ? decimal.Round(Math.Max(0, r.Total - r.Counts.Processed) / pace.Value, 1) : null;
        return new RatingRunView(r.RunId, r.Running ? "running" : "completed", r.StartedAt, r.StartedBy, r.Reason, r.Total, r.Counts.Processed,
            r.Counts.Written, r.Counts.Unchanged, r.Counts.Skipped, r.Counts.Failed, r.LastAccountId, r.CompletedAt, decimal.Round(elapsed, 1), pace, left);
    }

    private static async Task<AccountRunsReply?> AskAsync(IActorRef runs, ApiSettings settings, object message)
    {
        try
        {
            return await runs.Ask<AccountRunsReply>(message, settings.AskTimeout);
        }
        catch (AskTimeoutException)
        {
            return null;
        }
    }
}
