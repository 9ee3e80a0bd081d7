using System.Data.Common;
using System.Globalization;
using CreditActors.Domain.Accounts;
using Dapper;

namespace CreditActors.Projections.Runtime;

/// <summary>An account event as a projection receives it: its account, its place in the stream and in the journal.</summary>
public sealed record ProjectedEvent(string AccountId, long SequenceNr, long Ordering, AccountEvent Event);

/// <summary>A read model fed by the account events. Apply runs inside the transaction that also stores the offset.</summary>
public interface IProjection
{
    string Name { get; }

    /// <summary>The tag whose events feed it: every account event unless the read model needs only a few kinds.</summary>
    string Tag => Persistence.AccountEventTagger.AllAccountEvents;

    /// <summary>The read model's own tables, emptied by a rebuild.</summary>
    IReadOnlyList<string> Tables { get; }

    Task ApplyAsync(DbConnection connection, DbTransaction transaction, ProjectedEvent projected);

    /// <summary>A batch begins: whatever a projection kept for an earlier batch that did not commit is dropped.</summary>
    void BeginBatch() { }

    /// <summary>After the batch's last event, inside its transaction, before the offset is stored: write what was kept back.</summary>
    Task CompleteBatchAsync(DbConnection connection, DbTransaction transaction) => Task.CompletedTask;

    /// <summary>The batch's transaction committed: what it wrote is now the read model.</summary>
    void BatchCommitted() { }

    /// <summary>The read model was emptied for a rebuild.</summary>
    void Reset() { }
}

/// <summary>Applies batches of events to a projection, each batch and its offset in one transaction: every event counts once.</summary>
public sealed class ProjectionWriter(ReadModelDatabase database, IProjection projection, TimeProvider clock)
{
    public IProjection Projection => projection;

    public async Task<long> LoadOffsetAsync(CancellationToken cancellation = default)
    {
        await using var connection = await database.OpenAsync(cancellation);
        return await connection.ExecuteScalarAsync<long?>(
            "SELECT last_ordering FROM projection_offsets WHERE projection = @name", new { name = projection.Name }) ?? 0;
    }

    /// <summary>
    /// Applies the events after the stored offset, in order, and moves the offset to the last one. Events at or below
    /// the stored offset (a replay after a crash) are skipped.
    /// </summary>
    public async Task ApplyBatchAsync(IReadOnlyList<ProjectedEvent> batch, Func<ProjectedEvent, Task>? afterEach = null,
        CancellationToken cancellation = default)
    {
        if (batch.Count == 0)
            return;
        projection.BeginBatch();
        await using var connection = await database.OpenForProjectionAsync(cancellation);
        await using var transaction = await ReadModelDatabase.BeginProjectionBatchAsync(connection, cancellation);
        var offset = await connection.ExecuteScalarAsync<long?>(
            "SELECT last_ordering FROM projection_offsets WHERE projection = @name", new { name = projection.Name }, transaction) ?? 0;
        var applied = 0;
        ProjectedEvent? last = null;
        foreach (var projected in batch.Where(e => e.Ordering > offset).OrderBy(e => e.Ordering))
        {
            await projection.ApplyAsync(connection, transaction, projected);
            if (afterEach is not null)
                await afterEach(projected);
            applied++;
            last = projected;
        }
        if (last is null)
            return;
        await projection.CompleteBatchAsync(connection, transaction);
        await connection.ExecuteAsync("""
            INSERT INTO projection_offsets (projection, last_ordering, events_applied, last_recorded_at, updated_at)
            VALUES (@name, @ordering, @applied, @recorded, @now)
            ON CONFLICT (projection) DO UPDATE SET last_ordering = @ordering,
                events_applied = projection_offsets.events_applied + @applied, last_recorded_at = @recorded, updated_at = @now
            """, new
            {
                name = projection.Name, ordering = last.Ordering, applied, recorded = Instant(last.Event.Meta.RecordedAt), now = Instant(clock.GetUtcNow()),
            },
            transaction);
        await transaction.CommitAsync(cancellation);
        projection.BatchCommitted();
    }

    /// <summary>Empties the read model and its offset, so that the next run rebuilds it from the first event.</summary>
    public async Task ResetAsync(CancellationToken cancellation = default)
    {
        await using var connection = await database.OpenAsync(cancellation);
        await using var transaction = await connection.BeginTransactionAsync(cancellation);
        foreach (var table in projection.Tables)
            await connection.ExecuteAsync($"DELETE FROM {table}", transaction: transaction);
        await connection.ExecuteAsync("DELETE FROM projection_offsets WHERE projection = @name", new { name = projection.Name }, transaction);
        await transaction.CommitAsync(cancellation);
        projection.Reset();
    }

    public static string Instant(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>Exact conversion between decimal amounts and integer minor units.</summary>
public static class Minor
{
    private static readonly decimal[] Scale = [1m, 10m, 100m, 1_000m, 10_000m];

    public static long From(decimal amount, int digits) => decimal.ToInt64(amount * Scale[digits]);

    public static decimal To(long minor, int digits) => minor / Scale[digits];
}
