using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization.Metadata;
using CreditActors.Domain.Accounts;
using CreditActors.Domain.Calendar;
using CreditActors.Domain.Money;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CreditActors.Host.OpenApi;

/// <summary>
/// Makes each schema say what the service does. Answers omit a member that has no value, so a nullable member of an answer
/// is optional and never null, and every other member is required. A request member is required (and not null) when it
/// carries <see cref="RequiredAttribute"/>; an optional one may be left out or sent as null. Amounts are decimal numbers, dates
/// carry their range, ids their pattern and length.
/// </summary>
public sealed class ContractSchemas : IOpenApiSchemaTransformer
{
    /// <summary>The JSON names of the caller-chosen ids, in bodies and in paths.</summary>
    public static readonly IReadOnlySet<string> IdNames = new HashSet<string>(StringComparer.Ordinal)
    {
        "accountId", "holdId", "invoiceNumber", "paymentReference", "creditNoteNumber", "writeOffId", "requestId",
    };

    public const string IdPattern = Identifiers.Pattern;

    /// <summary>Years 1900 to 2199, the range every date of the API must fall in.</summary>
    public const string DatePattern = "^(19|20|21)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$";

    public const string AmountDescription =
        "An amount in the account currency's major unit, as a JSON number with no more decimals than the currency's minor unit "
        + "(CNY, USD, EUR 2; JPY, KRW 0; BHD, KWD 3). Never a string, never binary floating point on our side.";

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        // A member whose type is an object is described both as a member and as the object it holds.
        if (context.JsonPropertyInfo is { } property)
            DescribeMember(schema, property, IsRequest(property.DeclaringType));
        if (context.JsonTypeInfo.Kind == JsonTypeInfoKind.Object && schema.Properties is { Count: > 0 })
            DescribeObject(schema, context.JsonTypeInfo);
        return Task.CompletedTask;
    }

    /// <summary>Request bodies are the records named …Request or …RequestBody.</summary>
    public static bool IsRequest(Type type) => IsRequestName(type.Name);

    public static bool IsRequestName(string name) =>
        name.EndsWith("Request", StringComparison.Ordinal) || name.EndsWith("RequestBody", StringComparison.Ordinal);

    private static void DescribeObject(OpenApiSchema schema, JsonTypeInfo type)
    {
        var request = IsRequest(type.Type);
        var required = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var member in type.Properties)
        {
            var isRequired = request
                ? IsMarkedRequired(member)
                : !IsNullable(member);
            if (isRequired)
                required.Add(member.Name);
            // An answer omits a member without a value rather than sending null; a request's required member may not be null.
            if ((!request || isRequired) && schema.Properties!.TryGetValue(member.Name, out var inline) && inline is OpenApiSchema concrete)
                schema.Properties[member.Name] = WithoutNull(concrete);
        }
        schema.Required = required;
    }

    /// <summary>The schema without its null alternative: a null type dropped, or a oneOf of null and a reference unwrapped.</summary>
    private static IOpenApiSchema WithoutNull(OpenApiSchema schema)
    {
        if (schema.OneOf is { Count: 2 } alternatives && alternatives.Count(a => a is OpenApiSchema { Type: JsonSchemaType.Null }) == 1)
            return alternatives.Single(a => a is not OpenApiSchema { Type: JsonSchemaType.Null });
        if (schema.Type is { } kind)
            schema.Type = kind & ~JsonSchemaType.Null;
        return schema;
    }

    private static bool IsMarkedRequired(JsonPropertyInfo member) =>
        member.AttributeProvider?.IsDefined(typeof(RequiredAttribute), inherit: true) == true;

    private static bool IsNullable(JsonPropertyInfo member) =>
        Nullable.GetUnderlyingType(member.PropertyType) is not null || (!member.PropertyType.IsValueType && member.IsGetNullable);

    private static void DescribeMember(OpenApiSchema schema, JsonPropertyInfo member, bool request)
    {
        var type = Nullable.GetUnderlyingType(member.PropertyType) ?? member.PropertyType;
        var nullable = request && Nullable.GetUnderlyingType(member.PropertyType) is not null && !IsMarkedRequired(member);
        if (type == typeof(decimal))
        {
            schema.Type = JsonSchemaType.Number | (nullable ? JsonSchemaType.Null : 0);
            schema.Format = "decimal";
            schema.Description ??= AmountDescription;
            if (request)
            {
                schema.Minimum = "0";
                schema.Maximum = Currency.MaximumAmount.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        else if (type == typeof(DateOnly))
        {
            schema.Pattern = DatePattern;
            schema.Description ??= $"A date YYYY-MM-DD from {BusinessDates.Earliest:yyyy-MM-dd} to {BusinessDates.Latest:yyyy-MM-dd}.";
        }
        else if (type == typeof(DateTimeOffset))
        {
            schema.Description ??= "An instant in ISO 8601 with its offset; answers give UTC.";
        }
        else if (type == typeof(string) && IdNames.Contains(member.Name))
        {
            // An invoice number may also name a fee or interest charge (fee:20261201), which can be paid, credited or written off.
            schema.Pattern = member.Name == "invoiceNumber" ? Domain.Collections.ChargeNumbers.ReceivablePattern : IdPattern;
            schema.MaxLength = Identifiers.MaximumLength;
        }
    }
}
