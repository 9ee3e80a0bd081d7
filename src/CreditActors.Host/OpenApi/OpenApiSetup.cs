using Scalar.AspNetCore;

namespace CreditActors.Host.OpenApi;

/// <summary>The OpenAPI document at /openapi/v1.json and its interactive reference at /docs, both open without a key.</summary>
public static class OpenApiSetup
{
    public static IServiceCollection AddCreditActorsOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer<ContractDocument>();
            options.AddOperationTransformer<ContractOperations>();
            options.AddSchemaTransformer<ContractSchemas>();
        });

    public static void MapCreditActorsDocs(this WebApplication app)
    {
        app.MapOpenApi().AllowAnonymous().ExcludeFromDescription();
        // Scalar serves its page and script from the package itself. Its telemetry, AI agent and developer-tools bar would call
        // services elsewhere: all three are off, so the page needs nothing but this host.
        app.MapScalarApiReference("/docs", options => options
                .WithTitle("CreditActors API")
                .WithOpenApiRoutePattern("/openapi/{documentName}.json")
                .DisableTelemetry()
                .DisableAgent()
                .HideDeveloperTools())
            .AllowAnonymous().ExcludeFromDescription();
    }
}
