using System.Diagnostics.Metrics;
using CreditActors.Host.Cluster;
using CreditActors.Host.Security;
using CreditActors.Projections.Runtime;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CreditActors.Host.Telemetry;

/// <summary>
/// Metrics and traces for operators (OpenTelemetry). Metrics: HTTP rate and latency by route, credit decisions, journal
/// writes, live accounts and pending commands, projection lag, run progress, the runtime; scraped by Prometheus at
/// /metrics (the operator role). Traces: incoming HTTP, outgoing HTTP (webhooks, seal export) and SMTP, each request's
/// span tagged with its correlation id; exported over OTLP when Telemetry:Otlp:Endpoint is set.
/// </summary>
public static class TelemetrySetup
{
    public const string CorrelationTag = "creditactors.correlation_id";

    public static void AddCreditActorsTelemetry(this WebApplicationBuilder builder)
    {
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("creditactors", serviceInstanceId: Environment.MachineName))
            .WithMetrics(metrics => metrics
                .AddMeter(Actors.Telemetry.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());
        var endpoint = builder.Configuration["Telemetry:Otlp:Endpoint"];
        if (!string.IsNullOrWhiteSpace(endpoint))
        {
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var baseUri))
                throw new InvalidOperationException($"Telemetry:Otlp:Endpoint: '{endpoint}' is not an absolute URL");
            var delay = builder.Configuration.GetValue("Telemetry:Otlp:ExportDelayMilliseconds", 5_000);
            MailKit.Telemetry.SmtpClient.Configure();
            otel.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/metrics"))
                .AddHttpClientInstrumentation()
                .AddSource(MailKit.Telemetry.SmtpClient.ActivitySourceName)
                .AddOtlpExporter(o =>
                {
                    o.Protocol = OtlpExportProtocol.HttpProtobuf;
                    o.Endpoint = new Uri(baseUri, "v1/traces");
                    o.BatchExportProcessorOptions.ScheduledDelayMilliseconds = delay;
                }));
        }
        builder.Services.AddHostedService<ProjectionLagSampler>();
    }

    /// <summary>Prometheus scrapes /metrics with a key of the operator role.</summary>
    public static void MapCreditActorsMetrics(this WebApplication app) =>
        app.MapPrometheusScrapingEndpoint("/metrics").WithMetadata(new HttpMethodMetadata(["GET"])).Allow(Roles.Operator);
}

/// <summary>
/// Reads each projection's lag every few seconds and offers it as gauges (events behind, seconds behind), so that a scrape
/// never waits on the database.
/// </summary>
public sealed class ProjectionLagSampler(ProjectionStatus status, ILogger<ProjectionLagSampler> logger) : BackgroundService
{
    private static IReadOnlyList<ProjectionLag> _latest = [];

    static ProjectionLagSampler()
    {
        Actors.Telemetry.Meter.CreateObservableGauge("creditactors.projection.lag.events",
            () => _latest.Select(l => new Measurement<long>(l.EventsBehind, new KeyValuePair<string, object?>("projection", l.Projection))),
            "{event}", "Events written and not yet applied, by projection");
        Actors.Telemetry.Meter.CreateObservableGauge("creditactors.projection.lag.seconds",
            () => _latest.Select(l => new Measurement<double>(l.SecondsBehind ?? 0, new KeyValuePair<string, object?>("projection", l.Projection))),
            "s", "How long ago the last applied event was written while events wait, by projection");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
        do
        {
            try
            {
                _latest = await status.LagAsync(AkkaNode.ProjectionNames, stoppingToken);
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
            {
                logger.LogDebug(e, "Projection lag not read this time");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
