using Dapper;

namespace CreditActors.Projections.Runtime;

public sealed record ProjectionLag(string Projection, long LastOrdering, long JournalOrdering, long EventsBehind, long EventsApplied,
    DateTimeOffset? LastEventRecordedAt, double? SecondsBehind, DateTimeOffset? UpdatedAt);

/// <summary>How far each projection is behind the journal, in events and in seconds.</summary>
public sealed class ProjectionStatus(ReadModelDatabase database, TimeProvider clock)
{
    private sealed class Row
    {
        public string Projection { get; set; } = "";
        public long LastOrdering { get; set; }
        public long EventsApplied { get; set; }
        public string? LastRecordedAt { get; set; }
        public string? UpdatedAt { get; set; }
    }

    public async Task<IReadOnlyList<ProjectionLag>> LagAsync(IEnumerable<string> projections, CancellationToken cancellation = default)
    {
        long journal;
        await using (var journalConnection = await database.OpenJournalAsync(cancellation))
            journal = await journalConnection.ExecuteScalarAsync<long?>("SELECT MAX(ordering) FROM journal") ?? 0;
        await using var connection = await database.OpenAsync(cancellation);
        var rows = (await connection.QueryAsync<Row>("""
            SELECT projection AS Projection, last_ordering AS LastOrdering, events_applied AS EventsApplied,
                   last_recorded_at AS LastRecordedAt, updated_at AS UpdatedAt FROM projection_offsets
            """)).ToDictionary(r => r.Projection);
        // Seconds behind, while events are pending: how long ago the last applied event was recorded. The events
        // after it are newer, so this bounds the lag of the oldest pending one from above.
        var now = clock.GetUtcNow();
        return projections.Select(name =>
        {
            var row = rows.GetValueOrDefault(name) ?? new Row { Projection = name };
            var behind = Math.Max(0, journal - row.LastOrdering);
            var lastRecorded = Parse(row.LastRecordedAt);
            double? seconds = behind == 0 ? 0 : lastRecorded is { } at ? Math.Max(0, (now - at).TotalSeconds) : null;
            return new ProjectionLag(name, row.LastOrdering, journal, behind, row.EventsApplied, lastRecorded, seconds, Parse(row.UpdatedAt));
        }).ToList();
    }

    private static DateTimeOffset? Parse(string? instant) =>
        instant is null ? null : DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture);
}
