using System.Collections.Concurrent;

namespace CreditActors.Projections.Runtime;

/// <summary>
/// Which of the projections running on this node have failed and not yet started again: what the node's readiness
/// reports. A failed stream is restarted with back-off; it counts as healthy again once it reads.
/// </summary>
public static class ProjectionHealth
{
    private static readonly ConcurrentDictionary<string, (string Reason, DateTimeOffset At)> Failures = new(StringComparer.Ordinal);

    public static IReadOnlyDictionary<string, (string Reason, DateTimeOffset At)> Failed => Failures;

    public static void Reading(string projections) => Failures.TryRemove(projections, out _);

    public static void Fail(string projections, string reason) => Failures[projections] = (reason, DateTimeOffset.UtcNow);
}
