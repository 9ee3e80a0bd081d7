using System.Collections.Concurrent;

namespace CreditActors.Domain.Calendar;

/// <summary>
/// The business time zone of an account: "today" for an account in Asia/Shanghai turns at midnight in Shanghai, not at
/// midnight UTC. Zones are IANA ids ("Asia/Shanghai", "Europe/Berlin", "UTC"); accounts opened before zones existed are in UTC.
/// </summary>
public static class BusinessTime
{
    public const string Utc = "UTC";

    public const string Rule = "must be an IANA time zone id such as Asia/Shanghai or UTC";

    private static readonly ConcurrentDictionary<string, TimeZoneInfo?> Zones = new(StringComparer.Ordinal);

    private static TimeZoneInfo? Find(string id) => Zones.GetOrAdd(id, static key =>
    {
        if (key == Utc)
            return TimeZoneInfo.Utc;
        if (key.Length is 0 or > 64 || !key.Contains('/', StringComparison.Ordinal))
            return null; // IANA ids only: no Windows names, no fixed offsets that ignore daylight saving
        return TimeZoneInfo.TryFindSystemTimeZoneById(key, out var zone) ? zone : null;
    });

    public static bool IsKnown(string? id) => id is not null && Find(id) is not null;

    /// <summary>The date in the zone at the instant (UTC for a zone this machine does not know, which validation prevents).</summary>
    public static DateOnly Today(string zone, DateTimeOffset now) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, Find(zone) ?? TimeZoneInfo.Utc).DateTime);
}
