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

    public ProjectionsGuardian(IReadOnlyList<ProjectionWriter> writers, SqlReadJournal journal, ProjectionSettings settings,
        OverdueEvaluator overdue, TimeProvider clock)
    {
        foreach (var writer in writers)
            _runners[writer.Projection.Name] = Context.ActorOf(ProjectionRunner.Supervised(writer, journal, settings), writer.Projection.Name);

        Receive<RebuildProjection>(rebuild =>
        {
            if (!_runners.TryGetValue(rebuild.Name, out var runner))
            {
                Sender.Tell(new Status.Failure(new ArgumentException($"No projection named {rebuild.Name}")));
                return;
            }
            // The back-off supervisor forwards to its child.
            runner.Forward(new ProjectionRunner.Rebuild());
        });
        ReceiveAsync<EvaluateOverdue>(async _ =>
        {
            try
            {
                var raised = await overdue.EvaluateAsync(clock.GetUtcNow());
                if (raised > 0)
                    _log.Info("Overdue evaluation raised {0} alerts", raised);
            }
            catch (Exception e)
            {
                _log.Warning(e, "Overdue evaluation failed; it runs again in {0}", settings.OverdueEvaluationPeriod);
            }
        });
        ReceiveAsync<StopProjections>(async stop =>
        {
            Timers!.CancelAll();
            var replyTo = Sender;
            await Task.WhenAll(_runners.Values.Select(runner => runner.Ask<Done>(new ProjectionRunner.StopReading(), stop.Timeout)));
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
