using CreditActors.Host.Apis;
using CreditActors.Host.Cluster;
using CreditActors.Host.Http;
using CreditActors.Host.Logging;
using CreditActors.Host.OpenApi;
using CreditActors.Host.Security;

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
        builder.AddCreditActorsHttp();
        builder.AddCreditActorsNode();
        builder.AddCreditActorsReadModels();
        builder.AddCreditActorsSecurity();
        builder.Services.AddCreditActorsOpenApi();
        Telemetry.TelemetrySetup.AddCreditActorsTelemetry(builder);

        var app = builder.Build();
        app.UseCreditActorsHttp();
        app.UseCreditActorsSecurity();
        app.MapCreditActorsDocs();
        app.MapOperationsApi();
        app.MapAccountsApi();
        app.MapLedgerApi();
        app.MapLimitRequestsApi();
        app.MapRatingsApi();
        app.MapCollectionsApi();
        app.MapStatementsApi();
        app.MapConfirmationsApi();
        app.MapBankApi();
        app.MapAuditApi();
        app.MapBacktestsApi();
        app.MapGeneralLedgerApi();
        app.MapExportsApi();
        app.MapEventsApi();
        app.MapReportsApi();
        app.MapAlertsApi();
        app.MapConsole();
        Telemetry.TelemetrySetup.MapCreditActorsMetrics(app);
        return app;
    }
}
