namespace CreditActors.Domain.Rating;

/// <summary>
/// The payment index of one payment, in the spirit of Dun &amp; Bradstreet's PAYDEX: its published key maps days beyond terms
/// to an index (100 = 30 days early, 90 = 20 early, 80 = prompt, 70 = 15 beyond, 60 = 22, 50 = 30, 40 = 60, 30 = 90,
/// 20 = 120). Between two anchors the index is interpolated on a straight line; past 120 days it falls on the same slope
/// as from 90 to 120 (one point in three days) down to 1 at 177 days and stays there; earlier than 30 days is 100. The key
/// is published, so it is a constant of the domain rather than a policy parameter: what a policy chooses is how the
/// account's index (the amount-weighted mean of its payments' indices) maps to points.
/// </summary>
public static class PaymentIndex
{
    /// <summary>(days beyond terms, index), ascending by days.</summary>
    public static readonly IReadOnlyList<(int Days, decimal Index)> Anchors =
    [
        (-30, 100m), (-20, 90m), (0, 80m), (15, 70m), (22, 60m), (30, 50m), (60, 40m), (90, 30m), (120, 20m), (177, 1m),
    ];

    /// <summary>The index of a payment made <paramref name="daysBeyondTerms"/> after its due date (negative: early), to 2 decimals.</summary>
    public static decimal For(int daysBeyondTerms)
    {
        if (daysBeyondTerms <= Anchors[0].Days)
            return Anchors[0].Index;
        for (var i = 1; i < Anchors.Count; i++)
        {
            var (days, index) = Anchors[i];
            if (daysBeyondTerms <= days)
            {
                var (fromDays, fromIndex) = Anchors[i - 1];
                var value = fromIndex + (index - fromIndex) * (daysBeyondTerms - fromDays) / (days - fromDays);
                return decimal.Round(value, 2, MidpointRounding.AwayFromZero);
            }
        }
        return Anchors[^1].Index;
    }
}
