using CreditActors.Domain.Accounts;
using CreditActors.Domain.Tests.Support;

namespace CreditActors.Domain.Tests.Accounts;

// Protects maker-checker on credit limits: large increases wait for a second person, who may not be the requester.
public class MakerCheckerRules
{
    private static readonly CommandContext Maker = new("finance-anna", "c1");
    private static readonly CommandContext Checker = new("credit-bo", "c2");

    private static (Scenario Scenario, string RequestId) Requested(decimal from, decimal to)
    {
        var scenario = Scenario.Opened(creditLimit: from);
        var decision = CreditAccount.Decide(scenario.State, new ChangeCreditLimit(to, "new contract"), Maker, scenario.Now, CreditPolicy.Default);
        var requested = Assert.IsType<CreditLimitChangeRequested>(Assert.Single(decision.Events));
        return (scenario.Apply(decision), requested.RequestId);
    }

    private static Decision As(Scenario scenario, CommandContext who, AccountCommand command) =>
        CreditAccount.Decide(scenario.State, command, who, scenario.Now, CreditPolicy.Default);

    [Theory]
    [InlineData(100_000, 150_000, false)]
    [InlineData(100_000, 150_001, true)]
    [InlineData(1_000_000, 1_100_000.01, true)]
    [InlineData(0, 1, true)]
    [InlineData(500_000, 100, false)]
    public void an_increase_above_the_thresholds_needs_approval(double from, double to, bool needsApproval)
    {
        Assert.Equal(needsApproval, CreditPolicy.Default.LimitApproval.NeedsApproval((decimal)from, (decimal)to));
    }

    [Fact]
    public void a_large_increase_becomes_a_pending_request_and_the_limit_stays()
    {
        var (scenario, requestId) = Requested(100_000m, 400_000m);
        Assert.Equal(100_000m, scenario.State.CreditLimit);
        Assert.Equal((LimitRequestStatus.Pending, "finance-anna"), (scenario.State.LimitRequests[requestId].Status,
            scenario.State.LimitRequests[requestId].RequestedBy));
    }

    [Fact]
    public void another_person_approves_and_the_limit_changes_with_the_requesters_reason()
    {
        var (scenario, requestId) = Requested(100_000m, 400_000m);
        var decision = As(scenario, Checker, new ApproveCreditLimitChange(requestId, "checked the guarantee"));
        Assert.Equal([typeof(CreditLimitChangeApproved), typeof(CreditLimitChanged)], decision.Events.Select(e => e.GetType()));
        var changed = decision.Events.OfType<CreditLimitChanged>().Single();
        Assert.Equal((100_000m, 400_000m, "new contract", "finance-anna"), (changed.OldLimit, changed.NewLimit, changed.Reason, changed.ChangedBy));
        Assert.Equal("credit-bo", decision.Events.OfType<CreditLimitChangeApproved>().Single().ApprovedBy);
    }

    [Fact]
    public void the_requester_cannot_approve_their_own_request()
    {
        var (scenario, requestId) = Requested(100_000m, 400_000m);
        var decision = As(scenario, Maker, new ApproveCreditLimitChange(requestId, null));
        Assert.Equal((RejectionKind.Forbidden, "self_approval"), (decision.Rejection!.Kind, decision.Rejection.Code));
        Assert.Empty(decision.Events);
    }

    [Fact]
    public void a_cut_applies_at_once_even_with_an_increase_pending_and_that_request_can_no_longer_be_approved()
    {
        var (scenario, requestId) = Requested(100_000m, 400_000m);
        scenario.Apply(As(scenario, Checker, new ChangeCreditLimit(50_000m, "customer in distress")));
        Assert.Equal(50_000m, scenario.State.CreditLimit);

        var decision = As(scenario, Checker, new ApproveCreditLimitChange(requestId, null));
        Assert.Equal((RejectionKind.Conflict, "limit_changed_since_request"), (decision.Rejection!.Kind, decision.Rejection.Code));
        scenario.Apply(As(scenario, Checker, new RejectCreditLimitChange(requestId, "made against the old limit")));
        Assert.Equal(LimitRequestStatus.Rejected, scenario.State.LimitRequests[requestId].Status);
    }

    [Fact]
    public void another_increase_waits_while_one_is_pending()
    {
        var (scenario, _) = Requested(100_000m, 400_000m);
        Assert.Equal("limit_change_pending", As(scenario, Checker, new ChangeCreditLimit(110_000m, "small")).Rejection?.Code);
        Assert.True(As(scenario, Maker, new ChangeCreditLimit(400_000m, "new contract")).IsUnchanged);
    }

    [Fact]
    public void a_decided_request_cannot_be_decided_again_but_the_same_decision_repeats_without_a_write()
    {
        var (scenario, requestId) = Requested(100_000m, 400_000m);
        scenario.Apply(As(scenario, Checker, new ApproveCreditLimitChange(requestId, null)));
        Assert.True(As(scenario, Checker, new ApproveCreditLimitChange(requestId, null)).IsUnchanged);
        Assert.Equal("limit_request_decided", As(scenario, Checker, new RejectCreditLimitChange(requestId, "late")).Rejection?.Code);
    }

    [Fact]
    public void a_small_increase_applies_at_once()
    {
        var scenario = Scenario.Opened(creditLimit: 100_000m);
        var decision = As(scenario, Maker, new ChangeCreditLimit(120_000m, "growth"));
        Assert.IsType<CreditLimitChanged>(Assert.Single(decision.Events));
    }
}
