using CreditActors.Domain.Rating;

namespace CreditActors.Domain.Collections;

// The dunning run's stream (dunning-runs) tells its runs as the rating run's stream does, under names of its own: a run
// over every account started, how far it got, and its end. Each account decides its own notices, so a run asked again
// writes nothing twice.

public sealed record DunningRunStarted(string RunId, DateTimeOffset RecordedAt, string StartedBy, string Reason, int Total)
    : RatingRunStarted(RunId, RecordedAt, StartedBy, Reason, Total);

public sealed record DunningRunProgressed(string RunId, DateTimeOffset RecordedAt, string LastAccountId, RatingRunCounts Counts)
    : RatingRunProgressed(RunId, RecordedAt, LastAccountId, Counts);

public sealed record DunningRunCompleted(string RunId, DateTimeOffset RecordedAt, RatingRunCounts Counts)
    : RatingRunCompleted(RunId, RecordedAt, Counts);
