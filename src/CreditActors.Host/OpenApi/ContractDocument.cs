using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CreditActors.Host.OpenApi;

/// <summary>The document's own parts: what the API is, the bearer scheme, and the two problem schemas every error uses.</summary>
public sealed class ContractDocument : IOpenApiDocumentTransformer
{
    public const string BearerScheme = "bearer";
    public const string ProblemSchema = "Problem";
    public const string DeclinedSchema = "CreditDeclined";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "CreditActors",
            Version = "v1",
            Description = """
                A live trade-credit ledger: accounts, credit checks and holds, invoices, payments, credit notes, write-offs,
                maker-checker on limits, aging and portfolio reports, risk alerts.

                Amounts are JSON numbers in the account currency's major unit, with no more decimals than the currency has
                (1250.50 CNY, 1250 JPY). Dates are YYYY-MM-DD from 1900-01-01 to 2199-12-31; instants ISO 8601.
                Caller ids (1 to 64 characters of A-Z a-z 0-9 _ . -) make each command idempotent: the same request again
                answers as the first time and writes nothing; the same id with other content is 409.
                A member without a value is left out of an answer, never sent as null.
                Every error is an RFC 7807 problem document (application/problem+json) with code, errors and traceId, and
                field where one field is at fault. Besides the answers each operation lists, any request may be refused before
                it reaches one: 404 (no such path), 405 (method not allowed on the path) and 414 (path and query over 8 KiB),
                each a problem document.
                """,
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An API key: Authorization: Bearer <key>. Keys carry roles; see the access table in the README.",
        };
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ProblemSchema] = Problem(declined: false);
        document.Components.Schemas[DeclinedSchema] = Problem(declined: true);
        document.Components.Schemas.Remove("ProblemDetails");
        // A nullable member holding an object is wrapped as oneOf null-or-reference after the schema transformers ran: an
        // answer leaves such a member out rather than sending null, so its schema is the reference alone.
        foreach (var (name, schema) in document.Components.Schemas)
            if (!ContractSchemas.IsRequestName(name) && schema.Properties is { } properties)
                foreach (var (member, value) in properties.ToList())
                    if (value is OpenApiSchema { OneOf: { Count: 2 } alternatives }
                        && alternatives.Count(a => a is OpenApiSchema { Type: JsonSchemaType.Null }) == 1)
                        properties[member] = alternatives.Single(a => a is not OpenApiSchema { Type: JsonSchemaType.Null });
        AddMetrics(document);
        return Task.CompletedTask;
    }

    /// <summary>/metrics is served by the Prometheus exporter, not an endpoint of ours: described here by hand.</summary>
    private static void AddMetrics(OpenApiDocument document)
    {
        OpenApiResponse Problem(string description) => new()
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(ProblemSchema, document) },
            },
        };
        document.Paths ??= [];
        document.Paths["/metrics"] = new OpenApiPathItem
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation>
            {
                [HttpMethod.Get] = new()
                {
                    OperationId = "getMetrics",
                    Summary = "Metrics in the Prometheus text format, for a scraper with a key of the operator role",
                    Tags = new HashSet<OpenApiTagReference> { new("Operations", document) },
                    Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] }],
                    Responses = new OpenApiResponses
                    {
                        ["200"] = new OpenApiResponse
                        {
                            Description = "Every instrument's current values (HTTP, credit decisions, journal writes, accounts, projections, runs, runtime).",
                            Content = new Dictionary<string, OpenApiMediaType>
                            {
                                ["text/plain"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
                            },
                        },
                        ["401"] = Problem("No API key, or an unknown one."),
                        ["403"] = Problem("The key lacks the operator role."),
                        ["429"] = Problem("This key's request rate is exceeded; retry after Retry-After seconds."),
                        ["500"] = Problem("A defect on our side."),
                        ["503"] = Problem("The node cannot answer now."),
                    },
                },
            },
        };
    }

    private static OpenApiSchema Problem(bool declined)
    {
        var properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = Text("A URI naming the kind of problem; one per code."),
            ["title"] = Text("A short summary of the kind of problem."),
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "The HTTP status." },
            ["detail"] = Text("What went wrong with this request, in words."),
            ["instance"] = Text("The request path, where given."),
            ["code"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String, Pattern = "^[a-z_]+$",
                Description = "A stable machine-readable code, such as invalid, account_not_found, hold_id_conflict, declined.",
            },
            ["field"] = Text("The request field at fault (a JSON path such as installments[1].amount, a query parameter or a header)."),
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "Reasons by field; empty when no single field is at fault.",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
            ["traceId"] = Text("The trace id of the request, to find it in the service's logs."),
        };
        var required = new HashSet<string> { "type", "title", "status", "detail", "code", "errors", "traceId" };
        if (declined)
        {
            properties["decision"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("declined")] };
            properties["reasons"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Items = new OpenApiSchemaReference("DeclineReason"),
                Description = "Why: account_closed, account_blocked, insufficient_credit (availableCredit, requestedAmount), "
                    + "overdue_beyond_tolerance (overdueAmount, daysPastDue).",
            };
            required.Add("decision");
            required.Add("reasons");
        }
        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = declined ? "A credit request answered no (422), with the reasons." : "An RFC 7807 problem document.",
            Properties = properties,
            Required = required,
            AdditionalProperties = new OpenApiSchema { Not = new OpenApiSchema() },
            AdditionalPropertiesAllowed = false,
        };
    }

    private static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };
}
