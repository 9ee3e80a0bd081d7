using System.Globalization;
using Akka.Configuration;
using CreditActors.Domain.Money;

namespace CreditActors.Host.Banking;

/// <summary>
/// How one bank's CSV export reads: its separator, date format, the bank account and currency it is for, and which
/// column holds what. Amounts come from one signed column (<c>amount</c>: a negative one is a debit and is left out) or
/// from a column of credits alone (<c>credit</c>: an empty or zero one is left out).
/// </summary>
public sealed record CsvProfile(
    string Name, char Separator, string DateFormat, string StatementAccount, string Currency, string Reference, string Date, string? Amount,
    string? Credit, string? CurrencyColumn, string? PayerName, string? PayerAccount, string? Remittance);

/// <summary>credit-actors.banking in akka.hocon: what posts by itself, the tolerance for bank charges, the CSV profiles.</summary>
public sealed record BankSettings(decimal AutoPostConfidence, IReadOnlyDictionary<string, decimal> Tolerance, long MaxFileBytes,
    IReadOnlyDictionary<string, CsvProfile> Profiles)
{
    public decimal ToleranceFor(string currency) => Tolerance.TryGetValue(currency, out var t) ? t : 0m;

    public static BankSettings From(Config config)
    {
        var b = config.GetConfig("credit-actors.banking") ?? throw new InvalidOperationException("akka.hocon has no credit-actors.banking section");
        var confidence = decimal.Parse(b.GetString("auto-post-confidence"), CultureInfo.InvariantCulture);
        if (confidence is <= 0m or > 1m)
            throw new InvalidOperationException("credit-actors.banking.auto-post-confidence must be above 0 and at most 1");
        var tolerance = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (code, value) in b.GetConfig("tolerance")?.AsEnumerable() ?? [])
        {
            if (!Currency.TryFind(code, out var currency))
                throw new InvalidOperationException($"credit-actors.banking.tolerance.{code}: not a currency the ledger keeps");
            var amount = decimal.Parse(value.GetString(), CultureInfo.InvariantCulture);
            if (currency.Problem(amount, allowZero: true) is { } problem)
                throw new InvalidOperationException($"credit-actors.banking.tolerance.{code} {problem}");
            tolerance[code] = amount;
        }
        var profiles = new Dictionary<string, CsvProfile>(StringComparer.Ordinal);
        var profilesConfig = b.GetConfig("csv-profiles");
        foreach (var (name, _) in profilesConfig?.AsEnumerable().GroupBy(p => p.Key.Split('.')[0]).Select(g => (g.Key, 0)) ?? [])
            profiles[name] = Profile(name, profilesConfig!.GetConfig(name));
        return new BankSettings(confidence, tolerance, b.GetByteSize("max-file-size") ?? 16 * 1024 * 1024, profiles);
    }

    private static CsvProfile Profile(string name, Config p)
    {
        string? Column(string key) => p.GetString($"columns.{key}", "") is { Length: > 0 } column ? column : null;
        var at = $"credit-actors.banking.csv-profiles.{name}";
        var separator = p.GetString("separator", ",");
        if (separator.Length != 1)
            throw new InvalidOperationException($"{at}.separator must be one character");
        var currency = p.GetString("currency", "");
        if (!Currency.TryFind(currency, out _))
            throw new InvalidOperationException($"{at}.currency: {currency} is not a currency the ledger keeps");
        var profile = new CsvProfile(name, separator[0], p.GetString("date-format", "yyyy-MM-dd"), p.GetString("account", name), currency,
            Column("reference") ?? throw new InvalidOperationException($"{at}.columns.reference is required"),
            Column("date") ?? throw new InvalidOperationException($"{at}.columns.date is required"),
            Column("amount"), Column("credit"), Column("currency"), Column("payer-name"), Column("payer-account"), Column("remittance"));
        if ((profile.Amount is null) == (profile.Credit is null))
            throw new InvalidOperationException($"{at}.columns needs exactly one of amount (signed) and credit (credits only)");
        return profile;
    }
}
