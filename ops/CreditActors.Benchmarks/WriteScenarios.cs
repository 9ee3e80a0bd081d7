using System.Diagnostics;
using System.Globalization;
using Akka.Serialization;
using CreditActors.Actors.Accounts;
using CreditActors.Domain.Accounts;
using CreditActors.Projections.Runtime;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CreditActors.Benchmarks;

/// <summary>The write path: holds persisted through the account actors, against raw batched inserts into the same store.</summary>
public static class WriteScenarios
{
    private static long _holdNumber;

    /// <summary>Places one hold of 10.00 on the account; true when it was written.</summary>
    public static async Task<bool> PlaceHoldAsync(ServiceUnderTest service, string accountId)
    {
        var n = Interlocked.Increment(ref _holdNumber);
        var reply = await service.AskAsync(accountId, new Execute(
            new PlaceHold($"hold-{n}", 10m, null, $"order-{n}"), ServiceUnderTest.Context));
        return reply is CommandOutcome { Rejection: null, Written.Count: > 0 };
    }

    /// <summary>Raw batched inserts of rows the size of a hold's journal row; the baseline of both write figures.</summary>
    public static async Task<LoadResult> RawBaselineAsync(ServiceUnderTest service, Sizes sizes, int batchSize = RawInserts.BatchSize,
        TimeSpan? duration = null)
    {
        var sample = new CreditHoldPlaced(new EventMetadata(DateOnly.FromDateTime(DateTime.UtcNow), DateTimeOffset.UtcNow, "bench", "bench"),
            "hold-1000000", 10m, DateTimeOffset.UtcNow.AddDays(7), "order-1000000",
            new HoldDecision(1_000_000m, 10m, 999_990m, "B", "standard/v1", null, 30));
        var serializer = (SerializerWithStringManifest)service.Node.System.Serialization.FindSerializerFor(sample);
        return await RawInserts.RunAsync(service.Storage, serializer.ToBinary(sample), serializer.Manifest(sample), 1_000, duration ?? sizes.LoadDuration,
            batchSize);
    }

    /// <summary>
    /// The second, stricter baseline: a short run at each batch size of the sweep, then a full run at the fastest. What the store
    /// does when rows are given to it in the batches that suit it best.
    /// </summary>
    public static async Task<(int BatchSize, LoadResult Result, string Sweep)> BestRawBaselineAsync(ServiceUnderTest service, Sizes sizes)
    {
        var sweep = new List<(int Size, double PerSecond)>();
        foreach (var size in RawInserts.SweepSizes)
            sweep.Add((size, (await RawBaselineAsync(service, sizes, size, sizes.LoadDuration / 5)).PerSecond));
        var best = sweep.MaxBy(x => x.PerSecond).Size;
        var result = await RawBaselineAsync(service, sizes, best);
        return (best, result, string.Join(", ", sweep.Select(x => $"{x.Size}: {x.PerSecond:0}/s")));
    }

    /// <returns>The rate of holds across accounts, the peak the projection lag figures are paced from.</returns>
    public static async Task<double> HoldsAsync(ServiceUnderTest service, IReadOnlyList<string> accounts, string hotAccount, Sizes sizes, Results results)
    {
        var raw = await RawBaselineAsync(service, sizes);
        var spread = await Load.RunAsync(sizes.WriteConcurrency, sizes.LoadDuration,
            n => PlaceHoldAsync(service, accounts[(int)(n % accounts.Count)]), sizes.WarmUp);
        var hot = await Load.RunAsync(sizes.WriteConcurrency, sizes.LoadDuration, _ => PlaceHoldAsync(service, hotAccount), sizes.WarmUp);
        var rawAgain = await RawBaselineAsync(service, sizes);
        var baseline = raw.PerSecond >= rawAgain.PerSecond ? raw : rawAgain;
        var (bestSize, best, sweep) = await BestRawBaselineAsync(service, sizes);
        if (spread.Failures + hot.Failures > 0)
            throw new InvalidOperationException($"{spread.Failures + hot.Failures} holds were not written");

        Dictionary<string, string> Details(LoadResult subject) => new()
        {
            ["commands in flight"] = sizes.WriteConcurrency.ToString(CultureInfo.InvariantCulture),
            ["holds"] = $"{subject.Operations} in {subject.Elapsed.TotalSeconds:0.0} s, p50 {subject.P50Ms:0.0} ms, p99 {subject.P99Ms:0.0} ms",
            ["raw"] = $"{RawInserts.BatchSize} rows per transaction, one writer, the better of two runs ({raw.PerSecond:0}/s, {rawAgain.PerSecond:0}/s)",
        };
        results.Add(new Measurement($"Holds across {accounts.Count:N0} accounts", service.StoreName, "holds written", spread.PerSecond,
            "raw batched inserts", baseline.PerSecond, "rows/s", "≥ 0.3", spread.PerSecond / baseline.PerSecond >= 0.3, Details(spread)));
        results.Add(new Measurement("Holds on one hot account", service.StoreName, "holds written", hot.PerSecond,
            "raw batched inserts", baseline.PerSecond, "rows/s", "≥ 0.1", hot.PerSecond / baseline.PerSecond >= 0.1, Details(hot)));
        Dictionary<string, string> BestDetails(LoadResult subject) => new(Details(subject))
        {
            ["raw"] = $"{bestSize} rows per transaction, one writer: the fastest of a sweep of short runs ({sweep}), then a full run",
        };
        results.Add(new Measurement($"Holds across {accounts.Count:N0} accounts, against the best raw batch", service.StoreName, "holds written",
            spread.PerSecond, $"raw inserts, {bestSize} per transaction", best.PerSecond, "rows/s", "≥ 0.3", spread.PerSecond / best.PerSecond >= 0.3,
            BestDetails(spread)));
        results.Add(new Measurement("Holds on one hot account, against the best raw batch", service.StoreName, "holds written", hot.PerSecond,
            $"raw inserts, {bestSize} per transaction", best.PerSecond, "rows/s", "≥ 0.1", hot.PerSecond / best.PerSecond >= 0.1, BestDetails(hot)));
        return spread.PerSecond;
    }

    /// <summary>
    /// Holds at a steady rate (a share of the rate the store reached in the holds figure), while the journal's newest
    /// ordering and each projection's offset are sampled every 20 ms. An event's lag is the time from the first
    /// sample that shows it in the journal to the first that shows the projection past it.
    /// </summary>
    public static async Task ProjectionLagAsync(ServiceUnderTest service, IReadOnlyList<string> accounts, double ratePerSecond, Sizes sizes, Results results,
        string load)
    {
        var database = service.Services.GetRequiredService<ReadModelDatabase>();
        var samples = new List<(double At, long Journal, Dictionary<string, long> Offsets)>();
        (double At, long Journal, Dictionary<string, long> Offsets) Last()
        {
            lock (samples)
                return samples[^1];
        }
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            await using var connection = await database.OpenAsync();
            await using var journalConnection = await database.OpenJournalAsync();
            while (!stop.IsCancellationRequested)
            {
                var journal = await journalConnection.ExecuteScalarAsync<long?>("SELECT MAX(ordering) FROM journal") ?? 0;
                var offsets = (await connection.QueryAsync<(string, long)>("SELECT projection, last_ordering FROM projection_offsets"))
                    .ToDictionary(r => r.Item1, r => r.Item2);
                lock (samples)
                    samples.Add((clock.Elapsed.TotalMilliseconds, journal, offsets));
                await Task.Delay(20);
            }
        });

        // The holds figure leaves a backlog: the paced load starts only once every projection has caught up with it.
        await Task.Delay(500);
        var backlogFrom = Last();
        var catchUp = Stopwatch.StartNew();
        while (catchUp.Elapsed < TimeSpan.FromMinutes(5) && (Last().Offsets.Count == 0 || Last().Offsets.Values.Any(o => o < Last().Journal)))
            await Task.Delay(100);
        var backlog = backlogFrom.Journal - (backlogFrom.Offsets.Count == 0 ? 0 : backlogFrom.Offsets.Values.Min());
        var catchUpSeconds = catchUp.Elapsed.TotalSeconds;
        var startOrdering = Last().Journal;
        var total = (int)(ratePerSecond * sizes.LagDuration.TotalSeconds);
        var writes = new List<Task<(bool, double)>>(total);
        var begin = Stopwatch.GetTimestamp();
        for (var i = 0; i < total; i++)
        {
            var due = begin + (long)(i / ratePerSecond * Stopwatch.Frequency);
            var wait = (due - Stopwatch.GetTimestamp()) * 1000.0 / Stopwatch.Frequency;
            if (wait > 1)
                await Task.Delay(TimeSpan.FromMilliseconds(wait));
            var account = accounts[i % accounts.Count];
            writes.Add(Timed(() => PlaceHoldAsync(service, account)));
        }
        var written = await Task.WhenAll(writes);
        var achieved = total / ((Stopwatch.GetTimestamp() - begin) / (double)Stopwatch.Frequency);
        await Task.Delay(100);
        var endOrdering = Last().Journal;
        var names = Last().Offsets.Keys.ToList();
        var caughtUp = Stopwatch.StartNew();
        while (caughtUp.Elapsed < TimeSpan.FromSeconds(60) && names.Any(n => Last().Offsets.GetValueOrDefault(n) < endOrdering))
            await Task.Delay(50);
        stop.Cancel();
        await sampler;

        var writeLatencies = written.Select(w => w.Item2).Order().ToArray();
        var writeP99 = writeLatencies[(int)(0.99 * (writeLatencies.Length - 1))];
        var lags = names.ToDictionary(n => n, n => LagPercentiles(samples, n, startOrdering, endOrdering));
        var worst = lags.MaxBy(l => l.Value.P99);
        results.Add(new Measurement($"Projection lag p99 at {load}", service.StoreName, $"lag of {worst.Key}", worst.Value.P99,
            "hold write latency p99", writeP99, "ms", "< 1000 ms", worst.Value.P99 < 1000, new Dictionary<string, string>
            {
                ["load"] = $"{total} holds over {accounts.Count} accounts at {achieved:0}/s for {sizes.LagDuration.TotalSeconds:0} s",
                ["events"] = (endOrdering - startOrdering).ToString(CultureInfo.InvariantCulture),
                ["lags"] = string.Join(", ", lags.Select(l => $"{l.Key} p50 {l.Value.P50:0} ms p99 {l.Value.P99:0} ms max {l.Value.Max:0} ms")),
                ["sampling"] = "every 20 ms",
                ["before the load"] = $"{backlog} events behind, caught up in {catchUpSeconds:0.0} s",
            }));
    }

    private static async Task<(bool, double)> Timed(Func<Task<bool>> action)
    {
        var begin = Stopwatch.GetTimestamp();
        var ok = await action();
        return (ok, (Stopwatch.GetTimestamp() - begin) * 1000.0 / Stopwatch.Frequency);
    }

    private static (double P50, double P99, double Max) LagPercentiles(
        List<(double At, long Journal, Dictionary<string, long> Offsets)> samples, string projection, long from, long to)
    {
        var lags = new List<double>();
        var seen = 0;
        var applied = 0;
        for (var ordering = from + 1; ordering <= to; ordering++)
        {
            while (seen < samples.Count && samples[seen].Journal < ordering)
                seen++;
            while (applied < samples.Count && samples[applied].Offsets.GetValueOrDefault(projection) < ordering)
                applied++;
            if (seen == samples.Count || applied == samples.Count)
                break;
            lags.Add(Math.Max(0, samples[applied].At - samples[seen].At));
        }
        lags.Sort();
        return lags.Count == 0 ? (0, 0, 0) : (lags[lags.Count / 2], lags[(int)(0.99 * (lags.Count - 1))], lags[^1]);
    }
}
