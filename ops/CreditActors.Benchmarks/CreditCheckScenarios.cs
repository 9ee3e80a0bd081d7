using System.Globalization;
using System.Net;
using Akka.Actor;
using System.Text;
using CreditActors.Actors.Accounts;

namespace CreditActors.Benchmarks;

/// <summary>The read path order systems call on every order: in-process through the shard region, and over HTTP.</summary>
public static class CreditCheckScenarios
{
    /// <summary>
    /// Credit checks through the shard region against a no-op request–response to a sharded entity of the same
    /// region settings. Both run twice, alternating, and the better round of each counts (the machine is noisy).
    /// </summary>
    public static async Task InProcessAsync(ServiceUnderTest service, IReadOnlyList<string> accounts, Sizes sizes, Results results)
    {
        Task<LoadResult> Check() => Load.RunAsync(sizes.Concurrency, sizes.LoadDuration, async n =>
            await service.AskAsync(accounts[(int)(n % accounts.Count)], new CheckCredit(100m)) is CreditCheckReply { Result: not null },
            sizes.WarmUp);
        Task<LoadResult> Echo() => Load.RunAsync(sizes.Concurrency, sizes.LoadDuration, async n =>
            await service.EchoRegion.Ask<object>(new AccountEnvelope(accounts[(int)(n % accounts.Count)], new CheckCredit(100m)),
                TimeSpan.FromSeconds(60)) is CreditCheckReply,
            sizes.WarmUp);

        var (check, echo) = await BestOfTwoAsync(Check, Echo);
        var persistentEcho = await Load.RunAsync(sizes.Concurrency, sizes.LoadDuration, async n =>
            await service.PersistentEchoRegion.Ask<object>(new AccountEnvelope(accounts[(int)(n % accounts.Count)], new CheckCredit(100m)),
                TimeSpan.FromSeconds(60)) is CreditCheckReply,
            sizes.WarmUp);
        var microsPerCheck = 1e6 / check.PerSecond;
        var microsPerEcho = 1e6 / echo.PerSecond;
        results.Add(new Measurement("In-process credit check", "-", "credit check", microsPerCheck, "no-op sharded request–response", microsPerEcho,
            "µs per request", "≤ 1.5", microsPerCheck / microsPerEcho <= 1.5, new Dictionary<string, string>(Details(check, echo, sizes.Concurrency))
            {
                ["profile"] = $"the same no-op in a persistent entity: {1e6 / persistentEcho.PerSecond:0.00} µs per request",
            }));
    }

    /// <summary>POST /accounts/{id}/credit-checks against a bare endpoint of the same host and middleware.</summary>
    public static async Task HttpAsync(ServiceUnderTest service, IReadOnlyList<string> accounts, Sizes sizes, Results results)
    {
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = sizes.Concurrency,
            PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = service.Address,
            Timeout = TimeSpan.FromSeconds(60),
        };
        var body = Encoding.UTF8.GetBytes("{\"amount\": 100.00}");
        async Task<bool> Post(string path)
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using var response = await client.PostAsync(path, content);
            await response.Content.ReadAsByteArrayAsync();
            return response.StatusCode == HttpStatusCode.OK;
        }
        Task<LoadResult> Check() => Load.RunAsync(sizes.Concurrency, sizes.LoadDuration,
            n => Post($"/accounts/{accounts[(int)(n % accounts.Count)]}/credit-checks"), sizes.WarmUp);
        Task<LoadResult> Bare() => Load.RunAsync(sizes.Concurrency, sizes.LoadDuration,
            n => Post($"{ServiceUnderTest.BareEndpoint}/{accounts[(int)(n % accounts.Count)]}/credit-checks"), sizes.WarmUp);

        var (check, bare) = await BestOfTwoAsync(Check, Bare);
        results.Add(new Measurement("HTTP credit check", "-", "POST credit-checks", check.PerSecond, "bare endpoint, same host", bare.PerSecond,
            "requests/s", "≥ 0.6", check.PerSecond / bare.PerSecond >= 0.6, Details(check, bare, sizes.Concurrency)));
    }

    /// <summary>Runs baseline, subject, baseline, subject and keeps the better round of each.</summary>
    public static async Task<(LoadResult Subject, LoadResult Baseline)> BestOfTwoAsync(Func<Task<LoadResult>> subject, Func<Task<LoadResult>> baseline)
    {
        var b1 = await baseline();
        var s1 = await subject();
        var b2 = await baseline();
        var s2 = await subject();
        if (s1.Failures + s2.Failures + b1.Failures + b2.Failures > 0)
            throw new InvalidOperationException($"Failed operations: {s1.Failures + s2.Failures} of the subject, {b1.Failures + b2.Failures} of the baseline");
        return (s1.PerSecond >= s2.PerSecond ? s1 : s2, b1.PerSecond >= b2.PerSecond ? b1 : b2);
    }

    public static Dictionary<string, string> Details(LoadResult subject, LoadResult baseline, int concurrency) => new()
    {
        ["concurrency"] = concurrency.ToString(CultureInfo.InvariantCulture),
        ["service"] = $"{subject.PerSecond:0}/s, p50 {subject.P50Ms:0.00} ms, p99 {subject.P99Ms:0.00} ms",
        ["baseline"] = $"{baseline.PerSecond:0}/s, p50 {baseline.P50Ms:0.00} ms, p99 {baseline.P99Ms:0.00} ms",
    };
}
