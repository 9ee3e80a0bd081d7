namespace CreditActors.Domain.Calendar;

/// <summary>
/// The range of dates the ledger accepts, and the only date arithmetic it does. A trade-credit ledger meets dates
/// from old contracts to long installment plans; nothing real lies outside 1900–2199, and a date far outside it is a
/// typo or an attack. Arithmetic saturates at the calendar's ends instead of throwing, so that no input can make a
/// decision throw (an exception inside an account actor would cost every caller waiting on it its answer).
/// </summary>
public static class BusinessDates
{
    public static readonly DateOnly Earliest = new(1900, 1, 1);

    public static readonly DateOnly Latest = new(2199, 12, 31);

    /// <summary>The rule as the API states it.</summary>
    public const string Rule = "must be a date from 1900-01-01 to 2199-12-31";

    /// <summary>The rule for instants (expiry instants, knownAt, since).</summary>
    public const string InstantRule = "must be an instant from 1900-01-01T00:00:00Z to 2199-12-31T23:59:59Z";

    public static bool InRange(DateOnly date) => date >= Earliest && date <= Latest;

    public static bool InRange(DateTimeOffset instant) =>
        instant.UtcDateTime >= Earliest.ToDateTime(TimeOnly.MinValue) && instant.UtcDateTime < Latest.AddDays(1).ToDateTime(TimeOnly.MinValue);

    /// <summary>
    /// The date <paramref name="days"/> days after <paramref name="date"/> (before, when negative), held at
    /// <see cref="DateOnly.MinValue"/> or <see cref="DateOnly.MaxValue"/> where the sum would leave the calendar.
    /// </summary>
    public static DateOnly AddDaysSaturating(this DateOnly date, long days)
    {
        var dayNumber = Math.Clamp(date.DayNumber + days, DateOnly.MinValue.DayNumber, DateOnly.MaxValue.DayNumber);
        return DateOnly.FromDayNumber((int)dayNumber);
    }
}
