using CreditActors.Domain.Accounts;
using CreditActors.Host.Http;

namespace CreditActors.Host.Apis;

/// <summary>Names the first missing required field of a request, if any.</summary>
public static class Required
{
    public static IResult? Missing(params (string Field, object? Value)[] fields)
    {
        foreach (var (field, value) in fields)
            if (value is null || (value is string text && string.IsNullOrWhiteSpace(text)))
                return Problems.Invalid(field, $"{field} is required");
        return null;
    }

    public static (Tier? Tier, IResult? Problem) Tier(string? text)
    {
        if (text is null)
            return (null, null);
        return text.ToLowerInvariant() switch
        {
            "strategic" => (Domain.Accounts.Tier.Strategic, null),
            "standard" => (Domain.Accounts.Tier.Standard, null),
            "watch" => (Domain.Accounts.Tier.Watch, null),
            _ => (null, Problems.Invalid("tier", "tier must be strategic, standard or watch")),
        };
    }
}
