using CreditActors.Domain.Accounts;
using CreditActors.Domain.Tests.Support;

namespace CreditActors.Domain.Tests.Accounts;

// Protects an account's business time zone: "today" for an account in Shanghai turns at midnight in Shanghai (16:00
// UTC), so what it dates by itself (a block, a review) and what it counts as overdue follow its own calendar; an
// account opened without a zone, or before zones existed, lives in UTC; an unknown zone is refused and writes nothing.
public class TimeZoneRules
{
    private static readonly Profile Acme = new("Acme Trading Co.");

    /// <summary>16:30 UTC on 1 December: already 2 December in Shanghai, still 1 December in London.</summary>
    private static readonly DateTimeOffset LateAfternoonUtc = new(2026, 12, 1, 16, 30, 0, TimeSpan.Zero);

    private static Scenario Opened(string? zone)
    {
        var scenario = new Scenario { Now = LateAfternoonUtc };
        return scenario.Given(new OpenAccount(Scenario.AccountId, "CNY", 50_000m, 30, Acme, zone),
            new IssueInvoice("INV-1", 10_000m, new DateOnly(2026, 10, 31), null, null, null, null));
    }

    [Fact]
    public void an_account_in_shanghai_dates_what_it_decides_by_the_date_in_shanghai()
    {
        var shanghai = Opened("Asia/Shanghai");
        Assert.Equal("Asia/Shanghai", shanghai.State.TimeZone);
        var blocked = Assert.IsType<AccountBlocked>(Assert.Single(shanghai.When(new BlockAccount("cheque returned")).Events));
        Assert.Equal(new DateOnly(2026, 12, 2), blocked.Meta.EffectiveDate);

        var utc = Opened(null);
        Assert.Equal("UTC", utc.State.TimeZone);
        Assert.Equal(new DateOnly(2026, 12, 1), Assert.IsType<AccountBlocked>(Assert.Single(utc.When(new BlockAccount("cheque returned")).Events)).Meta.EffectiveDate);
    }

    [Fact]
    public void an_invoice_due_yesterday_in_shanghai_is_overdue_there_and_not_yet_in_utc()
    {
        // Due 30 November. At 17:00 UTC on 30 November it is already 1 December in Shanghai: one day late there, on time in UTC.
        var early = new DateTimeOffset(2026, 11, 30, 17, 0, 0, TimeSpan.Zero);
        var shanghai = Opened("Asia/Shanghai");
        var utc = Opened(null);
        Assert.Equal(new DateOnly(2026, 12, 1), shanghai.State.TodayAt(early));
        Assert.Equal(new DateOnly(2026, 11, 30), utc.State.TodayAt(early));
        var policy = CreditPolicy.Default with { OverdueToleranceDays = 0 };
        var check = CreditAccount.CheckCredit(shanghai.State, 100m, early, policy);
        Assert.Contains(check.Reasons, r => r.Code == DeclineCodes.OverdueBeyondTolerance && r.DaysPastDue == 1);
        Assert.DoesNotContain(CreditAccount.CheckCredit(utc.State, 100m, early, policy).Reasons, r => r.Code == DeclineCodes.OverdueBeyondTolerance);
    }

    [Fact]
    public void an_unknown_zone_is_refused_and_the_same_account_in_another_zone_is_a_conflict()
    {
        foreach (var zone in new[] { "Mars/Olympus", "China Standard Time", "+08:00", "" })
        {
            var decision = new Scenario().When(new OpenAccount(Scenario.AccountId, "CNY", 50_000m, 30, Acme, zone));
            Assert.Equal(("timeZone", 0), (decision.Rejection?.Field, decision.Events.Count));
        }
        var opened = new Scenario().Given(new OpenAccount(Scenario.AccountId, "CNY", 50_000m, 30, Acme, "Asia/Shanghai"));
        Assert.True(opened.When(new OpenAccount(Scenario.AccountId, "CNY", 50_000m, 30, Acme, "Asia/Shanghai")).IsUnchanged);
        Assert.Equal(RejectionKind.Conflict, opened.When(new OpenAccount(Scenario.AccountId, "CNY", 50_000m, 30, Acme, "Europe/Berlin")).Rejection?.Kind);
    }
}
