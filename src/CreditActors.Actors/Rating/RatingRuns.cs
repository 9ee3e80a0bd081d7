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

namespace CreditActors.Actors.Rating;

/// <summary>Start a run over every account now, unless one is running. Replies <see cref="RatingRunsReply"/>.</summary>
public sealed record StartRatingRun(string StartedBy, string Reason) : IAccountProtocol;

/// <summary>The runs, latest last, with the live counts of the one running. Replies <see cref="RatingRunsReply"/>.</summary>
public sealed record ReadRatingRuns : IAccountProtocol;

/// <summary>
/// The runs (the one running with its counts as of now), and for <see cref="StartRatingRun"/> the run it concerns or why none
/// was started.
/// </summary>
public sealed record RatingRunsReply(IReadOnlyList<RatingRun> Runs, string? RunId, Rejection? Rejection) : IAccountProtocol;

/// <summary>credit-actors.rating-run in akka.hocon.</summary>
public sealed record RatingRunSettings(
    TimeOnly? DailyAt, int AccountsPerSecond, int Parallelism, int ProgressEvery, TimeSpan CheckInterval, TimeSpan AskTimeout)
{
    public static RatingRunSettings From(Config config)
    {
        var run = config.GetConfig("credit-actors.rating-run")
            ?? throw new InvalidOperationException("akka.hocon has no credit-actors.rating-run section");
        var dailyAt = run.GetString("daily-at", "off");
        var settings = new RatingRunSettings(
            dailyAt == "off" ? null : TimeOnly.ParseExact(dailyAt, "HH:mm", CultureInfo.InvariantCulture),
            run.GetInt("accounts-per-second"), run.GetInt("parallelism"), run.GetInt("progress-every"),
            run.GetTimeSpan("check-interval"), run.GetTimeSpan("ask-timeout"));
        if (settings.AccountsPerSecond < 1 || settings.Parallelism < 1 || settings.ProgressEvery < 1 || settings.CheckInterval <= TimeSpan.Zero)
            throw new InvalidOperationException("credit-actors.rating-run: pace, parallelism, progress and check interval must be positive");
        return settings;
    }
}

/// <summary>
/// Runs the scheduled ratings once in the cluster (a singleton on the nodes that host accounts): each day at daily-at, or
/// when a person starts one. A run asks every account, in account-id order and paced, to review its rating under the run's
/// id: the account decides and writes, so a run is a message per account. Progress is recorded every progress-every
/// accounts; after a crash or a move to another node the run resumes from there, and the accounts asked again since write
/// nothing, having done this review already.
/// </summary>
public sealed class RatingRunCoordinator : ReceivePersistentActor, IWithTimers
{
    public const string PersistenceIdValue = "rating-runs";
    private const string TickKey = "schedule";
    private const int KeptRuns = 50;

    private readonly IActorRef _accounts;
    private readonly Func<Task<IReadOnlyList<string>>> _listAccounts;
    private readonly RatingRunSettings _settings;
    private readonly TimeProvider _clock;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private IReadOnlyList<RatingRun> _runs = [];

    /// <summary>The counts of the running run since its last recorded progress, and the last account they reach.</summary>
    private RatingRunCounts _unrecorded = RatingRunCounts.None;
    private string? _unrecordedLast;
    private UniqueKillSwitch? _stream;
    private bool _starting;

    public RatingRunCoordinator(IActorRef accounts, Func<Task<IReadOnlyList<string>>> listAccounts, RatingRunSettings settings, TimeProvider clock)
    {
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
                _log.Info("Resuming rating run {0} after {1}", run.RunId, run.LastAccountId ?? "the start");
                _starting = true;
                ListAndThen(ids => new Resume(run.RunId, ids));
            }
        });

        Command<ReadRatingRuns>(_ => Sender.Tell(new RatingRunsReply(Live(), null, null)));
        Command<StartRatingRun>(start =>
        {
            if (Running is { } running || _starting)
            {
                Sender.Tell(new RatingRunsReply(Live(), Running?.RunId, Rejection.Conflict("rating_run_in_progress",
                    $"Rating run {Running?.RunId ?? "(starting)"} is in progress; one run at a time")));
                return;
            }
            // Answered once the run is recorded, with its total: a run asked for is a run that shows.
            var runId = "RUN-" + _clock.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
            Begin(runId, start.StartedBy, start.Reason, Sender);
        });
        Command<Tick>(_ => StartIfDue());
        Command<Listed>(listed =>
        {
            _starting = false;
            var ids = listed.Ids.Order(StringComparer.Ordinal).ToList();
            PersistAsync(new RatingRunStarted(listed.RunId, _clock.GetUtcNow(), listed.StartedBy, listed.Reason, ids.Count), started =>
            {
                _runs = [.. RatingRun.Apply(_runs, started).TakeLast(KeptRuns)];
                listed.ReplyTo?.Tell(new RatingRunsReply(Live(), listed.RunId, null));
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
            _log.Error(failed.Cause, "Could not list the accounts for a rating run");
            failed.ReplyTo?.Tell(new RatingRunsReply(Live(), null, new Rejection(RejectionKind.Conflict, "rating_run_not_started",
                "The accounts could not be listed; no run was started")));
        });
        Command<Answered>(answered =>
        {
            if (Running?.RunId != answered.RunId)
                return;
            _unrecorded = _unrecorded.Add(answered.Counts);
            _unrecordedLast = answered.AccountId;
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
                _log.Error(finished.Cause, "Rating run {0} stopped; it resumes at the next schedule check", finished.RunId);
                RecordProgress();
                return;
            }
            var counts = Running!.Counts.Add(_unrecorded);
            Persist(new RatingRunCompleted(finished.RunId, _clock.GetUtcNow(), counts), completed =>
            {
                _runs = RatingRun.Apply(_runs, completed);
                (_unrecorded, _unrecordedLast) = (RatingRunCounts.None, null);
                _log.Info("Rating run {0} completed: {1}", finished.RunId, counts);
            });
        });
    }

    public override string PersistenceId => PersistenceIdValue;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef accounts, Func<Task<IReadOnlyList<string>>> listAccounts, RatingRunSettings settings, TimeProvider clock) =>
        Akka.Actor.Props.Create(() => new RatingRunCoordinator(accounts, listAccounts, settings, clock));

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
        var runId = "RUN-" + now.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        if (TimeOnly.FromDateTime(now.UtcDateTime) < at || _runs.Any(r => r.RunId == runId))
            return;
        Begin(runId, "schedule", $"daily rating review at {at:HH:mm} UTC", null);
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
        var progressed = new RatingRunProgressed(run.RunId, _clock.GetUtcNow(), last, run.Counts.Add(_unrecorded));
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
        var (killSwitch, done) = Source.From(ids)
            .Throttle(_settings.AccountsPerSecond, TimeSpan.FromSeconds(1), _settings.AccountsPerSecond, ThrottleMode.Shaping)
            .SelectAsync(_settings.Parallelism, async id => (Id: id, Counts: await ReviewAsync(accounts, id, runId, timeout)))
            .ViaMaterialized(KillSwitches.Single<(string Id, RatingRunCounts Counts)>(), Keep.Right)
            .ToMaterialized(Sink.ForEach<(string Id, RatingRunCounts Counts)>(r => self.Tell(new Answered(runId, r.Id, r.Counts))), Keep.Both)
            .Run(Context.System.Materializer());
        _stream = killSwitch;
        done.ContinueWith(t => self.Tell(new Finished(runId, t.IsCompletedSuccessfully ? null : t.Exception)), TaskScheduler.Default);
    }

    private static async Task<RatingRunCounts> ReviewAsync(IActorRef accounts, string accountId, string runId, TimeSpan timeout)
    {
        try
        {
            var reply = await accounts.Ask<object>(
                new AccountEnvelope(accountId, new Execute(new ReviewRating("scheduled", runId), new CommandContext("rating-run", runId))), timeout);
            return reply switch
            {
                CommandOutcome { Rejection: not null } => new RatingRunCounts(1, 0, 0, 1, 0),
                CommandOutcome { Wrote: true } => new RatingRunCounts(1, 1, 0, 0, 0),
                CommandOutcome => new RatingRunCounts(1, 0, 1, 0, 0),
                _ => new RatingRunCounts(1, 0, 0, 0, 1),
            };
        }
        catch (AskTimeoutException)
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
