using System.Globalization;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Akka.Persistence;
using Akka.Streams;
using Akka.Streams.Dsl;
using CreditActors.Actors.Accounts;
using CreditActors.Domain.Accounts;
using CreditActors.Domain.Rating;

namespace CreditActors.Actors.Runs;

/// <summary>Start a run over every account now, unless one is running. Replies <see cref="AccountRunsReply"/>.</summary>
public sealed record StartAccountRun(string StartedBy, string Reason) : IAccountProtocol;

/// <summary>The runs, latest last, with the live counts of the one running. Replies <see cref="AccountRunsReply"/>.</summary>
public sealed record ReadAccountRuns : IAccountProtocol;

/// <summary>
/// The runs (the one running with its counts as of now), and for <see cref="StartAccountRun"/> the run it concerns or why none
/// was started.
/// </summary>
public sealed record AccountRunsReply(IReadOnlyList<RatingRun> Runs, string? RunId, Rejection? Rejection) : IAccountProtocol;

/// <summary>A run's section in akka.hocon (credit-actors.rating-run, credit-actors.collections.dunning-run).</summary>
public sealed record AccountRunSettings(
    TimeOnly? DailyAt, int AccountsPerSecond, int Parallelism, int ProgressEvery, TimeSpan CheckInterval, TimeSpan AskTimeout)
{
    /// <summary>Only on this day of the month (1–28); null: every day.</summary>
    public int? DayOfMonth { get; init; }

    public static AccountRunSettings From(Config config, string path = "credit-actors.rating-run")
    {
        var run = config.GetConfig(path)
            ?? throw new InvalidOperationException($"akka.hocon has no {path} section");
        var dailyAt = run.GetString("daily-at", "off");
        var settings = new AccountRunSettings(
            dailyAt == "off" ? null : TimeOnly.ParseExact(dailyAt, "HH:mm", CultureInfo.InvariantCulture),
            run.GetInt("accounts-per-second"), run.GetInt("parallelism"), run.GetInt("progress-every"),
            run.GetTimeSpan("check-interval"), run.GetTimeSpan("ask-timeout"))
        {
            DayOfMonth = run.HasPath("day-of-month") ? run.GetInt("day-of-month") : null,
        };
        if (settings.DayOfMonth is < 1 or > 28)
            throw new InvalidOperationException($"{path}.day-of-month must be between 1 and 28 (every month has it)");
        if (settings.AccountsPerSecond < 1 || settings.Parallelism < 1 || settings.ProgressEvery < 1 || settings.CheckInterval <= TimeSpan.Zero)
            throw new InvalidOperationException($"{path}: pace, parallelism, progress and check interval must be positive");
        return settings;
    }
}

/// <summary>
/// What a kind of run asks every account and how its stream is written: the rating review and the dunning step run the same
/// way, each in a stream of its own with events of its own names.
/// </summary>
public sealed record AccountRunKind(
    string PersistenceId,
    string Name,
    string RunIdPrefix,
    string ScheduleReason,
    Func<string, AccountCommand> Command,
    Func<string, DateTimeOffset, string, string, int, RatingRunStarted> Started,
    Func<string, DateTimeOffset, string, RatingRunCounts, RatingRunProgressed> Progressed,
    Func<string, DateTimeOffset, RatingRunCounts, RatingRunCompleted> Completed)
{
    /// <summary>
    /// For a step that needs more than the run's id (a statement drawn from the account's journal): the command for an
    /// account in a run, or null when the account has nothing to do (counted as skipped). Replaces <see cref="Command"/>.
    /// </summary>
    public Func<string, string, Task<AccountCommand?>>? Prepare { get; init; }

    /// <summary>The daily rating review: every account reviews its rating under the run's id.</summary>
    public static readonly AccountRunKind Rating = new("rating-runs", "rating", "RUN-", "daily rating review",
        runId => new ReviewRating("scheduled", runId),
        (id, at, by, reason, total) => new RatingRunStarted(id, at, by, reason, total),
        (id, at, last, counts) => new RatingRunProgressed(id, at, last, counts),
        (id, at, counts) => new RatingRunCompleted(id, at, counts));

    /// <summary>The daily dunning step: every account decides today's notices, promises and interest.</summary>
    public static readonly AccountRunKind Dunning = new("dunning-runs", "dunning", "DUN-", "daily dunning run",
        _ => new RunDunning(),
        (id, at, by, reason, total) => new Domain.Collections.DunningRunStarted(id, at, by, reason, total),
        (id, at, last, counts) => new Domain.Collections.DunningRunProgressed(id, at, last, counts),
        (id, at, counts) => new Domain.Collections.DunningRunCompleted(id, at, counts));
}

/// <summary>
/// Runs a kind of scheduled work once in the cluster (a singleton on the nodes that host accounts): each day at daily-at, or
/// when a person starts one. A run asks every account, in account-id order and paced, to do the kind's step (review its
/// rating under the run's id; decide today's dunning): the account decides and writes, so a run is a message per account. Progress is recorded every progress-every
/// accounts; after a crash or a move to another node the run resumes from there, and the accounts asked again since write
/// nothing, having done this review already.
/// </summary>
public sealed class AccountRunCoordinator : ReceivePersistentActor, IWithTimers
{
    private const string TickKey = "schedule";
    private const int KeptRuns = 50;

    private readonly AccountRunKind _kind;
    private readonly IActorRef _accounts;
    private readonly Func<Task<IReadOnlyList<string>>> _listAccounts;
    private readonly AccountRunSettings _settings;
    private readonly TimeProvider _clock;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private IReadOnlyList<RatingRun> _runs = [];

    /// <summary>The counts of the running run since its last recorded progress, and the last account they reach.</summary>
    private RatingRunCounts _unrecorded = RatingRunCounts.None;
    private string? _unrecordedLast;
    private UniqueKillSwitch? _stream;
    private bool _starting;

    public AccountRunCoordinator(
        AccountRunKind kind, IActorRef accounts, Func<Task<IReadOnlyList<string>>> listAccounts, AccountRunSettings settings, TimeProvider clock)
    {
        _kind = kind;
        _accounts = accounts;
        _listAccounts = listAccounts;
        _settings = settings;
        _clock = clock;

        Recover<RatingRunEvent>(e => _runs = RatingRun.Apply(_runs, e));
        Recover<RecoveryCompleted>(_ =>
        {
            Timers.StartPeriodicTimer(TickKey, Tick.Instance, settings.CheckInterval);
            if (Running is { } run)
            {
                _log.Info("Resuming {0} run {1} after {2}", kind.Name, run.RunId, run.LastAccountId ?? "the start");
                _starting = true;
                ListAndThen(ids => new Resume(run.RunId, ids));
            }
        });

        Command<ReadAccountRuns>(_ => Sender.Tell(new AccountRunsReply(Live(), null, null)));
        Command<StartAccountRun>(start =>
        {
            if (Running is { } running || _starting)
            {
                Sender.Tell(new AccountRunsReply(Live(), Running?.RunId, Rejection.Conflict($"{kind.Name}_run_in_progress",
                    $"The {kind.Name} run {Running?.RunId ?? "(starting)"} is in progress; one run at a time")));
                return;
            }
            // Answered once the run is recorded, with its total: a run asked for is a run that shows.
            var runId = kind.RunIdPrefix + _clock.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
            Begin(runId, start.StartedBy, start.Reason, Sender);
        });
        Command<Tick>(_ => StartIfDue());
        Command<Listed>(listed =>
        {
            _starting = false;
            var ids = listed.Ids.Order(StringComparer.Ordinal).ToList();
            PersistAsync(kind.Started(listed.RunId, _clock.GetUtcNow(), listed.StartedBy, listed.Reason, ids.Count), started =>
            {
                _runs = [.. RatingRun.Apply(_runs, started).TakeLast(KeptRuns)];
                listed.ReplyTo?.Tell(new AccountRunsReply(Live(), listed.RunId, null));
                Stream(listed.RunId, ids);
            });
        });
        Command<Resume>(resume =>
        {
            _starting = false;
            var run = Running;
            if (run?.RunId != resume.RunId)
                return;
            Stream(run.RunId, [.. resume.Ids.Where(id => run.LastAccountId is null || string.CompareOrdinal(id, run.LastAccountId) > 0)
                .Order(StringComparer.Ordinal)]);
        });
        Command<ListFailed>(failed =>
        {
            _starting = false;
            _log.Error(failed.Cause, "Could not list the accounts for a {0} run", kind.Name);
            failed.ReplyTo?.Tell(new AccountRunsReply(Live(), null, new Rejection(RejectionKind.Conflict, $"{kind.Name}_run_not_started",
                "The accounts could not be listed; no run was started")));
        });
        Command<Answered>(answered =>
        {
            if (Running?.RunId != answered.RunId)
                return;
            _unrecorded = _unrecorded.Add(answered.Counts);
            _unrecordedLast = answered.AccountId;
            var c = answered.Counts;
            Telemetry.RunAccounts.Add(c.Processed, new KeyValuePair<string, object?>("kind", kind.Name),
                new KeyValuePair<string, object?>("outcome", c.Failed > 0 ? "failed" : c.Written > 0 ? "written" : c.Skipped > 0 ? "skipped" : "unchanged"));
            if (_unrecorded.Processed >= _settings.ProgressEvery)
                RecordProgress();
        });
        Command<Finished>(finished =>
        {
            _stream = null;
            if (Running?.RunId != finished.RunId)
                return;
            if (finished.Cause is not null)
            {
                // The accounts after the last recorded progress are asked again by the next attempt; they write nothing twice.
                _log.Error(finished.Cause, "The {0} run {1} stopped; it resumes at the next schedule check", kind.Name, finished.RunId);
                RecordProgress();
                return;
            }
            var counts = Running!.Counts.Add(_unrecorded);
            Persist(kind.Completed(finished.RunId, _clock.GetUtcNow(), counts), completed =>
            {
                _runs = RatingRun.Apply(_runs, completed);
                (_unrecorded, _unrecordedLast) = (RatingRunCounts.None, null);
                _log.Info("The {0} run {1} completed: {2}", kind.Name, finished.RunId, counts);
            });
        });
    }

    public override string PersistenceId => _kind.PersistenceId;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(
        AccountRunKind kind, IActorRef accounts, Func<Task<IReadOnlyList<string>>> listAccounts, AccountRunSettings settings, TimeProvider clock) =>
        Akka.Actor.Props.Create(() => new AccountRunCoordinator(kind, accounts, listAccounts, settings, clock));

    private RatingRun? Running => _runs.LastOrDefault(r => r.Running);

    /// <summary>The runs with the running one's counts as of now (recorded progress plus what came in since).</summary>
    private IReadOnlyList<RatingRun> Live() =>
        [.. _runs.Select(r => r.Running ? r with { Counts = r.Counts.Add(_unrecorded), LastAccountId = _unrecordedLast ?? r.LastAccountId } : r)];

    private void StartIfDue()
    {
        if (_settings.DailyAt is not { } at || Running is not null || _starting)
        {
            if (Running is { } run && _stream is null && !_starting)
            {
                // A run that stopped on an error goes on from its last progress.
                _starting = true;
                ListAndThen(ids => new Resume(run.RunId, ids));
            }
            return;
        }
        var now = _clock.GetUtcNow();
        var runId = _kind.RunIdPrefix + now.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        if (TimeOnly.FromDateTime(now.UtcDateTime) < at || _runs.Any(r => r.RunId == runId)
            || (_settings.DayOfMonth is { } day && now.UtcDateTime.Day != day))
            return;
        Begin(runId, "schedule", $"{_kind.ScheduleReason} at {at:HH:mm} UTC", null);
    }

    private void Begin(string runId, string startedBy, string reason, IActorRef? replyTo)
    {
        _starting = true;
        ListAndThen(ids => new Listed(runId, startedBy, reason, ids, replyTo), replyTo);
    }

    private void ListAndThen(Func<IReadOnlyList<string>, object> next, IActorRef? replyTo = null)
    {
        var self = Self;
        _listAccounts().ContinueWith(t => self.Tell(t.IsCompletedSuccessfully ? next(t.Result) : new ListFailed(t.Exception!, replyTo)),
            TaskScheduler.Default);
    }

    private void RecordProgress()
    {
        if (_unrecordedLast is not { } last || Running is not { } run)
            return;
        var progressed = _kind.Progressed(run.RunId, _clock.GetUtcNow(), last, run.Counts.Add(_unrecorded));
        (_unrecorded, _unrecordedLast) = (RatingRunCounts.None, null);
        _runs = RatingRun.Apply(_runs, progressed);
        PersistAsync(progressed, _ => { });
    }

    /// <summary>Asks the accounts in order, at most accounts-per-second and parallelism at once; each answer comes back in order.</summary>
    private void Stream(string runId, IReadOnlyList<string> ids)
    {
        var self = Self;
        var accounts = _accounts;
        var timeout = _settings.AskTimeout;
        var kind = _kind;
        var (killSwitch, done) = Source.From(ids)
            .Throttle(_settings.AccountsPerSecond, TimeSpan.FromSeconds(1), _settings.AccountsPerSecond, ThrottleMode.Shaping)
            .SelectAsync(_settings.Parallelism, async id => (Id: id, Counts: await AskAsync(kind, accounts, id, runId, timeout)))
            .ViaMaterialized(KillSwitches.Single<(string Id, RatingRunCounts Counts)>(), Keep.Right)
            .ToMaterialized(Sink.ForEach<(string Id, RatingRunCounts Counts)>(r => self.Tell(new Answered(runId, r.Id, r.Counts))), Keep.Both)
            .Run(Context.System.Materializer());
        _stream = killSwitch;
        done.ContinueWith(t => self.Tell(new Finished(runId, t.IsCompletedSuccessfully ? null : t.Exception)), TaskScheduler.Default);
    }

    private static async Task<RatingRunCounts> AskAsync(AccountRunKind kind, IActorRef accounts, string accountId, string runId, TimeSpan timeout)
    {
        try
        {
            var command = kind.Prepare is { } prepare ? await prepare(accountId, runId) : kind.Command(runId);
            if (command is null)
                return new RatingRunCounts(1, 0, 0, 1, 0);
            var reply = await accounts.Ask<object>(
                new AccountEnvelope(accountId, new Execute(command, new CommandContext($"{kind.Name}-run", runId))), timeout);
            return reply switch
            {
                CommandOutcome { Rejection: not null } => new RatingRunCounts(1, 0, 0, 1, 0),
                CommandOutcome { Wrote: true } => new RatingRunCounts(1, 1, 0, 0, 0),
                CommandOutcome => new RatingRunCounts(1, 0, 1, 0, 0),
                _ => new RatingRunCounts(1, 0, 0, 0, 1),
            };
        }
        catch (Exception e) when (e is AskTimeoutException or InvalidOperationException or IOException)
        {
            return new RatingRunCounts(1, 0, 0, 0, 1);
        }
    }

    protected override void PostStop()
    {
        _stream?.Shutdown();
        base.PostStop();
    }

    private sealed class Tick
    {
        public static readonly Tick Instance = new();
    }

    private sealed record Listed(string RunId, string StartedBy, string Reason, IReadOnlyList<string> Ids, IActorRef? ReplyTo);

    private sealed record Resume(string RunId, IReadOnlyList<string> Ids);

    private sealed record ListFailed(Exception Cause, IActorRef? ReplyTo);

    private sealed record Answered(string RunId, string AccountId, RatingRunCounts Counts);

    private sealed record Finished(string RunId, Exception? Cause);
}
