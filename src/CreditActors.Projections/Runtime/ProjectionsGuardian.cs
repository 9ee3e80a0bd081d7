using Akka;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence.Sql.Query;
using CreditActors.Projections.Alerts;

namespace CreditActors.Projections.Runtime;

/// <summary>
/// Runs every projection and the scheduled overdue evaluation. Started as a cluster singleton, so that each read
/// model has exactly one writer in the cluster.
/// </summary>
public sealed class ProjectionsGuardian : ReceiveActor, IWithTimers
{
    public sealed record RebuildProjection(string Name);

    public sealed record EvaluateOverdue;

    /// <summary>Stop every projection (each after its batch in flight) and the overdue evaluation; answers Done.</summary>
    public sealed record StopProjections(TimeSpan Timeout);

    private readonly Dictionary<string, IActorRef> _runners = new(StringComparer.Ordinal);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private bool _evaluating;
    private Task _evaluation = Task.CompletedTask;

    private sealed record OverdueEvaluated(int Raised, Exception? Failure);

    public ProjectionsGuardian(IReadOnlyList<ProjectionWriter> writers, SqlReadJournal journal, ProjectionSettings settings,
        OverdueEvaluator overdue, TimeProvider clock)
    {
        // One stream per tag: the projections fed by every account event share a stream, each event read and deserialized once.
        foreach (var group in writers.GroupBy(w => w.Projection.Tag))
        {
            var name = string.Join("+", group.Select(w => w.Projection.Name));
            var runner = Context.ActorOf(ProjectionRunner.Supervised(name, group.ToList(), journal, settings), name);
            foreach (var writer in group)
                _runners[writer.Projection.Name] = runner;
        }

        Receive<RebuildProjection>(rebuild =>
        {
            if (!_runners.TryGetValue(rebuild.Name, out var runner))
            {
                Sender.Tell(new Status.Failure(new ArgumentException($"No projection named {rebuild.Name}")));
                return;
            }
            // The back-off supervisor forwards to its child.
            runner.Forward(new ProjectionRunner.Rebuild(rebuild.Name));
        });
        // The evaluation runs beside the mailbox, not in it: a rebuild or a stop is handled while it reads and writes.
        Receive<EvaluateOverdue>(_ =>
        {
            if (_evaluating)
                return;
            _evaluating = true;
            var evaluation = overdue.EvaluateAsync(clock.GetUtcNow());
            _evaluation = evaluation;
            evaluation.PipeTo(Self, success: raised => new OverdueEvaluated(raised, null),
                failure: e => new OverdueEvaluated(0, e));
        });
        Receive<OverdueEvaluated>(done =>
        {
            _evaluating = false;
            if (done.Failure is { } e)
                _log.Warning(e, "Overdue evaluation failed; it runs again in {0}", settings.OverdueEvaluationPeriod);
            else if (done.Raised > 0)
                _log.Info("Overdue evaluation raised {0} alerts", done.Raised);
        });
        ReceiveAsync<StopProjections>(async stop =>
        {
            Timers!.CancelAll();
            var replyTo = Sender;
            await Task.WhenAll(_runners.Values.Distinct().Select(runner => runner.Ask<Done>(new ProjectionRunner.StopReading(), stop.Timeout)));
            // An evaluation under way finishes its transaction first: nothing writes to the read models after this answer.
            await _evaluation.ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(stop.Timeout);
            replyTo.Tell(Done.Instance);
            Become(() => ReceiveAny(_ => { }));
        });
        Timers!.StartPeriodicTimer("overdue", new EvaluateOverdue(), TimeSpan.FromSeconds(1), settings.OverdueEvaluationPeriod);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IReadOnlyList<ProjectionWriter> writers, SqlReadJournal journal, ProjectionSettings settings,
        OverdueEvaluator overdue, TimeProvider clock) =>
        Akka.Actor.Props.Create(() => new ProjectionsGuardian(writers, journal, settings, overdue, clock));
}
