using CreditActors.Domain.Banking;

namespace CreditActors.Domain.Tests.Banking;

// The rules that match a bank credit to a customer's open lines, in order, with their confidence: invoice numbers in the
// remittance text, the payer's known account, the exact amount of one line, the sum of a customer's oldest lines within a
// tolerance for bank charges; two equal candidates are ambiguous, and an unknown payer matches nothing.
public class BankMatchingRules
{
    private static readonly DateOnly Day = new(2026, 11, 30);

    private static readonly OpenItem[] Book =
    [
        new("ACME", "INV-2026-0101", 1, new DateOnly(2026, 10, 15), 12_000m),
        new("ACME", "INV-2026-0102", 1, new DateOnly(2026, 10, 31), 3_500m),
        new("ACME", "INV-2026-0103", 1, new DateOnly(2026, 11, 15), 1_500m),
        new("BETA", "B-7001", 1, new DateOnly(2026, 11, 1), 8_800m),
        new("BETA", "B-7002", 1, new DateOnly(2026, 11, 20), 2_200m),
        new("GAMMA", "G-1", 1, new DateOnly(2026, 11, 10), 2_200m),
    ];

    private static readonly Dictionary<string, string> Known = new(StringComparer.Ordinal) { ["CN5812345678901234"] = "BETA" };

    private static BankTransaction Credit(decimal amount, string? text, string? payerAccount = null) =>
        new("REF-1", Day, amount, "CNY", "Some Payer Co", payerAccount, text);

    [Fact]
    public void invoice_numbers_in_the_remittance_text_name_the_customer_and_the_lines()
    {
        var match = BankMatching.Match(Credit(15_500m, "PAYMENT INV-2026-0101/INV-2026-0102 THANK YOU"), Book, Known, 50m)!;
        Assert.Equal(("ACME", "invoice-number", 0.95m, false), (match.AccountId, match.Rule, match.Confidence, match.Ambiguous));
        Assert.Equal([("INV-2026-0101", 1, 12_000m), ("INV-2026-0102", 1, 3_500m)], match.Allocations);
    }

    [Fact]
    public void a_known_payer_account_pays_its_customers_oldest_lines()
    {
        var match = BankMatching.Match(Credit(9_000m, "NOV PAYMENT", "CN5812345678901234"), Book, Known, 50m)!;
        Assert.Equal(("BETA", "payer-account"), (match.AccountId, match.Rule));
        Assert.Equal([("B-7001", 1, 8_800m), ("B-7002", 1, 200m)], match.Allocations);
    }

    [Fact]
    public void the_exact_amount_of_one_line_matches_and_of_two_lines_is_ambiguous()
    {
        var one = BankMatching.Match(Credit(1_500m, "SETTLEMENT"), Book, Known, 50m)!;
        Assert.Equal(("ACME", "exact-amount", false), (one.AccountId, one.Rule, one.Ambiguous));
        var two = BankMatching.Match(Credit(2_200m, "SETTLEMENT"), Book, Known, 50m)!;
        Assert.Equal(("exact-amount", true), (two.Rule, two.Ambiguous));
    }

    [Fact]
    public void several_lines_of_one_customer_less_a_bank_charge_match_their_sum()
    {
        // 12,000 + 3,500 = 15,500, received 15,485 after a 15 charge.
        var match = BankMatching.Match(Credit(15_485m, "TRANSFER"), Book, Known, 50m)!;
        Assert.Equal(("ACME", "sum-of-lines", false), (match.AccountId, match.Rule, match.Ambiguous));
        Assert.Equal([("INV-2026-0101", 1, 12_000m), ("INV-2026-0102", 1, 3_485m)], match.Allocations);
        Assert.StartsWith("15 short", match.Note);
        Assert.Null(BankMatching.Match(Credit(15_400m, "TRANSFER"), Book, Known, 50m));
    }

    [Fact]
    public void an_unknown_payer_with_nothing_to_go_by_matches_nothing()
    {
        Assert.Null(BankMatching.Match(Credit(777.77m, "DONATION", "DE89370400440532013000"), Book, Known, 50m));
    }
}
