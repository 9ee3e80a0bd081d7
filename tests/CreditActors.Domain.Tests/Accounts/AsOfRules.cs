using CreditActors.Domain.Accounts;
using CreditActors.Domain.Tests.Support;
using FsCheck.Xunit;

namespace CreditActors.Domain.Tests.Accounts;

// Protects the account as of a date and as known at an instant: a hand-worked account on three dates, with and without
// a backdated payment; and, for random workloads, a replay as of any cut-off holds the ledger's invariants, and one after
// every event is the full replay.
[Properties(Arbitrary = [typeof(WorkloadArbitraries)], MaxTest = 200)]
public class AsOfRules
{
    private static readonly string[] Invoices = ["INV-1", "INV-2"];

    /// <summary>
    /// Opened 2026-03-02 (limit 10,000). Invoice INV-1 of 4,000 issued 2026-03-02. A hold of 1,000 placed 2026-03-10. On
    /// 2026-04-15 a payment of 1,500 received 2026-03-20 is entered (backdated). Invoice INV-2 of 2,000 issued 2026-04-20.
    /// </summary>
    private static (List<AccountEvent> Events, DateTimeOffset PaymentEntered) Worked()
    {
        var scenario = Scenario.Opened(creditLimit: 10_000m);
        scenario.Given(Scenario.Invoice("INV-1", 4_000m, new DateOnly(2026, 3, 2)));
        scenario.At(new DateTimeOffset(2026, 3, 10, 9, 0, 0, TimeSpan.Zero)).Given(new PlaceHold("H-1", 1_000m, new DateTimeOffset(2026, 5, 30, 0, 0, 0, TimeSpan.Zero), null));
        var entered = new DateTimeOffset(2026, 4, 15, 9, 0, 0, TimeSpan.Zero);
        scenario.At(entered).Given(Scenario.Payment("P-1", 1_500m, new DateOnly(2026, 3, 20), new RemittanceLine("INV-1", null, 1_500m)));
        scenario.At(new DateTimeOffset(2026, 4, 20, 9, 0, 0, TimeSpan.Zero)).Given(Scenario.Invoice("INV-2", 2_000m, new DateOnly(2026, 4, 20)));
        return (scenario.History, entered);
    }

    [Theory]
    // As of 2026-03-15: INV-1 all open (4,000), the hold (1,000): exposure 5,000.
    [InlineData("2026-03-15", null, 4_000, 1_000, 1)]
    // As of 2026-03-31: the payment of 03-20 counts (effective then): 2,500 open.
    [InlineData("2026-03-31", null, 2_500, 1_000, 1)]
    // As of 2026-03-31 as known on 2026-04-01: the payment was entered on 04-15, so the ledger still showed 4,000.
    [InlineData("2026-03-31", "2026-04-01T00:00:00Z", 4_000, 1_000, 1)]
    // As of 2026-04-30: INV-2 issued too: 2,500 + 2,000.
    [InlineData("2026-04-30", null, 4_500, 1_000, 2)]
    public void the_worked_account_as_of_a_date_and_as_known_at_an_instant(string asOf, string? knownAt, int receivables, int holds, int invoices)
    {
        var (events, _) = Worked();
        var state = CreditAccount.ReplayAsOf(Scenario.AccountId, events, DateOnly.Parse(asOf, System.Globalization.CultureInfo.InvariantCulture),
            knownAt is null ? null : DateTimeOffset.Parse(knownAt, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(((decimal)receivables, (decimal)holds), (state.Receivables, state.HeldAmount));
        Assert.Equal(Invoices[..invoices], state.Invoices.Keys);
    }

    [Fact]
    public void before_it_was_opened_the_account_did_not_exist()
    {
        var (events, _) = Worked();
        Assert.False(CreditAccount.ReplayAsOf(Scenario.AccountId, events, new DateOnly(2026, 3, 1), null).IsOpened);
    }

    [Property]
    public void a_replay_as_of_any_cut_off_holds_the_invariants_and_one_after_every_event_is_the_full_replay(Workload workload, byte daysBack, byte hoursBack)
    {
        var (_, events, outcomes) = WorkloadRunner.Run("ASOF-1", WorkloadRunner.OpenPrefix("ASOF-1"), workload.Steps);
        var now = outcomes[^1].Now;
        var asOf = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-daysBack);
        var cut = CreditAccount.ReplayAsOf("ASOF-1", events, asOf, now.AddHours(-hoursBack));
        if (cut.IsOpened)
            AccountInvariants.Assert(cut);
        var all = CreditAccount.ReplayAsOf("ASOF-1", events, new DateOnly(2199, 12, 31), null);
        Assert.Equal(Json.Of(CreditAccount.ReplayWithHistory("ASOF-1", events)), Json.Of(all));
    }
}
