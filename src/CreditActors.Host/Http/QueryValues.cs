using System.Globalization;
using CreditActors.Domain.Calendar;

namespace CreditActors.Host.Http;

/// <summary>
/// Query-string values read by the endpoints themselves rather than by the framework's binder, so that a bad value is a
/// problem naming its parameter and the rule, like every other bad input.
/// </summary>
public static class QueryValues
{
    public static (DateOnly? Value, IResult? Problem) Date(string? text, string field)
    {
        if (text is null)
            return (null, null);
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            || !BusinessDates.InRange(date))
            return (null, Problems.Invalid(field, $"{field} {BusinessDates.Rule} (YYYY-MM-DD)"));
        return (date, null);
    }

    public static (DateTimeOffset? Value, IResult? Problem) Instant(string? text, string field)
    {
        if (text is null)
            return (null, null);
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant)
            || !BusinessDates.InRange(instant))
            return (null, Problems.Invalid(field, $"{field} {BusinessDates.InstantRule} (ISO 8601)"));
        return (instant, null);
    }

    public static (long? Value, IResult? Problem) WholeNumber(string? text, string field, long minimum, long maximum)
    {
        if (text is null)
            return (null, null);
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < minimum || value > maximum)
            return (null, Problems.Invalid(field, $"{field} must be a whole number from {minimum} to {maximum}"));
        return (value, null);
    }

    public static (bool? Value, IResult? Problem) Boolean(string? text, string field) => text switch
    {
        null => (null, null),
        "true" => (true, null),
        "false" => (false, null),
        _ => (null, Problems.Invalid(field, $"{field} must be true or false")),
    };
}
