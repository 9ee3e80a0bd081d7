using System.Diagnostics.Metrics;

namespace CreditActors.Actors;

/// <summary>
/// The service's own instruments (System.Diagnostics.Metrics; the host exports them with OpenTelemetry): credit decisions,
/// journal writes, live accounts and the commands they hold, run progress. Names follow OpenTelemetry's conventions; the
/// Prometheus exporter turns "creditactors.credit.decisions" into creditactors_credit_decisions_total.
/// </summary>
public static class Telemetry
{
    public const string MeterName = "CreditActors";

    public static readonly Meter Meter = new(MeterName, "1.0");

    /// <summary>Credit checks and hold placements by outcome (approved, declined) and reason (the first decline code).</summary>
    public static readonly Counter<long> CreditDecisions =
        Meter.CreateCounter<long>("creditactors.credit.decisions", "{decision}", "Credit decisions (checks and holds) by outcome and reason");

    /// <summary>From a command's events handed to the journal until they are durable, by command kind.</summary>
    public static readonly Histogram<double> JournalWriteDuration =
        Meter.CreateHistogram<double>("creditactors.journal.write.duration", "s", "Journal write latency of a command's events, by command");

    /// <summary>How many events one command writes at once.</summary>
    public static readonly Histogram<long> JournalWriteEvents =
        Meter.CreateHistogram<long>("creditactors.journal.write.events", "{event}", "Events per journal write");

    /// <summary>Accounts asked by runs over every account (rating, dunning, statements) by kind and what the account did.</summary>
    public static readonly Counter<long> RunAccounts =
        Meter.CreateCounter<long>("creditactors.runs.accounts", "{account}", "Accounts processed by runs, by run kind and outcome");

    private static long _activeAccounts;
    private static long _pendingCommands;

    static Telemetry()
    {
        Meter.CreateObservableGauge("creditactors.accounts.active", () => Interlocked.Read(ref _activeAccounts), "{account}",
            "Account actors live on this node");
        Meter.CreateObservableGauge("creditactors.commands.pending", () => Interlocked.Read(ref _pendingCommands), "{command}",
            "Commands waiting for their events to be durable, on this node");
    }

    public static void AccountStarted() => Interlocked.Increment(ref _activeAccounts);

    public static void AccountStopped() => Interlocked.Decrement(ref _activeAccounts);

    public static void CommandPending() => Interlocked.Increment(ref _pendingCommands);

    public static void CommandDone() => Interlocked.Decrement(ref _pendingCommands);

    public static void Decision(bool approved, string? reason) =>
        CreditDecisions.Add(1, new KeyValuePair<string, object?>("outcome", approved ? "approved" : "declined"),
            new KeyValuePair<string, object?>("reason", reason ?? "none"));
}
