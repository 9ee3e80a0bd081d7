using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CreditActors.Domain.Accounts;
using CreditActors.Host.Tests.Support;
using Xunit.Abstractions;

namespace CreditActors.Host.Tests.PostgreSql;

// Protects the cluster promise: a node killed mid-load loses no acknowledged event, duplicates none, and no account ever has two writers.
[Collection(PostgresCollection.Name)]
public sealed class ClusterDrillTests(ITestOutputHelper output) : IDisposable
{
    private const int Accounts = 30;
    private const int Commands = 3_000;
    private const int Clients = 8;
    private const int KillAfterAcknowledged = 900;
    private static readonly TimeSpan DrillBudget = TimeSpan.FromMinutes(4);

    // Short downing timings so that the drill sees the shards move within seconds; production keeps akka.hocon's.
    private const string DrillOverrides =
        "akka.cluster.split-brain-resolver.stable-after = 5s, " +
        "akka.cluster.failure-detector.acceptable-heartbeat-pause = 3s, " +
        "akka.cluster.failure-detector.heartbeat-interval = 1s";

    private readonly string _logDirectory = Directory.CreateTempSubdirectory("creditactors-drill-").FullName;
    private readonly List<NodeProcess> _nodes = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(15) };

    private sealed record Acknowledged(ConcurrentDictionary<string, string> Holds, ConcurrentDictionary<string, string> Invoices,
        ConcurrentDictionary<string, string> Payments, ConcurrentDictionary<string, string> Releases);

    [Fact]
    public async Task a_node_killed_mid_load_loses_and_duplicates_no_acknowledged_event()
    {
        try
        {
            await DrillAsync();
        }
        catch (Exception) when (Diagnose())
        {
            throw;
        }
    }

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<string> _phases = [];
    private string? _lastMembers;

    private void Phase(string name) => _phases.Add($"{_clock.Elapsed.TotalSeconds:F1} s: {name}");

    /// <summary>What a failed drill leaves to read: its phases, the last membership seen, and each node's log tail.</summary>
    private bool Diagnose()
    {
        output.WriteLine(string.Join('\n', _phases));
        output.WriteLine($"last members seen: {_lastMembers ?? "(none)"}");
        foreach (var node in _nodes)
            output.WriteLine($"--- {node.Name} (running: {node.IsRunning}) ---\n{node.Log()}");
        return false;
    }

    private async Task DrillAsync()
    {
        using var budget = new CancellationTokenSource(DrillBudget);
        var storeArguments = await new PostgresStore(PostgresFixture.Server).NewStoreAsync();
        var connectionString = storeArguments.Single(a => a.StartsWith("--Storage:ConnectionString=", StringComparison.Ordinal)).Split('=', 2)[1];
        var ports = NodeProcess.FreePorts(6);
        var seed = NodeProcess.Address(ports[0]);
        for (var i = 0; i < 3; i++)
            _nodes.Add(new NodeProcess($"node{i + 1}", ports[3 + i], ports[i], seed,
                [.. storeArguments, $"--Akka:Overrides={DrillOverrides}", "--Api:AskTimeoutSeconds=5"], _logDirectory));
        foreach (var node in _nodes)
        {
            node.Start();
            await Task.Delay(node == _nodes[0] ? 1_500 : 200, budget.Token);
        }
        await WaitForMembersUpAsync(3, budget.Token);
        Phase("three members up");

        for (var a = 0; a < Accounts; a++)
            await SendAsync(HttpMethod.Post, "/accounts", new { accountId = $"DRILL-{a}", name = $"Drill {a}", currency = "CNY", creditLimit = 1_000_000_000m,
                paymentTermsDays = 30 }, a, budget.Token);

        var acknowledged = new Acknowledged(new(), new(), new(), new());
        var sent = 0;
        var acknowledgedCount = 0;
        var victim = _nodes[1];
        var killed = new TaskCompletionSource<Stopwatch>();
        var clients = Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            var random = new Random(client);
            while (true)
            {
                var n = Interlocked.Increment(ref sent);
                if (n > Commands)
                    return;
                if (await RunCommandAsync(n, random, acknowledged, budget.Token))
                    Interlocked.Increment(ref acknowledgedCount);
                if (Volatile.Read(ref acknowledgedCount) >= KillAfterAcknowledged && killed.TrySetResult(Stopwatch.StartNew()))
                    victim.Kill();
            }
        }, budget.Token)).ToList();

        var sinceKill = await killed.Task.WaitAsync(budget.Token);
        Phase($"{victim.Name} killed");
        await WaitUntilEveryAccountAnswersAsync(budget.Token);
        var shardsMovedSeconds = sinceKill.Elapsed.TotalSeconds;
        Phase("every account answered");
        victim.Start();
        await Task.WhenAll(clients);
        Phase("every command sent");
        await WaitForMembersUpAsync(3, budget.Token);
        Phase($"{victim.Name} rejoined");

        var rows = await new JournalQueries(connectionString).RowsAsync();
        var report = Check(rows, acknowledged);
        output.WriteLine($"drill: commands sent {Commands}, acknowledged {acknowledgedCount}, events in journal {rows.Count}, " +
            $"duplicates {report.Duplicates}, missing {report.Missing}, seconds until every account answered after the kill {shardsMovedSeconds:F1}, " +
            "the killed node restarted and rejoined");
        await File.WriteAllTextAsync(Path.Combine(_logDirectory, "drill.json"), JsonSerializer.Serialize(new
        {
            commandsSent = Commands, acknowledged = acknowledgedCount, eventsInJournal = rows.Count, report.Duplicates, report.Missing,
            secondsUntilEveryAccountAnswered = shardsMovedSeconds,
        }));

        Assert.Equal(0, report.Missing);
        Assert.Equal(0, report.Duplicates);
        Assert.Empty(report.SequenceGaps);
        Assert.Empty(report.InterleavedWriters);
        for (var a = 0; a < Accounts; a++)
        {
            var account = await SendAsync(HttpMethod.Get, $"/accounts/DRILL-{a}", null, a, budget.Token);
            Assert.Equal(rows.Count(r => r.PersistenceId == $"credit-account-DRILL-{a}"), account.GetProperty("version").GetInt64());
        }
    }

    /// <summary>One random command, retried with the same id on other nodes until it is answered; true when it wrote.</summary>
    private async Task<bool> RunCommandAsync(int n, Random random, Acknowledged acknowledged, CancellationToken cancellation)
    {
        var account = $"DRILL-{random.Next(Accounts)}";
        var today = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd");
        var roll = random.Next(100);
        if (roll < 40)
        {
            var holdId = $"H-{n}";
            await SendAsync(HttpMethod.Post, $"/accounts/{account}/holds", new { holdId, amount = 10m + random.Next(90) }, n, cancellation);
            acknowledged.Holds[holdId] = account;
            return true;
        }
        if (roll < 55)
        {
            var number = $"INV-{n}";
            await SendAsync(HttpMethod.Post, $"/accounts/{account}/invoices", new { invoiceNumber = number, amount = 100m + random.Next(900),
                issueDate = today }, n, cancellation);
            acknowledged.Invoices[number] = account;
            return true;
        }
        if (roll < 70)
        {
            var reference = $"PAY-{n}";
            await SendAsync(HttpMethod.Post, $"/accounts/{account}/payments", new { paymentReference = reference, amount = 50m + random.Next(200),
                receivedDate = today }, n, cancellation);
            acknowledged.Payments[reference] = account;
            return true;
        }
        if (roll < 80 && acknowledged.Holds.Keys.FirstOrDefault(h => !acknowledged.Releases.ContainsKey(h)) is { } hold
            && acknowledged.Releases.TryAdd(hold, "pending"))
        {
            await SendAsync(HttpMethod.Post, $"/accounts/{acknowledged.Holds[hold]}/holds/{hold}/release", new { reason = "drill" }, n, cancellation);
            acknowledged.Releases[hold] = acknowledged.Holds[hold];
            return true;
        }
        await SendAsync(HttpMethod.Post, $"/accounts/{account}/credit-checks", new { amount = 25m }, n, cancellation);
        return false;
    }

    /// <summary>Sends to a live node, moving to the next one on a connection failure or a 5xx; bounded by attempts and the drill budget.</summary>
    private async Task<JsonElement> SendAsync(HttpMethod method, string path, object? body, int start, CancellationToken cancellation)
    {
        for (var attempt = 0; attempt < 120; attempt++)
        {
            var node = _nodes[(start + attempt) % _nodes.Count];
            if (!node.IsRunning)
                continue;
            try
            {
                using var request = new HttpRequestMessage(method, new Uri(node.BaseAddress, path));
                if (body is not null)
                    request.Content = JsonContent.Create(body);
                using var response = await _http.SendAsync(request, cancellation);
                // Too many requests for the key: wait as told and send the same request again, as a client does.
                if (response.StatusCode == System.Net.HttpStatusCode.TooManyRequests)
                {
                    await Task.Delay(TimeSpan.FromSeconds(response.Headers.RetryAfter?.Delta?.TotalSeconds ?? 1), cancellation);
                    continue;
                }
                if ((int)response.StatusCode < 500)
                {
                    Assert.True(response.IsSuccessStatusCode,
                        $"{method} {path} on {node.Name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellation)}");
                    return await RunningHost.Json(response);
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellation.IsCancellationRequested)
            {
            }
            await Task.Delay(250, cancellation);
        }
        throw new InvalidOperationException($"{method} {path} was never answered");
    }

    private async Task WaitUntilEveryAccountAnswersAsync(CancellationToken cancellation)
    {
        for (var a = 0; a < Accounts; a++)
            await SendAsync(HttpMethod.Get, $"/accounts/DRILL-{a}", null, 0, cancellation);
    }

    private async Task WaitForMembersUpAsync(int count, CancellationToken cancellation)
    {
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            try
            {
                var members = await _http.GetFromJsonAsync<JsonElement>(new Uri(_nodes[0].BaseAddress, "/cluster/members"), cancellation);
                _lastMembers = members.GetRawText();
                if (members.GetProperty("members").EnumerateArray().Count(m => m.GetProperty("status").GetString() == "Up"
                    && m.GetProperty("reachable").GetBoolean()) == count)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(250, cancellation);
        }
    }

    private sealed record Report(int Missing, int Duplicates, List<string> SequenceGaps, List<string> InterleavedWriters);

    /// <summary>The manifest an event is written under today.</summary>
    private static string Manifest<T>() => CreditActors.Persistence.EventCatalog.ForType(typeof(T)).Manifest;

    private static Report Check(List<JournalQueries.Row> rows, Acknowledged acknowledged)
    {
        var missing = 0;
        var duplicates = 0;
        void Compare(string manifest, string field, ICollection<string> acked)
        {
            var stored = JournalQueries.Field(rows, manifest, field).GroupBy(x => x).ToDictionary(g => g.Key, g => g.Count());
            duplicates += stored.Values.Count(c => c > 1);
            missing += acked.Count(id => !stored.ContainsKey(id));
        }
        Compare(Manifest<CreditHoldPlaced>(), "holdId", acknowledged.Holds.Keys);
        Compare(Manifest<InvoiceIssued>(), "invoiceNumber", acknowledged.Invoices.Keys);
        Compare(Manifest<PaymentReceived>(), "paymentReference", acknowledged.Payments.Keys);
        Compare(Manifest<CreditHoldReleased>(), "holdId", acknowledged.Releases.Where(r => r.Value != "pending").Select(r => r.Key).ToList());

        var gaps = new List<string>();
        var interleaved = new List<string>();
        foreach (var stream in rows.GroupBy(r => r.PersistenceId))
        {
            var sequence = stream.Select(r => r.SequenceNr).Order().ToList();
            if (!sequence.SequenceEqual(Enumerable.Range(1, sequence.Count).Select(i => (long)i)))
                gaps.Add(stream.Key);
            // A writer that hands over never writes again: its rows form one unbroken run.
            var runs = stream.OrderBy(r => r.SequenceNr).Select(r => r.WriterUuid).Aggregate(new List<string?>(), (acc, w) =>
            {
                if (acc.Count == 0 || acc[^1] != w) acc.Add(w);
                return acc;
            });
            if (runs.Count != runs.Distinct().Count())
                interleaved.Add(stream.Key);
        }
        return new Report(missing, duplicates, gaps, interleaved);
    }

    public void Dispose()
    {
        // Leave one after another: stopping every node at the same instant makes cluster exit time out.
        foreach (var node in Enumerable.Reverse(_nodes))
            node.Dispose();
        _http.Dispose();
        TempDirectory.Delete(_logDirectory);
    }
}
