using System.Text.RegularExpressions;

namespace CreditActors.Domain.Banking;

/// <summary>A credit on the company's bank account, as the bank statement reports it. The bank's reference makes it unique.</summary>
public sealed record BankTransaction(
    string BankReference, DateOnly BookingDate, decimal Amount, string Currency, string? PayerName, string? PayerAccount, string? RemittanceText);

/// <summary>An open line of a customer, as matching sees it.</summary>
public sealed record OpenItem(string AccountId, string InvoiceNumber, int Line, DateOnly DueDate, decimal Open);

/// <summary>
/// What matching proposes for a transaction: the customer, the allocations (invoice and line, amount), the rule and its
/// confidence; <paramref name="Ambiguous"/> when another candidate is as good (never posted by itself).
/// </summary>
public sealed record MatchProposal(
    string AccountId, IReadOnlyList<(string InvoiceNumber, int Line, decimal Amount)> Allocations, string Rule, decimal Confidence, bool Ambiguous,
    string? Note);

/// <summary>
/// Matching rules, in order, each with a confidence: invoice numbers found in the remittance text (0.95); the payer's bank
/// account mapped to a customer (0.85); the exact amount of one open line (0.75); the sum of several open lines of one
/// customer, oldest first, within a tolerance for bank charges (0.6). The first rule that finds a candidate decides; two
/// candidates of equal confidence are ambiguous and only proposed.
/// </summary>
public static partial class BankMatching
{
    public const decimal InvoiceNumberConfidence = 0.95m;
    public const decimal PayerAccountConfidence = 0.85m;
    public const decimal ExactAmountConfidence = 0.75m;
    public const decimal SumConfidence = 0.6m;

    [GeneratedRegex("[A-Za-z0-9_.-]+", RegexOptions.CultureInvariant)]
    private static partial Regex Tokens();

    /// <param name="open">The open lines of the customers in the transaction's currency.</param>
    /// <param name="payerAccounts">Bank accounts known to belong to a customer (learnt from manual matches).</param>
    /// <param name="tolerance">How much less than the lines the transaction may be (bank charges deducted on the way).</param>
    public static MatchProposal? Match(BankTransaction t, IReadOnlyList<OpenItem> open, IReadOnlyDictionary<string, string> payerAccounts, decimal tolerance)
    {
        // 1. Invoice numbers in the remittance text: every line of the invoices named, oldest first, up to the amount.
        var words = t.RemittanceText is null ? [] : Tokens().Matches(t.RemittanceText).Select(m => m.Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var named = open.Where(o => words.Contains(o.InvoiceNumber)).ToList();
        if (named.Count > 0)
        {
            var accounts = named.Select(o => o.AccountId).Distinct().ToList();
            return accounts.Count == 1
                ? new MatchProposal(accounts[0], Allocate(named, t.Amount), "invoice-number", InvoiceNumberConfidence, false,
                    Note(t.Amount, named.Sum(o => o.Open)))
                : new MatchProposal(accounts[0], [], "invoice-number", InvoiceNumberConfidence, true,
                    $"the invoices named belong to {string.Join(", ", accounts)}");
        }
        // 2. The payer's account, mapped to a customer: the customer's oldest lines first.
        if (t.PayerAccount is { } payer && payerAccounts.TryGetValue(payer, out var mapped))
        {
            var lines = open.Where(o => o.AccountId == mapped).ToList();
            return new MatchProposal(mapped, Allocate(lines, t.Amount), "payer-account", PayerAccountConfidence, false, Note(t.Amount, lines.Sum(o => o.Open)));
        }
        // 3. The exact amount of one open line.
        var exact = open.Where(o => o.Open == t.Amount).ToList();
        if (exact.Count > 0)
            return new MatchProposal(exact[0].AccountId, [(exact[0].InvoiceNumber, exact[0].Line, t.Amount)], "exact-amount", ExactAmountConfidence,
                exact.Count > 1, exact.Count > 1 ? $"{exact.Count} open lines have this amount" : null);
        // 4. The oldest lines of one customer that add up to the amount, less at most the tolerance.
        var sums = new List<(string AccountId, List<OpenItem> Lines)>();
        foreach (var customer in open.GroupBy(o => o.AccountId))
        {
            var running = 0m;
            var taken = new List<OpenItem>();
            foreach (var line in customer.OrderBy(o => o.DueDate).ThenBy(o => o.InvoiceNumber, StringComparer.Ordinal).ThenBy(o => o.Line))
            {
                running += line.Open;
                taken.Add(line);
                if (taken.Count >= 2 && running >= t.Amount && running - t.Amount <= tolerance)
                {
                    sums.Add((customer.Key, [.. taken]));
                    break;
                }
                if (running > t.Amount + tolerance)
                    break;
            }
        }
        if (sums.Count == 0)
            return null;
        var (account, matched) = sums[0];
        return new MatchProposal(account, Allocate(matched, t.Amount), "sum-of-lines", SumConfidence, sums.Count > 1,
            sums.Count > 1 ? $"{sums.Count} customers have lines adding up to this amount" : Note(t.Amount, matched.Sum(o => o.Open)));
    }

    /// <summary>The amount spread over the lines, oldest due first; what is left over stays unapplied cash.</summary>
    private static List<(string, int, decimal)> Allocate(IEnumerable<OpenItem> lines, decimal amount)
    {
        var allocations = new List<(string, int, decimal)>();
        foreach (var line in lines.OrderBy(o => o.DueDate).ThenBy(o => o.InvoiceNumber, StringComparer.Ordinal).ThenBy(o => o.Line))
        {
            if (amount <= 0m)
                break;
            var part = Math.Min(amount, line.Open);
            allocations.Add((line.InvoiceNumber, line.Line, part));
            amount -= part;
        }
        return allocations;
    }

    private static string? Note(decimal amount, decimal lines) =>
        amount == lines ? null : amount < lines ? $"{lines - amount} short of the lines (bank charges, or a part payment)" : $"{amount - lines} more than the lines: left unapplied";
}
