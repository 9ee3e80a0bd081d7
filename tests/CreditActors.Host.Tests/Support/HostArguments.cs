namespace CreditActors.Host.Tests.Support;

/// <summary>
/// The arguments every host a test starts is given. The daily rating, dunning and statement runs are off: a run started by
/// the wall clock (every day after 02:00 UTC on a fresh store) would write into the accounts a test counts, at a time no
/// test chooses. A test that wants a run starts one, or sets its own <c>daily-at</c>, which is laid over these.
/// </summary>
public static class HostArguments
{
    public const string NoScheduledRuns =
        "credit-actors.rating-run.daily-at = off\n" +
        "credit-actors.collections.dunning-run.daily-at = off\n" +
        "credit-actors.statements.statement-run.daily-at = off\n";

    private const string OverridesPrefix = "--Akka:Overrides=";

    /// <summary>The arguments with the scheduled runs off, laid under the test's own Akka overrides (the last key wins).</summary>
    public static string[] WithoutScheduledRuns(IEnumerable<string> arguments)
    {
        var list = arguments.ToList();
        var index = list.FindLastIndex(a => a.StartsWith(OverridesPrefix, StringComparison.Ordinal));
        if (index < 0)
            list.Add(OverridesPrefix + NoScheduledRuns);
        else
            list[index] = OverridesPrefix + NoScheduledRuns + list[index][OverridesPrefix.Length..];
        return [.. list];
    }
}
