using System.Collections.Immutable;

namespace CreditActors.Domain.Rating;

/// <summary>
/// One calendar month of an account's behaviour, as its rating reads it: invoiced and credited amounts, write-offs and
/// blocks, the payments allocated (their amount, and their amount times their payment index), and the utilisation-days
/// (the sum over the month's days of each day's closing utilisation, in percent).
/// </summary>
/// <remarks>A value kept inline in the history's array: a month costs its fields only.</remarks>
public readonly record struct MonthFacts(
    int Month,
    decimal Invoiced = 0m,
    decimal Credited = 0m,
    int WriteOffs = 0,
    int Blocks = 0,
    int Payments = 0,
    decimal PaidAmount = 0m,
    decimal PaidIndexAmount = 0m,
    decimal UtilisationDays = 0m,
    int Days = 0)
{
    /// <summary>A month as a number: year × 12 + month − 1.</summary>
    public static int Of(DateOnly date) => date.Year * 12 + date.Month - 1;

    public static DateOnly FirstDay(int month) => new(month / 12, month % 12 + 1, 1);
}

/// <summary>
/// What an account keeps of its past for rating, in proportion to a fixed number of months however long its history: the
/// last <see cref="RatingPolicy.MaximumTrailingMonths"/> months of <see cref="MonthFacts"/>, the first invoice's date, how
/// many invoices were paid, and the day from which utilisation has not yet been counted. Both the live account and a
/// replay of its events as of a date fill it through the same methods.
/// </summary>
public sealed record RatingHistory(ImmutableArray<MonthFacts> Months, DateOnly? FirstInvoice, int InvoicesPaid, DateOnly? UtilisationFrom)
{
    public static readonly RatingHistory Empty = new([], null, 0, null);

    /// <summary>
    /// False for a state recovered from a snapshot written before ratings existed: its months start at that snapshot. The
    /// rating shows it, and it fills up as the account lives on.
    /// </summary>
    public bool Complete { get; init; } = true;

    /// <summary>A utilisation as a percentage of the limit, to 2 decimals, at most 999.99 (also for any exposure on a zero limit).</summary>
    public static decimal UtilisationPercent(decimal exposure, decimal limit)
    {
        if (exposure <= 0m)
            return 0m;
        if (limit <= 0m)
            return 999.99m;
        return Math.Min(999.99m, decimal.Round(exposure * 100m / limit, 2, MidpointRounding.AwayFromZero));
    }

    /// <summary>
    /// Counts each day from <see cref="UtilisationFrom"/> up to (not including) <paramref name="day"/> at the utilisation
    /// that held at the end of them, then starts counting from <paramref name="day"/>.
    /// </summary>
    public RatingHistory AccrueUntil(DateOnly day, decimal utilisation)
    {
        if (UtilisationFrom is not { } from)
            return this with { UtilisationFrom = day };
        if (day <= from)
            return this;
        var history = this;
        // Months older than the window are not kept: start where they end.
        var start = Max(from, MonthFacts.FirstDay(MonthFacts.Of(day) - RatingPolicy.MaximumTrailingMonths + 1));
        for (var cursor = start; cursor < day;)
        {
            var nextMonth = MonthFacts.FirstDay(MonthFacts.Of(cursor) + 1);
            var end = nextMonth < day ? nextMonth : day;
            var days = end.DayNumber - cursor.DayNumber;
            history = history.Update(cursor, m => m with { UtilisationDays = m.UtilisationDays + utilisation * days, Days = m.Days + days });
            cursor = end;
        }
        return history with { UtilisationFrom = day };
    }

    public RatingHistory Invoiced(DateOnly issueDate, decimal amount) =>
        Update(issueDate, m => m with { Invoiced = m.Invoiced + amount }) with
        {
            FirstInvoice = FirstInvoice is { } first && first <= issueDate ? first : issueDate,
        };

    public RatingHistory Credited(DateOnly effective, decimal amount) => Update(effective, m => m with { Credited = m.Credited + amount });

    public RatingHistory WrittenOff(DateOnly effective) => Update(effective, m => m with { WriteOffs = m.WriteOffs + 1 });

    public RatingHistory Blocked(DateOnly effective) => Update(effective, m => m with { Blocks = m.Blocks + 1 });

    /// <summary>One payment's allocation: each line's amount weighted by the index of its days beyond the line's due date.</summary>
    public RatingHistory Paid(DateOnly effective, IEnumerable<(DateOnly DueDate, decimal Amount)> lines)
    {
        var amount = 0m;
        var indexAmount = 0m;
        foreach (var (due, paid) in lines)
        {
            amount += paid;
            indexAmount += paid * PaymentIndex.For(effective.DayNumber - due.DayNumber);
        }
        return Update(effective, m => m with { Payments = m.Payments + 1, PaidAmount = m.PaidAmount + amount, PaidIndexAmount = m.PaidIndexAmount + indexAmount });
    }

    public RatingHistory InvoicePaid() => this with { InvoicesPaid = InvoicesPaid + 1 };

    /// <summary>The months from <paramref name="fromMonth"/> to <paramref name="toMonth"/>, both included.</summary>
    public IEnumerable<MonthFacts> Between(int fromMonth, int toMonth) => Months.Where(m => m.Month >= fromMonth && m.Month <= toMonth);

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;

    /// <summary>Changes one month's facts, adding the month in order; months that fall out of the window leave.</summary>
    private RatingHistory Update(DateOnly date, Func<MonthFacts, MonthFacts> change)
    {
        var month = MonthFacts.Of(date);
        var latest = Months.IsEmpty ? month : Math.Max(Months[^1].Month, month);
        var oldest = latest - RatingPolicy.MaximumTrailingMonths + 1;
        if (month < oldest)
            return this;
        var months = Months;
        var index = months.Length;
        while (index > 0 && months[index - 1].Month >= month)
            index--;
        months = index < months.Length && months[index].Month == month
            ? months.SetItem(index, change(months[index]))
            : months.Insert(index, change(new MonthFacts(month)));
        var drop = 0;
        while (drop < months.Length && months[drop].Month < oldest)
            drop++;
        return this with { Months = drop == 0 ? months : months.RemoveRange(0, drop) };
    }
}
