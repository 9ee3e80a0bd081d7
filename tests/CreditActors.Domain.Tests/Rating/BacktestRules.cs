using CreditActors.Domain.Accounts;
using CreditActors.Domain.Rating;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace CreditActors.Domain.Tests.Rating;

// Protects the backtest: a hand-built journal of three accounts rated monthly by two policies, with the grades, outcomes,
// AUC, KS, migrations and declined holds worked out by hand; a payment entered after a date does not change the grade at
// it; and AUC equals its brute-force pairwise count on random scores.
public class BacktestRules
{
    /// <summary>
    /// One factor only, the oldest days past due, so that grades can be read off by hand: A from 80, B from 50, C from 20, D.
    /// The baseline gives 100 points when nothing is past due, 60 below 31 days, 30 below 91, else 0; the candidate 100, 40
    /// below 16 days, else 0, and its D declines new holds.
    /// </summary>
    private static RatingPolicy Policy(int version, IReadOnlyList<Band> bands, GradeFloor? dFloor)
    {
        IReadOnlyList<Band> none = [new Band(0)];
        return RatingPolicyDocument.Standard with
        {
            Version = version,
            Factors = new RatingFactors(new PaymentIndexScale(0, none, 3), new FactorScale(0, none), new FactorScale(100, bands), new FactorScale(0, none),
                new FactorScale(0, none), new FactorScale(0, none), new FactorScale(0, none), new FactorScale(0, none), new ExternalRatingScale(0, none, 365)),
            WithoutPaymentHistoryBestGrade = "A",
            Grades = [new GradeRule("A", 80m, 2m), new GradeRule("B", 50m, 1m), new GradeRule("C", 20m, 1m), new GradeRule("D", 0m, 0.5m, dFloor)],
            Tiers = new TierRule(["A"], new Dictionary<string, decimal>(), ["D"], false),
        };
    }

    private static readonly RatingPolicy Baseline = Policy(10, [new Band(100, 1m), new Band(60, 31m), new Band(30, 91m), new Band(0)], null);
    private static readonly RatingPolicy Candidate = Policy(11, [new Band(100, 1m), new Band(40, 16m), new Band(0)], new GradeFloor(DeclineNewHolds: true));

    private static EventMetadata At(int year, int month, int day, DateOnly? effective = null) =>
        new(effective ?? new DateOnly(year, month, day), new DateTimeOffset(year, month, day, 10, 0, 0, TimeSpan.Zero), "tester", "c");

    private static InvoiceIssued Invoice(EventMetadata meta, string number, int amount) =>
        new(meta, number, meta.EffectiveDate, meta.EffectiveDate.AddDays(30), amount, [new IssuedLine(1, meta.EffectiveDate.AddDays(30), amount)], null, null);

    /// <summary>The journal, in the order it was recorded.</summary>
    private static List<(string Account, AccountEvent Event)> Journal()
    {
        var profile = new Profile("x");
        return
        [
            ("GOOD", new AccountOpened(At(2025, 1, 2), "GOOD", "CNY", 100_000m, 30, profile, "UTC")),
            ("BAD", new AccountOpened(At(2025, 1, 2), "BAD", "CNY", 100_000m, 30, profile, "UTC")),
            ("LATE", new AccountOpened(At(2025, 1, 2), "LATE", "CNY", 100_000m, 30, profile, "UTC")),
            ("BAD", Invoice(At(2025, 1, 5), "B-1", 1_000)),          // due 2025-02-04, never paid: 90 days past due on 2025-05-05
            ("GOOD", Invoice(At(2025, 1, 10), "G-1", 1_000)),        // due 2025-02-09
            ("LATE", Invoice(At(2025, 1, 15), "L-1", 1_000)),        // due 2025-02-14
            ("GOOD", new PaymentReceived(At(2025, 2, 5), "GP-1", new DateOnly(2025, 2, 5), 1_000m, [])),
            ("GOOD", new PaymentAllocated(At(2025, 2, 5), "GP-1", [new AllocationLine("G-1", 1, 1_000m)])),
            ("BAD", new CreditHoldPlaced(At(2025, 3, 5), "BH-1", 300m, new DateTimeOffset(2025, 3, 12, 0, 0, 0, TimeSpan.Zero), null, null)),
            ("GOOD", new CreditHoldPlaced(At(2025, 3, 6), "GH-1", 700m, new DateTimeOffset(2025, 3, 13, 0, 0, 0, TimeSpan.Zero), null, null)),
            ("LATE", new CreditHoldPlaced(At(2025, 4, 2), "LH-1", 500m, new DateTimeOffset(2025, 4, 9, 0, 0, 0, TimeSpan.Zero), null, null)),
            // Paid on 2025-02-20 (6 days late) but entered on 2025-04-10: as known on 2025-03-31 the line was still open.
            ("LATE", new PaymentReceived(At(2025, 4, 10, new DateOnly(2025, 2, 20)), "LP-1", new DateOnly(2025, 2, 20), 1_000m, [])),
            ("LATE", new PaymentAllocated(At(2025, 4, 10, new DateOnly(2025, 2, 20)), "LP-1", [new AllocationLine("L-1", 1, 1_000m)])),
            // The journal goes on past every outcome's horizon.
            ("LATER", new AccountOpened(At(2026, 7, 1), "LATER", "CNY", 1_000m, 30, profile, "UTC")),
        ];
    }

    private static BacktestResult Run()
    {
        var engine = new BacktestEngine(new BacktestSpec(Candidate, Baseline, new DateOnly(2025, 1, 31), new DateOnly(2025, 6, 30), BacktestStep.Month, 90, 12));
        foreach (var (account, e) in Journal())
            engine.Apply(account, e);
        return engine.Complete();
    }

    [Fact]
    public void the_hand_built_journal_grades_per_date_as_worked_out()
    {
        var result = Run();
        Assert.Equal([new DateOnly(2025, 1, 31), new DateOnly(2025, 2, 28), new DateOnly(2025, 3, 31), new DateOnly(2025, 4, 30), new DateOnly(2025, 5, 31),
            new DateOnly(2025, 6, 30)], result.Dates);
        // Oldest days past due at each date, and the grades they give (LATER opens after the range and is never rated):
        //   GOOD: 0 throughout                               baseline A A A A A A   candidate A A A A A A
        //   BAD:  0, 24, 55, 85, 116, 146                     baseline A B C C D D   candidate A D D D D D
        //   LATE: 0, 14, 45 (the payment of 02-20 is not known until 04-10), then paid
        //                                                    baseline A B C A A A   candidate A C D A A A
        string Grades(PolicyBacktest p, int date) => string.Join(",", p.GradesByDate[date].Grades.Select(g => $"{g.Key}{g.Value}"));
        Assert.Equal(["A3", "A1,B2", "A1,C2", "A2,C1", "A2,D1", "A2,D1"], Enumerable.Range(0, 6).Select(d => Grades(result.Baseline, d)));
        Assert.Equal(["A3", "A1,C1,D1", "A1,D2", "A2,D1", "A2,D1", "A2,D1"], Enumerable.Range(0, 6).Select(d => Grades(result.Candidate, d)));
        Assert.Equal((3, 18), (result.Accounts - 1, result.Ratings));
    }

    [Fact]
    public void outcomes_default_rates_auc_ks_and_migrations_are_as_worked_out()
    {
        var result = Run();
        // BAD's line is 90 days past due on 2025-05-05: its ratings of January to April default within 12 months; the ones
        // after 05-05 do not (the default is behind them). LATE paid in time for the outcome (02-20 is before 05-15).
        Assert.Equal((4, 18), (result.Defaults, result.RatingsWithFullHorizon));
        var rates = result.Baseline.DefaultRates.ToDictionary(r => r.Grade);
        // Baseline A: 11 ratings, BAD's January one defaulted; B: BAD and LATE in February, BAD's defaulted; C: 3, BAD's 2.
        Assert.Equal((11, 1), (rates["A"].Rated, rates["A"].Defaulted));
        Assert.Equal((2, 1, 0.5m), (rates["B"].Rated, rates["B"].Defaulted, rates["B"].DefaultRate));
        Assert.Equal((3, 2), (rates["C"].Rated, rates["C"].Defaulted));
        Assert.Equal((2, 0), (rates["D"].Rated, rates["D"].Defaulted));

        // Baseline scores of the 14 good ratings: ten 100s, one 60, one 30, two 0s; of the 4 bad: 100, 60, 30, 30.
        // Pairs good above bad (ties half): 5 + 10.5 + 11.5 + 11.5 = 38.5 of 56: AUC 0.6875, Gini 0.375.
        Assert.Equal((0.6875m, 0.375m), (result.Baseline.Auc, result.Baseline.Gini));
        // Candidate: good ten 100s, one 40, three 0s; bad 100, 0, 0, 0: 5 + 3 × 12.5 = 42.5 of 56 = 0.7589, Gini 0.5179.
        Assert.Equal((0.7589m, 0.5179m), (result.Candidate.Auc, result.Candidate.Gini));
        // KS: baseline at 60, bad 3/4 against good 4/14: 0.4643; candidate at 0, bad 3/4 against good 3/14: 0.5357.
        Assert.Equal((0.4643m, 0.5357m), (result.Baseline.Ks, result.Candidate.Ks));

        // Baseline to candidate: A→A 11, B→C 1 (LATE in February), B→D 1, C→D 3, D→D 2.
        Assert.Equal(["A→A 11", "B→C 1", "B→D 1", "C→D 3", "D→D 2"], result.Migrations.Select(m => $"{m.From}→{m.To} {m.Count}"));
    }

    [Fact]
    public void the_candidate_s_floor_would_have_declined_the_holds_of_its_d_accounts()
    {
        var result = Run();
        // BAD's hold of 03-05 (candidate D since 02-28) and LATE's of 04-02 (candidate D on 03-31) would have been declined;
        // GOOD's (A) not. Of the two, BAD defaulted within 12 months of its hold.
        Assert.Equal((3, 2, 800m, 1, 300m), (result.CandidateDeclines.Judged, result.CandidateDeclines.Holds, result.CandidateDeclines.Amount,
            result.CandidateDeclines.OfDefaultedAccounts, result.CandidateDeclines.AmountOfDefaultedAccounts));
    }

    [Fact]
    public void a_payment_entered_after_a_date_does_not_change_the_grade_at_it()
    {
        // The same journal without the late entry of LATE's payment grades March the same: the payment was not known then.
        var withoutLateEntry = Journal().Where(x => !(x.Account == "LATE" && x.Event is PaymentReceived or PaymentAllocated)).ToList();
        var engine = new BacktestEngine(new BacktestSpec(Candidate, Baseline, new DateOnly(2025, 1, 31), new DateOnly(2025, 3, 31), BacktestStep.Month, 90, 12));
        foreach (var (account, e) in withoutLateEntry)
            engine.Apply(account, e);
        var without = engine.Complete();
        var with = Run();
        Assert.Equal(without.Baseline.GradesByDate[2].Grades, with.Baseline.GradesByDate[2].Grades);
        Assert.Equal(without.Candidate.GradesByDate[2].Grades, with.Candidate.GradesByDate[2].Grades);
    }

    [Property(MaxTest = 200)]
    public void auc_equals_the_share_of_good_bad_pairs_in_order(int[] rawScores, bool[] rawOutcomes)
    {
        var n = Math.Min(rawScores.Length, rawOutcomes.Length);
        var scores = rawScores.Take(n).Select(s => (decimal)(Math.Abs(s % 7))).ToList();
        var defaulted = rawOutcomes.Take(n).ToList();
        var good = Enumerable.Range(0, n).Where(i => !defaulted[i]).ToList();
        var bad = Enumerable.Range(0, n).Where(i => defaulted[i]).ToList();
        var auc = Discrimination.Auc(scores, defaulted);
        if (good.Count == 0 || bad.Count == 0)
        {
            Assert.Null(auc);
            return;
        }
        var pairs = good.SelectMany(g => bad.Select(b => scores[g] > scores[b] ? 1m : scores[g] == scores[b] ? 0.5m : 0m)).Sum();
        Assert.Equal(pairs / (good.Count * bad.Count), auc);
    }
}
