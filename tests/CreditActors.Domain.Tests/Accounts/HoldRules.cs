using CreditActors.Domain.Accounts;
using CreditActors.Domain.Tests.Support;

namespace CreditActors.Domain.Tests.Accounts;

// Protects the credit decision and the life of holds: placed, declined, released, expired, captured.
public class HoldRules
{
    [Fact]
    public void a_hold_within_available_credit_is_approved_and_counts_as_exposure()
    {
        var scenario = Scenario.Opened(creditLimit: 10_000m);
        var decision = scenario.When(new PlaceHold("H-1", 4_000m, null, "SO-77"));
        var placed = Assert.IsType<CreditHoldPlaced>(Assert.Single(decision.Events));
        Assert.Equal(scenario.Now + CreditPolicy.Default.DefaultHoldDuration, placed.ExpiresAt);
        Assert.Equal((4_000m, 6_000m), (scenario.State.Exposure, scenario.State.AvailableCredit));
    }

    [Fact]
    public void hold_above_available_credit_is_declined_with_the_figure()
    {
        var scenario = Scenario.Opened(creditLimit: 10_000m);
        scenario.Given(new PlaceHold("H-1", 7_000m, null, null));
        var decision = scenario.When(new PlaceHold("H-2", 3_000.01m, null, null));

        Assert.Equal(RejectionKind.Declined, decision.Rejection?.Kind);
        var reason = Assert.Single(decision.Rejection!.Reasons!);
        Assert.Equal((DeclineCodes.InsufficientCredit, 3_000m, 3_000.01m), (reason.Code, reason.AvailableCredit, reason.RequestedAmount));
        Assert.Empty(decision.Events);
    }

    [Fact]
    public void a_hold_of_exactly_the_available_credit_is_approved()
    {
        var scenario = Scenario.Opened(creditLimit: 10_000m);
        Assert.Single(scenario.When(new PlaceHold("H-1", 10_000m, null, null)).Events);
        Assert.Equal(0m, scenario.State.AvailableCredit);
    }

    [Fact]
    public void a_blocked_account_declines_holds_with_account_blocked()
    {
        var scenario = Scenario.Opened().Given(new BlockAccount("disputed"));
        var decision = scenario.When(new PlaceHold("H-1", 10m, null, null));
        Assert.Contains(decision.Rejection!.Reasons!, r => r.Code == DeclineCodes.AccountBlocked);
    }

    [Fact]
    public void overdue_beyond_tolerance_declines_new_credit()
    {
        var scenario = Scenario.Opened();
        scenario.Given(Scenario.Invoice("INV-1", 500m, scenario.Today.AddDays(-80), scenario.Today.AddDays(-31)));
        var check = CreditAccount.CheckCredit(scenario.State, 10m, scenario.Now, CreditPolicy.Default);
        var reason = Assert.Single(check.Reasons);
        Assert.Equal((DeclineCodes.OverdueBeyondTolerance, 500m, 31), (reason.Code, reason.OverdueAmount, reason.DaysPastDue));
    }

    [Fact]
    public void overdue_within_tolerance_does_not_decline()
    {
        var scenario = Scenario.Opened();
        scenario.Given(Scenario.Invoice("INV-1", 500m, scenario.Today.AddDays(-60), scenario.Today.AddDays(-30)));
        Assert.True(CreditAccount.CheckCredit(scenario.State, 10m, scenario.Now, CreditPolicy.Default).Approved);
    }

    [Fact]
    public void the_same_hold_again_writes_nothing_and_the_same_id_with_another_amount_conflicts()
    {
        var scenario = Scenario.Opened();
        scenario.Given(new PlaceHold("H-1", 100m, null, "SO-1"));
        Assert.True(scenario.When(new PlaceHold("H-1", 100m, null, "SO-1")).IsUnchanged);
        Assert.Equal("hold_id_conflict", scenario.When(new PlaceHold("H-1", 200m, null, "SO-1")).Rejection?.Code);
    }

    [Fact]
    public void releasing_a_hold_frees_its_credit_and_a_second_release_writes_nothing()
    {
        var scenario = Scenario.Opened(creditLimit: 1_000m).Given(new PlaceHold("H-1", 600m, null, null));
        Assert.IsType<CreditHoldReleased>(Assert.Single(scenario.When(new ReleaseHold("H-1", "order cancelled")).Events));
        Assert.Equal(1_000m, scenario.State.AvailableCredit);
        Assert.True(scenario.When(new ReleaseHold("H-1", null)).IsUnchanged);
    }

    [Fact]
    public void releasing_an_unknown_hold_is_not_found()
    {
        Assert.Equal(RejectionKind.NotFound, Scenario.Opened().When(new ReleaseHold("H-9", null)).Rejection?.Kind);
    }

    [Fact]
    public void a_hold_expires_at_its_expiry_instant_and_no_earlier()
    {
        var scenario = Scenario.Opened(creditLimit: 1_000m);
        var expiresAt = scenario.Now.AddHours(2);
        scenario.Given(new PlaceHold("H-1", 600m, expiresAt, null));

        scenario.At(expiresAt.AddTicks(-1));
        Assert.True(scenario.When(new ExpireDueHolds()).IsUnchanged);
        scenario.At(expiresAt);
        var expired = Assert.IsType<CreditHoldExpired>(Assert.Single(scenario.When(new ExpireDueHolds()).Events));
        Assert.Equal((600m, expiresAt), (expired.Amount, expired.ExpiredAt));
        Assert.Equal(0m, scenario.State.HeldAmount);
    }

    [Fact]
    public void a_credit_check_ignores_holds_past_their_expiry_even_before_the_expiry_is_written()
    {
        var scenario = Scenario.Opened(creditLimit: 1_000m);
        scenario.Given(new PlaceHold("H-1", 1_000m, scenario.Now.AddHours(1), null));
        scenario.At(scenario.Now.AddHours(2));
        Assert.True(CreditAccount.CheckCredit(scenario.State, 1_000m, scenario.Now, CreditPolicy.Default).Approved);

        var decision = scenario.When(new PlaceHold("H-2", 1_000m, null, null));
        Assert.Equal([typeof(CreditHoldExpired), typeof(CreditHoldPlaced)], decision.Events.Select(e => e.GetType()));
    }

    [Fact]
    public void an_expiry_in_the_past_or_beyond_the_maximum_is_invalid()
    {
        var scenario = Scenario.Opened();
        Assert.Equal("expiresAt", scenario.When(new PlaceHold("H-1", 1m, scenario.Now, null)).Rejection?.Field);
        Assert.Equal("expiresAt", scenario.When(new PlaceHold("H-1", 1m, scenario.Now.AddDays(91), null)).Rejection?.Field);
    }

    [Fact]
    public void capturing_a_hold_moves_its_amount_from_holds_to_receivables_in_one_decision()
    {
        var scenario = Scenario.Opened(creditLimit: 1_000m).Given(new PlaceHold("H-1", 600m, null, "SO-1"));
        var decision = scenario.When(Scenario.Invoice("INV-1", 600m, scenario.Today, holdId: "H-1"));

        Assert.Equal([typeof(InvoiceIssued), typeof(CreditHoldCaptured)], decision.Events.Select(e => e.GetType()));
        Assert.Equal((600m, 0m, 600m), (scenario.State.Receivables, scenario.State.HeldAmount, scenario.State.Exposure));
        // The captured hold leaves the live state; what remains is what a repeat of its command needs.
        Assert.False(scenario.State.Holds.ContainsKey("H-1"));
        Assert.Equal(HoldStatus.Captured, scenario.State.Settled.Holds["H-1"].Status);
    }

    [Fact]
    public void capturing_a_hold_into_a_smaller_invoice_releases_the_rest()
    {
        var scenario = Scenario.Opened().Given(new PlaceHold("H-1", 600m, null, null));
        var decision = scenario.When(Scenario.Invoice("INV-1", 450m, scenario.Today, holdId: "H-1"));
        var captured = decision.Events.OfType<CreditHoldCaptured>().Single();
        Assert.Equal((450m, 150m), (captured.CapturedAmount, captured.ReleasedAmount));
        Assert.Equal(450m, scenario.State.Exposure);
    }

    [Fact]
    public void capturing_a_released_hold_is_a_conflict()
    {
        var scenario = Scenario.Opened().Given(new PlaceHold("H-1", 600m, null, null), new ReleaseHold("H-1", null));
        var decision = scenario.When(Scenario.Invoice("INV-1", 600m, scenario.Today, holdId: "H-1"));
        Assert.Equal("hold_not_active", decision.Rejection?.Code);
    }
}
