using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace CreditActors.Host.Tests.Support;

/// <summary>
/// The published OpenAPI document as a contract: every response a host test receives must have a status the operation
/// declares, a content type declared for that status, and a body valid against the declared schema (JSON Schema 2020-12,
/// OpenAPI 3.1's dialect, evaluated by JsonSchema.Net). A request that matches no documented path must be answered with a
/// problem document. A violation fails the request, and so the test that sent it.
/// </summary>
public sealed partial class ApiContract
{
    private const string ComponentsUri = "https://contract.creditactors.test/components";
    private static readonly ConcurrentDictionary<string, ApiContract> ByDocument = new();

    private readonly BuildOptions _build = new() { SchemaRegistry = new SchemaRegistry() };
    private readonly List<(string Template, Regex Pattern, JsonObject PathItem)> _paths = [];
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new();
    private readonly JsonSchema _problem;
    private int _built;

    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    private ApiContract(string documentJson)
    {
        var document = JsonNode.Parse(documentJson.Replace("\"#/components/schemas/", $"\"{ComponentsUri}#/$defs/", StringComparison.Ordinal))!.AsObject();
        var components = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = ComponentsUri,
            ["$defs"] = document["components"]!["schemas"]!.DeepClone(),
        };
        JsonSchema.FromText(components.ToJsonString(), _build);
        foreach (var (template, item) in document["paths"]!.AsObject())
            _paths.Add((template, new Regex("^" + Regex.Replace(Regex.Escape(template), @"\\\{[^/]+?}", "[^/]+") + "$"), item!.AsObject()));
        _problem = Schema(new JsonObject { ["$ref"] = $"{ComponentsUri}#/$defs/Problem" });
    }

    /// <summary>The contract of the host at <paramref name="baseAddress"/>, read once per distinct document.</summary>
    public static async Task<ApiContract> ForAsync(Uri baseAddress)
    {
        using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var json = await client.GetStringAsync("/openapi/v1.json");
        return ByDocument.GetOrAdd(json, text => new ApiContract(text));
    }

    /// <summary>Paths the document leaves out on purpose: the document itself and its reference page.</summary>
    private static bool Undocumented(string path) =>
        path.StartsWith("/openapi/", StringComparison.Ordinal) || path == "/docs" || path.StartsWith("/docs/", StringComparison.Ordinal)
        || path.StartsWith("/scalar/", StringComparison.Ordinal)
        // The console's pages and scripts: files for a browser, not operations of the API (its own tests drive them).
        || path == "/console" || path.StartsWith("/console/", StringComparison.Ordinal);

    public async Task CheckAsync(HttpRequestMessage request, HttpResponseMessage response)
    {
        var path = request.RequestUri!.AbsolutePath;
        if (Undocumented(path))
            return;
        var method = request.Method.Method.ToLowerInvariant();
        var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var where = $"{request.Method} {path} answered {status} {mediaType}";

        if (status == "414")
        {
            // A target too long to route is refused before any operation is chosen (the document's description says so).
            Require(mediaType == "application/problem+json", where, "a 414 must be a problem document");
            await ValidateAsync(_problem, response, where);
            return;
        }
        var matches = _paths.Where(p => p.Pattern.IsMatch(path)).ToList();
        // A literal path wins over a template (/alerts/stream over /alerts/{alertId}).
        var operation = matches.OrderBy(p => p.Template.Count(c => c == '{')).Select(p => p.PathItem[method]).FirstOrDefault(o => o is not null)?.AsObject();
        if (operation is null)
        {
            // No documented operation: only the framework's refusals may answer, each as a problem document.
            Require(status is "400" or "404" or "405" or "414", where,
                matches.Count == 0 ? "no documented path matches" : $"{method} is not documented on this path");
            Require(mediaType == "application/problem+json", where, "an undocumented request must be answered with a problem document");
            await ValidateAsync(_problem, response, where);
            return;
        }

        var responses = operation["responses"]!.AsObject();
        var declared = responses[status] ?? responses[status[0] + "XX"] ?? responses["default"];
        Require(declared is not null, where, $"status {status} is not declared (declared: {string.Join(", ", responses.Select(r => r.Key))})");
        var content = declared!["content"]?.AsObject();
        if (content is null || content.Count == 0)
        {
            var text = await response.Content.ReadAsStringAsync();
            Require(text.Length == 0, where, "the document declares no body, but one was sent");
            return;
        }
        Require(mediaType is not null && content.ContainsKey(mediaType), where,
            $"content type {mediaType} is not declared (declared: {string.Join(", ", content.Select(c => c.Key))})");
        if (mediaType is "application/json" or "application/problem+json")
            await ValidateAsync(Schema(content[mediaType!]!["schema"]!), response, $"{where} ({operation["operationId"]})");
    }

    private JsonSchema Schema(JsonNode schema) =>
        _schemas.GetOrAdd(schema.ToJsonString(), text =>
        {
            var root = JsonNode.Parse(text)!.AsObject();
            root["$id"] = $"https://contract.creditactors.test/response/{Interlocked.Increment(ref _built)}";
            return JsonSchema.FromText(root.ToJsonString(), _build);
        });

    private static async Task ValidateAsync(JsonSchema schema, HttpResponseMessage response, string where)
    {
        var text = await response.Content.ReadAsStringAsync();
        JsonElement body;
        try
        {
            body = JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new ContractViolationException($"{where}: the body is not JSON ({e.Message}): {Shorten(text)}");
        }
        var result = schema.Evaluate(body, Evaluation);
        if (result.IsValid)
            return;
        var errors = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value} ({d.EvaluationPath})")).Take(8);
        throw new ContractViolationException($"{where}: the body does not match the documented schema:\n  {string.Join("\n  ", errors)}\n  body: {Shorten(text)}");
    }

    private static void Require(bool condition, string where, string what)
    {
        if (!condition)
            throw new ContractViolationException($"{where}: {what}");
    }

    private static string Shorten(string text) => text.Length <= 600 ? text : text[..600] + "…";
}

public sealed class ContractViolationException(string message) : Exception("The response breaks the OpenAPI document: " + message);

/// <summary>Checks each response against the host's <see cref="ApiContract"/> before the test sees it.</summary>
public sealed class ContractCheckingHandler(ApiContract contract) : DelegatingHandler(new HttpClientHandler())
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
            await response.Content.LoadIntoBufferAsync(cancellationToken);
        await contract.CheckAsync(request, response);
        return response;
    }
}
