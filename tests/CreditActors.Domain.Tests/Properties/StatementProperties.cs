using CreditActors.Domain.Accounts;
using CreditActors.Domain.Aging;
using CreditActors.Domain.Statements;
using CreditActors.Domain.Tests.Support;
using FsCheck.Xunit;

namespace CreditActors.Domain.Tests.Properties;

// A statement's figures are the account's: over random workloads and periods, the opening plus the movements is the closing,
// the closing is what the account owes as of the end (receivables less unapplied cash, as of that date and as known then),
// the aging at the end sums to the receivables, and a statement to today equals the live account.
[Properties(Arbitrary = [typeof(WorkloadArbitraries)], MaxTest = 200)]
public class StatementProperties
{
    [Property]
    public void a_statement_agrees_with_the_account_folded_to_its_end(Workload workload, byte fromDays, byte lengthDays, bool known)
    {
        var (state, events, _) = WorkloadRunner.Run("ST-1", WorkloadRunner.OpenPrefix("ST-1"), workload.Steps);
        var start = DateOnly.FromDateTime(WorkloadRunner.Start.UtcDateTime).AddDays(-150);
        var from = start.AddDays(fromDays);
        var to = from.AddDays(lengthDays);
        DateTimeOffset? knownAt = known && events.Count > 0 ? events[events.Count / 2].Meta.RecordedAt : null;
        var statement = StatementOfAccount.Draw("ST-1", events, from, to, knownAt, AgingBuckets.Default);

        Assert.Equal(statement.ClosingBalance, statement.OpeningBalance + statement.TotalDebits - statement.TotalCredits);
        Assert.Equal(statement.ClosingBalance, statement.Movements.Count == 0 ? statement.OpeningBalance : statement.Movements[^1].Balance);
        var folded = CreditAccount.ReplayAsOf("ST-1", events, to, knownAt);
        Assert.Equal(folded.Receivables - folded.UnappliedCash, statement.ClosingBalance);
        Assert.Equal((folded.Receivables, folded.UnappliedCash), (statement.Receivables, statement.UnappliedCash));
        Assert.Equal(folded.Receivables, statement.Aging.Amounts.Sum());
        Assert.All(statement.Movements, m => Assert.InRange(m.Date, from, to));

        var today = events.Count == 0 ? start : events.Max(e => e.Meta.EffectiveDate);
        var whole = StatementOfAccount.Draw("ST-1", events, start.AddYears(-1), today, null, AgingBuckets.Default);
        Assert.Equal((state.Receivables - state.UnappliedCash, 0m), (whole.ClosingBalance, whole.OpeningBalance));
    }
}
