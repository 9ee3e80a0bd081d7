using CreditActors.Host.Accounts;
using CreditActors.Host.Cluster;
using CreditActors.Host.Http;
using CreditActors.Host.Logging;
using CreditActors.Host.Security;
using Serilog;

namespace CreditActors.Host;

/// <summary>Builds the host: one Akka node and the HTTP API in one process.</summary>
public static class CreditActorsApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.AddCreditActorsLogging();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = JsonBody.MaximumBytes;
            // Kestrel answers a request line over its limit itself, with an empty body; the application refuses a target
            // over RequestTarget.MaximumLength with a problem document, so Kestrel's limit sits well above that.
            kestrel.Limits.MaxRequestLineSize = RequestTarget.KestrelLineLimit;
        });

        var node = NodeSettings.From(builder.Configuration);
        builder.Services.AddSingleton(node);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(new CreditActors.Projections.Runtime.ReadModelDatabase(node.Storage));
        builder.Services.AddSingleton<CreditActors.Projections.Aging.AgingQueries>();
        builder.Services.AddSingleton<CreditActors.Projections.Aging.PortfolioQueries>();
        builder.Services.AddSingleton<CreditActors.Projections.Alerts.AlertQueries>();
        builder.Services.AddSingleton<CreditActors.Projections.Runtime.ProjectionStatus>();
        builder.Services.AddSingleton<AkkaNode>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AkkaNode>());
        builder.Services.AddSingleton<AccountGateway>();
        builder.Services.AddSingleton<CommandRunner>();
        builder.Services.ConfigureHttpJsonOptions(options => ApiJson.Configure(options.SerializerOptions));
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = Problems.Complete);
        builder.AddCreditActorsSecurity();
        builder.Services.AddOpenApi();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestTargetLimit();
        app.UseSerilogRequestLogging();
        app.UseCreditActorsSecurity();
        app.MapOpenApi().AllowAnonymous();
        app.MapHealthEndpoint();
        app.MapClusterEndpoint();
        app.MapAccountEndpoints();
        app.MapLedgerEndpoints();
        app.MapEventEndpoints();
        app.MapLimitRequestEndpoints();
        app.MapReportEndpoints();
        app.MapAlertEndpoints();
        app.MapGet("/me", (HttpContext http) => Results.Ok(new
        {
            name = http.User.Identity?.Name,
            roles = Roles.All.Where(http.User.IsInRole),
        })).WithTags("Operations");
        return app;
    }

    private static void MapHealthEndpoint(this IEndpointRouteBuilder app) =>
        app.MapGet("/health", (AkkaNode node, NodeSettings settings) =>
        {
            var member = Akka.Cluster.Cluster.Get(node.System).SelfMember;
            var healthy = member.Status == Akka.Cluster.MemberStatus.Up;
            var body = new { status = healthy ? "healthy" : "unhealthy", node = member.Address.ToString(), member = member.Status.ToString(), storage = settings.Storage.Provider.ToString() };
            return healthy ? Results.Ok(body) : Results.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
        }).AllowAnonymous().WithTags("Operations");

    /// <summary>The cluster as this node sees it: every member with its address, status and reachability.</summary>
    private static void MapClusterEndpoint(this IEndpointRouteBuilder app) =>
        app.MapGet("/cluster/members", (AkkaNode node) =>
        {
            var cluster = Akka.Cluster.Cluster.Get(node.System);
            var state = cluster.State;
            var unreachable = state.Unreachable.Select(m => m.Address).ToHashSet();
            return Results.Ok(new
            {
                self = cluster.SelfAddress.ToString(),
                leader = state.Leader?.ToString(),
                members = state.Members.Select(m => new
                {
                    address = m.Address.ToString(),
                    status = m.Status.ToString(),
                    reachable = !unreachable.Contains(m.Address),
                    roles = m.Roles,
                }),
            });
        }).Allow().WithTags("Operations");
}
