namespace CreditActors.Benchmarks;

/// <summary>How big and how long each scenario is. The quick mode runs the same scenarios smaller, in under two minutes.</summary>
public sealed record Sizes(
    string Mode,
    TimeSpan LoadDuration,
    TimeSpan WarmUp,
    int Concurrency,
    int WriteConcurrency,
    int Accounts,
    int RecoveryEvents,
    int RecoveryRepeats,
    int AgingAccounts,
    int MemoryAccounts,
    TimeSpan LagDuration,
    int RatingAccounts,
    int BacktestAccounts)
{
    /// <summary>The sizes the targets are stated for.</summary>
    public static readonly Sizes Full = new("full", TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(3), 32, 256, 1_000,
        100_000, 5, 100_000, 100_000, TimeSpan.FromSeconds(30), 100_000, 10_000);

    public static readonly Sizes Quick = new("quick", TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(500), 32, 256, 1_000,
        10_000, 3, 10_000, 5_000, TimeSpan.FromSeconds(4), 5_000, 500);
}
