using CreditActors.Domain.Rating;

namespace CreditActors.Domain.Accounts;

/// <summary>The account's current rating: what <see cref="RatingAssigned"/> last wrote.</summary>
public sealed record AccountRating(
    string PolicyId,
    int PolicyVersion,
    DateOnly AsOf,
    decimal Score,
    string Grade,
    IReadOnlyList<RatingFactor> Factors,
    RatingFloor Floor,
    Tier SuggestedTier,
    decimal? SuggestedLimit,
    DateTimeOffset RatedAt,
    string? ReviewId)
{
    public string PolicyKey => $"{PolicyId}/v{PolicyVersion}";
}

/// <summary>The latest rating an outside agency gave, as a credit manager recorded it.</summary>
public sealed record ExternalRating(string Agency, string Grade, int Score, DateOnly ReportDate, string? Reference);

public sealed partial record AccountState
{
    /// <summary>What the account keeps of its past for rating: a fixed number of months, however long its history.</summary>
    public RatingHistory Behaviour { get; init; } = RatingHistory.Empty;

    /// <summary>The rating last assigned; null until the first.</summary>
    public AccountRating? Rating { get; init; }

    /// <summary>The latest external rating recorded; null when none was.</summary>
    public ExternalRating? External { get; init; }

    /// <summary>The scheduled review that last wrote a rating: a repeat of it writes nothing.</summary>
    public string? LastReviewId { get; init; }
}
