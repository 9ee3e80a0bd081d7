using Akka.Actor;
using Akka.Pattern;

namespace CreditActors.Actors;

public static class Singletons
{
    /// <summary>
    /// A persistent singleton under a supervisor that starts it again, with back-off, when it stops: a persistent actor stops
    /// when a write fails (the database away, its circuit breaker open, or the journal's own intermittent "Sequence contains
    /// no elements" under load), and the cluster's singleton manager does not start it again by itself, which left every
    /// later caller waiting for a timeout. Started again, it recovers from its stream (a run resumes where it was).
    /// </summary>
    public static Props Restarted(Props singleton, string name) =>
        BackoffSupervisor.Props(Backoff.OnStop(singleton, name, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), 0.2, -1));
}
