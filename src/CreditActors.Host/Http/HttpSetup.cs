using Serilog;

namespace CreditActors.Host.Http;

/// <summary>The HTTP edge: its limits, the API's JSON, problem documents for every error, request logging.</summary>
public static class HttpSetup
{
    public static void AddCreditActorsHttp(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = JsonBody.MaximumBytes;
            // Kestrel answers a request line over its limit itself, with an empty body; the application refuses a target
            // over RequestTarget.MaximumLength with a problem document, so Kestrel's limit sits well above that.
            kestrel.Limits.MaxRequestLineSize = RequestTarget.KestrelLineLimit;
        });
        builder.Services.AddSingleton(ApiSettings.From(builder.Configuration));
        builder.Services.ConfigureHttpJsonOptions(options => ApiJson.Configure(options.SerializerOptions));
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = Problems.Complete);
    }

    public static void UseCreditActorsHttp(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestTargetLimit();
        app.UseSerilogRequestLogging();
    }
}
