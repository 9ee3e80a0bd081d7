using Akka;
using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using CreditActors.Actors.Accounts;
using CreditActors.Domain.Accounts;
using CreditActors.Domain.Rating;
using CreditActors.Host.Apis;
using CreditActors.Persistence;
using CreditActors.Projections.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace CreditActors.Benchmarks;

/// <summary>
/// A backtest over two years of a book (sizes.BacktestAccounts accounts of about 100 events each, decided by the domain on a
/// moving clock, written to the journal in the order they were recorded, day by day), monthly steps, while order systems
/// check credit: the job's time beside a plain read of the same journal by its tag, and the checks' p99 beside the same load
/// without a job. The projections are stopped first, so that neither figure carries their catching up on the book.
/// </summary>
public static class BacktestScenario
{
    private const int EventsPerAccount = 105;

    /// <summary>The book's currency: the backtest rates its accounts only (a filter by currency), among the harness's others.</summary>
    private const string Currency = "EUR";
    private const int CheckConcurrency = 8;

    public static async Task RunAsync(ServiceUnderTest service, IReadOnlyList<string> checkAccounts, Sizes sizes, Results results)
    {
        var system = service.Node.System;
        try
        {
            var projections = await system.ActorSelection("/user/projections/singleton").ResolveOne(TimeSpan.FromSeconds(5));
            await projections.Ask<Done>(new ProjectionsGuardian.StopProjections(TimeSpan.FromSeconds(30)), TimeSpan.FromSeconds(40));
        }
        catch (ActorNotFoundException)
        {
            // The projections run elsewhere.
        }

        // The book's two years are recorded after everything the harness wrote before (from tomorrow on, on the histories' own
        // clock): a backtest reads the journal in its order, which in a live journal is the order of recording.
        var start = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(1);
        var end = start.AddYears(2);
        var histories = Enumerable.Range(0, sizes.BacktestAccounts).Select(i => History($"bt-{i:D5}", i, start, end)).ToList();
        var written = await WriteInRecordedOrderAsync(system, histories);

        // The baseline: the same journal read by the same tag, each event deserialized, nothing else.
        var read = await Load.TimeAsync(1, () => service.Node.ReadJournal.CurrentEventsByTag(AccountEventTagger.AllAccountEvents, Offset.NoOffset())
            .RunWith(Sink.Ignore<EventEnvelope>(), system.Materializer()));

        Task<LoadResult> Checks(TimeSpan duration) => Load.RunAsync(CheckConcurrency, duration, async n =>
            await service.AskAsync(checkAccounts[(int)(n % checkAccounts.Count)], new CheckCredit(100m)) is CreditCheckReply { Result: not null },
            sizes.WarmUp);
        var quiet = await Checks(sizes.LoadDuration);

        var jobs = service.Services.GetRequiredService<BacktestJobs>();
        var candidate = RatingPolicyDocument.Standard with { Version = 900, Description = "payment behaviour weighs more" };
        var spec = new BacktestSpec(candidate, RatingPolicyDocument.Standard, start.AddMonths(1), end, BacktestStep.Month, 90, 12);
        var id = await jobs.StartAsync(spec, new BacktestAccounts(null, Currency), "bench", CancellationToken.None);
        var during = await Checks(sizes.LoadDuration);
        BacktestJob job;
        while ((job = (await jobs.FindAsync(id, CancellationToken.None))!).Status is "running")
            await Task.Delay(200);
        // The job's own time, from its start to its result (the checks beside it may outlast it).
        var seconds = (job.FinishedAt!.Value - job.CreatedAt).TotalSeconds;
        if (job.Status != "completed" || job.Result is null)
            throw new InvalidOperationException($"Backtest {id} ended {job.Status}: {job.Error}");

        var events = job.Events;
        results.Add(new Measurement($"Backtest over {written:N0} events of {sizes.BacktestAccounts:N0} accounts, monthly for two years", service.StoreName,
            "backtest", seconds, "read of the journal by its tag", read.MedianMs / 1000, "s", "< 60 s", seconds < 60, new Dictionary<string, string>
            {
                ["job"] = $"{events:N0} events of the book's accounts (the whole journal read), {job.Accounts:N0} accounts, {job.Result.Ratings:N0} ratings by each policy at "
                    + $"{job.Result.Dates.Count} dates: {events / seconds:0} events a second; AUC {job.Result.Baseline.Auc} (baseline), "
                    + $"{job.Result.Candidate.Auc} (candidate), {job.Result.Defaults:N0} ratings followed by a default",
            }));
        results.Add(new Measurement("Credit-check p99 during a backtest", service.StoreName, "during the backtest", during.P99Ms, "no backtest",
            quiet.P99Ms, "ms", "≤ 2", during.P99Ms / quiet.P99Ms <= 2, new Dictionary<string, string>
            {
                ["checks"] = $"closed loop of {CheckConcurrency}; without the job {quiet.PerSecond:0}/s, p50 {quiet.P50Ms:0.00} ms; "
                    + $"during it {during.PerSecond:0}/s, p50 {during.P50Ms:0.00} ms",
            }));
    }

    /// <summary>
    /// Two years of one customer, decided by the domain as the days go by: every week or so a hold, the invoice that captures it,
    /// and its payment, on time or late; one customer in ten stops paying half way and is written off a year later.
    /// </summary>
    private static List<AccountEvent> History(string accountId, int seed, DateOnly from, DateOnly to)
    {
        var random = new Random(seed);
        var state = AccountState.Empty(accountId);
        var events = new List<AccountEvent>(EventsPerAccount);
        var context = new CommandContext("bench", "backtest");
        var now = new DateTimeOffset(from.ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero).AddMinutes(seed % 600);
        var stopsPaying = seed % 10 == 0;
        void Apply(AccountCommand command)
        {
            var decision = CreditAccount.Decide(state, command, context, now, CreditPolicy.Default);
            foreach (var e in decision.Events.TakeWhile(_ => events.Count < EventsPerAccount))
            {
                state = CreditAccount.Evolve(state, e);
                events.Add(e);
            }
        }
        Apply(new OpenAccount(accountId, Currency, 10_000_000m, 30, new Profile("Backtest customer " + accountId)));
        var unpaid = new List<string>();
        var span = to.DayNumber - from.DayNumber;
        for (var i = 0; events.Count < EventsPerAccount - 1 && i < 200; i++)
        {
            now = now.AddDays(span / 23.0);
            var today = DateOnly.FromDateTime(now.UtcDateTime);
            if (today > to)
                break;
            var amount = 1_000m + random.Next(9_000);
            // A customer who stopped paying is refused holds (overdue beyond tolerance): its orders are invoiced without one.
            var before = events.Count;
            Apply(new PlaceHold($"h{i}", amount, null, $"SO-{i}"));
            Apply(new IssueInvoice($"INV-{i}", amount, today, null, null, null, events.Count > before ? $"h{i}" : null));
            if (stopsPaying && i > 10)
                unpaid.Add($"INV-{i}");
            else
                Apply(new ReceivePayment($"PAY-{i}", amount, today.AddDays(random.Next(60)), [new RemittanceLine($"INV-{i}", null, amount)]));
        }
        if (unpaid.Count > 0 && events.Count < EventsPerAccount)
            Apply(new WriteOffInvoice("WO-1", unpaid[0], null, null, "uncollectable", null));
        return events;
    }

    /// <summary>Writes every account's events day by day, as they were recorded, so that the journal's order follows recorded time.</summary>
    private static async Task<long> WriteInRecordedOrderAsync(ActorSystem system, IReadOnlyList<List<AccountEvent>> histories)
    {
        var loaders = new Dictionary<string, IActorRef>();
        long written = 0;
        var byDay = histories.SelectMany(h => h.Select(e => (Account: ((AccountOpened)h[0]).AccountId, Event: e)))
            .GroupBy(x => DateOnly.FromDateTime(x.Event.Meta.RecordedAt.UtcDateTime)).OrderBy(g => g.Key);
        // At most this many accounts' writes in flight: the journal's queue holds 5,000 rows.
        using var inFlight = new SemaphoreSlim(256);
        foreach (var day in byDay)
        {
            await Task.WhenAll(day.GroupBy(x => x.Account).Select(async account =>
            {
                if (!loaders.TryGetValue(account.Key, out var loader))
                    loaders[account.Key] = loader = system.ActorOf(Props.Create(() => new StreamLoader(AccountSettings.PersistenceIdPrefix + account.Key)));
                var batch = account.OrderBy(x => x.Event.Meta.RecordedAt).Select(x => x.Event).ToList();
                Interlocked.Add(ref written, batch.Count);
                await inFlight.WaitAsync();
                try
                {
                    await loader.Ask<Done>(new StreamLoader.Write(batch), TimeSpan.FromMinutes(2));
                }
                finally
                {
                    inFlight.Release();
                }
            }).ToList());
        }
        foreach (var loader in loaders.Values)
            system.Stop(loader);
        return written;
    }
}
