using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CreditActors.Host.OpenApi;

/// <summary>
/// Gives every operation the answers it can really give: the problems of authentication, rate limits, bad input, missing
/// accounts, conflicts and an unavailable node, each with the Problem schema; the bearer scheme; the headers; the CSV and
/// event-stream alternatives; the types of the query values the endpoints read themselves; an example body.
/// </summary>
public sealed class ContractOperations : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var contract = metadata.OfType<ContractMetadata>().LastOrDefault() ?? new ContractMetadata();
        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        var document = context.Document!;
        var parameters = context.Description.ParameterDescriptions;
        var hasPath = parameters.Any(p => p.Source == BindingSource.Path);
        var hasQuery = parameters.Any(p => p.Source == BindingSource.Query);
        if (contract.BankFile)
            operation.RequestBody = BankFileBody();
        var hasBody = operation.RequestBody is not null;
        operation.Responses ??= [];

        DescribeParameters(operation);
        if (hasBody)
            DescribeBody(operation, contract, parameters.FirstOrDefault(p => p.Source == BindingSource.Body)?.Type);
        if (!anonymous)
        {
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ContractDocument.BearerScheme, document)] = [] }];
            AddProblem(operation, document, 401, "No API key, or an unknown one.");
            AddProblem(operation, document, 403, "The key lacks the role, or (maker-checker) the caller may not decide this request.");
            AddProblem(operation, document, 429, "This key's request rate is exceeded; retry after Retry-After seconds.", retryAfter: true);
            AddProblem(operation, document, 500, "A defect on our side; nothing was recorded.");
        }
        if (contract.SignedLink)
        {
            AddProblem(operation, document, 404, "The link was altered or is incomplete, or its statement asks for no reply.");
            AddProblem(operation, document, 409, "The statement was already answered, or its figures are not the link's.");
            AddProblem(operation, document, 410, "The link has expired.");
            AddProblem(operation, document, 500, "A defect on our side; nothing was recorded.");
        }
        AddProblem(operation, document, 503, "The node cannot answer now (too many requests in flight, the account busy or not answering, "
            + "the journal unavailable); retry after Retry-After seconds with the same ids.", retryAfter: true);
        if (hasPath || hasQuery || hasBody)
            AddProblem(operation, document, 400, "A value is invalid: field names it, detail says why.");
        if (hasPath)
            AddProblem(operation, document, 404, "The account, or the item named in the path, does not exist.");
        if (hasBody && contract.BankFile)
        {
            AddProblem(operation, document, 413, "The file is over credit-actors.banking.max-file-size (16 MiB as shipped).");
            AddProblem(operation, document, 415, "The body is neither camt.053 XML (application/xml) nor CSV (text/csv).");
        }
        else if (hasBody)
        {
            AddProblem(operation, document, 413, "The body is over 64 KiB.");
            AddProblem(operation, document, 415, "The body is not JSON.");
        }
        if (contract.Command)
        {
            AddProblem(operation, document, 409, "The id is already used with other content, or the account's state forbids the command.");
            AddHeader(operation, "2XX", "X-Correlation-Id", "The correlation id recorded on the events: the one sent, or a new one.");
        }
        if (contract.Declines)
            AddProblem(operation, document, 422, "Credit declined: reasons says why, with the figures.", schema: ContractDocument.DeclinedSchema);
        foreach (var (status, response) in operation.Responses)
            if (status is "201" or "202" && response is OpenApiResponse concrete)
                (concrete.Headers ??= new Dictionary<string, IOpenApiHeader>())["Location"] = Header("Where the created or pending resource can be read.");
        if (contract.Csv)
            AddContent(operation, "200", "text/csv", "The same report as CSV (Accept: text/csv), one row per account or line.");
        if (contract.Html)
            AddContent(operation, "200", "text/html", "The printable page (Accept: text/html); the browser prints it to PDF.");
        if (contract.Xlsx)
            AddContent(operation, "200", Statements.StatementFormats.XlsxType, "The same as an Excel workbook (Accept: the xlsx type).");
        if (contract.JsonLines)
            AddContent(operation, "200", "application/x-ndjson", "One JSON object per line, streamed as the journal is read (the default).");
        if (contract.EventStream)
            AddContent(operation, "200", "text/event-stream", "Server-Sent Events: each alert as `id: <sequence>`, `event: alert`, `data: <Alert JSON>`.");
        if (contract.PagesEvents)
            AddHeader(operation, "200", "X-Next-Version", "The version to ask for next (fromVersion) to read on.");
        return Task.CompletedTask;
    }

    /// <summary>A bank statement file as the body: camt.053 XML, or a CSV export read by the profile the query names.</summary>
    private static OpenApiRequestBody BankFileBody() => new()
    {
        Required = true,
        Description = "The bank statement file as the bank gives it: camt.053 (application/xml), or a CSV export (text/csv) with ?profile= "
            + "naming how its columns read (credit-actors.banking.csv-profiles).",
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/xml"] = new()
            {
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                Example = System.Text.Json.Nodes.JsonValue.Create("""
                    <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt><GrpHdr><MsgId>STMT-20261130</MsgId>
                    <CreDtTm>2026-11-30T18:00:00+08:00</CreDtTm></GrpHdr><Stmt><Id>1001-202611</Id><Acct><Id><Othr><Id>1001200012345678</Id></Othr></Id>
                    <Ccy>CNY</Ccy></Acct><Ntry><Amt Ccy="CNY">15000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-11-28</Dt>
                    </BookgDt><AcctSvcrRef>B20261128002</AcctSvcrRef><NtryDtls><TxDtls><RltdPties><Dbtr><Pty><Nm>Shanghai Acme Trading</Nm></Pty></Dbtr>
                    </RltdPties><RmtInf><Ustrd>INV-2026-0001 INV-2026-0002</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry></Stmt></BkToCstmrStmt></Document>
                    """),
            },
            ["text/csv"] = new()
            {
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                Example = System.Text.Json.Nodes.JsonValue.Create(
                    "Reference,Booking date,Amount,Currency,Payer,Payer account,Remittance\nB20261128002,2026-11-28,15000.00,CNY,Shanghai Acme Trading,"
                    + "6222000033334444,\"INV-2026-0001 INV-2026-0002\"\n"),
            },
        },
    };

    private static void DescribeParameters(OpenApiOperation operation)
    {
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
            if (QueryValueSchemas.For(parameter.Name!) is { } schema)
                parameter.Schema = schema;
        if (operation.Parameters?.Any(p => p.In == ParameterLocation.Path) == true || operation.RequestBody is not null)
            (operation.Parameters ??= []).Add(new OpenApiParameter
            {
                Name = "X-Correlation-Id",
                In = ParameterLocation.Header,
                Description = "Ties the request's events together; echoed back, made up when absent. At most 100 printable characters.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 100 },
            });
    }

    private static void DescribeBody(OpenApiOperation operation, ContractMetadata contract, Type? bodyType)
    {
        if (operation.RequestBody is not OpenApiRequestBody body)
            return;
        body.Required = !contract.OptionalBody;
        if (contract.OptionalBody)
            body.Description = "Optional: the request may have no body at all.";
        if (bodyType is not null && RequestExamples.For(bodyType) is { } example && body.Content?.TryGetValue("application/json", out var media) == true)
            media.Example = example;
    }

    private static void AddProblem(OpenApiOperation operation, OpenApiDocument document, int status, string description,
        bool retryAfter = false, string schema = ContractDocument.ProblemSchema)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses!.TryGetValue(key, out var existing) && existing is OpenApiResponse { Content: { } content }
            && content.ContainsKey("application/json"))
            return; // an answer the endpoint declares itself (the health check's 503)
        var response = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(schema, document) },
            },
        };
        if (retryAfter)
            response.Headers = new Dictionary<string, IOpenApiHeader> { ["Retry-After"] = Header("Seconds to wait before retrying.", JsonSchemaType.Integer) };
        operation.Responses[key] = response;
    }

    private static void AddHeader(OpenApiOperation operation, string status, string name, string description)
    {
        foreach (var (key, response) in operation.Responses!)
            if ((key == status || (status == "2XX" && key.StartsWith('2'))) && response is OpenApiResponse concrete)
                (concrete.Headers ??= new Dictionary<string, IOpenApiHeader>())[name] = Header(description);
    }

    private static void AddContent(OpenApiOperation operation, string status, string mediaType, string description)
    {
        if (!operation.Responses!.TryGetValue(status, out var response) || response is not OpenApiResponse concrete)
            operation.Responses[status] = concrete = new OpenApiResponse { Description = description };
        (concrete.Content ??= new Dictionary<string, OpenApiMediaType>())[mediaType] = new OpenApiMediaType
        {
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = description },
        };
    }

    private static OpenApiHeader Header(string description, JsonSchemaType type = JsonSchemaType.String) =>
        new() { Description = description, Schema = new OpenApiSchema { Type = type } };
}

/// <summary>The query values the endpoints read themselves (see Http.QueryValues), typed as they are read.</summary>
public static class QueryValueSchemas
{
    public static OpenApiSchema? For(string name) => name switch
    {
        "asOf" => new OpenApiSchema
        {
            Type = JsonSchemaType.String, Format = "date", Pattern = ContractSchemas.DatePattern,
            Description = "A date YYYY-MM-DD from 1900-01-01 to 2199-12-31; today (UTC) when left out.",
        },
        "knownAt" or "since" => new OpenApiSchema
        {
            Type = JsonSchemaType.String, Format = "date-time",
            Description = "An instant in ISO 8601 from 1900-01-01T00:00:00Z to 2199-12-31T23:59:59Z.",
        },
        "fromVersion" => new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Minimum = "1" },
        "after" => new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Minimum = "0", Description = "Only alerts after this sequence." },
        "limit" => new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Maximum = "1000" },
        "acknowledged" => new OpenApiSchema { Type = JsonSchemaType.Boolean },
        "accountId" => new OpenApiSchema { Type = JsonSchemaType.String, Pattern = ContractSchemas.IdPattern,
            MaxLength = Domain.Accounts.Identifiers.MaximumLength },
        "invoiceNumber" => new OpenApiSchema
        {
            Type = JsonSchemaType.String, Pattern = Domain.Collections.ChargeNumbers.ReceivablePattern, MaxLength = Domain.Accounts.Identifiers.MaximumLength,
        },
        "holdId" or "paymentReference" or "requestId" => new OpenApiSchema
        {
            Type = JsonSchemaType.String, Pattern = ContractSchemas.IdPattern, MaxLength = Domain.Accounts.Identifiers.MaximumLength,
        },
        _ => null,
    };
}
