using System.Globalization;
using CreditActors.Actors.Accounts;

namespace CreditActors.Benchmarks;

/// <summary>
/// Managed heap of active accounts: many accounts opened and left running (each a live entity with its state), the
/// heap after a full collection compared with the heap of the idle service before them.
/// </summary>
public static class MemoryScenario
{
    public static async Task RunAsync(ServiceUnderTest service, Sizes sizes, Results results)
    {
        var before = Heap();
        var accounts = Enumerable.Range(0, sizes.MemoryAccounts).Select(i => $"mem-{i:D6}").ToList();
        await service.OpenAccountsAsync(accounts, 500_000m);
        // Every account answers, so all are up at once.
        var stillUp = await Load.RunAsync(256, TimeSpan.MaxValue, async n =>
            await service.AskAsync(accounts[(int)n], new ReadAccount(AccountReadKind.Account)) is AccountRead { Account.Exists: true },
            maximumOperations: accounts.Count);
        if (stillUp.Failures > 0)
            throw new InvalidOperationException($"{stillUp.Failures} accounts did not answer");
        var after = Heap();
        var perAccount = (after - before) / (double)accounts.Count;
        var perHundredThousand = perAccount * 100_000 / (1024.0 * 1024.0);
        results.Add(new Measurement("Managed heap of 100,000 active accounts", service.StoreName, "heap added by the accounts", perHundredThousand,
            "heap of the idle service", before / (1024.0 * 1024.0), "MiB", "< 1024 MiB", perHundredThousand < 1024, new Dictionary<string, string>
            {
                ["accounts"] = $"{accounts.Count:N0} opened and up" + (accounts.Count == 100_000 ? "" : ", scaled to 100,000"),
                ["per account"] = $"{perAccount.ToString("0", CultureInfo.InvariantCulture)} bytes",
                ["heap"] = $"{before / 1048576.0:0} MiB before, {after / 1048576.0:0} MiB after",
            }));
    }

    private static long Heap()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
