using System.Net;
using System.Net.Http.Json;
using CreditActors.Host.Security;
using CreditActors.Host.Tests.Support;

namespace CreditActors.Host.Tests.Security;

// Protects maker-checker over HTTP: large limit increases wait for a second person with the credit-manager role.
public sealed class MakerCheckerTests(SecuredHostFixture fixture) : IClassFixture<SecuredHostFixture>
{
    private async Task OpenAsync(string id, decimal limit)
    {
        using var manager = fixture.As(Roles.CreditManager);
        var opened = await manager.PostAsJsonAsync("/accounts", new { accountId = id, name = id, currency = "CNY", creditLimit = limit,
            paymentTermsDays = 30 });
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
    }

    /// <summary>Polls the requests inbox until its rows satisfy the condition (bounded: 30 s).</summary>
    private static async Task InboxAsync(HttpClient client, string path, Func<List<System.Text.Json.JsonElement>, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        List<System.Text.Json.JsonElement> rows;
        do
        {
            rows = (await RunningHost.Json(await client.GetAsync(path))).EnumerateArray().ToList();
            if (condition(rows))
                return;
            await Task.Delay(100);
        } while (DateTime.UtcNow < deadline);
        Assert.Fail($"{path} never showed what was expected: {string.Join(", ", rows)}");
    }

    private static async Task<string> RequestAsync(HttpClient client, string id, decimal limit)
    {
        var response = await client.PutAsJsonAsync($"/accounts/{id}/credit-limit", new { creditLimit = limit, reason = "new framework contract" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var request = await RunningHost.Json(response);
        Assert.Equal("pending", request.GetProperty("status").GetString());
        return request.GetProperty("requestId").GetString()!;
    }

    [Fact]
    public async Task a_large_increase_by_finance_is_approved_by_a_credit_manager()
    {
        await OpenAsync("MC-1", 100_000m);
        using var finance = fixture.As(Roles.Finance);
        using var manager = fixture.As(Roles.CreditManager);
        using var auditor = fixture.As(Roles.Auditor);
        var requestId = await RequestAsync(finance, "MC-1", 400_000m);
        Assert.Equal(100_000m, (await RunningHost.Json(await finance.GetAsync("/accounts/MC-1"))).GetProperty("creditLimit").GetDecimal());

        // The inbox across accounts is a read model: it shows the request once the projection has it.
        await InboxAsync(auditor, "/credit-limit-requests", rows => rows.Any(r => r.GetProperty("accountId").GetString() == "MC-1"
            && r.GetProperty("requestId").GetString() == requestId));
        Assert.Equal(HttpStatusCode.Forbidden, (await finance.PostAsJsonAsync($"/accounts/MC-1/credit-limit-requests/{requestId}/approve",
            new { })).StatusCode);

        var approved = await manager.PostAsJsonAsync($"/accounts/MC-1/credit-limit-requests/{requestId}/approve", new { comment = "guarantee on file" });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal(("approved", "credit-manager-client"), ((await RunningHost.Json(approved)).GetProperty("status").GetString(),
            (await RunningHost.Json(approved)).GetProperty("decidedBy").GetString()));
        Assert.Equal(400_000m, (await RunningHost.Json(await finance.GetAsync("/accounts/MC-1"))).GetProperty("creditLimit").GetDecimal());
        await InboxAsync(auditor, "/credit-limit-requests?status=pending", rows => rows.All(r => r.GetProperty("accountId").GetString() != "MC-1"));
        await InboxAsync(auditor, "/credit-limit-requests?status=approved", rows => rows.Any(r => r.GetProperty("accountId").GetString() == "MC-1"
            && r.GetProperty("decidedBy").GetString() == "credit-manager-client" && r.GetProperty("newLimit").GetDecimal() == 400_000m));

        var events = await RunningHost.Json(await auditor.GetAsync("/accounts/MC-1/events?fromVersion=2"));
        Assert.Equal([("CreditLimitChangeRequested", "finance-client"), ("CreditLimitChangeApproved", "credit-manager-client"), ("CreditLimitChanged",
            "credit-manager-client")],
            events.EnumerateArray().Select(e => (e.GetProperty("type").GetString(), e.GetProperty("actor").GetString())));
    }

    [Fact]
    public async Task a_credit_manager_cannot_approve_their_own_request_but_another_can()
    {
        await OpenAsync("MC-2", 10_000m);
        using var manager = fixture.As(Roles.CreditManager);
        using var second = fixture.Host.WithKey("key-credit-manager-2");
        var requestId = await RequestAsync(manager, "MC-2", 50_000m);

        var self = await manager.PostAsJsonAsync($"/accounts/MC-2/credit-limit-requests/{requestId}/approve", new { });
        Assert.Equal(HttpStatusCode.Forbidden, self.StatusCode);
        Assert.Equal("self_approval", (await RunningHost.Json(self)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, (await second.PostAsJsonAsync($"/accounts/MC-2/credit-limit-requests/{requestId}/approve", new { })).StatusCode);
        Assert.Equal(50_000m, (await RunningHost.Json(await manager.GetAsync("/accounts/MC-2"))).GetProperty("creditLimit").GetDecimal());
    }

    [Fact]
    public async Task a_request_whose_limit_was_cut_in_between_cannot_be_approved_and_is_rejected_instead()
    {
        await OpenAsync("MC-3", 100_000m);
        using var finance = fixture.As(Roles.Finance);
        using var manager = fixture.As(Roles.CreditManager);
        var requestId = await RequestAsync(finance, "MC-3", 300_000m);
        var cut = await manager.PutAsJsonAsync("/accounts/MC-3/credit-limit", new { creditLimit = 20_000m, reason = "payment default at another supplier" });
        Assert.Equal(HttpStatusCode.OK, cut.StatusCode);

        var stale = await manager.PostAsJsonAsync($"/accounts/MC-3/credit-limit-requests/{requestId}/approve", new { });
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal("limit_changed_since_request", (await RunningHost.Json(stale)).GetProperty("code").GetString());
        var rejected = await manager.PostAsJsonAsync($"/accounts/MC-3/credit-limit-requests/{requestId}/reject", new { reason = "made against the old limit" });
        Assert.Equal("rejected", (await RunningHost.Json(rejected)).GetProperty("status").GetString());
        Assert.Equal(20_000m, (await RunningHost.Json(await manager.GetAsync("/accounts/MC-3"))).GetProperty("creditLimit").GetDecimal());
    }

    [Fact]
    public async Task an_increase_within_the_thresholds_applies_at_once()
    {
        await OpenAsync("MC-4", 100_000m);
        using var finance = fixture.As(Roles.Finance);
        var response = await finance.PutAsJsonAsync("/accounts/MC-4/credit-limit", new { creditLimit = 140_000m, reason = "seasonal" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(140_000m, (await RunningHost.Json(response)).GetProperty("creditLimit").GetDecimal());
    }
}
