using CreditActors.Projections.Runtime;
using CreditActors.Host.Http;
using Akka.Actor;
using CreditActors.Host.Cluster;
using CreditActors.Host.OpenApi;
using CreditActors.Host.Security;

namespace CreditActors.Host.Apis;

/// <param name="HostsAccounts">Whether account entities run on this node (it has the accounts' role, or none is set).</param>
/// <param name="RunsProjections">Whether the projections run on this node now.</param>
public sealed record HealthView(string Status, string Node, string Member, string Storage, bool HostsAccounts, bool RunsProjections);

/// <summary>One check of readiness: its name, whether it passes, and what was found.</summary>
public sealed record ReadinessCheck(string Name, bool Ok, string Detail);

public sealed record ReadinessView(string Status, IReadOnlyList<ReadinessCheck> Checks);

public sealed record LivenessView(string Status);

public sealed record ClusterMemberView(string Address, string Status, bool Reachable, IReadOnlyCollection<string> Roles);

public sealed record ClusterView(string Self, string? Leader, IReadOnlyList<ClusterMemberView> Members);

public sealed record CallerView(string? Name, IReadOnlyList<string> Roles);

public sealed record RebuildView(string Projection, string Status);

/// <summary>
/// For operators and every caller: the node's health, the cluster as this node sees it, who the caller is, the read models'
/// lag and their rebuild.
/// </summary>
public static class OperationsApi
{
    public static void MapOperationsApi(this IEndpointRouteBuilder app)
    {
        var operations = app.MapGroup("").WithTags("Operations");
        operations.MapGet("/health", Health).Describe("getHealth", "Whether this node is up in the cluster, and its store")
            .Produces<HealthView>().Produces<HealthView>(StatusCodes.Status503ServiceUnavailable).AllowAnonymous();
        operations.MapGet("/health/live", () => Results.Ok(new LivenessView("live")))
            .Describe("getLiveness", "The process answers (a Kubernetes liveness probe: restart the pod when it does not)")
            .Produces<LivenessView>().AllowAnonymous();
        operations.MapGet("/health/ready", Ready)
            .Describe("getReadiness", "The node can serve: a cluster member Up, the journal reachable, no projection on it failed (a readiness probe)")
            .Produces<ReadinessView>().Produces<ReadinessView>(StatusCodes.Status503ServiceUnavailable).AllowAnonymous();
        operations.MapGet("/cluster/members", Members).Describe("listClusterMembers", "Every member of the cluster as this node sees it")
            .Produces<ClusterView>().Allow();
        operations.MapGet("/me", (HttpContext http) => Results.Ok(new CallerView(http.User.Identity?.Name, Roles.All.Where(http.User.IsInRole).ToList())))
            .Describe("getCaller", "The calling key's name and roles").Produces<CallerView>();

        var projections = app.MapGroup("/projections").WithTags("Operations");
        projections.MapGet("/", async (ProjectionStatus status, HttpContext http) =>
            Results.Ok(await status.LagAsync(AkkaNode.ProjectionNames, http.RequestAborted)))
            .Describe("listProjections", "How far each read model is behind the journal").Produces<List<ProjectionLag>>().Allow(Roles.Auditor);
        projections.MapPost("/{name}/rebuild", async (string name, AkkaNode node) =>
        {
            if (!AkkaNode.ProjectionNames.Contains(name))
                return Problems.NotFound("projection_not_found", $"No projection named {name}");
            await node.Projections.Ask<object>(new ProjectionsGuardian.RebuildProjection(name), TimeSpan.FromSeconds(60));
            return Results.Accepted("/projections", new RebuildView(name, "rebuilding"));
        }).Describe("rebuildProjection", "Empty a read model and replay every event into it; answers at once")
            .Produces<RebuildView>(StatusCodes.Status202Accepted).Allow();
    }

    private static async Task<IResult> Health(AkkaNode node, NodeSettings settings)
    {
        var member = Akka.Cluster.Cluster.Get(node.System).SelfMember;
        var healthy = member.Status == Akka.Cluster.MemberStatus.Up;
        var body = new HealthView(healthy ? "healthy" : "unhealthy", member.Address.ToString(), member.Status.ToString(), settings.Storage.Provider.ToString(),
            node.HostsAccounts, await node.RunsProjectionsAsync());
        return healthy ? Results.Ok(body) : Results.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<IResult> Ready(AkkaNode node, NodeSettings settings, HttpContext http)
    {
        var member = Akka.Cluster.Cluster.Get(node.System).SelfMember;
        var checks = new List<ReadinessCheck>
        {
            new("cluster", member.Status == Akka.Cluster.MemberStatus.Up, $"{member.Address} is {member.Status}"),
        };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await using var connection = await Persistence.Audit.JournalDatabase.From(settings.Storage).OpenAsync(timeout.Token);
            await Persistence.Audit.JournalDatabase.ExecuteAsync(connection, "SELECT 1", timeout.Token);
            checks.Add(new ReadinessCheck("journal", true, $"{settings.Storage.Provider} answers"));
        }
        catch (Exception e) when (e is System.Data.Common.DbException or OperationCanceledException or InvalidOperationException or IOException)
        {
            checks.Add(new ReadinessCheck("journal", false, $"{settings.Storage.Provider} does not answer: {e.Message}"));
        }
        var failed = ProjectionHealth.Failed;
        checks.Add(new ReadinessCheck("projections", failed.Count == 0, failed.Count == 0
            ? "no projection on this node has failed"
            : string.Join("; ", failed.Select(f => $"{f.Key} failed at {f.Value.At:O}: {f.Value.Reason} (restarting with back-off)"))));
        var ready = checks.All(c => c.Ok);
        var body = new ReadinessView(ready ? "ready" : "not ready", checks);
        return ready ? Results.Ok(body) : Results.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static IResult Members(AkkaNode node)
    {
        var cluster = Akka.Cluster.Cluster.Get(node.System);
        var state = cluster.State;
        var unreachable = state.Unreachable.Select(m => m.Address).ToHashSet();
        return Results.Ok(new ClusterView(cluster.SelfAddress.ToString(), state.Leader?.ToString(),
            state.Members.Select(m => new ClusterMemberView(m.Address.ToString(), m.Status.ToString(), !unreachable.Contains(m.Address),
                m.Roles.ToList())).ToList()));
    }
}
