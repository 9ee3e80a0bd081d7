using System.Collections.Concurrent;
using System.Text.Json;
using Akka.Streams;
using Akka.Streams.Dsl;
using CreditActors.Domain.Accounts;
using CreditActors.Domain.Rating;
using CreditActors.Host.Cluster;
using CreditActors.Host.Http;
using CreditActors.Projections.Runtime;
using Dapper;

namespace CreditActors.Host.Apis;

/// <summary>Which accounts a backtest rates: those named, or those of a currency; all when neither is given.</summary>
public sealed record BacktestAccounts(IReadOnlyList<string>? AccountIds, string? Currency);

/// <summary>A backtest job as its row keeps it: status, progress, and the result once done.</summary>
public sealed record BacktestJob(
    string BacktestId, string Status, string RequestedBy, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt, long Events, int Accounts,
    int DatesDone, int DatesTotal, DateTimeOffset? ProgressRecordedAt, DateTimeOffset? JournalStartedAt, string? Error, BacktestResult? Result);

/// <summary>
/// Runs backtests beside the live service: each job reads the journal once, in its order, straight from the store (not
/// through the account actors), feeds the domain's <see cref="BacktestEngine"/>, and keeps its progress and result in the
/// read-model database, so that every node answers for it. A job runs on the node that was asked; it is cancelled by its id
/// from any node (its row says so, and the job looks at it with its progress). A job whose node stopped is marked failed,
/// never left running.
/// </summary>
public sealed class BacktestJobs(AkkaNode node, ReadModelDatabase database, TimeProvider clock, ILogger<BacktestJobs> logger)
{
    /// <summary>Progress is written (and cancellation looked for) every this many events.</summary>
    public const int ProgressEvery = 20_000;

    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new(StringComparer.Ordinal);

    /// <summary>The node is stopping: a job stopped now failed, it was not cancelled by anyone.</summary>
    private volatile bool _stopping;

    private const string StoppedReason = "the node that ran it stopped before it finished; start it again";

    /// <summary>This process: a node restarted on the same address is another process, and its jobs of before are orphans.</summary>
    private readonly string _instance = Guid.NewGuid().ToString("N");

    private string Address => Akka.Cluster.Cluster.Get(node.System).SelfAddress.ToString();

    private string Owner => $"{Address} {_instance}";

    public async Task<string> StartAsync(BacktestSpec spec, BacktestAccounts accounts, string requestedBy, CancellationToken cancellation)
    {
        var id = "BT-" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = await database.OpenAsync(cancellation))
            await connection.ExecuteAsync("""
                INSERT INTO backtests (backtest_id, status, owner, requested_by, spec, created_at, events, accounts, dates_done, dates_total)
                VALUES (@id, 'running', @owner, @requestedBy, @spec, @created, 0, 0, 0, @dates)
                """, new
                {
                    id, owner = Owner, requestedBy, created = ProjectionWriter.Instant(clock.GetUtcNow()), dates = spec.Dates.Count,
                    spec = JsonSerializer.Serialize(new { candidate = spec.Candidate.Key, baseline = spec.Baseline.Key, spec.From, spec.To,
                        step = spec.Step.ToString().ToLowerInvariant(), spec.OutcomeDaysPastDue, spec.HorizonMonths, accounts }, ApiJson.Options),
                });
        var stop = new CancellationTokenSource();
        _running[id] = stop;
        _ = Task.Run(() => RunAsync(id, spec, accounts, stop.Token), CancellationToken.None);
        return id;
    }

    /// <summary>Asks a job to stop: at once on this node, within its next progress on another. False when it is not running.</summary>
    public async Task<bool> CancelAsync(string id, CancellationToken cancellation)
    {
        await using var connection = await database.OpenAsync(cancellation);
        var rows = await connection.ExecuteAsync(
            "UPDATE backtests SET status = 'cancelling' WHERE backtest_id = @id AND status = 'running'", new { id });
        if (_running.TryGetValue(id, out var stop))
            await stop.CancelAsync();
        return rows == 1;
    }

    public async Task<BacktestJob?> FindAsync(string id, CancellationToken cancellation)
    {
        await using var connection = await database.OpenAsync(cancellation);
        var row = await connection.QuerySingleOrDefaultAsync<Row>($"{Select} WHERE backtest_id = @id", new { id });
        return row?.ToJob();
    }

    public async Task<IReadOnlyList<BacktestJob>> ListAsync(CancellationToken cancellation)
    {
        await using var connection = await database.OpenAsync(cancellation);
        return [.. (await connection.QueryAsync<Row>($"{Select} ORDER BY created_at DESC LIMIT 100")).Select(r => r.ToJob() with { Result = null })];
    }

    /// <summary>
    /// Jobs left running by a node that is no longer in the cluster (it stopped or crashed mid-job) are failed, so that
    /// nobody waits for them or reads a half result. Called when the node starts, and for this node's jobs when it stops.
    /// </summary>
    public async Task FailOrphansAsync(IReadOnlyCollection<string> liveOwners, string reason, CancellationToken cancellation)
    {
        await using var connection = await database.OpenAsync(cancellation);
        var running = await connection.QueryAsync<(string Id, string Owner)>(
            "SELECT backtest_id AS Id, owner AS Owner FROM backtests WHERE status IN ('running', 'cancelling')");
        // Orphans: jobs of a node no longer in the cluster, or of an earlier process on this node's address.
        bool Orphan(string owner) => owner.Split(' ') is [var address, var instance]
            ? !liveOwners.Contains(address) || (address == Address && instance != _instance)
            : true;
        foreach (var (id, owner) in running.Where(r => Orphan(r.Owner)))
        {
            await connection.ExecuteAsync(
                "UPDATE backtests SET status = 'failed', error = @reason, finished_at = @now WHERE backtest_id = @id AND status IN ('running', 'cancelling')",
                new { id, reason, now = ProjectionWriter.Instant(clock.GetUtcNow()) });
            logger.LogWarning("Backtest {BacktestId} of node {Owner} failed: {Reason}", id, owner, reason);
        }
    }

    /// <summary>Stops this node's jobs and fails them: a stopped node leaves none running.</summary>
    public async Task StopAsync()
    {
        _stopping = true;
        var mine = _running.Keys.ToList();
        foreach (var stop in _running.Values)
            await stop.CancelAsync();
        await using var connection = await database.OpenAsync();
        foreach (var id in mine)
            await connection.ExecuteAsync(
                "UPDATE backtests SET status = 'failed', error = @reason, finished_at = @now WHERE backtest_id = @id AND status IN ('running', 'cancelling')",
                new { id, reason = StoppedReason, now = ProjectionWriter.Instant(clock.GetUtcNow()) });
    }

    private async Task RunAsync(string id, BacktestSpec spec, BacktestAccounts accounts, CancellationToken stop)
    {
        var engine = new BacktestEngine(spec);
        var included = new Dictionary<string, bool>(StringComparer.Ordinal);
        var named = accounts.AccountIds?.ToHashSet(StringComparer.Ordinal);
        DateTimeOffset? started = null;
        try
        {
            await node.AllAccountEvents()
                .Select(x =>
                {
                    stop.ThrowIfCancellationRequested();
                    started ??= x.Event.Meta.RecordedAt;
                    if (!included.TryGetValue(x.AccountId, out var take))
                        included[x.AccountId] = take = (named is null || named.Contains(x.AccountId))
                            && (accounts.Currency is null || (x.Event is AccountOpened o && o.Currency == accounts.Currency));
                    if (take)
                        engine.Apply(x.AccountId, x.Event);
                    // A stream carries no nulls: the minimum instant stands for "no progress to write".
                    return take && engine.Events % ProgressEvery == 0 ? x.Event.Meta.RecordedAt : DateTimeOffset.MinValue;
                })
                // Progress every so many events: written, and the row read back for a cancellation asked on another node.
                .Where(reached => reached != DateTimeOffset.MinValue)
                .SelectAsync(1, async reached => await ProgressAsync(id, engine, started!.Value, reached) == "cancelling"
                    ? throw new OperationCanceledException("cancelled by its id")
                    : Akka.NotUsed.Instance)
                .RunWith(Sink.Ignore<Akka.NotUsed>(), node.System.Materializer());
            stop.ThrowIfCancellationRequested();
            var result = engine.Complete();
            await FinishAsync(id, "completed", engine, null, result);
            logger.LogInformation("Backtest {BacktestId} completed: {Events} events, {Accounts} accounts, {Ratings} ratings", id, engine.Events,
                engine.Accounts, result.Ratings);
        }
        catch (Exception e) when (e is OperationCanceledException || e.InnerException is OperationCanceledException)
        {
            await FinishAsync(id, _stopping ? "failed" : "cancelled", engine, _stopping ? StoppedReason : null, null);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Backtest {BacktestId} failed", id);
            await FinishAsync(id, "failed", engine, $"{e.GetType().Name}: {e.Message}", null);
        }
        finally
        {
            _running.TryRemove(id, out var source);
            source?.Dispose();
        }
    }

    /// <summary>Writes the progress; answers the job's status as its row says (cancelling, when asked from another node).</summary>
    private async Task<string> ProgressAsync(string id, BacktestEngine engine, DateTimeOffset journalStart, DateTimeOffset reached)
    {
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync("""
            UPDATE backtests SET events = @events, accounts = @accounts, dates_done = @dates, progress_recorded_at = @reached,
                journal_started_at = @start
            WHERE backtest_id = @id
            """, new
            {
                id, events = engine.Events, accounts = engine.Accounts, dates = engine.DatesDone, reached = ProjectionWriter.Instant(reached),
                start = ProjectionWriter.Instant(journalStart),
            });
        return await connection.QuerySingleAsync<string>("SELECT status FROM backtests WHERE backtest_id = @id", new { id });
    }

    private async Task FinishAsync(string id, string status, BacktestEngine engine, string? error, BacktestResult? result)
    {
        await using var connection = await database.OpenAsync();
        // A cancellation accepted while the job was finishing wins: the job ends cancelled, without a result.
        await connection.ExecuteAsync("""
            UPDATE backtests SET
                status = CASE WHEN status = 'cancelling' AND @status = 'completed' THEN 'cancelled' ELSE @status END,
                result = CASE WHEN status = 'cancelling' THEN NULL ELSE @result END,
                events = @events, accounts = @accounts, dates_done = @dates, finished_at = @now, error = @error
            WHERE backtest_id = @id AND status IN ('running', 'cancelling')
            """, new
            {
                id, status, events = engine.Events, accounts = engine.Accounts, dates = engine.DatesDone, now = ProjectionWriter.Instant(clock.GetUtcNow()),
                error, result = result is null ? null : JsonSerializer.Serialize(result, ApiJson.Options),
            });
    }

    private const string Select = """
        SELECT backtest_id AS BacktestId, status AS Status, requested_by AS RequestedBy, created_at AS CreatedAt, finished_at AS FinishedAt,
               events AS Events, accounts AS Accounts, dates_done AS DatesDone, dates_total AS DatesTotal,
               progress_recorded_at AS ProgressRecordedAt, journal_started_at AS JournalStartedAt, error AS Error, result AS Result
        FROM backtests
        """;

    private sealed class Row
    {
        public string BacktestId { get; set; } = "";
        public string Status { get; set; } = "";
        public string RequestedBy { get; set; } = "";
        public string CreatedAt { get; set; } = "";
        public string? FinishedAt { get; set; }
        public long Events { get; set; }
        public int Accounts { get; set; }
        public int DatesDone { get; set; }
        public int DatesTotal { get; set; }
        public string? ProgressRecordedAt { get; set; }
        public string? JournalStartedAt { get; set; }
        public string? Error { get; set; }
        public string? Result { get; set; }

        public BacktestJob ToJob() => new(BacktestId, Status, RequestedBy, DateTimeOffset.Parse(CreatedAt, System.Globalization.CultureInfo.InvariantCulture),
            FinishedAt is null ? null : DateTimeOffset.Parse(FinishedAt, System.Globalization.CultureInfo.InvariantCulture), Events, Accounts, DatesDone,
            DatesTotal, Instant(ProgressRecordedAt), Instant(JournalStartedAt),
            Error, Result is null ? null : JsonSerializer.Deserialize<BacktestResult>(Result, ApiJson.Options));

        private static DateTimeOffset? Instant(string? text) =>
            text is null ? null : DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// When the node starts, the backtests of nodes no longer in the cluster are failed (a node that crashed mid-job); when it
/// stops, its own are stopped and failed. Started after the node, so the cluster and the read models are up.
/// </summary>
public sealed class BacktestLifecycle(BacktestJobs jobs, AkkaNode node) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        jobs.FailOrphansAsync(Akka.Cluster.Cluster.Get(node.System).State.Members.Select(m => m.Address.ToString()).ToList(),
            "the node that ran it left the cluster before it finished; start it again", cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => jobs.StopAsync();
}
