using CreditActors.Domain.Accounts;
using CreditActors.Domain.Collections;
using CreditActors.Domain.Tests.Support;

namespace CreditActors.Domain.Tests.Collections;

/// <summary>
/// One account over 120 days (1 January to 1 May 2026) under a calendar of a reminder 3 days before due and levels at 7, 30
/// and 60 days past due, with a fee of 200 at 30 days and interest at 12 % a year from the 30-day notice. The daily run is
/// replayed with a test clock, every day, twice on some. Every notice and charge below was worked out by hand.
/// </summary>
public class DunningCalendar
{
    internal static readonly DunningPolicy Calendar = new("calendar", 1, "The worked calendar",
        new DunningSchedule([
            new DunningLevel(1, "Reminder", -3, NoticeChannel.Email, "reminder.v1"),
            new DunningLevel(2, "First notice", 7, NoticeChannel.Email, "first-notice.v1"),
            new DunningLevel(3, "Second notice", 30, NoticeChannel.Email, "second-notice.v1",
                Fee: new LevelFee(Amount: 200m), Interest: new LevelInterest(12m, InterestStart.Notice)),
            new DunningLevel(4, "Final notice", 60, NoticeChannel.Letter, "final-notice.v1",
                Actions: new LevelActions(BlockNewCredit: true, NotifyCreditManagers: true)),
        ]),
        ExcludeDisputedFromOverdueTolerance: true, ReviewPeriodDays: 365);

    private static DateOnly D(int month, int day) => new(2026, month, day);

    private sealed record Expected(DateOnly Day, int Level, (string Invoice, int Line, int Level, int Days, decimal Open)[] Lines, decimal Fee, decimal Interest);

    // INV-1: 10,000 due 31 Jan. INV-2: 3,000 due 14 Feb and 3,000 due 16 Mar. Payments: 4,000 to INV-1 on 10 Mar, 6,000 on 20 Apr.
    // Interest on a line from its 30-day notice: 12 % / 365 of the balance-days (open at the start of each day).
    private static readonly Expected[] Notices =
    [
        new(D(1, 28), 1, [("INV-1", 1, 1, -3, 10_000m)], 0m, 0m),
        new(D(2, 7), 2, [("INV-1", 1, 2, 7, 10_000m)], 0m, 0m),
        new(D(2, 11), 1, [("INV-1", 1, 2, 11, 10_000m), ("INV-2", 1, 1, -3, 3_000m)], 0m, 0m),
        new(D(2, 21), 2, [("INV-1", 1, 2, 21, 10_000m), ("INV-2", 1, 2, 7, 3_000m)], 0m, 0m),
        // INV-1 reaches 30 days: the fee, and interest from today (nothing yet).
        new(D(3, 2), 3, [("INV-1", 1, 3, 30, 10_000m), ("INV-2", 1, 2, 16, 3_000m)], 200m, 0m),
        // INV-1: 8 days at 10,000 + 3 days at 6,000 = 98,000 balance-days → 32.22.
        new(D(3, 13), 1, [("INV-1", 1, 3, 41, 6_000m), ("INV-2", 1, 2, 27, 3_000m), ("INV-2", 2, 1, -3, 3_000m)], 0m, 32.22m),
        // INV-2 line 1 reaches 30 days: a fee and its interest starts. INV-1: 116,000 → 38.14, less 32.22 = 5.92.
        new(D(3, 16), 3, [("INV-1", 1, 3, 44, 6_000m), ("INV-2", 1, 3, 30, 3_000m), ("INV-2", 2, 1, 0, 3_000m)], 200m, 5.92m),
        // INV-1: 158,000 → 51.95 (+13.81). INV-2/1: 21,000 → 6.90.
        new(D(3, 23), 2, [("INV-1", 1, 3, 51, 6_000m), ("INV-2", 1, 3, 37, 3_000m), ("INV-2", 2, 2, 7, 3_000m)], 0m, 20.71m),
        // 60 days: the final notice blocks new credit. INV-1: 212,000 → 69.70 (+17.75). INV-2/1: 48,000 → 15.78 (+8.88).
        new(D(4, 1), 4, [("INV-1", 1, 4, 60, 6_000m), ("INV-2", 1, 3, 46, 3_000m), ("INV-2", 2, 2, 16, 3_000m)], 0m, 26.63m),
        // INV-2/1 reaches 60 and INV-2/2 30 days (its fee; its interest starts). INV-1: 296,000 → 97.32 (+27.62). INV-2/1: 90,000 → 29.59 (+13.81).
        new(D(4, 15), 4, [("INV-1", 1, 4, 74, 6_000m), ("INV-2", 1, 4, 60, 3_000m), ("INV-2", 2, 3, 30, 3_000m)], 200m, 41.43m),
    ];

    [Fact]
    public void the_daily_run_issues_every_notice_and_charge_worked_out_by_hand()
    {
        var scenario = Scenario.Opened(creditLimit: 50_000m);
        scenario.Policy = CreditPolicy.Default with { Collections = Calendar };
        scenario.At(new DateTimeOffset(2026, 1, 1, 9, 0, 0, TimeSpan.Zero))
            .Given(Scenario.Invoice("INV-1", 10_000m, D(1, 1), D(1, 31)))
            .At(new DateTimeOffset(2026, 1, 15, 9, 0, 0, TimeSpan.Zero))
            .Given(Scenario.Invoice("INV-2", 6_000m, D(1, 15), installments: [new(D(2, 14), 3_000m), new(D(3, 16), 3_000m)]));

        for (var day = D(1, 2); day <= D(5, 1); day = day.AddDays(1))
        {
            scenario.At(new DateTimeOffset(day.ToDateTime(new TimeOnly(2, 0)), TimeSpan.Zero)).When(new RunDunning());
            if (day.Day % 5 == 0)
                Assert.True(scenario.When(new RunDunning()).IsUnchanged, $"a second run on {day} wrote events");
            if (day == D(3, 10))
                scenario.At(scenario.Now.AddHours(8)).Given(Scenario.Payment("PAY-1", 4_000m, day, new RemittanceLine("INV-1", 1, 4_000m)));
            if (day == D(4, 20))
                scenario.At(scenario.Now.AddHours(8)).Given(Scenario.Payment("PAY-2", 6_000m, day, new RemittanceLine("INV-1", 1, 6_000m)));
        }

        var notices = scenario.History.OfType<DunningNoticeIssued>().ToList();
        Assert.Equal(Notices.Select(n => n.Day), notices.Select(n => n.Meta.EffectiveDate));
        foreach (var (expected, notice) in Notices.Zip(notices))
        {
            Assert.Equal(expected.Level, notice.Level);
            Assert.Equal(expected.Lines, notice.Lines.Select(l => (l.InvoiceNumber, l.Line, l.Level, l.DaysPastDue, l.Open)).ToArray());
            Assert.Equal(expected.Lines.Sum(l => l.Open), notice.Total);
            Assert.Equal((expected.Fee, expected.Interest), (notice.Fee, notice.Interest));
        }

        var fees = scenario.History.OfType<LateFeeCharged>().Select(f => (f.Meta.EffectiveDate, f.ChargeNumber, f.Amount)).ToList();
        Assert.Equal([(D(3, 2), "fee:20260302", 200m), (D(3, 16), "fee:20260316", 200m), (D(4, 15), "fee:20260415", 200m)], fees);

        var interest = scenario.History.OfType<InterestCharged>().Select(i => (i.Meta.EffectiveDate, i.NoticeId, i.Amount)).ToList();
        // The last is charged the day after INV-1 was paid in full: 326,000 balance-days to 20 Apr → 107.18, less 97.32.
        Assert.Equal([
            (D(3, 13), (string?)"notice-20260313", 32.22m), (D(3, 16), "notice-20260316", 5.92m), (D(3, 23), "notice-20260323", 20.71m),
            (D(4, 1), "notice-20260401", 26.63m), (D(4, 15), "notice-20260415", 41.43m), (D(4, 21), null, 9.86m)], interest);
        var inv1 = scenario.History.OfType<InterestCharged>().SelectMany(i => i.Lines).Where(l => l.InvoiceNumber == "INV-1").Sum(l => l.Amount);
        Assert.Equal(107.18m, inv1);

        Assert.Equal(AccountStatus.Blocked, scenario.State.Status);
        Assert.Equal([D(4, 1)], scenario.History.OfType<AccountBlocked>().Select(b => b.Meta.EffectiveDate));
        // What is left: INV-2 (6,000), the three fees and all the interest, nothing of INV-1.
        Assert.Equal(6_000m + 600m + 136.77m, scenario.State.Receivables);
        Assert.False(scenario.State.Invoices.ContainsKey("INV-1"));
    }
}
