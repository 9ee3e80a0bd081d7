using System.Text.Json;
using System.Text.Json.Serialization;
using CreditActors.Domain.Accounts;

namespace CreditActors.Domain.Collections;

/// <summary>How a notice reaches the customer: by email, by a signed webhook to their ERP or CRM, or printed as a letter.</summary>
public enum NoticeChannel { Email, Webhook, Letter }

/// <summary>When interest starts to run on a line: its due date, or the day of the notice that first charges it.</summary>
public enum InterestStart { DueDate, Notice }

/// <summary>
/// A fee a level charges: <paramref name="Amount"/> in the account's currency, or <paramref name="PerCurrency"/> by
/// currency code (an account whose currency is not listed pays no fee). Exactly one of the two.
/// </summary>
public sealed record LevelFee(decimal? Amount = null, IReadOnlyDictionary<string, decimal>? PerCurrency = null)
{
    public decimal? For(string currency) =>
        Amount ?? (PerCurrency is { } map && map.TryGetValue(currency, out var fee) ? fee : null);
}

/// <summary>Simple interest at an annual rate (percent) on the overdue amount, ACT/365, from the due date or the notice.</summary>
public sealed record LevelInterest(decimal AnnualRatePercent, InterestStart From);

/// <summary>What reaching a level does beside the notice: block new credit, and tell the credit managers (an alert).</summary>
public sealed record LevelActions(bool BlockNewCredit = false, bool NotifyCreditManagers = false)
{
    public bool Any => BlockNewCredit || NotifyCreditManagers;
}

/// <summary>
/// One step of the dunning calendar: due <paramref name="OffsetDays"/> days after a line's due date (negative: a reminder
/// before it). Nothing is sent while the amount due at this level is below the currency's
/// <paramref name="MinimumAmount"/>.
/// </summary>
public sealed record DunningLevel(
    int Level,
    string Name,
    int OffsetDays,
    NoticeChannel Channel,
    string Template,
    LevelFee? Fee = null,
    LevelInterest? Interest = null,
    IReadOnlyDictionary<string, decimal>? MinimumAmount = null,
    LevelActions? Actions = null)
{
    public decimal MinimumFor(string currency) =>
        MinimumAmount is { } map && (map.TryGetValue(currency, out var least) || map.TryGetValue("*", out least)) ? least : 0m;
}

/// <summary>A tier's calendar: its levels in order of offset.</summary>
public sealed record DunningSchedule(IReadOnlyList<DunningLevel> Levels)
{
    /// <summary>The highest level whose day has come for a line due on <paramref name="dueDate"/>, at <paramref name="today"/>; 0 for none.</summary>
    public int LevelDue(DateOnly dueDate, DateOnly today)
    {
        var due = 0;
        foreach (var level in Levels)
            if (today.DayNumber >= dueDate.DayNumber + level.OffsetDays)
                due = level.Level;
        return due;
    }

    public DunningLevel Get(int level) => Levels.First(l => l.Level == level);

    /// <summary>The first level (from <paramref name="upTo"/> down) that charges interest, if any reached level does.</summary>
    public LevelInterest? InterestAt(int upTo) =>
        Levels.Where(l => l.Level <= upTo && l.Interest is not null).Select(l => l.Interest).FirstOrDefault();
}

/// <summary>
/// The collections policy: a dunning calendar per tier (with a default), whether disputed amounts count towards the
/// overdue tolerance of the credit decision, and how often a credit file must be reviewed. Versioned; every notice names
/// the version it was decided under.
/// </summary>
public sealed record DunningPolicy(
    string PolicyId,
    int Version,
    string Description,
    DunningSchedule Default,
    bool ExcludeDisputedFromOverdueTolerance,
    int ReviewPeriodDays,
    IReadOnlyDictionary<Tier, DunningSchedule>? Tiers = null)
{
    public string Key => $"{PolicyId}/v{Version}";

    public DunningSchedule For(Tier tier) => Tiers is { } map && map.TryGetValue(tier, out var schedule) ? schedule : Default;

    public Rejection? Problem()
    {
        if (PolicyDocuments.HeaderProblem(PolicyId, Version, Description) is { } header)
            return header;
        if (ReviewPeriodDays is < 1 or > 3660)
            return Rejection.Invalid("reviewPeriodDays", "reviewPeriodDays must be between 1 and 3660");
        if (ScheduleProblem("default", Default) is { } problem)
            return problem;
        foreach (var (tier, schedule) in Tiers ?? new Dictionary<Tier, DunningSchedule>())
            if (ScheduleProblem($"tiers.{JsonNamingPolicy.CamelCase.ConvertName(tier.ToString())}", schedule) is { } tierProblem)
                return tierProblem;
        return null;
    }

    private static Rejection? ScheduleProblem(string field, DunningSchedule? schedule)
    {
        if (schedule?.Levels is not { Count: > 0 and <= 20 } levels)
            return Rejection.Invalid($"{field}.levels", "a schedule lists 1 to 20 levels");
        for (var i = 0; i < levels.Count; i++)
        {
            var l = levels[i];
            var at = $"{field}.levels[{i}]";
            if (l is null)
                return Rejection.Invalid(at, "a level is required");
            if (l.Level != i + 1)
                return Rejection.Invalid($"{at}.level", "levels are numbered 1, 2, 3… in order");
            if (l.OffsetDays is < -365 or > 3650 || (i > 0 && l.OffsetDays <= levels[i - 1].OffsetDays))
                return Rejection.Invalid($"{at}.offsetDays", "offsetDays must be between -365 and 3650 and rise from level to level");
            if (string.IsNullOrWhiteSpace(l.Name) || l.Name.Length > 100)
                return Rejection.Invalid($"{at}.name", "name is required, at most 100 characters");
            if (!Identifiers.IsValid(l.Template))
                return Rejection.Invalid($"{at}.template", $"template {Identifiers.Rule}");
            if (l.Fee is { } fee)
            {
                if ((fee.Amount is null) == (fee.PerCurrency is null))
                    return Rejection.Invalid($"{at}.fee", "a fee has either amount (in the account's currency) or perCurrency, not both");
                if (fee.Amount is { } amount && (amount <= 0m || amount > 1_000_000m || decimal.Round(amount, 3) != amount))
                    return Rejection.Invalid($"{at}.fee.amount", "fee.amount must be above 0, at most 1,000,000, with at most 3 decimals");
                if (fee.PerCurrency is { } map && PolicyDocuments.CurrencyAmountsProblem(map) is { } feeProblem)
                    return Rejection.Invalid($"{at}.fee.perCurrency", feeProblem);
                if (l.OffsetDays < 0)
                    return Rejection.Invalid($"{at}.fee", "a reminder before the due date cannot charge a fee");
            }
            if (l.Interest is { } interest)
            {
                if (interest.AnnualRatePercent is <= 0m or > 100m)
                    return Rejection.Invalid($"{at}.interest.annualRatePercent", "annualRatePercent must be above 0 and at most 100");
                if (l.OffsetDays <= 0)
                    return Rejection.Invalid($"{at}.interest", "interest runs on overdue amounts: only a level after the due date can start it");
                if (levels.Take(i).Any(p => p?.Interest is not null))
                    return Rejection.Invalid($"{at}.interest", "only one level of a schedule starts interest");
            }
            if (l.MinimumAmount is { } minimum && PolicyDocuments.CurrencyAmountsProblem(minimum, wildcard: true) is { } minimumProblem)
                return Rejection.Invalid($"{at}.minimumAmount", minimumProblem);
            if (l.Actions?.BlockNewCredit == true && l.OffsetDays <= 0)
                return Rejection.Invalid($"{at}.actions.blockNewCredit", "only a level after the due date can block new credit");
        }
        return null;
    }
}

/// <summary>A dunning policy as a JSON document (camelCase, no unknown field), and the version the service ships with.</summary>
public static class DunningPolicyDocument
{
    public const int MaximumLength = PolicyDocuments.MaximumLength;

    public static readonly JsonSerializerOptions Options = PolicyDocuments.Options(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));

    /// <summary>The calendar the service ships with, in force unless the operator configures another document.</summary>
    public static DunningPolicy Standard { get; } = PolicyDocuments.Embedded("dunning-policy.standard.v1.json", Parse);

    public static (DunningPolicy? Policy, Rejection? Problem) Parse(string json) => PolicyDocuments.Parse<DunningPolicy>(json, Options, p => p.Problem());

    public static string Write(DunningPolicy policy) => JsonSerializer.Serialize(policy, Options);
}
