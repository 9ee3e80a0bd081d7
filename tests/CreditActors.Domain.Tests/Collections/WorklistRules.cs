using CreditActors.Domain.Collections;

namespace CreditActors.Domain.Tests.Collections;

// The collector's worklist: who comes first, what to do next and by when, and when a credit file is due for review.
public class WorklistRules
{
    private static readonly DateOnly Today = new(2026, 6, 1);

    private static WorklistFacts Facts(decimal overdue = 0m, int days = 0, int broken = 0, int rank = -1, DateOnly? contact = null,
        string? promise = null, DateOnly? promiseOn = null, DateOnly? profileOn = null, DateOnly? ratedOn = null, DateOnly? notice = null,
        DateOnly? nextStepOn = null) =>
        new("A", "CNY", null, overdue, days, broken, rank, rank < 0 ? 0 : 5, contact, nextStepOn, nextStepOn is null ? null : "send the statement",
            promise, promiseOn, promise is null ? null : 1_000m, 0, 0m, notice, notice is null ? null : 2, profileOn ?? Today.AddDays(-30), ratedOn);

    [Fact]
    public void priority_is_money_days_raised_by_broken_promises_and_grade_and_halved_by_recent_contact()
    {
        Assert.Equal(30_000m, Worklist.Priority(Facts(1_000m, 30), Today));
        Assert.Equal(60_000m, Worklist.Priority(Facts(1_000m, 30, broken: 2), Today));
        // The worst of five grades doubles it; the best leaves it.
        Assert.Equal((30_000m, 60_000m), (Worklist.Priority(Facts(1_000m, 30, rank: 0), Today), Worklist.Priority(Facts(1_000m, 30, rank: 4), Today)));
        Assert.Equal(15_000m, Worklist.Priority(Facts(1_000m, 30, contact: Today.AddDays(-2)), Today));
        Assert.Equal(30_000m, Worklist.Priority(Facts(1_000m, 30, contact: Today.AddDays(-7)), Today));
    }

    [Fact]
    public void the_next_action_follows_the_promise_then_the_agreed_step_then_the_notice()
    {
        var promised = Worklist.ItemFor(Facts(1_000m, 30, promise: "P-1", promiseOn: Today.AddDays(3)), Today, 365)!;
        Assert.Equal(Today.AddDays(4), promised.DueOn);
        Assert.StartsWith("await promised payment P-1", promised.NextAction);
        var stepped = Worklist.ItemFor(Facts(1_000m, 30, contact: Today.AddDays(-1), nextStepOn: Today.AddDays(2)), Today, 365)!;
        Assert.Equal(("send the statement", Today.AddDays(2)), (stepped.NextAction, stepped.DueOn));
        var noticed = Worklist.ItemFor(Facts(1_000m, 30, notice: Today.AddDays(-1)), Today, 365)!;
        Assert.Equal(("call the customer about the notice", Today.AddDays(2)), (noticed.NextAction, noticed.DueOn));
    }

    [Fact]
    public void a_stale_credit_file_is_a_review_task_and_a_fresh_account_with_nothing_overdue_is_not_on_the_list()
    {
        Assert.Null(Worklist.ItemFor(Facts(), Today, 365));
        var review = Worklist.ItemFor(Facts(profileOn: Today.AddDays(-400), ratedOn: Today.AddDays(-10)), Today, 365)!;
        Assert.Equal(("review", 0m, true, Today.AddDays(-35)), (review.Kind, review.Priority, review.ReviewDue, review.DueOn));
        var owedAndStale = Worklist.ItemFor(Facts(500m, 10, profileOn: Today.AddDays(-400)), Today, 365)!;
        Assert.Equal(("collection", true), (owedAndStale.Kind, owedAndStale.ReviewDue));
    }
}
