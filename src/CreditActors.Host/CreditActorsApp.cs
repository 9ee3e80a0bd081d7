using CreditActors.Host.Accounts;
using CreditActors.Host.Cluster;
using CreditActors.Host.Http;
using CreditActors.Host.Logging;
using CreditActors.Host.OpenApi;
using CreditActors.Host.Operations;
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
        builder.Services.AddSingleton(ApiSettings.From(builder.Configuration));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(new CreditActors.Projections.Runtime.ReadModelDatabase(node.Storage));
        builder.Services.AddSingleton<CreditActors.Projections.Aging.AgingQueries>();
        builder.Services.AddSingleton(CreditActors.Projections.Runtime.ProjectionSettingsReader.From(AkkaNode.BuildConfig(node)));
        builder.Services.AddSingleton(sp => new CreditActors.Projections.Aging.PortfolioQueries(
            sp.GetRequiredService<CreditActors.Projections.Runtime.ReadModelDatabase>(),
            sp.GetRequiredService<CreditActors.Projections.Runtime.ProjectionSettings>().UtilizationHighPercent));
        builder.Services.AddSingleton<CreditActors.Projections.Alerts.AlertQueries>();
        builder.Services.AddSingleton<CreditActors.Projections.LimitRequests.LimitRequestQueries>();
        builder.Services.AddSingleton<CreditActors.Projections.Runtime.ProjectionStatus>();
        builder.Services.AddSingleton<AkkaNode>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AkkaNode>());
        builder.Services.AddSingleton<AccountGateway>();
        builder.Services.AddSingleton<CommandRunner>();
        builder.Services.ConfigureHttpJsonOptions(options => ApiJson.Configure(options.SerializerOptions));
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = Problems.Complete);
        builder.AddCreditActorsSecurity();
        builder.Services.AddCreditActorsOpenApi();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestTargetLimit();
        app.UseSerilogRequestLogging();
        app.UseCreditActorsSecurity();
        app.MapCreditActorsDocs();
        app.MapOperationEndpoints();
        app.MapAccountEndpoints();
        app.MapLedgerEndpoints();
        app.MapEventEndpoints();
        app.MapLimitRequestEndpoints();
        app.MapReportEndpoints();
        app.MapAlertEndpoints();
        return app;
    }
}
