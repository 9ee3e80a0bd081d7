using System.Net;
using System.Threading.RateLimiting;
using CreditActors.Host.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.RateLimiting;

namespace CreditActors.Host.Security;

/// <summary>API keys, roles, development mode and the abuse limits, set up once for the host.</summary>
public static class SecuritySetup
{
    public static void AddCreditActorsSecurity(this WebApplicationBuilder builder)
    {
        var registry = new ApiKeyRegistry(builder.Configuration);
        builder.Services.AddSingleton(registry);
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        // Secure by default: an endpoint that names no roles still needs a valid key.
        builder.Services.AddAuthorization(options => options.FallbackPolicy =
            new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        if (registry.DevelopmentMode)
            RefuseUnlessLoopback(builder.Configuration["Urls"] ?? builder.Configuration["urls"] ?? "");

        var api = ApiSettings.From(builder.Configuration);
        var perKeyPerSecond = api.RequestsPerSecondPerKey;
        var concurrent = api.MaximumConcurrentRequests;
        builder.Services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                // Per key: a token bucket that refills every second; a burst of one second's worth is allowed.
                PartitionedRateLimiter.Create<HttpContext, string>(http => RateLimitPartition.GetTokenBucketLimiter(
                    http.User.Identity?.Name ?? http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = perKeyPerSecond,
                        TokensPerPeriod = perKeyPerSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    })),
                // Per node: a bound on requests in flight, so an overload answers 503 instead of queueing without end.
                PartitionedRateLimiter.Create<HttpContext, string>(_ => RateLimitPartition.GetConcurrencyLimiter("node",
                    _ => new ConcurrencyLimiterOptions { PermitLimit = concurrent, QueueLimit = 0 })));
            options.OnRejected = async (context, cancellation) =>
            {
                IResult problem;
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                    context.HttpContext.Response.Headers.RetryAfter = seconds.ToString();
                    problem = Problems.TooManyRequests(seconds);
                }
                else
                {
                    context.HttpContext.Response.Headers.RetryAfter = "1";
                    problem = Problems.Unavailable("the node has too many requests in flight; retry shortly");
                }
                await problem.ExecuteAsync(context.HttpContext);
            };
        });
    }

    public static void UseCreditActorsSecurity(this WebApplication app)
    {
        var registry = app.Services.GetRequiredService<ApiKeyRegistry>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CreditActors.Security");
        if (registry.DevelopmentMode)
        {
            logger.LogWarning("DEVELOPMENT MODE: no API keys are configured, so every request is let in with every role. " +
                "The service listens on loopback addresses only. Configure Auth:Keys before exposing it.");
            // The addresses Kestrel actually bound, in case they came from somewhere the start-up check did not read.
            app.Lifetime.ApplicationStarted.Register(() =>
            {
                var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
                if (addresses.Any(a => !IsLoopback(a)))
                {
                    logger.LogCritical("Refusing to serve on {Addresses} without API keys; stopping", string.Join(", ", addresses));
                    app.Lifetime.StopApplication();
                }
            });
        }
        else
        {
            logger.LogInformation("API keys configured: {KeyNames}", string.Join(", ", registry.Keys.Select(k => $"{k.Name} ({string.Join("/", k.Roles)})")));
        }
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
    }

    private static void RefuseUnlessLoopback(string urls)
    {
        var exposed = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(u => !IsLoopback(u)).ToList();
        if (exposed.Count > 0)
            throw new InvalidOperationException(
                $"Refusing to start: no API keys are configured (Auth:Keys) and the service would listen on {string.Join(", ", exposed)}. " +
                "Without keys it runs only on loopback addresses (127.0.0.1, [::1], localhost). Configure keys, or bind to 127.0.0.1.");
    }

    private static bool IsLoopback(string url)
    {
        var host = url.Split("://", 2)[^1].Split('/')[0];
        host = host.StartsWith('[') ? host[..(host.IndexOf(']') + 1)] : host.Split(':')[0];
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
            return true;
        return IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }
}
