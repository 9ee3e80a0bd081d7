namespace CreditActors.Domain.Rating;

/// <summary>
/// An event of the rating-run stream: a run over every account started, how far it got, and its end. A run sends each
/// account, in account-id order, a review carrying the run's id; the account writes nothing for a review it already did.
/// </summary>
public abstract record RatingRunEvent(string RunId, DateTimeOffset RecordedAt);

public record RatingRunStarted(string RunId, DateTimeOffset RecordedAt, string StartedBy, string Reason, int Total)
    : RatingRunEvent(RunId, RecordedAt);

/// <summary>Every account up to <paramref name="LastAccountId"/> (in ordinal order) was asked; the counts are the run's so far.</summary>
public record RatingRunProgressed(string RunId, DateTimeOffset RecordedAt, string LastAccountId, RatingRunCounts Counts)
    : RatingRunEvent(RunId, RecordedAt);

public record RatingRunCompleted(string RunId, DateTimeOffset RecordedAt, RatingRunCounts Counts)
    : RatingRunEvent(RunId, RecordedAt);

/// <summary>
/// What the accounts answered: a rating written, nothing moved (or already rated by this run), skipped (closed, or no
/// policy in force), or no answer (failed; the next run asks again).
/// </summary>
public sealed record RatingRunCounts(int Processed, int Written, int Unchanged, int Skipped, int Failed)
{
    public static readonly RatingRunCounts None = new(0, 0, 0, 0, 0);

    public RatingRunCounts Add(RatingRunCounts other) => new(Processed + other.Processed, Written + other.Written, Unchanged + other.Unchanged,
        Skipped + other.Skipped, Failed + other.Failed);
}

/// <summary>One run as the stream tells it.</summary>
public sealed record RatingRun(
    string RunId, DateTimeOffset StartedAt, string StartedBy, string Reason, int Total, string? LastAccountId, RatingRunCounts Counts,
    DateTimeOffset? CompletedAt)
{
    public bool Running => CompletedAt is null;

    public static IReadOnlyList<RatingRun> Apply(IReadOnlyList<RatingRun> runs, RatingRunEvent e) => e switch
    {
        RatingRunStarted s => [.. runs, new RatingRun(s.RunId, s.RecordedAt, s.StartedBy, s.Reason, s.Total, null, RatingRunCounts.None, null)],
        RatingRunProgressed p => [.. runs.Select(r => r.RunId == p.RunId ? r with { LastAccountId = p.LastAccountId, Counts = p.Counts } : r)],
        RatingRunCompleted c => [.. runs.Select(r => r.RunId == c.RunId ? r with { Counts = c.Counts, CompletedAt = c.RecordedAt } : r)],
        _ => throw new InvalidOperationException($"Unknown rating run event {e.GetType().Name}"),
    };
}
