using CreditActors.Domain.Accounts;
using CreditActors.Domain.Money;

namespace CreditActors.Domain.Rating;

/// <summary>A rating computed under a policy, before anything decides whether to write it.</summary>
public sealed record RatingResult(
    string PolicyId,
    int PolicyVersion,
    DateOnly AsOf,
    decimal Score,
    string Grade,
    IReadOnlyList<RatingFactor> Factors,
    bool PaymentHistoryAvailable,
    decimal AverageMonthlyInvoiced,
    Tier SuggestedTier,
    decimal? SuggestedLimit,
    RatingFloor Floor,
    bool HistoryComplete);

/// <summary>Computes a rating from its inputs under a policy. Pure: the same inputs and policy give the same rating.</summary>
public static class RatingEngine
{
    public const string PaymentIndexFactor = "paymentIndex";
    public const string OverdueShareFactor = "overdueShare";
    public const string OldestDaysPastDueFactor = "oldestDaysPastDue";
    public const string UtilisationFactor = "utilisation";
    public const string AverageUtilisationFactor = "averageUtilisation";
    public const string MonthsSinceFirstInvoiceFactor = "monthsSinceFirstInvoice";
    public const string InvoicesPaidFactor = "invoicesPaid";
    public const string AdverseEventsFactor = "adverseEvents";
    public const string ExternalRatingFactor = "externalRating";

    /// <summary>The months the average utilisation covers: the month of the date and the two before it.</summary>
    public const int UtilisationMonths = 3;

    public static RatingResult Rate(RatingPolicy policy, RatingInputs x)
    {
        var f = policy.Factors;
        var month = MonthFacts.Of(x.AsOf);
        var utilisation = RatingHistory.UtilisationPercent(x.Exposure, x.CreditLimit);
        var trailingFrom = month - policy.TrailingMonths + 1;
        var recentFrom = month - UtilisationMonths + 1;
        // A customer younger than the window is averaged over the months it has had (a new customer's one month of orders
        // is not spread over a year).
        var firstMonth = x.History.FirstInvoice is { } firstInvoice ? MonthFacts.Of(firstInvoice) : month;
        var span = Math.Clamp(month - firstMonth + 1, 1, policy.SuggestedLimit.Months);
        var limitFrom = month - span + 1;

        // One pass over the months (a rating runs for every account at every date of a backtest).
        int payments = 0, adverseCount = 0, days = 0;
        decimal paidAmount = 0m, paidIndexAmount = 0m, invoiced = 0m, credited = 0m, utilisationDays = 0m, limitInvoiced = 0m;
        foreach (var m in x.History.Months)
        {
            if (m.Month > month)
                continue;
            if (m.Month >= trailingFrom)
            {
                payments += m.Payments;
                paidAmount += m.PaidAmount;
                paidIndexAmount += m.PaidIndexAmount;
                invoiced += m.Invoiced;
                credited += m.Credited;
                adverseCount += m.WriteOffs + m.Blocks;
            }
            if (m.Month >= recentFrom)
            {
                utilisationDays += m.UtilisationDays;
                days += m.Days;
            }
            if (m.Month >= limitFrom)
                limitInvoiced += m.Invoiced;
        }
        // The days not yet counted, up to the date, count at today's utilisation.
        if (x.History.UtilisationFrom is { } from && from <= x.AsOf)
        {
            var windowStart = MonthFacts.FirstDay(recentFrom);
            var extra = x.AsOf.DayNumber - (from > windowStart ? from : windowStart).DayNumber + 1;
            if (extra > 0)
            {
                utilisationDays += utilisation * extra;
                days += extra;
            }
        }

        var paymentAvailable = payments >= f.PaymentIndex.MinimumPayments && paidAmount > 0m;
        decimal? paymentIndex = paymentAvailable ? decimal.Round(paidIndexAmount / paidAmount, 1, MidpointRounding.AwayFromZero) : null;
        var overdueShare = x.Receivables > 0m ? decimal.Round(x.PastDue * 100m / x.Receivables, 1, MidpointRounding.AwayFromZero) : 0m;
        decimal? averageUtilisation = days > 0 ? decimal.Round(utilisationDays / days, 2, MidpointRounding.AwayFromZero) : null;
        var monthsSinceFirst = x.History.FirstInvoice is { } first && first <= x.AsOf ? WholeMonths(first, x.AsOf) : 0;
        var creditNotesAdverse = invoiced > 0m && credited * 100m / invoiced > policy.CreditNoteShareAdversePercent ? 1 : 0;
        var adverse = adverseCount + creditNotesAdverse;
        int? external = x.External is { } e && e.ReportDate <= x.AsOf && x.AsOf.DayNumber - e.ReportDate.DayNumber <= f.ExternalRating.FreshnessDays
            ? e.Score
            : null;

        var factors = new List<RatingFactor>
        {
            Factor(PaymentIndexFactor, paymentIndex, f.PaymentIndex.Weight, f.PaymentIndex.Bands),
            Factor(OverdueShareFactor, overdueShare, f.OverdueShare),
            Factor(OldestDaysPastDueFactor, x.OldestDaysPastDue, f.OldestDaysPastDue),
            Factor(UtilisationFactor, utilisation, f.Utilisation),
            Factor(AverageUtilisationFactor, averageUtilisation, f.AverageUtilisation),
            Factor(MonthsSinceFirstInvoiceFactor, monthsSinceFirst, f.MonthsSinceFirstInvoice),
            Factor(InvoicesPaidFactor, x.History.InvoicesPaid, f.InvoicesPaid),
            Factor(AdverseEventsFactor, adverse, f.AdverseEvents),
            Factor(ExternalRatingFactor, external, f.ExternalRating.Weight, f.ExternalRating.Bands),
        };

        // An unavailable factor's weight goes to the others in proportion.
        var weight = factors.Where(r => r.Points is not null).Sum(r => r.Weight);
        var score = weight == 0
            ? 0m
            : decimal.Round((decimal)factors.Where(r => r.Points is not null).Sum(r => r.Weight * r.Points!.Value) / weight, 1, MidpointRounding.AwayFromZero);
        var grade = policy.GradeFor(score);
        if (!paymentAvailable && policy.Rank(grade) < policy.Rank(policy.WithoutPaymentHistoryBestGrade))
            grade = policy.WithoutPaymentHistoryBestGrade;

        var averageMonthly = limitInvoiced / span;
        var rule = policy.Rule(grade);
        return new RatingResult(
            policy.PolicyId, policy.Version, x.AsOf, score, grade, factors, paymentAvailable,
            Currency.TryFind(x.CurrencyCode, out var currency) ? currency.Round(averageMonthly) : averageMonthly,
            SuggestedTier(policy, grade, x.CurrencyCode, averageMonthly),
            SuggestedLimit(policy, rule, x.CurrencyCode, averageMonthly),
            Floor(rule, x.CurrencyCode),
            x.History.Complete);
    }

    /// <summary>The floor a grade's rule sets for an account in a currency.</summary>
    public static RatingFloor Floor(GradeRule rule, string currencyCode) => rule.Floor is { } floor
        ? new RatingFloor(floor.DeclineNewHolds, floor.MaxHoldPercentOfLimit,
            floor.MaxSingleOrder is { } orders && orders.TryGetValue(currencyCode, out var most) ? most : null)
        : RatingFloor.None;

    /// <summary>Whole calendar months from one date to a later one (a month counts once its day of month is reached).</summary>
    public static int WholeMonths(DateOnly from, DateOnly to)
    {
        var months = (to.Year - from.Year) * 12 + to.Month - from.Month;
        return to.Day < from.Day ? months - 1 : months;
    }

    private static Tier SuggestedTier(RatingPolicy policy, string grade, string currencyCode, decimal averageMonthly)
    {
        if (policy.Tiers.WatchGrades.Contains(grade))
            return Tier.Watch;
        return policy.Tiers.StrategicGrades.Contains(grade)
            && policy.Tiers.StrategicMonthlyInvoiced.TryGetValue(currencyCode, out var threshold) && averageMonthly >= threshold
                ? Tier.Strategic
                : Tier.Standard;
    }

    private static decimal? SuggestedLimit(RatingPolicy policy, GradeRule rule, string currencyCode, decimal averageMonthly)
    {
        if (averageMonthly <= 0m)
            return null;
        var roundTo = policy.SuggestedLimit.RoundTo;
        var limit = decimal.Floor(rule.LimitMultiple * averageMonthly / roundTo) * roundTo;
        // Less than one rounding step suggests nothing rather than a limit of zero.
        if (limit <= 0m)
            return null;
        return policy.SuggestedLimit.Cap.TryGetValue(currencyCode, out var cap) && limit > cap ? cap : limit;
    }

    private static RatingFactor Factor(string name, decimal? raw, FactorScale scale) => Factor(name, raw, scale.Weight, scale.Bands);

    private static RatingFactor Factor(string name, decimal? raw, int weight, IReadOnlyList<Band> bands) =>
        new(name, raw, raw is { } value ? new FactorScale(weight, bands).PointsFor(value) : null, weight);
}
