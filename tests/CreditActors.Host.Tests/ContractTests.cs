using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CreditActors.Host.Tests.Support;

namespace CreditActors.Host.Tests;

// Protects the OpenAPI document as integrators use it: complete operations, true schemas, and a checker that refuses a response breaking it.
public sealed class ContractTests(SqliteHostFixture fixture) : IClassFixture<SqliteHostFixture>
{
    private RunningHost Host => fixture.Host;

    private async Task<JsonObject> DocumentAsync() => JsonNode.Parse(await Host.Client.GetStringAsync("/openapi/v1.json"))!.AsObject();

    private static IEnumerable<(string Name, JsonObject Operation)> Operations(JsonObject document) =>
        document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(o => ($"{o.Key.ToUpperInvariant()} {p.Key}", o.Value!.AsObject())));

    [Fact]
    public async Task every_operation_has_an_id_a_summary_a_tag_and_the_problems_it_can_answer()
    {
        var document = await DocumentAsync();
        var operations = Operations(document).ToList();
        Assert.True(operations.Count >= 37, $"{operations.Count} operations");
        Assert.Equal(operations.Count, operations.Select(o => (string)o.Operation["operationId"]!).Distinct().Count());
        foreach (var (name, operation) in operations)
        {
            Assert.False(string.IsNullOrWhiteSpace((string?)operation["summary"]), $"{name} has no summary");
            Assert.NotEmpty(operation["tags"]!.AsArray());
            var responses = operation["responses"]!.AsObject();
            Assert.True(responses.Any(r => r.Key.StartsWith('2')), $"{name} declares no success");
            // An operation that needs a key answers for it; one opened by a signed link (no key) answers for the link.
            var needsKey = operation["security"] is not null;
            var probe = name is "GET /health" or "GET /health/live" or "GET /health/ready";
            if (!probe)
                foreach (var status in needsKey ? new[] { "401", "403", "429", "500", "503" } : ["404", "410", "500", "503"])
                    Assert.True(responses.ContainsKey(status), $"{name} does not declare {status}");
            if (operation["requestBody"] is { } body)
            {
                // A JSON body has an example; a bank file (camt.053 XML or CSV) has one of each.
                Assert.NotNull(body["content"]!["application/json"]?["example"] ?? body["content"]!["text/csv"]?["example"]);
                foreach (var status in new[] { "400", "413", "415" })
                    Assert.True(responses.ContainsKey(status), $"{name} does not declare {status}");
            }
            // Every error is a problem document; the health check's 503 is its own report of an unhealthy node.
            foreach (var (status, response) in responses.Where(r => r.Key[0] is '4' or '5' && !probe))
                Assert.True(response!["content"]?["application/problem+json"] is not null, $"{name} {status} is not a problem document");
        }
        var holds = operations.Single(o => o.Name == "POST /accounts/{accountId}/holds").Operation;
        Assert.Equal("#/components/schemas/CreditDeclined", (string?)holds["responses"]!["422"]!["content"]!["application/problem+json"]!["schema"]!["$ref"]);
        Assert.Equal("http", (string?)document["components"]!["securitySchemes"]!["bearer"]!["type"]);
        Assert.Null(document["components"]!["schemas"]!["ProblemDetails"]);
        // Money is never binary floating point: the only double is a measured lag in seconds.
        var doubles = document["components"]!["schemas"]!.AsObject()
            .SelectMany(schema => (schema.Value!["properties"]?.AsObject()
                ?? []).Where(p => (string?)p.Value!["format"] == "double").Select(p => $"{schema.Key}.{p.Key}"));
        Assert.Equal(["ProjectionLag.secondsBehind"], doubles);
    }

    [Fact]
    public async Task optional_members_of_answers_are_optional_and_never_null_and_request_bodies_say_what_is_required()
    {
        var schemas = (await DocumentAsync())["components"]!["schemas"]!.AsObject();
        var account = schemas["AccountView"]!;
        var required = account["required"]!.AsArray().Select(r => (string)r!).ToList();
        Assert.Contains("availableCredit", required);
        Assert.DoesNotContain("phone", required);
        Assert.DoesNotContain("contact", required);
        Assert.DoesNotContain("null", account["properties"]!.ToJsonString());
        Assert.Equal(["amount", "holdId"], schemas["PlaceHoldRequest"]!["required"]!.AsArray().Select(r => (string)r!).Order());
        Assert.DoesNotContain("line", schemas["AllocationRequestBody"]!["required"]!.AsArray().Select(r => (string)r!));
        var amount = schemas["PlaceHoldRequest"]!["properties"]!["amount"]!;
        Assert.Equal("decimal", (string?)amount["format"]);
        Assert.Equal("number", (string?)amount["type"]);
        Assert.Contains("null", schemas["PlaceHoldRequest"]!["properties"]!["orderReference"]!["type"]!.ToJsonString());
        Assert.Equal(ContractPattern, (string?)schemas["PlaceHoldRequest"]!["properties"]!["holdId"]!["pattern"]);
    }

    private const string ContractPattern = "^[A-Za-z0-9_.-]{1,64}$";

    public static TheoryData<int, string, string> BrokenResponses => new()
    {
        { 200, "application/json", """{"holdId":"H-1"}""" },
        { 200, "application/json", """{"holdId":"H-1","amount":1,"status":"active","expiresAt":"2026-12-08T00:00:00Z","placedAt":"2026-12-01T00:00:00Z","colour":"red"}""" },
        { 200, "application/json", """{"holdId":"H-1","amount":"1","status":"active","expiresAt":"2026-12-08T00:00:00Z","placedAt":"2026-12-01T00:00:00Z"}""" },
        { 200, "application/json", """{"holdId":"H-1","amount":1,"status":"active","expiresAt":"2026-12-08T00:00:00Z","placedAt":"2026-12-01T00:00:00Z","orderReference":null}""" },
        { 200, "text/plain", "ok" },
        { 418, "application/problem+json", """{"type":"x","title":"x","status":418,"detail":"x","code":"x","errors":{},"traceId":"x"}""" },
        { 404, "application/problem+json", """{"title":"Not Found","status":404}""" },
    };

    [Theory]
    [MemberData(nameof(BrokenResponses))]
    public async Task the_checker_refuses_a_response_that_breaks_the_document(int status, string mediaType, string body)
    {
        var contract = await ApiContract.ForAsync(Host.Client.BaseAddress!);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Host.Client.BaseAddress!, "/accounts/ACME-1/holds/H-1"));
        using var response = new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent(body, Encoding.UTF8, mediaType) };
        await Assert.ThrowsAsync<ContractViolationException>(() => contract.CheckAsync(request, response));
    }

    [Fact]
    public async Task the_checker_accepts_a_hold_as_the_service_answers_it()
    {
        var contract = await ApiContract.ForAsync(Host.Client.BaseAddress!);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Host.Client.BaseAddress!, "/accounts/ACME-1/holds/H-1"));
        using var response = new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent("""{"holdId":"H-1","amount":1.5,"status":"active","expiresAt":"2026-12-08T00:00:00Z","placedAt":"2026-12-01T00:00:00Z"}""",
                Encoding.UTF8, "application/json"),
        };
        await contract.CheckAsync(request, response);
    }

    [Fact]
    public async Task the_interactive_reference_is_served_without_a_key_and_without_anything_from_elsewhere()
    {
        using var page = await Host.Client.GetAsync("/docs");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("openapi/v1.json", html);
        Assert.DoesNotContain("cdn.", html);
        using var script = await Host.Client.GetAsync("/docs/scalar.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }
}
