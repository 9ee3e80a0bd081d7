using CreditActors.Persistence.Snapshots;
using System.Globalization;
using Akka;
using Akka.Actor;
using Akka.Persistence;
using CreditActors.Actors.Accounts;
using CreditActors.Domain.Accounts;

namespace CreditActors.Benchmarks;

/// <summary>
/// Recovery of one long-lived account: its history is a customer's years of holds, invoices against them and
/// payments, decided by the domain itself and written to the journal in bulk. One account also has the snapshot the
/// actor would have taken (at most snapshot-every-events before the end); the other has none.
/// </summary>
public static class RecoveryScenario
{
    public static async Task RunAsync(ServiceUnderTest service, Sizes sizes, Results results)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var withSnapshot = "recovery-snap-" + suffix;
        var withoutSnapshot = "recovery-full-" + suffix;
        var settings = service.Node.AccountSettings;
        var snapshotAt = sizes.RecoveryEvents - settings.SnapshotEveryEvents / 2;
        var stateSize = 0;
        AccountSnapshotV2? largest = null;
        AccountState? snapshotState = null;
        foreach (var (account, snapshot) in new[] { (withSnapshot, true), (withoutSnapshot, false) })
        {
            var (events, stateAtSnapshot) = History(account, sizes.RecoveryEvents, snapshotAt, settings.Policy);
            var loader = service.Node.System.ActorOf(Props.Create(() => new StreamLoader(AccountSettings.PersistenceIdPrefix + account)));
            async Task WriteRange(int from, int to)
            {
                for (var offset = from; offset < to; offset += 1000)
                    await loader.Ask<Done>(new StreamLoader.Write(events.GetRange(offset, Math.Min(1000, to - offset))), TimeSpan.FromMinutes(1));
            }
            await WriteRange(0, snapshotAt);
            if (snapshot)
                await loader.Ask<Done>(new StreamLoader.Snapshot(stateAtSnapshot), TimeSpan.FromMinutes(1));
            await WriteRange(snapshotAt, events.Count);
            await loader.GracefulStop(TimeSpan.FromSeconds(10));
            largest = AccountSnapshotV2.From(stateAtSnapshot);
            snapshotState = stateAtSnapshot;
        }

        async Task<(double MedianMs, double MinMs, double MaxMs)> Recover(string account) =>
            await Load.TimeAsync(sizes.RecoveryRepeats, async () =>
            {
                var actor = service.Node.System.ActorOf(CreditAccountActor.Props(account, settings, TimeProvider.System));
                var reply = await actor.Ask<AccountRead>(new ReadAccount(AccountReadKind.Account), TimeSpan.FromMinutes(2));
                if (reply.Account.Version != sizes.RecoveryEvents)
                    throw new InvalidOperationException($"Recovered version {reply.Account.Version}, expected {sizes.RecoveryEvents}");
                await actor.GracefulStop(TimeSpan.FromSeconds(10));
            });
        // Where the time of a recovery from a snapshot goes: reading the snapshot's bytes back into the state.
        var serializer = (Akka.Serialization.SerializerWithStringManifest)service.Node.System.Serialization.FindSerializerFor(largest!);
        var bytes = serializer.ToBinary(largest!);
        stateSize = bytes.Length;
        var manifest = serializer.Manifest(largest!);
        serializer.FromBinary(bytes, manifest);
        var deserialize = await Load.TimeAsync(3, () => { serializer.FromBinary(bytes, manifest); return Task.CompletedTask; });
        var decoded = (AccountSnapshotV2)serializer.FromBinary(bytes, manifest);
        var toState = await Load.TimeAsync(3, () => { decoded.ToState(); return Task.CompletedTask; });

        var full = await Recover(withoutSnapshot);
        var snap = await Recover(withSnapshot);
        results.Add(new Measurement($"Recovery of a {sizes.RecoveryEvents:N0}-event account", service.StoreName, "with snapshot", snap.MedianMs,
            "without snapshot", full.MedianMs, "ms", "< 50 ms with snapshot", snap.MedianMs < 50, new Dictionary<string, string>
            {
                ["runs"] = $"median of {sizes.RecoveryRepeats}; with snapshot {snap.MinMs:0.0}–{snap.MaxMs:0.0} ms, without {full.MinMs:0.0}–{full.MaxMs:0.0} ms",
                ["snapshot"] = $"{stateSize.ToString("N0", CultureInfo.InvariantCulture)} bytes (protocol buffers, version 2) at event {snapshotAt}: "
                    + $"{snapshotState!.Holds.Count + snapshotState.Invoices.Count + snapshotState.Payments.Count} open items, "
                    + $"{snapshotState.Settled.Count:N0} settled ids; {sizes.RecoveryEvents - snapshotAt} events replayed after it",
                ["profile"] = $"decoding the snapshot alone takes {deserialize.MedianMs:0.0} ms and building the live state from it "
                    + $"{toState.MedianMs:0.0} ms (medians of 3, warm)",
            }));
        await PaymentOnLongLivedAccountAsync(service, sizes, results, withSnapshot);
    }

    /// <summary>
    /// An invoice and a payment without remittance on the long-lived account (thousands of settled invoices) against the same
    /// pair on a fresh account: the payment settles the oldest open line, which must cost no scan of the settled ones.
    /// </summary>
    private static async Task PaymentOnLongLivedAccountAsync(ServiceUnderTest service, Sizes sizes, Results results, string longLived)
    {
        var settings = service.Node.AccountSettings;
        var context = new CommandContext("bench", "payment");
        var fresh = "payment-fresh-" + Guid.NewGuid().ToString("N")[..8];
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        async Task<(double MedianMs, double MinMs, double MaxMs)> Pairs(string account, IActorRef actor)
        {
            var n = 0;
            return await Load.TimeAsync(sizes.RecoveryRepeats * 20, async () =>
            {
                n++;
                foreach (var command in new AccountCommand[]
                {
                    new IssueInvoice($"BENCH-INV-{n}", 100m, today, null, null, null, null),
                    new ReceivePayment($"BENCH-PAY-{n}", 100m, today, null),
                })
                {
                    var outcome = await actor.Ask<CommandOutcome>(new Execute(command, context), TimeSpan.FromMinutes(1));
                    if (outcome.Rejection is { } rejection)
                        throw new InvalidOperationException($"{command.GetType().Name} on {account} rejected: {rejection.Message}");
                }
            });
        }
        var big = service.Node.System.ActorOf(CreditAccountActor.Props(longLived, settings, TimeProvider.System));
        var small = service.Node.System.ActorOf(CreditAccountActor.Props(fresh, settings, TimeProvider.System));
        await small.Ask<CommandOutcome>(new Execute(new OpenAccount(fresh, "CNY", 10_000_000m, 30, new Profile("Fresh customer")), context),
            TimeSpan.FromMinutes(1));
        var settled = (await big.Ask<AccountRead>(new ReadAccount(AccountReadKind.Account), TimeSpan.FromMinutes(2))).Account.Version / 3;
        var baseline = await Pairs(fresh, small);
        var subject = await Pairs(longLived, big);
        results.Add(new Measurement("Invoice and payment on a long-lived account", service.StoreName, $"account with ~{settled:N0} settled invoices",
            subject.MedianMs, "fresh account", baseline.MedianMs, "ms", "≤ 2× a fresh account", subject.MedianMs <= 2 * baseline.MedianMs,
            new Dictionary<string, string>
            {
                ["runs"] = $"median of {sizes.RecoveryRepeats * 20} pairs, one at a time; long-lived {subject.MinMs:0.0}–{subject.MaxMs:0.0} ms, "
                    + $"fresh {baseline.MinMs:0.0}–{baseline.MaxMs:0.0} ms",
            }));
        await big.GracefulStop(TimeSpan.FromSeconds(10));
        await small.GracefulStop(TimeSpan.FromSeconds(10));
    }

    /// <summary>The account's events, produced by deciding commands with the domain: hold, invoice against it, payment naming the invoice.</summary>
    private static (List<AccountEvent> Events, AccountState AtSnapshot) History(string accountId, int count, int snapshotAt, CreditPolicy policy)
    {
        var state = AccountState.Empty(accountId);
        var events = new List<AccountEvent>(count + 8);
        AccountState? atSnapshot = null;
        var now = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var context = new CommandContext("bench", "history");
        void Apply(AccountCommand command)
        {
            var decision = CreditAccount.Decide(state, command, context, now, policy);
            if (decision.Rejection is { } rejection)
                throw new InvalidOperationException($"History command {command} rejected: {rejection.Message}");
            foreach (var e in decision.Events)
            {
                if (events.Count == count)
                    return;
                state = CreditAccount.Evolve(state, e);
                events.Add(e);
                if (events.Count == snapshotAt)
                    atSnapshot = state;
            }
        }

        Apply(new OpenAccount(accountId, "CNY", 10_000_000m, 30, new Profile("Long-standing customer", Contact: "Zhang Wei", Tier: Tier.Strategic)));
        for (var i = 0; events.Count < count; i++)
        {
            now = now.AddMinutes(30);
            var today = DateOnly.FromDateTime(now.UtcDateTime);
            Apply(new PlaceHold($"h{i}", 1_000m, null, $"SO-{i}"));
            Apply(new IssueInvoice($"INV-{i}", 1_000m, today, null, null, null, $"h{i}"));
            Apply(new ReceivePayment($"PAY-{i}", 1_000m, today, [new RemittanceLine($"INV-{i}", null, 1_000m)]));
        }
        return (events, atSnapshot ?? state);
    }
}
