using System.Net;
using System.Text;
using CreditActors.Host.Security;
using CreditActors.Host.Tests.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CreditActors.Host.Tests.Security;

// Protects who may do what: every endpoint answers each role as the README's access table says, and no endpoint is missing from it.
public sealed class AccessTableTests(SecuredHostFixture fixture) : IClassFixture<SecuredHostFixture>
{
    private const string Anyone = "anyone, no key";
    private const string AnyKey = "any key";

    private sealed record Row(string Method, string Path, string Who);

    private static List<Row> ReadmeTable()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "README.md")))
            directory = directory.Parent;
        Assert.NotNull(directory);
        var lines = File.ReadAllLines(Path.Combine(directory!.FullName, "README.md"));
        var start = Array.FindIndex(lines, l => l.StartsWith("| method | path | roles besides admin |", StringComparison.Ordinal));
        Assert.True(start >= 0, "README has no access table");
        return lines.Skip(start + 2).TakeWhile(l => l.StartsWith('|'))
            .Select(l => l.Trim('|').Split('|').Select(c => c.Trim()).ToArray())
            .Select(c => new Row(c[0], c[1], c[2]))
            .ToList();
    }

    private List<Row> ServiceTable()
    {
        var endpoints = fixture.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        var rows = new List<Row>();
        foreach (var endpoint in endpoints)
        {
            var path = "/" + endpoint.RoutePattern.RawText!.Trim('/');
            var authorize = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>();
            // No roles named: the fallback policy still wants a valid key.
            var who = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null ? Anyone
                : authorize.Count == 0 ? AnyKey
                : Describe(authorize.SelectMany(a => (a.Roles ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)));
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
                rows.Add(new Row(method, path, who));
        }
        return rows;
    }

    private static string Describe(IEnumerable<string> roles)
    {
        var set = roles.ToHashSet();
        set.Remove(Roles.Admin);
        return set.Count == 0 ? "–" : string.Join(", ", Roles.All.Where(set.Contains));
    }

    [Fact]
    public void every_endpoint_is_in_the_readme_table_with_the_roles_it_enforces()
    {
        var readme = ReadmeTable().Select(r => $"{r.Method} {r.Path}: {r.Who}").Order().ToList();
        var service = ServiceTable().Select(r => $"{r.Method} {r.Path}: {r.Who}").Order().ToList();
        Assert.Equal(readme, service);
    }

    [Fact]
    public async Task every_endpoint_answers_every_role_as_the_table_says()
    {
        var failures = new StringBuilder();
        foreach (var row in ServiceTable())
        {
            var path = row.Path.Replace("{accountId}", "ACCESS-1").Replace("{documentName}", "v1").Replace("{holdId}", "H-1")
                .Replace("{invoiceNumber}", "INV-1").Replace("{paymentReference}", "PAY-1").Replace("{requestId}", "LCR-1").Replace("{alertId}",
                    "al-none").Replace("{name}", "nothing");
            foreach (var role in Roles.All)
            {
                using var client = fixture.As(role);
                var status = await SendAsync(client, row.Method, path);
                var allowed = row.Who is Anyone or AnyKey || role == Roles.Admin || row.Who.Split(", ").Contains(role);
                if (allowed == (status is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized))
                    failures.AppendLine($"{row.Method} {path} as {role}: {(int)status}, table says {(allowed ? "allowed" : "forbidden")}");
            }
            using var anonymous = fixture.Host.WithKey("not-a-key");
            var unknownKey = await SendAsync(anonymous, row.Method, path);
            var noKey = await SendAsync(fixture.Host.Client, row.Method, path);
            var open = row.Who == Anyone;
            if (open == (unknownKey == HttpStatusCode.Unauthorized) || open == (noKey == HttpStatusCode.Unauthorized))
                failures.AppendLine($"{row.Method} {path}: unknown key {(int)unknownKey}, no key {(int)noKey}");
        }
        Assert.True(failures.Length == 0, failures.ToString());
    }

    private static async Task<HttpStatusCode> SendAsync(HttpClient client, string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT" or "PATCH")
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        // Headers only: the live alert feed never ends by itself.
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return response.StatusCode;
    }

    [Fact]
    public async Task a_missing_or_unknown_key_gets_401_with_a_bearer_challenge()
    {
        var none = await fixture.Host.Client.GetAsync("/accounts/ACCESS-1");
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("Bearer", none.Headers.WwwAuthenticate.ToString());
        Assert.Equal("application/problem+json", none.Content.Headers.ContentType?.MediaType);
        using var wrong = fixture.Host.WithKey("key-admin-2");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/me")).StatusCode);
    }

    [Fact]
    public async Task the_keys_name_is_the_actor_of_every_event_it_causes()
    {
        using var manager = fixture.As(Roles.CreditManager);
        await manager.PostAsync("/accounts", Json("""{"accountId":"WHO-1","name":"Who Co","currency":"CNY","creditLimit":1000,"paymentTermsDays":30}"""));
        using var orders = fixture.As(Roles.OrderSystem);
        Assert.Equal(HttpStatusCode.Created, (await orders.PostAsync("/accounts/WHO-1/holds", Json("""{"holdId":"H-1","amount":5}"""))).StatusCode);
        using var auditor = fixture.As(Roles.Auditor);
        var events = await RunningHost.Json(await auditor.GetAsync("/accounts/WHO-1/events"));
        Assert.Equal(["credit-manager-client", "order-system-client"], events.EnumerateArray().Select(e => e.GetProperty("actor").GetString()));
    }

    [Fact]
    public async Task contact_details_are_masked_for_analysts_and_order_systems()
    {
        using var manager = fixture.As(Roles.CreditManager);
        await manager.PostAsync("/accounts", Json("""{"accountId":"MASK-1","name":"Mask Co","currency":"CNY","creditLimit":1000,"paymentTermsDays":30,"email":"li.wei@acme.example","phone":"+86 21 5555 0100","taxId":"91310000MA1FL0XX12","address":"88 Century Ave"}"""));
        foreach (var (role, email, phone) in new[] { (Roles.Analyst, "l***@acme.example", "***0100"), (Roles.OrderSystem, "l***@acme.example", "***0100"),
            (Roles.Finance, "li.wei@acme.example", "+86 21 5555 0100") })
        {
            using var client = fixture.As(role);
            var account = await RunningHost.Json(await client.GetAsync("/accounts/MASK-1"));
            Assert.Equal((email, phone), (account.GetProperty("email").GetString(), account.GetProperty("phone").GetString()));
        }
    }

    internal static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
