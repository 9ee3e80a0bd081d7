using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace CreditActors.Host.Logging;

/// <summary>The one Serilog set-up of the host: console, plain by default or compact JSON by Logging:Format.</summary>
public static class LoggingSetup
{
    public static void AddCreditActorsLogging(this WebApplicationBuilder builder)
    {
        var minimum = Enum.TryParse<LogEventLevel>(builder.Configuration["Logging:MinimumLevel"], ignoreCase: true, out var level)
            ? level : LogEventLevel.Information;
        var json = string.Equals(builder.Configuration["Logging:Format"], "json", StringComparison.OrdinalIgnoreCase);
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(minimum)
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            .Enrich.FromLogContext();
        configuration = json
            ? configuration.WriteTo.Console(new RenderedCompactJsonFormatter())
            : configuration.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}");
        Log.Logger = configuration.CreateLogger();
        builder.Services.AddSerilog(Log.Logger, dispose: false);
    }
}
