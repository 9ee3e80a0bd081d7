using System.Globalization;
using Akka.Actor;
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
    /// The live state of an account with 10 open items (5 active holds, 4 open invoices, a payment with cash unapplied), decided
    /// and folded by the domain, beside an opened account's without items. Also: the whole entity with and without the items
    /// (a tenth of the accounts above are given them), and a bare persistent actor, the floor of any actor per account.
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

        // The live state alone, decided and folded by the domain, kept in a list: many of them, so that what the running service
        // allocates meanwhile weighs little on each, and the least of three measurements, since that can only add to it.
        var many = Enumerable.Range(0, StatesMeasured).Select(i => $"state-{i:D6}").ToList();
        double PerState(Func<string, AccountState> make)
        {
            var least = double.MaxValue;
            for (var run = 0; run < 3; run++)
            {
                var states = new List<AccountState>(many.Count);
                var before = Heap();
                foreach (var id in many)
                    states.Add(make(id));
                least = Math.Min(least, (Heap() - before) / (double)states.Count);
                GC.KeepAlive(states);
            }
            return least;
        }
        AccountState Decided(string id, IEnumerable<AccountCommand> commands) =>
            commands.Aggregate(AccountState.Empty(id), (state, command) =>
                CreditAccount.Decide(state, command, ServiceUnderTest.Context, DateTimeOffset.UtcNow, CreditPolicy.Default).Events
                    .Aggregate(state, CreditAccount.Evolve));
        AccountCommand Open(string id) => new OpenAccount(id, "CNY", 500_000m, 30, new Profile("Bench customer " + id));
        var stateOnly = PerState(id => Decided(id, [Open(id), .. Items(0), .. Items(1)]));
        var openedOnly = PerState(id => Decided(id, [Open(id)]));

        // The floor any actor per account pays on this stack: a persistent actor that does nothing, recovered, answering.
        var bare = new List<IActorRef>(StatesMeasured / 4);
        var bareBefore = Heap();
        for (var i = 0; i < StatesMeasured / 4; i++)
            bare.Add(service.Node.System.ActorOf(Props.Create(() => new BarePersistentActor($"bare-{i}"))));
        foreach (var actor in bare)
            await actor.Ask<string>("ping", TimeSpan.FromSeconds(60));
        var bareActor = (Heap() - bareBefore) / (double)bare.Count;
        foreach (var actor in bare)
            service.Node.System.Stop(actor);

        results.Add(new Measurement("Live state of an account with 10 open items", service.StoreName, "state with 10 open items", stateOnly,
            "state of an opened account without items", openedOnly, "bytes", "< 4 KiB", stateOnly < 4096, new Dictionary<string, string>
            {
                ["state"] = "5 active holds, 4 open invoices and a payment with cash unapplied, decided and folded by the domain; the whole entity "
                    + $"in the running service: {withItems:0} bytes with these items, {emptyAccount:0} without",
                ["profile"] = $"a bare persistent actor, recovered and answering, costs {bareActor:0} bytes on this stack: the floor of any actor per "
                    + "account; the rest of the entity is its state, its hold-expiry and idle timers and the shard's entries for it",
            }));
    }

    private const int StatesMeasured = 20_000;

    /// <summary>A persistent actor that only answers: what Akka.Persistence costs per entity before any state.</summary>
    private sealed class BarePersistentActor : Akka.Persistence.ReceivePersistentActor
    {
        public BarePersistentActor(string persistenceId)
        {
            PersistenceId = persistenceId;
            Command<string>(s => Sender.Tell(s));
            Recover<string>(_ => { });
        }

        public override string PersistenceId { get; }
    }

    private static long Heap()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
