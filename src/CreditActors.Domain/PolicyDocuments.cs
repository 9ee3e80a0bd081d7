using System.Text.Json;
using System.Text.Json.Serialization;
using CreditActors.Domain.Accounts;

namespace CreditActors.Domain;

/// <summary>
/// What the policy documents (rating, dunning) share: camelCase JSON, every field required unless it has a default, no
/// unknown field; a size limit; a problem named by the field's path; the version shipped as an embedded resource.
/// </summary>
public static class PolicyDocuments
{
    /// <summary>The largest document accepted, in characters.</summary>
    public const int MaximumLength = 64 * 1024;

    public static JsonSerializerOptions Options(params JsonConverter[] converters)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            WriteIndented = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        foreach (var converter in converters)
            options.Converters.Add(converter);
        return options;
    }

    /// <summary>Reads a document: the policy, or what is wrong with it (the field's path and the reason).</summary>
    public static (T? Policy, Rejection? Problem) Parse<T>(string json, JsonSerializerOptions options, Func<T, Rejection?> problem) where T : class
    {
        if (json.Length > MaximumLength)
            return (null, Rejection.Invalid("policy", $"a policy document must be at most {MaximumLength} characters"));
        try
        {
            var policy = JsonSerializer.Deserialize<T>(json, options);
            if (policy is null)
                return (null, Rejection.Invalid("policy", "the policy document is empty"));
            return problem(policy) is { } found ? (null, found) : (policy, null);
        }
        catch (JsonException e)
        {
            var path = e.Path is { Length: > 2 } p ? p.TrimStart('$', '.') : "policy";
            return (null, Rejection.Invalid(path, $"the policy document is not valid: {e.Message.Split(" Path:")[0]}"));
        }
    }

    /// <summary>The policy a resource of this assembly holds; the service does not start with a shipped policy that is not valid.</summary>
    public static T Embedded<T>(string resource, Func<string, (T? Policy, Rejection? Problem)> parse) where T : class
    {
        using var stream = typeof(PolicyDocuments).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"the policy {resource} is not embedded");
        using var reader = new StreamReader(stream);
        var (policy, problem) = parse(reader.ReadToEnd());
        return policy ?? throw new InvalidOperationException($"the shipped policy {resource} is not valid: {problem!.Field}: {problem.Message}");
    }

    /// <summary>What is wrong with a policy's id, version or description, or null: what every policy document starts with.</summary>
    public static Rejection? HeaderProblem(string? policyId, int version, string? description)
    {
        if (!Identifiers.IsValid(policyId))
            return Rejection.Invalid("policyId", $"policyId {Identifiers.Rule}");
        if (version < 1)
            return Rejection.Invalid("version", "version must be 1 or more");
        return description is null || description.Length > CreditAccount.MaximumTextLength
            ? Rejection.Invalid("description", $"description is required, at most {CreditAccount.MaximumTextLength} characters")
            : null;
    }

    /// <summary>What is wrong with amounts by currency code (with <paramref name="wildcard"/>, "*" stands for every other), or null.</summary>
    public static string? CurrencyAmountsProblem(IReadOnlyDictionary<string, decimal> amounts, bool wildcard = false)
    {
        foreach (var (code, amount) in amounts)
        {
            if (wildcard && code == "*")
            {
                if (amount < 0m)
                    return "the amount for * must not be negative";
                continue;
            }
            if (!Money.Currency.TryFind(code, out var currency))
                return $"{code} is not a known ISO 4217 currency{(wildcard ? " (or * for every other)" : "")}";
            if (currency.Problem(amount, allowZero: wildcard) is { } problem)
                return $"the amount for {code} {problem}";
        }
        return null;
    }
}
