using System.Globalization;

namespace CreditActors.Domain.Collections;

/// <summary>What a receivable line is for: goods or services sold, a late fee, or interest on late payment.</summary>
public enum ReceivableKind { Sale, LateFee, Interest }

/// <summary>
/// The numbers of fee and interest charges: <c>fee:20260131</c>, <c>interest:20260131</c>. The colon is outside the rule of
/// caller ids (<see cref="Accounts.Identifiers"/>), so a charge can never take an invoice's number, and the number alone
/// says what a line is for. An account charges each at most once a day.
/// </summary>
public static class ChargeNumbers
{
    /// <summary>An invoice number or a charge number, as a regular expression (the OpenAPI document says the same).</summary>
    public const string ReceivablePattern = "^([A-Za-z0-9_.-]{1,64}|(fee|interest):[0-9]{8})$";

    private const string FeePrefix = "fee:";
    private const string InterestPrefix = "interest:";

    public static string Fee(DateOnly day) => FeePrefix + Day(day);

    public static string Interest(DateOnly day) => InterestPrefix + Day(day);

    public static ReceivableKind KindOf(string number) =>
        number.StartsWith(FeePrefix, StringComparison.Ordinal) ? ReceivableKind.LateFee
        : number.StartsWith(InterestPrefix, StringComparison.Ordinal) ? ReceivableKind.Interest
        : ReceivableKind.Sale;

    public static bool IsCharge(string number) => KindOf(number) != ReceivableKind.Sale;

    /// <summary>Whether a number a caller sends names a charge the service could have made (well-formed; not whether it exists).</summary>
    public static bool IsWellFormed(string? number)
    {
        if (number is null)
            return false;
        var day = number.StartsWith(FeePrefix, StringComparison.Ordinal) ? number[FeePrefix.Length..]
            : number.StartsWith(InterestPrefix, StringComparison.Ordinal) ? number[InterestPrefix.Length..]
            : null;
        return day is not null && DateOnly.TryParseExact(day, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
    }

    /// <summary>The id of the notice an account issues on a day: one a day at most.</summary>
    public static string NoticeId(DateOnly day) => "notice-" + Day(day);

    private static string Day(DateOnly day) => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
}

/// <summary>Simple interest, day count ACT/365, over the exact timeline of a line's open amount.</summary>
public static class InterestAccrual
{
    /// <summary>
    /// The sum over the days from <paramref name="from"/> (counted) to <paramref name="to"/> (not counted) of what was open
    /// at the start of each day: the line's open amount now, plus each reduction made after that day. A reduction on a day
    /// stops interest on its amount from that day on.
    /// </summary>
    public static decimal BalanceDays(decimal openNow, IEnumerable<LateReduction> reductions, DateOnly from, DateOnly to)
    {
        if (to <= from)
            return 0m;
        var days = to.DayNumber - from.DayNumber;
        var total = openNow * days;
        foreach (var r in reductions)
            if (r.Date > from)
                total += r.Amount * (Math.Min(r.Date.DayNumber, to.DayNumber) - from.DayNumber);
        return total;
    }

    /// <summary>The interest on <paramref name="balanceDays"/> at an annual rate in percent, ACT/365, unrounded.</summary>
    public static decimal On(decimal balanceDays, decimal annualRatePercent) => balanceDays * annualRatePercent / 36_500m;
}

/// <summary>An amount by which a line's open amount fell on a day after its due date (a payment, credit, discount or write-off).</summary>
public readonly record struct LateReduction(DateOnly Date, decimal Amount);
