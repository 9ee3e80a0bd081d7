using CreditActors.Domain.Accounts;
using CreditActors.Domain.Tests.Support;

namespace CreditActors.Domain.Tests.Accounts;

// Protects the account lifecycle rules: opening, profile, limit changes, blocking and closing.
public class LifecycleRules
{
    private static readonly Profile Acme = new("Acme Trading Co.", Email: "ar@acme.example", Tier: Tier.Strategic);

    [Fact]
    public void opening_an_account_records_its_currency_limit_terms_and_profile()
    {
        var scenario = new Scenario();
        var decision = scenario.When(new OpenAccount(Scenario.AccountId, "CNY", 50_000m, 45, Acme));

        var opened = Assert.IsType<AccountOpened>(Assert.Single(decision.Events));
        Assert.Equal(("CNY", 50_000m, 45, Acme), (opened.Currency, opened.CreditLimit, opened.PaymentTermsDays, opened.Profile));
        Assert.Equal(Scenario.Start.Date, opened.Meta.EffectiveDate.ToDateTime(TimeOnly.MinValue));
        Assert.Equal("tester", opened.Meta.Actor);
        Assert.Equal(50_000m, scenario.State.AvailableCredit);
    }

    [Fact]
    public void opening_the_same_account_again_with_the_same_details_writes_nothing()
    {
        var scenario = new Scenario().Given(new OpenAccount(Scenario.AccountId, "CNY", 50_000m, 45, Acme));
        var decision = scenario.When(new OpenAccount(Scenario.AccountId, "CNY", 50_000.00m, 45, Acme));
        Assert.True(decision.IsUnchanged);
    }

    [Fact]
    public void opening_an_existing_account_with_other_details_is_a_conflict()
    {
        var scenario = new Scenario().Given(new OpenAccount(Scenario.AccountId, "CNY", 50_000m, 45, Acme));
        var decision = scenario.When(new OpenAccount(Scenario.AccountId, "CNY", 60_000m, 45, Acme));
        Assert.Equal(RejectionKind.Conflict, decision.Rejection?.Kind);
        Assert.Empty(decision.Events);
    }

    [Theory]
    [InlineData("XXX", 100, "currency")]
    [InlineData("CNY", -1, "creditLimit")]
    [InlineData("CNY", 10.001, "creditLimit")]
    [InlineData("JPY", 10.5, "creditLimit")]
    public void opening_with_a_bad_currency_or_limit_is_invalid(string currency, double limit, string field)
    {
        var decision = new Scenario().When(new OpenAccount(Scenario.AccountId, currency, (decimal)limit, 30, Acme));
        Assert.Equal((RejectionKind.Invalid, field), (decision.Rejection!.Kind, decision.Rejection.Field));
        Assert.Empty(decision.Events);
    }

    [Fact]
    public void commands_to_an_account_never_opened_are_not_found()
    {
        var decision = new Scenario().When(new ChangeCreditLimit(100m, "raise"));
        Assert.Equal(RejectionKind.NotFound, decision.Rejection?.Kind);
    }

    [Fact]
    public void a_limit_change_records_old_and_new_value_reason_and_who()
    {
        var scenario = Scenario.Opened(creditLimit: 10_000m);
        var decision = scenario.When(new ChangeCreditLimit(14_000m, "annual review"));
        var changed = Assert.IsType<CreditLimitChanged>(Assert.Single(decision.Events));
        Assert.Equal((10_000m, 14_000m, "annual review", "tester"), (changed.OldLimit, changed.NewLimit, changed.Reason, changed.ChangedBy));
    }

    [Fact]
    public void a_limit_change_without_a_reason_is_invalid()
    {
        var decision = Scenario.Opened().When(new ChangeCreditLimit(25_000m, " "));
        Assert.Equal("reason", decision.Rejection?.Field);
    }

    [Fact]
    public void setting_the_limit_it_already_has_writes_nothing()
    {
        Assert.True(Scenario.Opened(creditLimit: 10_000m).When(new ChangeCreditLimit(10_000m, "same")).IsUnchanged);
    }

    [Fact]
    public void a_limit_cut_below_exposure_is_allowed_and_leaves_available_credit_negative()
    {
        var scenario = Scenario.Opened(creditLimit: 10_000m);
        scenario.Given(Scenario.Invoice("INV-1", 8_000m, scenario.Today));
        scenario.When(new ChangeCreditLimit(5_000m, "risk review"));
        Assert.Equal(-3_000m, scenario.State.AvailableCredit);
    }

    [Fact]
    public void blocking_twice_writes_one_event_and_unblocking_restores_active()
    {
        var scenario = Scenario.Opened();
        Assert.Single(scenario.When(new BlockAccount("late payments")).Events);
        Assert.True(scenario.When(new BlockAccount("late payments")).IsUnchanged);
        Assert.Equal(AccountStatus.Blocked, scenario.State.Status);
        Assert.IsType<AccountUnblocked>(Assert.Single(scenario.When(new UnblockAccount("paid")).Events));
        Assert.Equal(AccountStatus.Active, scenario.State.Status);
    }

    [Fact]
    public void an_account_with_open_receivables_cannot_be_closed()
    {
        var scenario = Scenario.Opened();
        scenario.Given(Scenario.Invoice("INV-1", 100m, scenario.Today));
        var decision = scenario.When(new CloseAccount("customer left"));
        Assert.Equal(("account_has_open_balance", RejectionKind.Conflict), (decision.Rejection!.Code, decision.Rejection.Kind));
    }

    [Fact]
    public void a_closed_account_refuses_new_invoices_but_answers_repeats_of_old_ones()
    {
        var scenario = Scenario.Opened();
        var invoice = Scenario.Invoice("INV-1", 100m, scenario.Today);
        scenario.Given(invoice, Scenario.Payment("PAY-1", 100m, scenario.Today), new CloseAccount(null));

        Assert.True(scenario.When(invoice).IsUnchanged);
        Assert.Equal("account_closed", scenario.When(Scenario.Invoice("INV-2", 100m, scenario.Today)).Rejection?.Code);
    }

    [Fact]
    public void a_profile_update_records_only_what_changed_and_empty_text_clears_a_field()
    {
        var scenario = new Scenario().Given(new OpenAccount(Scenario.AccountId, "CNY", 1_000m, 30, Acme));
        var decision = scenario.When(new UpdateProfile(Phone: "+86 21 5555 0100", Email: ""));
        var updated = Assert.IsType<ProfileUpdated>(Assert.Single(decision.Events));
        Assert.Equal(["phone", "email"], updated.ChangedFields);
        Assert.Null(scenario.State.Profile.Email);
        Assert.True(scenario.When(new UpdateProfile(Phone: "+86 21 5555 0100")).IsUnchanged);
    }

    [Fact]
    public void a_profile_update_with_a_malformed_email_is_invalid()
    {
        var decision = Scenario.Opened().When(new UpdateProfile(Email: "not an address"));
        Assert.Equal("email", decision.Rejection?.Field);
    }

    [Fact]
    public void an_id_may_be_as_long_as_the_stated_maximum_and_no_longer()
    {
        Assert.True(Identifiers.IsValid(new string('a', Identifiers.MaximumLength)));
        Assert.False(Identifiers.IsValid(new string('a', Identifiers.MaximumLength + 1)));
        Assert.False(Identifiers.IsValid(""));
    }
}
