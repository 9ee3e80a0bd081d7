using System.Net;
using System.Net.Http.Json;
using System.Text;
using CreditActors.Host.Tests.Support;

namespace CreditActors.Host.Tests;

// What an operator's tools see: liveness and readiness for a Kubernetes probe, Prometheus metrics after real traffic
// (HTTP by route, credit decisions by outcome and reason, journal writes, live accounts, projection lag), and traces
// exported over OTLP to a real HTTP listener on 127.0.0.1, with the request's correlation id on its span.
public sealed class OperatorTests(SqliteHostFixture fixture) : IClassFixture<SqliteHostFixture>
{
    [Fact]
    public async Task health_probes_and_prometheus_metrics_follow_the_traffic()
    {
        var host = fixture.Host;
        Assert.Equal("live", (await host.GetJsonAsync("/health/live")).GetProperty("status").GetString());
        var ready = await host.GetJsonAsync("/health/ready");
        Assert.Equal("ready", ready.GetProperty("status").GetString());
        Assert.Equal(["cluster", "journal", "projections"], ready.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()));

        Assert.Equal(HttpStatusCode.Created, (await host.PostAsync("/accounts", new { accountId = "OPS-1", name = "Ops", currency = "CNY", creditLimit = 1_000m, paymentTermsDays = 30 })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.PostAsync("/accounts/OPS-1/credit-checks", new { amount = 500m })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.PostAsync("/accounts/OPS-1/credit-checks", new { amount = 5_000m })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await host.PostAsync("/accounts/OPS-1/holds", new { holdId = "H-1", amount = 300m })).StatusCode);

        // Metrics are collected as they happen and read at each scrape.
        var scraper = host.Client;
        string metrics = "";
        for (var attempt = 0; attempt < 50 && !metrics.Contains("creditactors_projection_lag_events", StringComparison.Ordinal); attempt++, await Task.Delay(200))
            metrics = await scraper.GetStringAsync("/metrics");
        Assert.Contains("creditactors_credit_decisions_total{", metrics, StringComparison.Ordinal);
        Assert.Contains("outcome=\"declined\"", metrics, StringComparison.Ordinal);
        Assert.Contains("reason=\"insufficient_credit\"", metrics, StringComparison.Ordinal);
        Assert.Contains("creditactors_journal_write_duration_seconds_bucket{", metrics, StringComparison.Ordinal);
        Assert.Contains("command=\"PlaceHold\"", metrics, StringComparison.Ordinal);
        Assert.Contains("creditactors_accounts_active", metrics, StringComparison.Ordinal);
        Assert.Contains("creditactors_commands_pending", metrics, StringComparison.Ordinal);
        Assert.Contains("creditactors_projection_lag_events{", metrics, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds_bucket{", metrics, StringComparison.Ordinal);
        Assert.Contains("http_route=\"/accounts/{accountId}/credit-checks\"", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task traces_go_out_over_otlp_with_the_correlation_id_on_the_span()
    {
        var port = NodeProcess.FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var received = new List<byte[]>();
        var receiving = Task.Run(async () =>
        {
            // Bounded: the test stops the listener, which ends the loop.
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                if (context.Request.Url!.AbsolutePath == "/v1/traces")
                    lock (received)
                        received.Add(body.ToArray());
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        });

        var storage = await fixture.Store.NewStoreAsync();
        await using (var host = await RunningHost.StartAsync(storage, $"--Telemetry:Otlp:Endpoint=http://127.0.0.1:{port}/",
            "--Telemetry:Otlp:ExportDelayMilliseconds=200"))
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/accounts")
            {
                Content = JsonContent.Create(new { accountId = "TRACE-1", name = "Trace", currency = "CNY", creditLimit = 1_000m, paymentTermsDays = 30 }),
                Headers = { { "X-Correlation-Id", "trace-me-4711" } },
            };
            Assert.Equal(HttpStatusCode.Created, (await host.Client.SendAsync(request)).StatusCode);
            var found = false;
            for (var attempt = 0; attempt < 100 && !found; attempt++, await Task.Delay(100))
                lock (received)
                    found = received.Any(b => Encoding.UTF8.GetString(b).Contains("trace-me-4711", StringComparison.Ordinal));
            Assert.True(found, $"{received.Count} trace exports arrived, none with the correlation id");
            lock (received)
                Assert.Contains(received, b => Encoding.UTF8.GetString(b).Contains("/accounts", StringComparison.Ordinal));
        }
        listener.Stop();
        await receiving;
    }
}
