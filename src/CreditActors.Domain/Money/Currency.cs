namespace CreditActors.Domain.Money;

/// <summary>An ISO 4217 currency and the number of minor digits its amounts may carry.</summary>
public sealed record Currency(string Code, int MinorDigits)
{
    /// <summary>The largest amount any single figure may have; keeps every sum far from decimal overflow.</summary>
    public const decimal MaximumAmount = 1_000_000_000_000m;

    // The currencies a trade-credit ledger meets in practice, with their ISO 4217 minor units.
    private static readonly Dictionary<string, int> MinorDigitsByCode = new(StringComparer.Ordinal)
    {
        ["AED"] = 2, ["AUD"] = 2, ["BHD"] = 3, ["BRL"] = 2, ["CAD"] = 2, ["CHF"] = 2, ["CLP"] = 0,
        ["CNY"] = 2, ["CZK"] = 2, ["DKK"] = 2, ["EUR"] = 2, ["GBP"] = 2, ["HKD"] = 2, ["HUF"] = 2,
        ["IDR"] = 2, ["ILS"] = 2, ["INR"] = 2, ["ISK"] = 0, ["JOD"] = 3, ["JPY"] = 0, ["KRW"] = 0,
        ["KWD"] = 3, ["MXN"] = 2, ["MYR"] = 2, ["NOK"] = 2, ["NZD"] = 2, ["OMR"] = 3, ["PHP"] = 2,
        ["PLN"] = 2, ["SAR"] = 2, ["SEK"] = 2, ["SGD"] = 2, ["THB"] = 2, ["TND"] = 3, ["TRY"] = 2,
        ["TWD"] = 2, ["USD"] = 2, ["VND"] = 0, ["ZAR"] = 2,
    };

    public static bool TryFind(string? code, out Currency currency)
    {
        if (code is not null && MinorDigitsByCode.TryGetValue(code, out var digits))
        {
            currency = new Currency(code, digits);
            return true;
        }
        currency = null!;
        return false;
    }

    public static Currency Find(string code) =>
        TryFind(code, out var currency) ? currency : throw new ArgumentException($"Unknown currency {code}", nameof(code));

    /// <summary>True when the amount has no more decimals than the currency's minor unit.</summary>
    public bool Fits(decimal amount) => decimal.Round(amount, MinorDigits) == amount;

    /// <summary>Rounds half to even (banker's rounding) to the currency's minor unit.</summary>
    public decimal Round(decimal amount) => decimal.Round(amount, MinorDigits, MidpointRounding.ToEven);

    /// <summary>Why an amount is not acceptable for this currency, or null when it is.</summary>
    public string? Problem(decimal amount, bool allowZero = false)
    {
        if (amount < 0m || (!allowZero && amount == 0m))
            return allowZero ? "must not be negative" : "must be greater than zero";
        if (amount > MaximumAmount)
            return $"must not exceed {MaximumAmount}";
        if (!Fits(amount))
            return $"has more than {MinorDigits} decimal digits, the minor unit of {Code}";
        return null;
    }
}
