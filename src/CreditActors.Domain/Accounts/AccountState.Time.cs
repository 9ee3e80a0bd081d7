using CreditActors.Domain.Calendar;

namespace CreditActors.Domain.Accounts;

public sealed partial record AccountState
{
    /// <summary>The account's business time zone (IANA id); UTC for an account opened before zones existed.</summary>
    public string TimeZone { get; init; } = BusinessTime.Utc;

    /// <summary>The account's date at an instant: in its time zone.</summary>
    public DateOnly TodayAt(DateTimeOffset now) => BusinessTime.Today(TimeZone, now);
}

public sealed partial record AccountState
{
    /// <summary>When the account's personal data was last erased; null if never.</summary>
    public DateTimeOffset? PersonalDataErasedAt { get; init; }
}
