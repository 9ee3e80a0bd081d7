using CreditActors.Domain.Ledger;
using CreditActors.Domain.Tests.Support;
using FsCheck.Xunit;

namespace CreditActors.Domain.Tests.Properties;

// The general ledger over random workloads of two customers: the trial balance sums to zero, the receivable control total
// equals the customers' balances, and the export's receivable lines of each customer sum to what its account says it owes.
[Properties(Arbitrary = [typeof(WorkloadArbitraries)], MaxTest = 200)]
public class GeneralLedgerProperties
{
    [Property]
    public void the_trial_balance_is_zero_and_the_control_total_equals_the_customers_balances(Workload first, Workload second, bool chinese)
    {
        var a = WorkloadRunner.Run("GL-A", WorkloadRunner.OpenPrefix("GL-A"), first.Steps);
        var b = WorkloadRunner.Run("GL-B", WorkloadRunner.OpenPrefix("GL-B"), second.Steps);
        var chart = chinese ? Chart.Chinese : Chart.Generic;
        var ledger = new GeneralLedger(chart, null, new DateOnly(2199, 12, 31), null);
        var lines = a.Events.Select(e => ("GL-A", e)).Concat(b.Events.Select(e => ("GL-B", e)))
            .SelectMany(x => ledger.Apply(x.Item1, x.e)).ToList();
        var report = ledger.TrialBalance();

        Assert.All(report.Controls, c => Assert.True(c.Agrees, $"{c.Currency}: control {c.ReceivableControl}, customers {c.CustomerBalances}, sum {c.TrialBalanceSum}"));
        var receivable = chart.Accounts[LedgerAccount.AccountsReceivable].Code;
        Assert.Equal(a.State.Receivables + b.State.Receivables, report.Controls.Sum(c => c.ReceivableControl));
        Assert.Equal(a.State.Receivables, lines.Where(l => l.Customer == "GL-A" && l.Code == receivable).Sum(l => l.Debit - l.Credit));
        Assert.Equal(0m, lines.Sum(l => l.Debit - l.Credit));
    }
}
