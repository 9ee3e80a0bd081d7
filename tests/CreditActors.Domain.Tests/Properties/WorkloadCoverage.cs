using CreditActors.Domain.Accounts;
using CreditActors.Domain.Tests.Support;

namespace CreditActors.Domain.Tests.Properties;

// Protects the property tests themselves: the random workloads must reach accepted, repeated and rejected commands of every kind.
public class WorkloadCoverage
{
    [Fact]
    public void random_workloads_reach_every_event_kind_and_every_rejection_kind()
    {
        var random = new Random(20260301);
        var eventKinds = new HashSet<string>();
        var rejectionKinds = new HashSet<RejectionKind>();
        for (var run = 0; run < 200; run++)
        {
            var steps = Enumerable.Range(0, 60).Select(_ => new Step(random.Next(WorkloadArbitraries.Kinds), random.Next(1_001),
                random.Next(1_000_001), random.Next(1_001), random.Next(73))).ToList();
            var (_, events, outcomes) = WorkloadRunner.Run("COV", WorkloadRunner.OpenPrefix("COV"), steps);
            eventKinds.UnionWith(events.Select(e => e.GetType().Name));
            rejectionKinds.UnionWith(outcomes.Where(o => o.Decision.IsRejected).Select(o => o.Decision.Rejection!.Kind));
        }
        string[] expected =
        [
            nameof(AccountOpened), nameof(ProfileUpdated), nameof(CreditLimitChanged), nameof(CreditLimitChangeRequested),
            nameof(CreditLimitChangeApproved), nameof(CreditLimitChangeRejected), nameof(AccountBlocked),
            nameof(AccountUnblocked), nameof(AccountClosed), nameof(CreditHoldPlaced), nameof(CreditHoldCaptured),
            nameof(CreditHoldReleased), nameof(CreditHoldExpired), nameof(InvoiceIssued), nameof(CreditNoteIssued),
            nameof(PaymentReceived), nameof(PaymentAllocated), nameof(EarlyPaymentDiscountGranted), nameof(InvoiceLineWrittenOff),
            nameof(DunningNoticeIssued), nameof(LateFeeCharged), nameof(InterestCharged), nameof(InvoiceDisputed), nameof(DisputeResolved),
            nameof(PromiseToPayRecorded), nameof(PromiseKept), nameof(PromiseBroken), nameof(CollectionNoteAdded), nameof(CollectorAssigned), nameof(ContactPreferencesSet), nameof(StatementIssued),
            nameof(DunningNoticeSent), nameof(DunningDeliveryFailed),
        ];
        Assert.Empty(expected.Except(eventKinds));
        Assert.Equal(Enum.GetValues<RejectionKind>().ToHashSet(), rejectionKinds);
    }
}
