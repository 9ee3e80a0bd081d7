namespace CreditActors.Domain.Collections;

/// <summary>What the worklist knows of one account on a day.</summary>
public sealed record WorklistFacts(
    string AccountId,
    string Currency,
    string? Collector,
    decimal Overdue,
    int DaysPastDue,
    int BrokenPromises,
    int GradeRank,
    int GradeCount,
    DateOnly? LastContactOn,
    DateOnly? NextStepOn,
    string? NextStep,
    string? PromiseId,
    DateOnly? PromiseOn,
    decimal? PromiseAmount,
    int OpenDisputes,
    decimal Disputed,
    DateOnly? LastNoticeOn,
    int? LastNoticeLevel,
    DateOnly ProfileOn,
    DateOnly? RatedOn);

/// <summary>The next thing a collector should do about an account, and by when; <paramref name="Kind"/> is collection or review.</summary>
public sealed record WorkItem(WorklistFacts Facts, string Kind, decimal Priority, string NextAction, DateOnly DueOn, bool ReviewDue);

/// <summary>
/// The collector's worklist rules. Priority is the overdue amount times its days past due (money-days, in the account's
/// currency), raised by half for each broken promise, by up to double for the worst grade (by the grade's rank in the rating
/// policy), and halved when the customer was contacted in the last seven days. A credit file whose profile or rating is older
/// than the review period is a review task; an account with nothing overdue and only a review due ranks after every
/// account with money overdue.
/// </summary>
public static class Worklist
{
    public const int RecentContactDays = 7;
    public const int CallAfterNoticeDays = 3;

    public static decimal Priority(WorklistFacts f, DateOnly today)
    {
        if (f.Overdue <= 0m || f.DaysPastDue <= 0)
            return 0m;
        var priority = f.Overdue * f.DaysPastDue;
        priority *= 1m + 0.5m * f.BrokenPromises;
        if (f.GradeRank >= 0 && f.GradeCount > 1)
            priority *= 1m + (decimal)f.GradeRank / (f.GradeCount - 1);
        if (f.LastContactOn is { } contact && today.DayNumber - contact.DayNumber < RecentContactDays)
            priority /= 2m;
        return decimal.Round(priority, 2);
    }

    /// <summary>The work an account needs today, or null when it needs none.</summary>
    public static WorkItem? ItemFor(WorklistFacts f, DateOnly today, int reviewPeriodDays)
    {
        var reviewFrom = new[] { f.ProfileOn, f.RatedOn ?? f.ProfileOn }.Min();
        var reviewDue = today.DayNumber - reviewFrom.DayNumber >= reviewPeriodDays;
        var owed = f.Overdue > 0m;
        if (!owed && !reviewDue && f.PromiseId is null && f.OpenDisputes == 0)
            return null;
        var (action, dueOn) = NextAction(f, today, owed, reviewDue, reviewFrom.AddDays(reviewPeriodDays));
        return new WorkItem(f, owed || f.PromiseId is not null || f.OpenDisputes > 0 ? "collection" : "review", Priority(f, today), action, dueOn, reviewDue);
    }

    private static (string Action, DateOnly DueOn) NextAction(WorklistFacts f, DateOnly today, bool owed, bool reviewDue, DateOnly reviewOn)
    {
        if (f.PromiseId is not null && f.PromiseOn is { } promised)
            return promised >= today
                ? ($"await promised payment {f.PromiseId} of {f.PromiseAmount} by {promised:yyyy-MM-dd}", promised.AddDays(1))
                : ($"promise {f.PromiseId} is due: check the payment arrived", today);
        if (f.NextStepOn is { } next && (f.LastContactOn is null || next >= f.LastContactOn))
            return (f.NextStep ?? "follow up", next);
        if (f.OpenDisputes > 0 && !owed)
            return ($"resolve {f.OpenDisputes} open dispute(s)", today);
        if (owed)
        {
            var noticed = f.LastNoticeOn is { } notice && (f.LastContactOn is null || f.LastContactOn < notice);
            return noticed
                ? ("call the customer about the notice", f.LastNoticeOn!.Value.AddDays(CallAfterNoticeDays))
                : ("contact the customer about the overdue amount", today);
        }
        return reviewDue ? ("review the credit file (profile and rating)", reviewOn) : ("follow up", today);
    }
}
