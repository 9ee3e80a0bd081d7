using CreditActors.Domain.Accounts;
using CreditActors.Domain.Ledger;
using CreditActors.Domain.Tests.Support;
using FsCheck.Xunit;

namespace CreditActors.Domain.Tests.Properties;

// Protects the five invariants of the domain brief over random command sequences, repeats and rejections included.
[Properties(Arbitrary = [typeof(WorkloadArbitraries)], MaxTest = 200)]
public class AccountInvariantProperties
{
    private const string AccountId = "PROP-1";

    [Property]
    public void replaying_the_events_from_the_start_gives_the_live_state(Workload workload)
    {
        var (state, events, _) = WorkloadRunner.Run(AccountId, WorkloadRunner.OpenPrefix(AccountId), workload.Steps);
        var replayed = CreditAccount.Replay(AccountId, events);
        Assert.Equal(Json.Of(state), Json.Of(replayed));
        Assert.Equal(events.Count, replayed.Version);
    }

    /// <summary>
    /// Opened with more holds and invoices than <see cref="AccountState.IndexedFrom"/>, so that the state keeps its indexes and
    /// maintains them event by event, until expiries and payments take it below and it drops them.
    /// </summary>
    private static AccountCommand[] LargePrefix(bool large)
    {
        if (!large)
            return WorkloadRunner.OpenPrefix(AccountId);
        var start = WorkloadRunner.Start;
        var issue = DateOnly.FromDateTime(start.UtcDateTime);
        return
        [
            new OpenAccount(AccountId, "CNY", 10_000_000m, 30, new Profile("Large Co.")),
            .. Enumerable.Range(0, AccountState.IndexedFrom + 8).Select(i => (AccountCommand)new PlaceHold($"BIG-H{i}", 10m, start.AddHours(24 + i * 7), null)),
            .. Enumerable.Range(0, AccountState.IndexedFrom + 8).Select(i =>
                (AccountCommand)new IssueInvoice($"BIG-I{i}", 10m + i, issue.AddDays(-i * 3), null, null, null, null)),
        ];
    }

    [Property]
    public void the_expiry_index_kept_by_evolve_equals_the_active_holds_after_every_command(Workload workload, bool large)
    {
        var (_, _, outcomes) = WorkloadRunner.Run(AccountId, LargePrefix(large), workload.Steps);
        foreach (var outcome in outcomes)
        {
            var expected = outcome.After.Holds.Values.Where(h => h.Status == HoldStatus.Active)
                .OrderBy(h => h.ExpiresAt).ThenBy(h => h.HoldId, StringComparer.Ordinal)
                .Select(h => (h.ExpiresAt, h.HoldId));
            Assert.Equal(expected.ToList(), outcome.After.ActiveHoldsByExpiry.ToList());
        }
    }

    [Property]
    public void the_open_line_index_kept_by_evolve_equals_a_scan_of_the_invoices_after_every_command(Workload workload, bool large)
    {
        var (_, _, outcomes) = WorkloadRunner.Run(AccountId, LargePrefix(large), workload.Steps);
        foreach (var outcome in outcomes)
        {
            var expected = outcome.After.Invoices.Values
                .SelectMany(i => i.Lines.Where(l => l.Open > 0m).Select(l => (Invoice: i, Line: l)))
                .OrderBy(x => x.Line.DueDate).ThenBy(x => x.Invoice.IssueDate)
                .ThenBy(x => x.Invoice.InvoiceNumber, StringComparer.Ordinal).ThenBy(x => x.Line.Line)
                .Select(x => $"{x.Invoice.InvoiceNumber}/{x.Line.Line}/{x.Line.Open}");
            Assert.Equal(expected.ToList(), outcome.After.OpenLinesOldestFirst().Select(x => $"{x.Invoice.InvoiceNumber}/{x.Line.Line}/{x.Line.Open}").ToList());
        }
    }

    [Property]
    public void running_totals_agree_with_the_lines_after_every_command(Workload workload)
    {
        var (_, _, outcomes) = WorkloadRunner.Run(AccountId, WorkloadRunner.OpenPrefix(AccountId), workload.Steps);
        foreach (var outcome in outcomes)
        {
            Assert.Null(AccountInvariants.Violation(outcome.After));
            Assert.Null(AccountInvariants.OpenItemsViolation(outcome.After));
        }
    }

    [Property]
    public void trial_balance_is_zero_and_the_sub_ledgers_equal_the_control_account(Workload first, Workload second)
    {
        var a = WorkloadRunner.Run("PROP-A", WorkloadRunner.OpenPrefix("PROP-A"), first.Steps);
        var b = WorkloadRunner.Run("PROP-B", WorkloadRunner.OpenPrefix("PROP-B"), second.Steps);
        var all = a.Events.Select(e => ("PROP-A", e)).Concat(b.Events.Select(e => ("PROP-B", e))).ToList();

        // After every event, not only at the end: each entry must balance on its own.
        foreach (var (accountId, e) in all)
            Assert.Equal(0m, Postings.For(accountId, e).Sum(p => p.Amount));

        var balances = Postings.TrialBalance(all);
        Assert.Equal(0m, balances.Values.Sum());
        Assert.Equal(a.State.Receivables + b.State.Receivables, balances[LedgerAccount.AccountsReceivable]);
        Assert.Equal(-(a.State.UnappliedCash + b.State.UnappliedCash), balances[LedgerAccount.UnappliedCash]);
        foreach (var (accountId, state) in new[] { ("PROP-A", a.State), ("PROP-B", b.State) })
        {
            var subLedger = all.Where(x => x.Item1 == accountId).SelectMany(x => Postings.For(x.Item1, x.e))
                .Where(p => p.Account == LedgerAccount.AccountsReceivable).Sum(p => p.Amount);
            Assert.Equal(state.Receivables, subLedger);
        }
    }

    [Property]
    public void an_approved_hold_never_takes_exposure_above_the_limit_in_force(Workload workload)
    {
        var (_, _, outcomes) = WorkloadRunner.Run(AccountId, WorkloadRunner.OpenPrefix(AccountId), workload.Steps);
        foreach (var outcome in outcomes.Where(o => o.Decision.Events.OfType<CreditHoldPlaced>().Any()))
        {
            Assert.True(outcome.After.Exposure <= outcome.Before.CreditLimit,
                $"exposure {outcome.After.Exposure} above limit {outcome.Before.CreditLimit} after {outcome.Command}");
            Assert.Equal(outcome.Before.CreditLimit, outcome.After.CreditLimit);
        }
    }

    [Property]
    public void repeating_commands_gives_the_same_events_as_sending_them_once(Workload workload, int seed)
    {
        var once = WorkloadRunner.Run(AccountId, WorkloadRunner.OpenPrefix(AccountId), workload.Steps);
        var twice = WorkloadRunner.Run(AccountId, WorkloadRunner.OpenPrefix(AccountId), workload.Steps,
            (index, _) => (index + seed) % 3 == 0);
        Assert.Equal(Json.Of(once.Events), Json.Of(twice.Events));

        // Any command carrying its own id, sent again later, is answered without a write.
        var state = once.State;
        var later = WorkloadRunner.Start.AddDays(400);
        foreach (var outcome in once.Outcomes.Where(o => o.Decision.Events.Count > 0 && CarriesId(o.Command)))
        {
            var repeat = CreditAccount.Decide(state, outcome.Command, new CommandContext("property", "corr"), later, WorkloadRunner.Policy);
            Assert.Empty(repeat.Events);
            Assert.Null(repeat.Rejection);
        }
    }

    [Property]
    public void a_rejected_command_writes_no_event(Workload workload)
    {
        var (_, _, outcomes) = WorkloadRunner.Run(AccountId, WorkloadRunner.OpenPrefix(AccountId), workload.Steps);
        foreach (var outcome in outcomes.Where(o => o.Decision.IsRejected))
        {
            Assert.Empty(outcome.Decision.Events);
            Assert.Same(outcome.Before, outcome.After);
        }
    }

    private static bool CarriesId(AccountCommand command) =>
        command is OpenAccount or PlaceHold or IssueInvoice or ReceivePayment or IssueCreditNote or WriteOffInvoice;
}
