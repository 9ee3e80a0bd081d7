using System.Diagnostics;

namespace CreditActors.Benchmarks;

/// <summary>What a closed-loop load run measured: operations per second and latency percentiles.</summary>
public sealed record LoadResult(long Operations, long Failures, TimeSpan Elapsed, double P50Ms, double P99Ms)
{
    public double PerSecond => Operations / Elapsed.TotalSeconds;
}

/// <summary>
/// A closed loop: a fixed number of workers each send one operation, wait for its answer, and send the next, until
/// the time is up or the operations run out. A warm-up of the same loop runs first and is not counted.
/// </summary>
public static class Load
{
    /// <param name="operation">Called with a running operation number; returns false for a failed operation.</param>
    public static async Task<LoadResult> RunAsync(int concurrency, TimeSpan duration, Func<long, Task<bool>> operation,
        TimeSpan? warmUp = null, long? maximumOperations = null)
    {
        long next = -1;
        if (warmUp is { } w && w > TimeSpan.Zero)
            await RunCoreAsync(concurrency, w, operation, () => Interlocked.Increment(ref next), long.MaxValue);
        return await RunCoreAsync(concurrency, duration, operation, () => Interlocked.Increment(ref next), maximumOperations ?? long.MaxValue);
    }

    private static async Task<LoadResult> RunCoreAsync(int concurrency, TimeSpan duration, Func<long, Task<bool>> operation,
        Func<long> nextNumber, long maximumOperations)
    {
        var latencies = new List<long>[concurrency];
        long started = 0, failures = 0;
        var clock = Stopwatch.StartNew();
        var deadline = duration.Ticks == long.MaxValue ? long.MaxValue : Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, concurrency).Select(i => Task.Run(async () =>
        {
            var mine = latencies[i] = new List<long>(4096);
            while (Stopwatch.GetTimestamp() < deadline && Interlocked.Increment(ref started) <= maximumOperations)
            {
                var begin = Stopwatch.GetTimestamp();
                var ok = await operation(nextNumber());
                mine.Add(Stopwatch.GetTimestamp() - begin);
                if (!ok)
                    Interlocked.Increment(ref failures);
            }
        })).ToArray();
        await Task.WhenAll(workers);
        var elapsed = clock.Elapsed;
        var all = latencies.SelectMany(l => l).ToArray();
        Array.Sort(all);
        return new LoadResult(all.Length - failures, failures, elapsed, Percentile(all, 0.50), Percentile(all, 0.99));
    }

    public static double Percentile(long[] sortedTicks, double quantile) =>
        sortedTicks.Length == 0 ? 0 : sortedTicks[Math.Min(sortedTicks.Length - 1, (int)(quantile * sortedTicks.Length))] * 1000.0 / Stopwatch.Frequency;

    /// <summary>The median of several timings of one action, in milliseconds.</summary>
    public static async Task<(double MedianMs, double MinMs, double MaxMs)> TimeAsync(int repeats, Func<Task> action)
    {
        var samples = new double[repeats];
        for (var i = 0; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            await action();
            samples[i] = clock.Elapsed.TotalMilliseconds;
        }
        Array.Sort(samples);
        return (samples[repeats / 2], samples[0], samples[^1]);
    }
}
