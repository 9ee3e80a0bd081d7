using System.Net;
using Akka.Actor;
using CreditActors.Host.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CreditActors.Host.Tests;

// Protects durability and a clean stop: stopping the host leaves nothing of the node running, and starting it again on the
// same data directory keeps every account.
public abstract class RestartTests(IStore store)
{
    [Fact]
    public async Task stopping_the_host_stops_the_projections_and_terminates_the_node_before_it_returns()
    {
        var host = await RunningHost.StartAsync(await store.NewStoreAsync());
        await host.PostAsync("/accounts", new { accountId = "STOP-1", name = "Stop Co", currency = "EUR", creditLimit = 2_000m, paymentTermsDays = 30 });
        await host.PostAsync("/accounts/STOP-1/holds", new { holdId = "H-1", amount = 1_900m });
        var system = host.Services.GetRequiredService<CreditActors.Host.Cluster.AkkaNode>().System;
        var projections = await system.ActorSelection("/user/projections/singleton").ResolveOne(TimeSpan.FromSeconds(5));
        var watcher = new TaskCompletionSource();
        _ = projections.WatchAsync().ContinueWith(_ => watcher.TrySetResult());

        await host.DisposeAsync();

        Assert.True(system.WhenTerminated.IsCompleted, "the actor system still runs after the host stopped");
        Assert.True(watcher.Task.IsCompleted, "the projections still run after the host stopped");
    }

    [Fact]
    public async Task accounts_survive_a_restart_of_the_host()
    {
        var storeArguments = await store.NewStoreAsync();
        {
            string before, invoicesBefore;
            await using (var host = await RunningHost.StartAsync(storeArguments))
            {
                await host.PostAsync("/accounts", new { accountId = "KEEP-1", name = "Durable Co", currency = "EUR", creditLimit = 2_000m,
                    paymentTermsDays = 30 });
                await host.PostAsync("/accounts/KEEP-1/holds", new { holdId = "H-1", amount = 250m, expiresAt = DateTimeOffset.UtcNow.AddDays(2) });
                await host.PostAsync("/accounts/KEEP-1/invoices", new { invoiceNumber = "INV-1", amount = 800m, issueDate = "2026-02-01",
                    discount = new { percent = 2m, withinDays = 10 } });
                await host.PostAsync("/accounts/KEEP-1/payments", new { paymentReference = "PAY-1", amount = 784m, receivedDate = "2026-02-05" });
                before = (await host.GetJsonAsync("/accounts/KEEP-1")).ToString();
                invoicesBefore = (await host.GetJsonAsync("/accounts/KEEP-1/invoices")).ToString();
            }

            await using (var host = await RunningHost.StartAsync(storeArguments))
            {
                Assert.Equal(before, (await host.GetJsonAsync("/accounts/KEEP-1")).ToString());
                Assert.Equal(invoicesBefore, (await host.GetJsonAsync("/accounts/KEEP-1/invoices")).ToString());
                var repeat = await host.PostAsync("/accounts/KEEP-1/payments", new { paymentReference = "PAY-1", amount = 784m, receivedDate = "2026-02-05" });
                Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
                var events = await host.GetJsonAsync("/accounts/KEEP-1/events");
                Assert.Contains(events.EnumerateArray(), e => e.GetProperty("type").GetString() == "EarlyPaymentDiscountGranted");
            }
        }
    }
}

public sealed class SqliteRestartTests(SqliteHostFixture fixture) : RestartTests(fixture.Store), IClassFixture<SqliteHostFixture>;

[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlRestartTests(PostgresHostFixture fixture) : RestartTests(fixture.Store), IClassFixture<PostgresHostFixture>;
