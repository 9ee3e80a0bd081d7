using System.Diagnostics;
using CreditActors.Benchmarks;
using CreditActors.Persistence;

// ops/bench.sh runs this with the store options; see the README's benchmark section.
//   --quick                 the same scenarios, smaller (under two minutes)
//   --postgres <conn>       also run the store figures on this PostgreSQL database
//   --out <directory>       where results-<mode>.json and results-<mode>.md go (default: ops/bench-results)
//   --only <name,...>       run only these scenarios: memory, check, http, holds, lag, recovery, aging, rating, backtest
//   --akka "<hocon>"        Akka settings laid over akka.hocon, to measure what a setting changes
//   --no-sqlite             only the PostgreSQL figures (with --postgres), to try a setting there
var quick = args.Contains("--quick");
string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
var sizes = quick ? Sizes.Quick : Sizes.Full;
var output = Option("--out") ?? Path.Combine("ops", "bench-results");
var only = Option("--only")?.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
bool Runs(string scenario) => only is null || only.Contains(scenario);

var results = new Results(sizes.Mode);
var clock = Stopwatch.StartNew();
var stores = new List<StorageSettings>();
if (!args.Contains("--no-sqlite"))
    stores.Add(StorageSettings.Sqlite(Path.Combine(Path.GetTempPath(), "creditactors-bench-" + Guid.NewGuid().ToString("N")[..8])));
if (Option("--postgres") is { } postgres)
    stores.Add(new StorageSettings(StorageProvider.PostgreSql, "", postgres));

foreach (var store in stores)
{
    await using var service = await ServiceUnderTest.StartAsync(store, Option("--akka") ?? "");
    Console.WriteLine($"{service.StoreName}: service up at {service.Address} ({clock.Elapsed.TotalSeconds:0} s)");
    var first = store == stores[0];

    var accounts = Enumerable.Range(0, sizes.Accounts).Select(i => $"acct-{i:D4}").ToList();
    const string hot = "hot-account";
    await service.OpenAccountsAsync([.. accounts, hot], 1_000_000_000_000m);
    if (first && Runs("check"))
        await CreditCheckScenarios.InProcessAsync(service, accounts, sizes, results);
    if (first && Runs("http"))
        await CreditCheckScenarios.HttpAsync(service, accounts, sizes, results);
    var halfOfPeak = 500.0;
    if (Runs("holds"))
        halfOfPeak = await WriteScenarios.HoldsAsync(service, accounts, hot, sizes, results) / 2;
    if (Runs("lag"))
    {
        // The target is judged at half the peak; a quarter of it shows how lag grows with load.
        await WriteScenarios.ProjectionLagAsync(service, accounts, halfOfPeak / 2, sizes, results, "a quarter of peak");
        await WriteScenarios.ProjectionLagAsync(service, accounts, halfOfPeak, sizes, results, "half of peak");
    }
    if (Runs("recovery"))
        await RecoveryScenario.RunAsync(service, sizes, results);
    if (Runs("aging"))
        await AgingScenario.RunAsync(service, sizes, results);
    // Last: the accounts it opens stay up (and on the heap) until the service stops, which would weigh on the rest.
    if (first && Runs("memory"))
        await MemoryScenario.RunAsync(service, sizes, results);
    // After the memory figure: the run wakes every account of the book.
    if (Runs("rating"))
        await RatingScenario.RunAsync(service, accounts, sizes, results);
    // Last: it stops the projections, so that the figures do not carry their catching up on the book it writes.
    if (Runs("backtest"))
        await BacktestScenario.RunAsync(service, accounts, sizes, results);
    Console.WriteLine($"{service.StoreName}: done ({clock.Elapsed.TotalSeconds:0} s)");
    if (store.Provider == StorageProvider.Sqlite)
        try { Directory.Delete(store.DataDirectory, recursive: true); } catch (IOException) { }
}

await results.WriteAsync(output, clock.Elapsed);
Console.WriteLine();
Console.WriteLine(results.Markdown(clock.Elapsed));
