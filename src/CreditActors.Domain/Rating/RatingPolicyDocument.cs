using System.Text.Json;
using CreditActors.Domain.Accounts;

namespace CreditActors.Domain.Rating;

/// <summary>
/// A rating policy as a JSON document (camelCase names, every field required, no unknown field), and the version the
/// service ships with.
/// </summary>
public static class RatingPolicyDocument
{
    /// <summary>The largest document accepted, in characters.</summary>
    public const int MaximumLength = PolicyDocuments.MaximumLength;

    public static readonly JsonSerializerOptions Options = PolicyDocuments.Options();

    /// <summary>The first policy, shipped with the service and active until a credit manager activates another.</summary>
    public static RatingPolicy Standard { get; } = PolicyDocuments.Embedded("rating-policy.standard.v1.json", Parse);

    /// <summary>Reads a document: the policy, or what is wrong with it (the field's path and the reason).</summary>
    public static (RatingPolicy? Policy, Rejection? Problem) Parse(string json) => PolicyDocuments.Parse<RatingPolicy>(json, Options, p => p.Problem());

    public static string Write(RatingPolicy policy) => JsonSerializer.Serialize(policy, Options);
}
