using CreditActors.Domain.Aging;
using CreditActors.Projections.Aging;
using CreditActors.Projections.Runtime;

namespace CreditActors.Projections.Alerts;

/// <summary>
/// Overdue alerts come from the passing of time: evaluated on a schedule, each open line raises one alert for each
/// bucket it enters (1-30, 31-60, ...). A line that skipped buckets while nobody looked raises only the one it is in.
/// </summary>
public sealed class OverdueEvaluator(ReadModelDatabase database, AgingBuckets buckets)
{
    private static readonly string[] Severities = ["low", "low", "medium", "high", "high", "high"];

    /// <summary>
    /// Raises the alerts due as of the instant; returns how many were new. The database picks the lines overdue today; their
    /// alerts are written in one transaction, so an evaluation costs one commit however many lines it meets.
    /// </summary>
    public async Task<int> EvaluateAsync(DateTimeOffset now, CancellationToken cancellation = default)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var lines = await new AgingQueries(database).OpenLinesAsync(today, buckets, new AgingQueries.Filter(DueBefore: today), cancellation);
        await using var connection = await database.OpenAsync(cancellation);
        await using var transaction = await connection.BeginTransactionAsync(cancellation);
        var raised = 0;
        foreach (var line in lines)
        {
            var index = buckets.IndexFor(line.DaysPastDue);
            var facts = new
            {
                invoiceNumber = line.InvoiceNumber, line = line.Line, bucket = line.Bucket, daysPastDue = line.DaysPastDue, open = line.Open,
                currency = line.Currency, dueDate = line.DueDate,
            };
            if (await AlertStore.RaiseAsync(connection, transaction, $"overdue:{line.AccountId}:{line.InvoiceNumber}:{line.Line}:{line.Bucket}",
                    line.AccountId, AlertKinds.OverdueBucketEntered, Severities[Math.Min(index, Severities.Length - 1)], facts, now))
                raised++;
        }
        await transaction.CommitAsync(cancellation);
        return raised;
    }
}
