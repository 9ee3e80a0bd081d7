using System.Text.Json;
using System.Text.Json.Serialization;
using CreditActors.Domain.Accounts;

namespace CreditActors.Domain.Rating;

/// <summary>
/// A rating policy as a JSON document (camelCase names, every field required, no unknown field), and the version the
/// service ships with.
/// </summary>
public static class RatingPolicyDocument
{
    /// <summary>The largest document accepted, in characters.</summary>
    public const int MaximumLength = 64 * 1024;

    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The first policy, shipped with the service and active until a credit manager activates another.</summary>
    public static RatingPolicy Standard { get; } = Load("standard.v1");

    /// <summary>Reads a document: the policy, or what is wrong with it (the field's path and the reason).</summary>
    public static (RatingPolicy? Policy, Rejection? Problem) Parse(string json)
    {
        if (json.Length > MaximumLength)
            return (null, Rejection.Invalid("policy", $"a policy document must be at most {MaximumLength} characters"));
        try
        {
            var policy = JsonSerializer.Deserialize<RatingPolicy>(json, Options);
            if (policy is null)
                return (null, Rejection.Invalid("policy", "the policy document is empty"));
            return policy.Problem() is { } problem ? (null, problem) : (policy, null);
        }
        catch (JsonException e)
        {
            var path = e.Path is { Length: > 2 } p ? p.TrimStart('$', '.') : "policy";
            return (null, Rejection.Invalid(path, $"the policy document is not valid: {e.Message.Split(" Path:")[0]}"));
        }
    }

    public static string Write(RatingPolicy policy) => JsonSerializer.Serialize(policy, Options);

    private static RatingPolicy Load(string name)
    {
        using var stream = typeof(RatingPolicyDocument).Assembly.GetManifestResourceStream($"rating-policy.{name}.json")
            ?? throw new InvalidOperationException($"the rating policy {name} is not embedded");
        using var reader = new StreamReader(stream);
        var (policy, problem) = Parse(reader.ReadToEnd());
        return policy ?? throw new InvalidOperationException($"the shipped rating policy {name} is not valid: {problem!.Field}: {problem.Message}");
    }
}
