using CreditActors.Domain.Rating;

namespace CreditActors.Domain.Statements;

// The monthly statement run's stream (statement-runs) tells its runs as the rating run's does, under names of its own.

public sealed record StatementRunStarted(string RunId, DateTimeOffset RecordedAt, string StartedBy, string Reason, int Total)
    : RatingRunStarted(RunId, RecordedAt, StartedBy, Reason, Total);

public sealed record StatementRunProgressed(string RunId, DateTimeOffset RecordedAt, string LastAccountId, RatingRunCounts Counts)
    : RatingRunProgressed(RunId, RecordedAt, LastAccountId, Counts);

public sealed record StatementRunCompleted(string RunId, DateTimeOffset RecordedAt, RatingRunCounts Counts)
    : RatingRunCompleted(RunId, RecordedAt, Counts);
