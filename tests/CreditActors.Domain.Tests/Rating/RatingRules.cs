using CreditActors.Domain.Accounts;
using CreditActors.Domain.Rating;
using CreditActors.Domain.Tests.Support;

namespace CreditActors.Domain.Tests.Rating;

// Protects the rating: each factor on a worked account, the score and grade they weigh to, when a rating is written, and
// what a grade does to the credit decision.
public class RatingRules
{
    private static readonly RatingPolicy Standard = RatingPolicyDocument.Standard;
    private static readonly CreditPolicy Rated = CreditPolicy.Default with { Rating = Standard };

    [Theory]
    [InlineData(-45, 100)]
    [InlineData(-30, 100)]
    [InlineData(-20, 90)]
    [InlineData(-10, 85)] // halfway from 90 (20 early) to 80 (prompt)
    [InlineData(0, 80)]
    [InlineData(7, 75.33)] // 80 + (70 - 80) × 7 / 15
    [InlineData(15, 70)]
    [InlineData(22, 60)]
    [InlineData(30, 50)]
    [InlineData(45, 45)] // 50 + (40 - 50) × 15 / 30
    [InlineData(90, 30)]
    [InlineData(120, 20)]
    [InlineData(150, 10)] // 20 + (1 - 20) × 30 / 57
    [InlineData(177, 1)]
    [InlineData(400, 1)]
    public void a_payment_s_index_follows_the_published_key_between_its_anchors(int daysBeyondTerms, double index)
    {
        Assert.Equal((decimal)index, PaymentIndex.For(daysBeyondTerms));
    }

    /// <summary>
    /// Opened with a 100,000 CNY limit on 2026-03-02 (terms 30 days). Paid: 10,000 on its due date (index 80), 20,000
    /// 15 days late (70), 10,000 20 days early (90). Open: 10,000 due 2026-02-04 (26 days past due), 20,000 not yet due.
    /// An external report of 75 from 2026-01-10.
    /// </summary>
    private static Scenario WorkedAccount()
    {
        // Built before any policy is active, so that nothing rates it on the way; the policy is active from then on.
        var scenario = new Scenario();
        scenario.Given(new OpenAccount(Scenario.AccountId, "CNY", 100_000m, 30, new Profile("Worked Example Co.")));
        scenario.Given(
            Scenario.Invoice("INV-1", 10_000m, new DateOnly(2025, 6, 1)),
            Scenario.Payment("P-1", 10_000m, new DateOnly(2025, 7, 1), new RemittanceLine("INV-1", null, 10_000m)),
            Scenario.Invoice("INV-2", 20_000m, new DateOnly(2025, 8, 1)),
            Scenario.Payment("P-2", 20_000m, new DateOnly(2025, 9, 15), new RemittanceLine("INV-2", null, 20_000m)),
            Scenario.Invoice("INV-3", 10_000m, new DateOnly(2025, 10, 1)),
            Scenario.Payment("P-3", 10_000m, new DateOnly(2025, 10, 11), new RemittanceLine("INV-3", null, 10_000m)),
            Scenario.Invoice("INV-4", 10_000m, new DateOnly(2026, 1, 5)),
            Scenario.Invoice("INV-5", 20_000m, new DateOnly(2026, 2, 20)),
            new RecordExternalRating("Dagong", "AA", 75, new DateOnly(2026, 1, 10), "R-2026-001"));
        scenario.Policy = Rated;
        return scenario;
    }

    private static RatingFactor FactorOf(RatingResult result, string name) => result.Factors.Single(f => f.Name == name);

    [Fact]
    public void each_factor_of_the_worked_account()
    {
        var result = CreditAccount.RateNow(WorkedAccount().State, Standard, Scenario.Start);

        // (10,000 × 80 + 20,000 × 70 + 10,000 × 90) / 40,000 = 77.5: below 80, so 80 points.
        Assert.Equal((77.5m, 80), (FactorOf(result, "paymentIndex").Raw, FactorOf(result, "paymentIndex").Points));
        // 10,000 past due of 30,000 open = 33.3 %: below 50, so 30 points.
        Assert.Equal((33.3m, 30), (FactorOf(result, "overdueShare").Raw, FactorOf(result, "overdueShare").Points));
        // Due 2026-02-04, rated 2026-03-02: 26 days, below 31, so 60 points.
        Assert.Equal((26m, 60), (FactorOf(result, "oldestDaysPastDue").Raw, FactorOf(result, "oldestDaysPastDue").Points));
        // 30,000 of 100,000: 30 %, below 50, so 100 points; every day counted so far stood at 30 % too.
        Assert.Equal((30m, 100), (FactorOf(result, "utilisation").Raw, FactorOf(result, "utilisation").Points));
        Assert.Equal((30m, 100), (FactorOf(result, "averageUtilisation").Raw, FactorOf(result, "averageUtilisation").Points));
        // 2025-06-01 to 2026-03-02: 9 whole months, below 12, so 50 points.
        Assert.Equal((9m, 50), (FactorOf(result, "monthsSinceFirstInvoice").Raw, FactorOf(result, "monthsSinceFirstInvoice").Points));
        // Three invoices paid: below 5, so 40 points.
        Assert.Equal((3m, 40), (FactorOf(result, "invoicesPaid").Raw, FactorOf(result, "invoicesPaid").Points));
        Assert.Equal((0m, 100), (FactorOf(result, "adverseEvents").Raw, FactorOf(result, "adverseEvents").Points));
        // A report of 75, 51 days old (fresh for 365): below 80, so 75 points.
        Assert.Equal((75m, 75), (FactorOf(result, "externalRating").Raw, FactorOf(result, "externalRating").Points));
    }

    [Fact]
    public void the_worked_account_scores_69_5_and_grades_b_with_a_suggested_limit_of_14_000()
    {
        var result = CreditAccount.RateNow(WorkedAccount().State, Standard, Scenario.Start);

        // (30 × 80 + 15 × 30 + 15 × 60 + 5 × 100 + 5 × 100 + 5 × 50 + 5 × 40 + 10 × 100 + 10 × 75) / 100 = 69.5: B from 65.
        Assert.Equal((69.5m, "B"), (result.Score, result.Grade));
        // 70,000 invoiced over the 10 months since the first invoice (June 2025 to March 2026) = 7,000 a month; B's multiple 2
        // gives 14,000 (a whole multiple of 1,000).
        Assert.Equal((7_000m, 14_000m), (result.AverageMonthlyInvoiced, result.SuggestedLimit));
        // B may be strategic, but only from 1,000,000 CNY a month.
        Assert.Equal(Tier.Standard, result.SuggestedTier);
        Assert.Equal(RatingFloor.None, result.Floor);
    }

    [Fact]
    public void without_enough_payments_the_payment_index_is_unavailable_its_weight_goes_to_the_rest_and_the_grade_is_at_best_c()
    {
        var scenario = new Scenario { Policy = Rated };
        scenario.Given(new OpenAccount(Scenario.AccountId, "CNY", 100_000m, 30, new Profile("New Co.")));
        var result = CreditAccount.RateNow(scenario.State, Standard, Scenario.Start);

        Assert.Equal((null, null), (FactorOf(result, "paymentIndex").Raw, FactorOf(result, "paymentIndex").Points));
        Assert.False(result.PaymentHistoryAvailable);
        // Available: overdue 100, oldest 100, utilisation 100, average 100, months 20, paid 0, adverse 100 (weights 15, 15, 5, 5,
        // 5, 5, 10): 5,100 / 60 = 85.0, which is an A; with no payment history the best grade is C.
        Assert.Equal((85.0m, "C"), (result.Score, result.Grade));
        Assert.Null(result.SuggestedLimit);
    }

    [Fact]
    public void the_first_review_writes_a_rating_and_a_second_with_nothing_moved_writes_nothing()
    {
        var scenario = WorkedAccount();
        var first = scenario.When(new ReviewRating("review", null));
        var rating = Assert.IsType<RatingAssigned>(first.Events[0]);
        Assert.Equal(("B", 69.5m, "first", "first", "standard", 1), (rating.Grade, rating.Score, rating.Reason, rating.Change, rating.PolicyId, rating.PolicyVersion));
        // The suggested 14,000 is far from the 100,000 limit: a request for a person, authored by the policy.
        var request = Assert.IsType<CreditLimitChangeRequested>(first.Events[1]);
        Assert.Equal((100_000m, 14_000m, "rating-policy:standard/v1"), (request.OldLimit, request.NewLimit, request.RequestedBy));
        Assert.Equal(2, first.Events.Count);

        Assert.True(scenario.When(new ReviewRating("review", null)).IsUnchanged);
    }

    [Fact]
    public void the_periodic_review_is_written_even_when_nothing_moved()
    {
        // An account with no invoices: nothing about it changes with time.
        var scenario = new Scenario { Policy = Rated };
        scenario.Given(new OpenAccount(Scenario.AccountId, "CNY", 100_000m, 30, new Profile("Quiet Co.")), new ReviewRating("review", null));
        scenario.At(Scenario.Start.AddDays(179));
        Assert.True(scenario.When(new ReviewRating("scheduled", "RUN-1")).IsUnchanged);
        scenario.At(Scenario.Start.AddDays(180));
        var rating = Assert.IsType<RatingAssigned>(Assert.Single(scenario.When(new ReviewRating("scheduled", "RUN-2")).Events));
        Assert.Equal(("review_due", "same", "RUN-2"), (rating.Reason, rating.Change, rating.ReviewId));
        Assert.Empty(rating.Moves);
        // The same run's message again writes nothing twice, even once the next review is due.
        scenario.At(Scenario.Start.AddDays(400));
        Assert.True(scenario.When(new ReviewRating("scheduled", "RUN-2")).IsUnchanged);
    }

    [Fact]
    public void a_write_off_rates_the_account_at_once_and_a_downgrade_names_the_factors_that_moved_most()
    {
        var scenario = WorkedAccount();
        scenario.Given(new ReviewRating("review", null));
        var decision = scenario.When(new WriteOffInvoice("WO-1", "INV-4", null, null, "insolvent", null));
        var rating = decision.Events.OfType<RatingAssigned>().Single();
        Assert.Equal("event:write_off", rating.Trigger);
        Assert.Equal("B", rating.PreviousGrade);
        Assert.Contains(rating.Moves, m => m.Name == "adverseEvents" && m.FromPoints == 100 && m.ToPoints == 50);
        Assert.True(rating.Moves.Count <= 3);
    }

    [Fact]
    public void an_e_grade_declines_every_new_hold_with_rating_below_floor()
    {
        var state = WithRating(new RatingFloor(true, null, null), "E");
        var check = CreditAccount.CheckCredit(state, 1m, Scenario.Start, Rated);
        var reason = Assert.Single(check.Reasons);
        Assert.Equal(("rating_below_floor", "E"), (reason.Code, reason.Grade));
        Assert.Equal(("E", "standard/v1"), (check.Grade, check.RatingPolicy));
    }

    [Fact]
    public void a_d_grade_declines_a_hold_above_its_share_of_the_limit_and_above_the_largest_single_order()
    {
        var state = WithRating(new RatingFloor(false, 20m, 15_000m), "D");
        // 20 % of 100,000 = 20,000; the largest order 15,000 is the tighter.
        Assert.True(CreditAccount.CheckCredit(state, 15_000m, Scenario.Start, Rated).Approved);
        var reason = Assert.Single(CreditAccount.CheckCredit(state, 15_000.01m, Scenario.Start, Rated).Reasons);
        Assert.Equal(("rating_below_floor", 15_000m), (reason.Code, reason.Floor));
        var share = WithRating(new RatingFloor(false, 20m, null), "D");
        var shareReason = Assert.Single(CreditAccount.CheckCredit(share, 20_000.01m, Scenario.Start, Rated).Reasons);
        Assert.Equal(20_000m, shareReason.Floor);
        Assert.True(CreditAccount.CheckCredit(share, 20_000m, Scenario.Start, Rated).Approved);
    }

    [Fact]
    public void a_fall_to_the_worst_grade_cuts_the_limit_at_once_when_the_policy_says_so()
    {
        var scenario = new Scenario { Policy = Rated };
        scenario.Given(new OpenAccount(Scenario.AccountId, "CNY", 100_000m, 30, new Profile("Falling Co.")), new ReviewRating("review", null));
        Assert.Equal("C", scenario.State.Rating!.Grade);
        // Then, with no policy active: three invoices paid 123 days late, one 152 days past due, a write-off.
        scenario.Policy = CreditPolicy.Default;
        foreach (var n in new[] { 1, 2, 3 })
            scenario.Given(
                Scenario.Invoice($"INV-{n}", 30_000m, new DateOnly(2025, 6, n)),
                Scenario.Payment($"P-{n}", 30_000m, new DateOnly(2025, 11, n), new RemittanceLine($"INV-{n}", null, 30_000m)));
        scenario.Given(
            Scenario.Invoice("INV-4", 30_000m, new DateOnly(2025, 9, 1)),
            Scenario.Invoice("INV-5", 1_000m, new DateOnly(2025, 9, 1)),
            new WriteOffInvoice("WO-1", "INV-5", null, null, "disputed freight", null));
        scenario.Policy = Rated;
        var block = scenario.When(new BlockAccount("cheque returned"));

        // Payment index 19.0 (0 points), overdue 100 % (0), 152 days (0), utilisation 30 % (100), average 30 % (100),
        // 9 months (50), 3 paid (40), 2 adverse (20): (5 × 100 + 5 × 100 + 5 × 50 + 5 × 40 + 10 × 20) / 90 = 18.3: E.
        var rating = block.Events.OfType<RatingAssigned>().Single();
        Assert.Equal(("E", "downgrade", "C", 18.3m, "event:blocked"), (rating.Grade, rating.Change, rating.PreviousGrade, rating.Score, rating.Trigger));
        // 121,000 invoiced over the 10 months since June 2025: 12,100 a month; E's multiple 0.5 gives 6,050, so 6,000.
        var cut = block.Events.OfType<CreditLimitChanged>().Single();
        Assert.Equal((100_000m, 6_000m, "rating-policy:standard/v1"), (cut.OldLimit, cut.NewLimit, cut.ChangedBy));
        Assert.Equal("rating_below_floor", Assert.Single(CreditAccount.CheckCredit(scenario.State, 1m, scenario.Now, Rated).Reasons,
            r => r.Code == "rating_below_floor").Code);
    }

    [Fact]
    public void a_suggested_limit_request_is_approved_by_a_person()
    {
        var scenario = WorkedAccount();
        scenario.Given(new ReviewRating("review", null));
        var request = scenario.State.PendingLimitRequest!;
        var approved = CreditAccount.Decide(scenario.State, new ApproveCreditLimitChange(request.RequestId, "agreed"),
            new CommandContext("credit-bo", "c9"), scenario.Now, Rated);
        var changed = approved.Events.OfType<CreditLimitChanged>().Single();
        Assert.Equal((14_000m, "rating-policy:standard/v1"), (changed.NewLimit, changed.ChangedBy));
    }

    [Fact]
    public void a_credit_manager_accepts_the_suggested_tier_and_a_repeat_writes_nothing()
    {
        var scenario = Scenario.Opened();
        Assert.Equal("not_rated", scenario.When(new AcceptSuggestedTier()).Rejection?.Code);
        var rated = CreditAccount.Evolve(scenario.State, new RatingAssigned(new EventMetadata(scenario.Today, Scenario.Start, "tester", "c"), "standard", 1,
            scenario.Today, 30m, "D", null, "first", [], [], Tier.Watch, null, RatingFloor.None, "first", "review", null));
        var accepted = CreditAccount.Decide(rated, new AcceptSuggestedTier(), Scenario.Context, Scenario.Start, Rated);
        var updated = Assert.IsType<ProfileUpdated>(Assert.Single(accepted.Events));
        Assert.Equal((Tier.Watch, "tier"), (updated.Profile.Tier, Assert.Single(updated.ChangedFields)));
        Assert.True(CreditAccount.Decide(CreditAccount.Evolve(rated, updated), new AcceptSuggestedTier(), Scenario.Context, Scenario.Start, Rated).IsUnchanged);
    }

    [Theory]
    [InlineData("", "AA", 50, "agency")]
    [InlineData("Dagong", "", 50, "grade")]
    [InlineData("Dagong", "AA", 101, "score")]
    [InlineData("Dagong", "AA", -1, "score")]
    public void a_bad_external_rating_is_refused_with_the_field(string agency, string grade, int score, string field)
    {
        var scenario = Scenario.Opened();
        var decision = scenario.When(new RecordExternalRating(agency, grade, score, new DateOnly(2026, 1, 1), null));
        Assert.Equal(field, decision.Rejection?.Field);
        Assert.Empty(decision.Events);
    }

    [Fact]
    public void an_external_rating_from_the_future_is_refused_and_a_repeat_writes_nothing()
    {
        var scenario = Scenario.Opened();
        Assert.Equal("reportDate", scenario.When(new RecordExternalRating("Dagong", "AA", 70, scenario.Today.AddDays(1), null)).Rejection?.Field);
        scenario.Given(new RecordExternalRating("Dagong", "AA", 70, scenario.Today, null));
        Assert.True(scenario.When(new RecordExternalRating("Dagong", "AA", 70, scenario.Today, null)).IsUnchanged);
    }

    [Fact]
    public void without_an_active_policy_a_review_is_a_conflict_and_writes_nothing()
    {
        var scenario = Scenario.Opened();
        var decision = scenario.When(new ReviewRating("review", null));
        Assert.Equal("no_rating_policy", decision.Rejection?.Code);
    }

    private static AccountState WithRating(RatingFloor floor, string grade)
    {
        var scenario = Scenario.Opened(creditLimit: 100_000m);
        var rating = new RatingAssigned(new EventMetadata(scenario.Today, Scenario.Start, "tester", "c"), "standard", 1, scenario.Today, 20m, grade,
            null, "first", [], [], Tier.Watch, null, floor, "first", "review", null);
        return CreditAccount.Evolve(scenario.State, rating);
    }
}
