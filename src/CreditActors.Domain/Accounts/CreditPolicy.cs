namespace CreditActors.Domain.Accounts;

/// <summary>The rules a credit decision applies; configured by the host, passed in as a value.</summary>
public sealed record CreditPolicy(
    int OverdueToleranceDays,
    TimeSpan DefaultHoldDuration,
    TimeSpan MaximumHoldDuration,
    LimitApprovalPolicy LimitApproval)
{
    /// <summary>The rating policy in force: what ratings are computed with. Null: no policy is active, and nothing is rated.</summary>
    public Rating.RatingPolicy? Rating { get; init; }

    /// <summary>The collections policy in force: the dunning calendars. Null: no dunning runs.</summary>
    public Collections.DunningPolicy? Collections { get; init; }

    /// <summary>
    /// Declines new credit when any line is more than 30 days past due; holds last 7 days unless the caller
    /// says otherwise, and never more than 90. A limit increase above 100,000 or 50 % needs a second person.
    /// </summary>
    public static readonly CreditPolicy Default =
        new(30, TimeSpan.FromDays(7), TimeSpan.FromDays(90), new LimitApprovalPolicy(100_000m, 50m));
}

/// <summary>
/// When a credit-limit increase needs a second person (maker-checker): when it raises the limit by more than
/// <paramref name="AbsoluteIncrease"/> (in the account's currency) or by more than <paramref name="PercentIncrease"/>
/// percent of the current limit. Any increase from a zero limit needs approval. Null disables a rule.
/// </summary>
public sealed record LimitApprovalPolicy(decimal? AbsoluteIncrease, decimal? PercentIncrease)
{
    public bool NeedsApproval(decimal currentLimit, decimal newLimit)
    {
        var increase = newLimit - currentLimit;
        if (increase <= 0m)
            return false;
        if (AbsoluteIncrease is { } absolute && increase > absolute)
            return true;
        return PercentIncrease is { } percent && (currentLimit == 0m || increase * 100m / currentLimit > percent);
    }
}
