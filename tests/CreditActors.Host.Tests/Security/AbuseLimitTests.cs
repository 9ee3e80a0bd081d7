using System.Net;
using System.Net.Http.Json;
using CreditActors.Host.Security;
using CreditActors.Host.Tests.Support;

namespace CreditActors.Host.Tests.Security;

// Protects the service under abuse: a burst over a key's rate gets 429 with Retry-After, and the ledger stays correct.
public sealed class AbuseLimitTests
{
    [Fact]
    public async Task a_burst_over_the_rate_limit_gets_429_and_the_service_stays_correct()
    {
        using var store = new SqliteStore();
        var keys = SecuredHostFixture.KeyArguments(("orders", "key-orders", Roles.OrderSystem), ("boss", "key-boss", Roles.Admin));
        await using var host = await RunningHost.StartAsync([.. await store.NewStoreAsync(), .. keys, "--Auth:RequestsPerSecondPerKey=5"]);
        using var admin = host.WithKey("key-boss");
        using var orders = host.WithKey("key-orders");
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/accounts", new { accountId = "BURST-1", name = "Burst", currency = "CNY",
            creditLimit = 1_000_000m, paymentTermsDays = 30 })).StatusCode);

        var burst = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => orders.PostAsJsonAsync("/accounts/BURST-1/holds", new { holdId = $"H-{i}",
            amount = 10m })));
        var created = burst.Count(r => r.StatusCode == HttpStatusCode.Created);
        var limited = burst.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(30, created + limited.Count);
        Assert.InRange(created, 1, 10);
        Assert.NotEmpty(limited);
        Assert.All(limited, r => Assert.True(r.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1)));
        Assert.Equal("rate_limited", (await RunningHost.Json(limited[0])).GetProperty("code").GetString());

        // Another key is not slowed by this one, and after Retry-After the limited key is served again.
        var account = await RunningHost.Json(await admin.GetAsync("/accounts/BURST-1"));
        Assert.Equal(created * 10m, account.GetProperty("holds").GetDecimal());
        Assert.Equal(1 + created, account.GetProperty("version").GetInt64());
        await Task.Delay(limited[0].Headers.RetryAfter!.Delta!.Value + TimeSpan.FromMilliseconds(200));
        Assert.Equal(HttpStatusCode.Created, (await orders.PostAsJsonAsync("/accounts/BURST-1/holds", new { holdId = "H-after", amount = 10m })).StatusCode);
    }

    [Fact]
    public void without_keys_the_service_refuses_to_start_on_an_address_other_than_loopback()
    {
        var error = Assert.Throws<InvalidOperationException>(() => CreditActorsApp.Build(["--urls=http://0.0.0.0:5999",
            "--Storage:DataDirectory=" + Path.GetTempPath()]));
        Assert.Contains("Refusing to start", error.Message);
        Assert.Contains("Auth:Keys", error.Message);
    }
}
