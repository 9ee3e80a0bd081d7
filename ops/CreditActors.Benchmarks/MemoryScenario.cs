using System.Globalization;
using CreditActors.Actors.Accounts;
using CreditActors.Domain.Accounts;

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
        await OpenItemsAsync(service, sizes, results, accounts, perAccount);
    }

    /// <summary>
    /// Heap per active account with 10 open items (5 active holds, 4 open invoices, a payment with cash unapplied): a tenth of
    /// the accounts above get them; the heap they add is put beside what an account without items costs. The live state
    /// alone (the same items, decided by the domain, without the actor) is given as the profile.
    /// </summary>
    public static async Task OpenItemsAsync(ServiceUnderTest service, Sizes sizes, Results results, IReadOnlyList<string> accounts, double emptyAccount)
    {
        var subset = accounts.Take(accounts.Count / 10).ToList();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var expiry = DateTimeOffset.UtcNow.AddDays(30);
        AccountCommand[] Items(int phase) => phase == 0
            ?
            [
                .. Enumerable.Range(1, 5).Select(h => (AccountCommand)new PlaceHold($"H-{h}", 1_000m, expiry, $"SO-{h}")),
                .. Enumerable.Range(1, 4).Select(i => (AccountCommand)new IssueInvoice($"INV-{i}", 2_500m, today, null, null, null, null)),
            ]
            : [new ReceivePayment("PAY-1", 1_000m, today, [new RemittanceLine("INV-1", null, 600m)])];
        var before = Heap();
        for (var phase = 0; phase < 2; phase++)
        {
            var commands = subset.SelectMany(a => Items(phase).Select(c => (Account: a, Command: c))).ToList();
            var run = await Load.RunAsync(256, TimeSpan.MaxValue, async n =>
                await service.AskAsync(commands[(int)n].Account, new Execute(commands[(int)n].Command, ServiceUnderTest.Context))
                    is CommandOutcome { Rejection: null }, maximumOperations: commands.Count);
            if (run.Failures > 0)
                throw new InvalidOperationException($"{run.Failures} item commands failed");
        }
        var withItems = emptyAccount + (Heap() - before) / (double)subset.Count;

        // The live state alone, decided and folded by the domain for as many accounts, kept in a list.
        var states = new List<AccountState>(subset.Count);
        var stateBefore = Heap();
        foreach (var id in subset)
        {
            var state = AccountState.Empty(id);
            AccountCommand[] all = [new OpenAccount(id, "CNY", 500_000m, 30, new Profile("Bench customer " + id)), .. Items(0), .. Items(1)];
            foreach (var command in all)
                state = CreditAccount.Decide(state, command, ServiceUnderTest.Context, DateTimeOffset.UtcNow, CreditPolicy.Default).Events
                    .Aggregate(state, CreditAccount.Evolve);
            states.Add(state);
        }
        var stateOnly = (Heap() - stateBefore) / (double)states.Count;
        GC.KeepAlive(states);

        results.Add(new Measurement("Heap of an active account with 10 open items", service.StoreName, "account with 10 open items", withItems,
            "account without items", emptyAccount, "bytes", "< 4 KiB", withItems < 4096, new Dictionary<string, string>
            {
                ["accounts"] = $"{subset.Count:N0} of the accounts above given 5 active holds, 4 open invoices and a payment with cash unapplied",
                ["profile"] = $"the live state alone (AccountState with the same items, no actor): {stateOnly:0} bytes; the rest is the entity: "
                    + "its actor, mailbox, persistence and timers, and the shard's entries for it",
            }));
    }

    private static long Heap()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
