using System.Text.RegularExpressions;

namespace CreditActors.Domain.Accounts;

/// <summary>Caller-supplied identifiers: account ids, invoice numbers, payment references, hold ids.</summary>
public static partial class Identifiers
{
    public const int MaximumLength = 64;

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool IsValid(string? value) => value is not null && Pattern().IsMatch(value);

    public const string Rule = "must be 1 to 64 characters of A-Z, a-z, 0-9, '_', '.' or '-'";
}
