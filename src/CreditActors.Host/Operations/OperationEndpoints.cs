using CreditActors.Host.Cluster;
using CreditActors.Host.OpenApi;
using CreditActors.Host.Security;

namespace CreditActors.Host.Operations;

public sealed record HealthView(string Status, string Node, string Member, string Storage);

public sealed record ClusterMemberView(string Address, string Status, bool Reachable, IReadOnlyCollection<string> Roles);

public sealed record ClusterView(string Self, string? Leader, IReadOnlyList<ClusterMemberView> Members);

public sealed record CallerView(string? Name, IReadOnlyList<string> Roles);

/// <summary>For operators and for every caller: the node's health, the cluster as this node sees it, and who the caller is.</summary>
public static class OperationEndpoints
{
    public static void MapOperationEndpoints(this IEndpointRouteBuilder app)
    {
        var operations = app.MapGroup("").WithTags("Operations");
        operations.MapGet("/health", Health).Describe("getHealth", "Whether this node is up in the cluster, and its store")
            .Produces<HealthView>().Produces<HealthView>(StatusCodes.Status503ServiceUnavailable).AllowAnonymous();
        operations.MapGet("/cluster/members", Members).Describe("listClusterMembers", "Every member of the cluster as this node sees it")
            .Produces<ClusterView>().Allow();
        operations.MapGet("/me", (HttpContext http) => Results.Ok(new CallerView(http.User.Identity?.Name, Roles.All.Where(http.User.IsInRole).ToList())))
            .Describe("getCaller", "The calling key's name and roles").Produces<CallerView>();
    }

    private static IResult Health(AkkaNode node, NodeSettings settings)
    {
        var member = Akka.Cluster.Cluster.Get(node.System).SelfMember;
        var healthy = member.Status == Akka.Cluster.MemberStatus.Up;
        var body = new HealthView(healthy ? "healthy" : "unhealthy", member.Address.ToString(), member.Status.ToString(), settings.Storage.Provider.ToString());
        return healthy ? Results.Ok(body) : Results.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static IResult Members(AkkaNode node)
    {
        var cluster = Akka.Cluster.Cluster.Get(node.System);
        var state = cluster.State;
        var unreachable = state.Unreachable.Select(m => m.Address).ToHashSet();
        return Results.Ok(new ClusterView(cluster.SelfAddress.ToString(), state.Leader?.ToString(),
            state.Members.Select(m => new ClusterMemberView(m.Address.ToString(), m.Status.ToString(), !unreachable.Contains(m.Address), m.Roles.ToList())).ToList()));
    }
}
