using CreditActors.Domain.Accounts;

namespace CreditActors.Domain.Rating;

/// <summary>
/// One step of a factor's scale: a raw value below <paramref name="Below"/> earns <paramref name="Points"/> (0–100). Bands
/// are read in order and the first that holds applies; the last band has no bound and catches every other value.
/// </summary>
public sealed record Band(int Points, decimal? Below = null);

/// <summary>A factor's weight in the score and its scale from raw value to points.</summary>
public sealed record FactorScale(int Weight, IReadOnlyList<Band> Bands)
{
    public int PointsFor(decimal raw)
    {
        foreach (var band in Bands)
            if (band.Below is not { } below || raw < below)
                return band.Points;
        return Bands[^1].Points;
    }
}

/// <summary>The payment index's scale and the least number of payments it needs to be available.</summary>
public sealed record PaymentIndexScale(int Weight, IReadOnlyList<Band> Bands, int MinimumPayments);

/// <summary>The external rating's scale and how old its report may be before it is ignored.</summary>
public sealed record ExternalRatingScale(int Weight, IReadOnlyList<Band> Bands, int FreshnessDays);

/// <summary>The factors a policy weighs. A weight of 0 leaves a factor out of the score (it is still shown).</summary>
public sealed record RatingFactors(
    PaymentIndexScale PaymentIndex,
    FactorScale OverdueShare,
    FactorScale OldestDaysPastDue,
    FactorScale Utilisation,
    FactorScale AverageUtilisation,
    FactorScale MonthsSinceFirstInvoice,
    FactorScale InvoicesPaid,
    FactorScale AdverseEvents,
    ExternalRatingScale ExternalRating);

/// <summary>
/// What the credit decision applies to an account of a grade: decline every new hold, cap a hold at a share of the limit,
/// cap a single order (by currency, like SAP's maximum document value). Null fields do not apply.
/// </summary>
public sealed record GradeFloor(bool DeclineNewHolds = false, decimal? MaxHoldPercentOfLimit = null, IReadOnlyDictionary<string, decimal>? MaxSingleOrder = null);

/// <summary>A grade, best first: the least score that earns it, its limit multiple and its floor.</summary>
public sealed record GradeRule(string Grade, decimal MinScore, decimal LimitMultiple, GradeFloor? Floor = null);

/// <summary>
/// The suggested tier: a grade in <paramref name="WatchGrades"/> suggests watch; a grade in <paramref name="StrategicGrades"/>
/// with average monthly invoicing of at least the currency's <paramref name="StrategicMonthlyInvoiced"/> suggests strategic;
/// every other account standard. <paramref name="ApplyAutomatically"/>: the rating sets the tier without a person.
/// </summary>
public sealed record TierRule(
    IReadOnlyList<string> StrategicGrades,
    IReadOnlyDictionary<string, decimal> StrategicMonthlyInvoiced,
    IReadOnlyList<string> WatchGrades,
    bool ApplyAutomatically);

/// <summary>
/// The suggested limit: the grade's multiple times the average monthly invoiced over <paramref name="Months"/> (over the
/// months since the first invoice, for a younger customer), rounded down to <paramref name="RoundTo"/> units of the
/// account's currency (no suggestion when that is zero), capped per currency. A suggestion that differs from the
/// current limit by more than <paramref name="ReviewMarginPercent"/> opens a limit request for a person to approve;
/// <paramref name="CutAtOnceOnWorstGrade"/> lowers the limit to the suggestion at once when the grade falls to the worst.
/// </summary>
public sealed record LimitRule(
    int Months, decimal RoundTo, IReadOnlyDictionary<string, decimal> Cap, decimal ReviewMarginPercent, bool CutAtOnceOnWorstGrade);

/// <summary>
/// A versioned scoring policy: factors computed from an account's own events as of a date, each mapped to points by its
/// bands, weighted into a score 0–100 and graded by thresholds. Pure data: the service loads it as a document.
/// </summary>
public sealed record RatingPolicy(
    string PolicyId,
    int Version,
    string Description,
    int TrailingMonths,
    RatingFactors Factors,
    decimal CreditNoteShareAdversePercent,
    string WithoutPaymentHistoryBestGrade,
    IReadOnlyList<GradeRule> Grades,
    decimal ScoreChangeThreshold,
    int ValidityDays,
    int ReviewAfterPaymentDaysLate,
    TierRule Tiers,
    LimitRule SuggestedLimit)
{
    /// <summary>The months of behaviour an account keeps for rating; no policy may look further back.</summary>
    public const int MaximumTrailingMonths = 36;

    public string Key => $"{PolicyId}/v{Version}";

    public string WorstGrade => Grades[^1].Grade;

    public GradeRule Rule(string grade) => Grades.First(g => g.Grade == grade);

    /// <summary>The grade a score earns: the first (best) whose least score it reaches.</summary>
    public string GradeFor(decimal score) => Grades.First(g => score >= g.MinScore).Grade;

    /// <summary>0 for the best grade; higher is worse. -1 for a grade the policy does not have.</summary>
    public int Rank(string grade)
    {
        for (var i = 0; i < Grades.Count; i++)
            if (Grades[i].Grade == grade)
                return i;
        return -1;
    }

    /// <summary>The first thing wrong with the document, as the field path and the reason; null when it is usable.</summary>
    public Rejection? Problem()
    {
        if (PolicyDocuments.HeaderProblem(PolicyId, Version, Description) is { } header)
            return header;
        if (TrailingMonths is < 1 or > MaximumTrailingMonths)
            return Rejection.Invalid("trailingMonths", $"trailingMonths must be between 1 and {MaximumTrailingMonths}");
        if (Factors is null)
            return Rejection.Invalid("factors", "factors are required");
        var scales = new (string Name, int Weight, IReadOnlyList<Band>? Bands)[]
        {
            ("paymentIndex", Factors.PaymentIndex?.Weight ?? -1, Factors.PaymentIndex?.Bands),
            ("overdueShare", Factors.OverdueShare?.Weight ?? -1, Factors.OverdueShare?.Bands),
            ("oldestDaysPastDue", Factors.OldestDaysPastDue?.Weight ?? -1, Factors.OldestDaysPastDue?.Bands),
            ("utilisation", Factors.Utilisation?.Weight ?? -1, Factors.Utilisation?.Bands),
            ("averageUtilisation", Factors.AverageUtilisation?.Weight ?? -1, Factors.AverageUtilisation?.Bands),
            ("monthsSinceFirstInvoice", Factors.MonthsSinceFirstInvoice?.Weight ?? -1, Factors.MonthsSinceFirstInvoice?.Bands),
            ("invoicesPaid", Factors.InvoicesPaid?.Weight ?? -1, Factors.InvoicesPaid?.Bands),
            ("adverseEvents", Factors.AdverseEvents?.Weight ?? -1, Factors.AdverseEvents?.Bands),
            ("externalRating", Factors.ExternalRating?.Weight ?? -1, Factors.ExternalRating?.Bands),
        };
        foreach (var (name, weight, bands) in scales)
        {
            var field = $"factors.{name}";
            if (weight is < 0 or > 100)
                return Rejection.Invalid($"{field}.weight", $"{field}.weight must be between 0 and 100");
            if (bands is null || bands.Count == 0)
                return Rejection.Invalid($"{field}.bands", $"{field}.bands must have at least one band");
            for (var i = 0; i < bands.Count; i++)
            {
                var band = bands[i];
                if (band is null || band.Points is < 0 or > 100)
                    return Rejection.Invalid($"{field}.bands[{i}].points", "points must be between 0 and 100");
                var last = i == bands.Count - 1;
                if (last != band.Below is null)
                    return Rejection.Invalid($"{field}.bands[{i}].below", "every band but the last has a bound 'below'; the last has none");
                if (i > 0 && band.Below is { } b && b <= bands[i - 1].Below)
                    return Rejection.Invalid($"{field}.bands[{i}].below", "bounds must increase from band to band");
            }
        }
        if (scales.Sum(s => s.Weight) == 0)
            return Rejection.Invalid("factors", "at least one factor must have a weight above 0");
        if (Factors.PaymentIndex!.MinimumPayments is < 1 or > 1000)
            return Rejection.Invalid("factors.paymentIndex.minimumPayments", "minimumPayments must be between 1 and 1000");
        if (Factors.ExternalRating!.FreshnessDays is < 1 or > 3660)
            return Rejection.Invalid("factors.externalRating.freshnessDays", "freshnessDays must be between 1 and 3660");
        if (CreditNoteShareAdversePercent is < 0m or > 100m)
            return Rejection.Invalid("creditNoteShareAdversePercent", "creditNoteShareAdversePercent must be between 0 and 100");
        if (Grades is null || Grades.Count is < 2 or > 10)
            return Rejection.Invalid("grades", "grades must list between 2 and 10 grades, best first");
        for (var i = 0; i < Grades.Count; i++)
        {
            var g = Grades[i];
            var field = $"grades[{i}]";
            if (g is null || string.IsNullOrWhiteSpace(g.Grade) || g.Grade.Length > 3 || !g.Grade.All(char.IsAsciiLetterOrDigit))
                return Rejection.Invalid($"{field}.grade", "a grade is 1 to 3 letters or digits");
            if (Grades.Take(i).Any(other => other.Grade == g.Grade))
                return Rejection.Invalid($"{field}.grade", $"grade {g.Grade} is listed twice");
            if (g.MinScore is < 0m or > 100m || (i > 0 && g.MinScore >= Grades[i - 1].MinScore))
                return Rejection.Invalid($"{field}.minScore", "minScore must be between 0 and 100 and fall from the best grade to the worst");
            if (i == Grades.Count - 1 && g.MinScore != 0m)
                return Rejection.Invalid($"{field}.minScore", "the worst grade must start at 0, so that every score has a grade");
            if (g.LimitMultiple is < 0m or > 100m)
                return Rejection.Invalid($"{field}.limitMultiple", "limitMultiple must be between 0 and 100");
            if (g.Floor is { MaxHoldPercentOfLimit: { } share } && share is <= 0m or > 100m)
                return Rejection.Invalid($"{field}.floor.maxHoldPercentOfLimit", "maxHoldPercentOfLimit must be above 0 and at most 100");
            if (g.Floor?.MaxSingleOrder is { } orders && PolicyDocuments.CurrencyAmountsProblem(orders) is { } orderProblem)
                return Rejection.Invalid($"{field}.floor.maxSingleOrder", orderProblem);
        }
        if (Rank(WithoutPaymentHistoryBestGrade) < 0)
            return Rejection.Invalid("withoutPaymentHistoryBestGrade", "withoutPaymentHistoryBestGrade must be one of the grades");
        if (ScoreChangeThreshold is < 0m or > 100m)
            return Rejection.Invalid("scoreChangeThreshold", "scoreChangeThreshold must be between 0 and 100");
        if (ValidityDays is < 1 or > 3660)
            return Rejection.Invalid("validityDays", "validityDays must be between 1 and 3660");
        if (ReviewAfterPaymentDaysLate is < 0 or > 3660)
            return Rejection.Invalid("reviewAfterPaymentDaysLate", "reviewAfterPaymentDaysLate must be between 0 and 3660");
        if (Tiers is null || Tiers.StrategicGrades is null || Tiers.WatchGrades is null || Tiers.StrategicMonthlyInvoiced is null)
            return Rejection.Invalid("tiers", "tiers needs strategicGrades, strategicMonthlyInvoiced and watchGrades");
        if (Tiers.StrategicGrades.Concat(Tiers.WatchGrades).FirstOrDefault(g => Rank(g) < 0) is { } unknown)
            return Rejection.Invalid("tiers", $"tiers names grade {unknown}, which the policy does not have");
        if (PolicyDocuments.CurrencyAmountsProblem(Tiers.StrategicMonthlyInvoiced) is { } tierProblem)
            return Rejection.Invalid("tiers.strategicMonthlyInvoiced", tierProblem);
        if (SuggestedLimit is null)
            return Rejection.Invalid("suggestedLimit", "suggestedLimit is required");
        if (SuggestedLimit.Months is < 1 or > 24)
            return Rejection.Invalid("suggestedLimit.months", "suggestedLimit.months must be between 1 and 24");
        if (SuggestedLimit.RoundTo is <= 0m or > 1_000_000m || decimal.Round(SuggestedLimit.RoundTo) != SuggestedLimit.RoundTo)
            return Rejection.Invalid("suggestedLimit.roundTo", "suggestedLimit.roundTo must be a whole number of currency units from 1 to 1,000,000");
        if (SuggestedLimit.Cap is null || PolicyDocuments.CurrencyAmountsProblem(SuggestedLimit.Cap) is { } capProblem)
            return Rejection.Invalid("suggestedLimit.cap", "suggestedLimit.cap must map currency codes to amounts");
        if (SuggestedLimit.ReviewMarginPercent is < 0m or > 1000m)
            return Rejection.Invalid("suggestedLimit.reviewMarginPercent", "suggestedLimit.reviewMarginPercent must be between 0 and 1000");
        return null;
    }
}
