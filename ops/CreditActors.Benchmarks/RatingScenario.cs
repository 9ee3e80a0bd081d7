using System.Globalization;
using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using CreditActors.Actors.Accounts;
using CreditActors.Actors.Rating;
using CreditActors.Actors.Runs;
using CreditActors.Domain.Rating;

namespace CreditActors.Benchmarks;

/// <summary>
/// A rating run over the whole book while order systems check credit: the credit-check p99 during the run beside the p99
/// of the same load without it, and the run's throughput (accounts rated per second, against the pace it is set to).
/// </summary>
public static class RatingScenario
{
    /// <summary>The pace the harness sets (akka.hocon ships 500 a second: a night's run over 100,000 accounts in under 4 minutes).</summary>
    public const int Pace = 2_000;

    /// <summary>The credit checks' closed loop: the order systems' steady traffic, not a saturation test.</summary>
    private const int CheckConcurrency = 8;

    public static async Task RunAsync(ServiceUnderTest service, IReadOnlyList<string> checkAccounts, Sizes sizes, Results results)
    {
        // The book: every account the journal holds, topped up to the size the figure is stated for.
        var existing = await service.Node.ReadJournal.CurrentPersistenceIds()
            .Where(id => id.StartsWith(AccountSettings.PersistenceIdPrefix, StringComparison.Ordinal))
            .RunWith(Sink.Seq<string>(), service.Node.System.Materializer());
        var missing = Math.Max(0, sizes.RatingAccounts - existing.Count);
        await service.OpenAccountsAsync(Enumerable.Range(0, missing).Select(i => $"rated-{i:D6}").ToList(), 1_000_000m);
        var book = existing.Count + missing;

        Task<LoadResult> Checks() => Load.RunAsync(CheckConcurrency, sizes.LoadDuration, async n =>
            await service.AskAsync(checkAccounts[(int)(n % checkAccounts.Count)], new CheckCredit(100m)) is CreditCheckReply { Result: not null },
            sizes.WarmUp);
        var quiet = await Checks();

        var started = await service.Node.RatingRuns.Ask<AccountRunsReply>(new StartAccountRun("bench", "benchmark"), TimeSpan.FromMinutes(2));
        if (started.Rejection is { } rejection)
            throw new InvalidOperationException($"The rating run did not start: {rejection.Message}");
        var during = await Checks();
        var run = await CompletionAsync(service, started.RunId!, TimeSpan.FromSeconds(book / (double)Pace * 3 + 120));
        var seconds = (run.CompletedAt!.Value - run.StartedAt).TotalSeconds;
        var rate = run.Counts.Processed / seconds;
        if (quiet.Failures + during.Failures > 0 || run.Counts.Failed > 0)
            throw new InvalidOperationException($"Failures: {quiet.Failures + during.Failures} credit checks, {run.Counts.Failed} accounts of the run");

        results.Add(new Measurement($"Credit-check p99 during a rating run over {book:N0} accounts", service.StoreName, "during the run", during.P99Ms,
            "no run", quiet.P99Ms, "ms", "≤ 2", during.P99Ms / quiet.P99Ms <= 2, new Dictionary<string, string>
            {
                ["checks"] = $"closed loop of {CheckConcurrency}; without the run {quiet.PerSecond:0}/s, p50 {quiet.P50Ms:0.00} ms; "
                    + $"during it {during.PerSecond:0}/s, p50 {during.P50Ms:0.00} ms",
                ["run"] = $"{run.Counts.Processed:N0} accounts in {seconds:0.0} s: {rate:0} a second at a pace of {Pace} "
                    + $"({run.Counts.Written:N0} ratings written, {run.Counts.Unchanged:N0} unchanged, {run.Counts.Skipped:N0} skipped)",
            }));
        results.Add(new Measurement($"Rating run over {book:N0} accounts", service.StoreName, "accounts rated per second", rate,
            "pace set", Pace, "accounts/s", "≥ 0.9", rate / Pace >= 0.9, new Dictionary<string, string>
            {
                ["run"] = $"{seconds.ToString("0.0", CultureInfo.InvariantCulture)} s, progress recorded every "
                    + $"{AccountRunSettings.From(service.Node.System.Settings.Config).ProgressEvery} accounts",
            }));
    }

    private static async Task<RatingRun> CompletionAsync(ServiceUnderTest service, string runId, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            var runs = await service.Node.RatingRuns.Ask<AccountRunsReply>(new ReadAccountRuns(), TimeSpan.FromMinutes(1));
            if (runs.Runs.Single(r => r.RunId == runId) is { Running: false } done)
                return done;
            await Task.Delay(500);
        }
        throw new TimeoutException($"Rating run {runId} did not complete within {limit}");
    }
}
