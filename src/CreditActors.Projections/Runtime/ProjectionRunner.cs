using Akka;
using Akka.Actor;
using Akka.Event;
using Akka.Pattern;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using CreditActors.Domain.Accounts;
using CreditActors.Persistence;

namespace CreditActors.Projections.Runtime;

/// <summary>Settings of the projection runtime, from akka.hocon's credit-actors.projections.</summary>
public sealed record ProjectionSettings(
    int BatchSize, TimeSpan BatchWindow, TimeSpan MinimumBackoff, TimeSpan MaximumBackoff, TimeSpan OverdueEvaluationPeriod,
    decimal UtilizationHighPercent, int AccountCacheSize)
{
    /// <summary>The cluster role of the nodes that may run the projections; null: any node.</summary>
    public string? Role { get; init; }
}

/// <summary>
/// Runs the projections fed by one tag from one stream: the tagged account events are read and deserialized once, from the
/// lowest stored offset among them, and each batch is applied to each projection in turn (each in a transaction of its own
/// with its own offset, skipping what it already holds). Fails on any error so that its back-off supervisor restarts it from
/// the stored offsets: a projection that fails holds back the others of its stream until it is fixed (each keeps what it
/// committed).
/// </summary>
public sealed class ProjectionRunner : ReceiveActor
{
    /// <summary>Empty one projection of the stream and read again from the first event (the others skip what they hold).</summary>
    public sealed record Rebuild(string Name);

    /// <summary>Stop reading and answer Done once the batch in flight has committed: the node is stopping.</summary>
    public sealed record StopReading;

    private readonly IReadOnlyList<ProjectionWriter> _writers;
    private readonly string _tag;
    private readonly SqlReadJournal _journal;
    private readonly ProjectionSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private UniqueKillSwitch? _killSwitch;
    private Task _completion = Task.CompletedTask;

    /// <summary>Which run of the stream is current: the end of an earlier one (stopped for a rebuild) is not a failure.</summary>
    private int _generation;

    public ProjectionRunner(IReadOnlyList<ProjectionWriter> writers, SqlReadJournal journal, ProjectionSettings settings)
    {
        _writers = writers;
        _tag = writers.Select(w => w.Projection.Tag).Distinct().Single();
        _journal = journal;
        _settings = settings;
        ReceiveAsync<Start>(async _ => await StartStreamAsync());
        Receive<StreamEnded>(ended =>
        {
            if (ended.Generation != _generation)
                return;
            ProjectionHealth.Fail(_tag, ended.Cause?.Message ?? "the stream completed unexpectedly");
            throw ended.Cause is null
                ? new InvalidOperationException($"Projections of {_tag} stream completed unexpectedly")
                : new InvalidOperationException($"Projections of {_tag} failed", ended.Cause);
        });
        ReceiveAsync<Rebuild>(async rebuild =>
        {
            var writer = _writers.Single(w => w.Projection.Name == rebuild.Name);
            await StopStreamAsync();
            await writer.ResetAsync();
            _log.Info("Projection {0} emptied; rebuilding from the first event", rebuild.Name);
            Sender.Tell(Done.Instance);
            await StartStreamAsync();
        });
        ReceiveAsync<StopReading>(async _ =>
        {
            await StopStreamAsync();
            _log.Info("Projections of {0} stopped", _tag);
            Sender.Tell(Done.Instance);
            Become(() => ReceiveAny(_ => { }));
        });
    }

    /// <summary>
    /// Stops reading and waits for the batch in flight to commit (or fail), so that nothing writes to the read model after
    /// this returns: a rebuild that emptied the tables under a batch still running would keep that batch's offset.
    /// </summary>
    private async Task StopStreamAsync()
    {
        _generation++;
        _killSwitch?.Shutdown();
        _killSwitch = null;
        try
        {
            await _completion.WaitAsync(_settings.MaximumBackoff + TimeSpan.FromSeconds(30));
        }
        catch (Exception e) when (e is not TimeoutException)
        {
            // The stream's failure ends it too; the rebuild starts afresh either way.
        }
    }

    public static Props Props(IReadOnlyList<ProjectionWriter> writers, SqlReadJournal journal, ProjectionSettings settings) =>
        Akka.Actor.Props.Create(() => new ProjectionRunner(writers, journal, settings));

    /// <summary>Wraps the runner in a back-off supervisor: restarts after a failure, waiting longer each time up to a bound.</summary>
    public static Props Supervised(string name, IReadOnlyList<ProjectionWriter> writers, SqlReadJournal journal, ProjectionSettings settings) =>
        BackoffSupervisor.Props(Backoff.OnFailure(Props(writers, journal, settings), $"{name}-runner",
            settings.MinimumBackoff, settings.MaximumBackoff, 0.2, maxNrOfRetries: -1));

    protected override void PreStart() => Self.Tell(new Start());

    protected override void PostStop() => _killSwitch?.Shutdown();

    private async Task StartStreamAsync()
    {
        var offsets = new List<long>();
        foreach (var writer in _writers)
            offsets.Add(await writer.LoadOffsetAsync());
        var offset = offsets.Min();
        _log.Info("Projections {0} starting after journal ordering {1}", string.Join(", ", _writers.Select(w => w.Projection.Name)), offset);
        var self = Self;
        var generation = ++_generation;
        // The kill switch stands before the batches: shutting it down lets the batch in flight finish before the stream completes.
        var (killSwitch, completion) = _journal.EventsByTag(_tag, Offset.Sequence(offset))
            .ViaMaterialized(KillSwitches.Single<EventEnvelope>(), Keep.Right)
            .Select(envelope => new ProjectedEvent(
                envelope.PersistenceId[Actors.AccountPersistenceIdPrefix.Length..], envelope.SequenceNr, ((Sequence)envelope.Offset).Value,
                    (AccountEvent)envelope.Event))
            .GroupedWithin(_settings.BatchSize, _settings.BatchWindow)
            .SelectAsync(1, async batch =>
            {
                var events = batch.ToList();
                foreach (var writer in _writers)
                    await writer.ApplyBatchAsync(events);
                return NotUsed.Instance;
            })
            .ToMaterialized(Sink.Ignore<NotUsed>(), Keep.Both)
            .Run(Context.Materializer());
        _killSwitch = killSwitch;
        _completion = completion;
        ProjectionHealth.Reading(_tag);
        _ = completion.PipeTo(self, success: () => new StreamEnded(generation, null), failure: e => new StreamEnded(generation, e));
    }

    private sealed record Start;

    private sealed record StreamEnded(int Generation, Exception? Cause);

    private static class Actors
    {
        public const string AccountPersistenceIdPrefix = "credit-account-";
    }
}
