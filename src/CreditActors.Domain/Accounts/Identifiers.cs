using System.Text.RegularExpressions;

namespace CreditActors.Domain.Accounts;

/// <summary>Caller-supplied identifiers: account ids, invoice numbers, payment references, hold ids.</summary>
public static partial class Identifiers
{
    /// <summary>The longest id; <see cref="Pattern"/> says the same (a test holds the two together).</summary>
    public const int MaximumLength = 64;

    /// <summary>The rule as a regular expression, in the OpenAPI document too.</summary>
    public const string Pattern = "^[A-Za-z0-9_.-]{1,64}$";

    [GeneratedRegex(Pattern, RegexOptions.CultureInvariant)]
    private static partial Regex Matcher();

    public static bool IsValid(string? value) => value is not null && Matcher().IsMatch(value);

    public const string Rule = "must be 1 to 64 characters of A-Z, a-z, 0-9, '_', '.' or '-'";
}
