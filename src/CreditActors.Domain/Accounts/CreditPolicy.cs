namespace CreditActors.Domain.Accounts;

/// <summary>The rules a credit decision applies; configured by the host, passed in as a value.</summary>
public sealed record CreditPolicy(
    int OverdueToleranceDays,
    TimeSpan DefaultHoldDuration,
    TimeSpan MaximumHoldDuration)
{
    /// <summary>
    /// Declines new credit when any line is more than 30 days past due; holds last 7 days unless the caller
    /// says otherwise, and never more than 90.
    /// </summary>
    public static readonly CreditPolicy Default = new(30, TimeSpan.FromDays(7), TimeSpan.FromDays(90));
}
