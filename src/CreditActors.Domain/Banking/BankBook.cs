using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using CreditActors.Domain.Accounts;
using CreditActors.Domain.Money;

namespace CreditActors.Domain.Banking;

/// <summary>An event of the bank-reconciliation stream: files taken in, matches decided, payments posted or refused, transactions ignored.</summary>
public abstract record BankEvent;

/// <summary>
/// A bank statement file taken in: the transactions it brought that were not known yet, and the references it repeated
/// (known from an earlier file, or twice in this one), which change nothing.
/// </summary>
public sealed record BankStatementImported(
    string ImportId, string Format, string? FileName, string ContentHash, string StatementAccount, string Currency,
    IReadOnlyList<BankTransaction> Transactions, IReadOnlyList<string> Repeated, string By, DateTimeOffset At) : BankEvent;

/// <summary>One payment a match posts to a customer's account: its payment reference there, the amount and how it is applied.</summary>
public sealed record BankPaymentPart(string PaymentReference, string AccountId, decimal Amount, IReadOnlyList<RemittanceLine> Allocations);

/// <summary>
/// How a transaction is to be posted, decided before anything is posted so that a crash and a second attempt post the
/// same payments. <paramref name="By"/> is the person who matched it by hand; null when the rules matched it.
/// </summary>
public sealed record BankMatchDecided(
    string BankReference, IReadOnlyList<BankPaymentPart> Parts, string Rule, decimal Confidence, string? Note, string? By, DateTimeOffset At) : BankEvent;

/// <summary>The customer's account took the payment (or already had it: the same reference, the same content).</summary>
public sealed record BankPaymentPosted(string BankReference, string PaymentReference, DateTimeOffset At) : BankEvent;

/// <summary>The customer's account refused the payment (closed, a line no longer open): the transaction waits for a person again.</summary>
public sealed record BankPaymentRefused(string BankReference, string PaymentReference, string Code, string Reason, DateTimeOffset At) : BankEvent;

/// <summary>A person decided that what is left of the transaction is not a customer's payment (a refund, a transfer between own accounts).</summary>
public sealed record BankTransactionIgnored(string BankReference, string Reason, string By, DateTimeOffset At) : BankEvent;

/// <summary>A request to the bank book. Decided by <see cref="BankBook.Decide"/>.</summary>
public abstract record BankCommand;

public sealed record ImportBankStatement(
    string ImportId, string Format, string? FileName, string ContentHash, string StatementAccount, string Currency,
    IReadOnlyList<BankTransaction> Transactions) : BankCommand;

/// <summary>One customer's share of a transaction, as the rules or a person propose it.</summary>
public sealed record BankPartRequest(string AccountId, decimal Amount, IReadOnlyList<RemittanceLine> Allocations);

/// <summary>
/// Post the transaction (or what is left of it) as these parts. <paramref name="Manual"/>: a person decides, and the parts
/// must add up to what is left; otherwise the rules decide, and only for a transaction nobody has decided on yet.
/// </summary>
public sealed record DecideBankMatch(
    string BankReference, IReadOnlyList<BankPartRequest> Parts, string Rule, decimal Confidence, string? Note, bool Manual) : BankCommand;

/// <summary>What the customer's account answered to a part: posted, or refused with its code and reason.</summary>
public sealed record RecordBankPosting(string BankReference, string PaymentReference, string? RefusalCode, string? RefusalReason) : BankCommand;

public sealed record IgnoreBankTransaction(string BankReference, string Reason) : BankCommand;

/// <summary>Where a transaction stands.</summary>
public static class BankStatuses
{
    /// <summary>Nothing decided, or what was decided was refused: in the queue for a person.</summary>
    public const string Unmatched = "unmatched";
    /// <summary>Decided; a payment is still to be posted (a crash in between: the next import posts it).</summary>
    public const string Posting = "posting";
    public const string Matched = "matched";
    public const string Ignored = "ignored";
}

/// <summary>One bank transaction and what became of it.</summary>
public sealed record BankEntry(
    BankTransaction Transaction, string ImportId, ImmutableList<BankPaymentPart> Parts, ImmutableDictionary<string, DateTimeOffset> Posted,
    ImmutableDictionary<string, string> Refused, string? Rule, decimal? Confidence, string? Note, string? MatchedBy, DateTimeOffset? MatchedAt,
    string? IgnoredReason, string? IgnoredBy)
{
    /// <summary>The parts neither posted nor refused.</summary>
    public IEnumerable<BankPaymentPart> Pending => Parts.Where(p => !Posted.ContainsKey(p.PaymentReference) && !Refused.ContainsKey(p.PaymentReference));

    public decimal PostedAmount => Parts.Where(p => Posted.ContainsKey(p.PaymentReference)).Sum(p => p.Amount);

    /// <summary>What no part covers yet (refused parts cover nothing).</summary>
    public decimal Remaining => Transaction.Amount - Parts.Where(p => !Refused.ContainsKey(p.PaymentReference)).Sum(p => p.Amount);

    /// <summary>Matched by a person (the last decision was theirs).</summary>
    public bool Manual => MatchedBy is not null;

    public string Status =>
        IgnoredReason is not null ? BankStatuses.Ignored
        : Pending.Any() ? BankStatuses.Posting
        : Remaining == 0m && Parts.Count > 0 ? BankStatuses.Matched
        : BankStatuses.Unmatched;

    /// <summary>Why the last attempt failed, when the account refused a part.</summary>
    public string? Problem => Refused.Count == 0 ? null : Refused[Parts.Last(p => Refused.ContainsKey(p.PaymentReference)).PaymentReference];
}

/// <summary>A file taken in and the transactions it brought.</summary>
public sealed record BankImport(BankStatementImported Imported, ImmutableList<string> References);

/// <summary>
/// The bank book: every bank transaction taken in, keyed by the bank's reference (so a file imported twice changes
/// nothing), each match decided and each payment posted, and the payer accounts learnt from matches made by hand.
/// Pure: the caller supplies the clock.
/// </summary>
public sealed record BankBook(
    ImmutableDictionary<string, BankEntry> Entries, ImmutableList<string> Order, ImmutableDictionary<string, BankImport> Imports,
    ImmutableList<string> ImportOrder, ImmutableDictionary<string, string> PayerAccounts)
{
    public static readonly BankBook Empty = new(
        ImmutableDictionary<string, BankEntry>.Empty.WithComparers(StringComparer.Ordinal), [],
        ImmutableDictionary<string, BankImport>.Empty.WithComparers(StringComparer.Ordinal), [],
        ImmutableDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal));

    public const string ManualRule = "manual";

    /// <summary>The entries in the order they were imported.</summary>
    public IEnumerable<BankEntry> InOrder => Order.Select(r => Entries[r]);

    /// <summary>
    /// The reference of a payment posted from a bank transaction: the bank's reference where it is a valid id, otherwise
    /// its characters outside the id's alphabet made '-' (and a long one shortened with a hash of the whole). The parts of a
    /// split, and a second decision after a refusal, add "-1", "-2", ... to it.
    /// </summary>
    public static string PaymentReferenceOf(string bankReference)
    {
        var cleaned = new string([.. bankReference.Trim().Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' ? c : '-')]);
        if (cleaned.Length == 0)
            cleaned = "bank";
        if (cleaned.Length > 48)
            cleaned = cleaned[..31] + "-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(bankReference)))[..16];
        return cleaned;
    }

    public (IReadOnlyList<BankEvent> Events, Rejection? Rejection) Decide(BankCommand command, string actor, DateTimeOffset now) => command switch
    {
        ImportBankStatement import => Import(import, actor, now),
        DecideBankMatch match => Match(match, actor, now),
        RecordBankPosting posting => Record(posting, now),
        IgnoreBankTransaction ignore => Ignore(ignore, actor, now),
        _ => ([], Rejection.Invalid("command", $"{command.GetType().Name} is not a bank command")),
    };

    private (IReadOnlyList<BankEvent>, Rejection?) Import(ImportBankStatement c, string actor, DateTimeOffset now)
    {
        if (Imports.ContainsKey(c.ImportId))
            return ([], null); // the same file again: nothing changes
        if (!Currency.TryFind(c.Currency, out var currency))
            return ([], Rejection.Invalid("currency", $"currency {c.Currency} is not one the ledger keeps"));
        var fresh = new List<BankTransaction>();
        var repeated = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in c.Transactions)
        {
            if (string.IsNullOrWhiteSpace(t.BankReference))
                return ([], Rejection.Invalid("bankReference", "every transaction needs the bank's reference"));
            if (t.Currency != c.Currency)
                return ([], Rejection.Invalid("currency", $"transaction {t.BankReference} is in {t.Currency}, the statement in {c.Currency}"));
            if (currency.Problem(t.Amount) is { } problem)
                return ([], Rejection.Invalid("amount", $"the amount of transaction {t.BankReference} {problem}"));
            if (Entries.ContainsKey(t.BankReference) || !seen.Add(t.BankReference))
                repeated.Add(t.BankReference);
            else
                fresh.Add(t);
        }
        return ([new BankStatementImported(c.ImportId, c.Format, c.FileName, c.ContentHash, c.StatementAccount, c.Currency, fresh, repeated, actor, now)], null);
    }

    private (IReadOnlyList<BankEvent>, Rejection?) Match(DecideBankMatch c, string actor, DateTimeOffset now)
    {
        if (!Entries.TryGetValue(c.BankReference, out var entry))
            return ([], Rejection.NotFound("bank_transaction_not_found", $"bank transaction {c.BankReference} does not exist"));
        if (!c.Manual)
            return entry.Parts.Count > 0 || entry.IgnoredReason is not null ? ([], null) : Accept(entry, c, null, now);
        if (entry.IgnoredReason is not null)
            return ([], Rejection.Conflict("bank_transaction_ignored", $"bank transaction {c.BankReference} was ignored: {entry.IgnoredReason}"));
        if (entry.Pending.Any())
            return ([], Rejection.Conflict("bank_payment_posting", $"a payment of bank transaction {c.BankReference} is being posted; wait for it"));
        if (entry.Remaining == 0m)
            return ([], Rejection.Conflict("bank_transaction_matched", $"bank transaction {c.BankReference} is matched in full already"));
        if (c.Parts.Count == 0)
            return ([], Rejection.Invalid("parts", "name at least one account to post to"));
        var sum = c.Parts.Sum(p => p.Amount);
        if (sum != entry.Remaining)
            return ([], Rejection.Invalid("parts", $"the parts add up to {sum}; what is left of the transaction is {entry.Remaining}"));
        return Accept(entry, c, actor, now);
    }

    private static (IReadOnlyList<BankEvent>, Rejection?) Accept(BankEntry entry, DecideBankMatch c, string? by, DateTimeOffset now)
    {
        var currency = Currency.Find(entry.Transaction.Currency);
        var parts = new List<BankPaymentPart>();
        for (var i = 0; i < c.Parts.Count; i++)
        {
            var p = c.Parts[i];
            var field = $"parts[{i}]";
            if (!Identifiers.IsValid(p.AccountId))
                return ([], Rejection.Invalid($"{field}.accountId", $"accountId {Identifiers.Rule}"));
            if (currency.Problem(p.Amount) is { } problem)
                return ([], Rejection.Invalid($"{field}.amount", $"amount {problem}"));
            if (p.Allocations.Any(a => a.Amount <= 0m || !currency.Fits(a.Amount) || !Identifiers.IsValid(a.InvoiceNumber)))
                return ([], Rejection.Invalid($"{field}.allocations", "each allocation needs a valid invoice number and an amount greater than zero in the currency's minor unit"));
            if (p.Allocations.Sum(a => a.Amount) > p.Amount)
                return ([], Rejection.Invalid($"{field}.allocations", $"the allocations add up to more than the part's {p.Amount}"));
            var number = entry.Parts.Count + i + 1;
            var reference = entry.Parts.Count == 0 && c.Parts.Count == 1
                ? PaymentReferenceOf(entry.Transaction.BankReference)
                : $"{PaymentReferenceOf(entry.Transaction.BankReference)}-{number}";
            parts.Add(new BankPaymentPart(reference,
                p.AccountId, p.Amount, p.Allocations));
        }
        return ([new BankMatchDecided(entry.Transaction.BankReference, parts, c.Manual ? ManualRule : c.Rule, c.Manual ? 1m : c.Confidence, c.Note, by, now)], null);
    }

    private (IReadOnlyList<BankEvent>, Rejection?) Record(RecordBankPosting c, DateTimeOffset now)
    {
        if (!Entries.TryGetValue(c.BankReference, out var entry))
            return ([], Rejection.NotFound("bank_transaction_not_found", $"bank transaction {c.BankReference} does not exist"));
        if (entry.Parts.All(p => p.PaymentReference != c.PaymentReference))
            return ([], Rejection.NotFound("bank_payment_not_found", $"bank transaction {c.BankReference} has no payment {c.PaymentReference}"));
        if (entry.Posted.ContainsKey(c.PaymentReference) || entry.Refused.ContainsKey(c.PaymentReference))
            return ([], null);
        return c.RefusalCode is { } code
            ? ([new BankPaymentRefused(c.BankReference, c.PaymentReference, code, c.RefusalReason ?? code, now)], null)
            : ([new BankPaymentPosted(c.BankReference, c.PaymentReference, now)], null);
    }

    private (IReadOnlyList<BankEvent>, Rejection?) Ignore(IgnoreBankTransaction c, string actor, DateTimeOffset now)
    {
        if (!Entries.TryGetValue(c.BankReference, out var entry))
            return ([], Rejection.NotFound("bank_transaction_not_found", $"bank transaction {c.BankReference} does not exist"));
        if (string.IsNullOrWhiteSpace(c.Reason))
            return ([], Rejection.Invalid("reason", "say why the transaction is not a customer's payment"));
        if (entry.IgnoredReason is not null)
            return ([], null);
        if (entry.Pending.Any())
            return ([], Rejection.Conflict("bank_payment_posting", $"a payment of bank transaction {c.BankReference} is being posted; wait for it"));
        if (entry.Status == BankStatuses.Matched)
            return ([], Rejection.Conflict("bank_transaction_matched", $"bank transaction {c.BankReference} is matched in full; nothing is left to ignore"));
        return ([new BankTransactionIgnored(c.BankReference, c.Reason.Trim(), actor, now)], null);
    }

    public BankBook Apply(BankEvent e) => e switch
    {
        BankStatementImported i => this with
        {
            Entries = Entries.SetItems(i.Transactions.Select(t => KeyValuePair.Create(t.BankReference, new BankEntry(
                t, i.ImportId, [], ImmutableDictionary<string, DateTimeOffset>.Empty, ImmutableDictionary<string, string>.Empty,
                null, null, null, null, null, null, null)))),
            Order = Order.AddRange(i.Transactions.Select(t => t.BankReference)),
            Imports = Imports.SetItem(i.ImportId, new BankImport(i, [.. i.Transactions.Select(t => t.BankReference)])),
            ImportOrder = ImportOrder.Add(i.ImportId),
        },
        BankMatchDecided d => Learn(d) with
        {
            Entries = Entries.SetItem(d.BankReference, Entries[d.BankReference] with
            {
                Parts = Entries[d.BankReference].Parts.AddRange(d.Parts), Rule = d.Rule, Confidence = d.Confidence, Note = d.Note,
                MatchedBy = d.By, MatchedAt = d.At,
            }),
        },
        BankPaymentPosted p => this with
        {
            Entries = Entries.SetItem(p.BankReference, Entries[p.BankReference] with { Posted = Entries[p.BankReference].Posted.SetItem(p.PaymentReference, p.At) }),
        },
        BankPaymentRefused r => this with
        {
            Entries = Entries.SetItem(r.BankReference, Entries[r.BankReference] with
            {
                Refused = Entries[r.BankReference].Refused.SetItem(r.PaymentReference, $"{r.Code}: {r.Reason}"),
            }),
        },
        BankTransactionIgnored g => this with
        {
            Entries = Entries.SetItem(g.BankReference, Entries[g.BankReference] with { IgnoredReason = g.Reason, IgnoredBy = g.By }),
        },
        _ => this,
    };

    /// <summary>A person's match of a transaction from a known payer account to one customer teaches the book that account.</summary>
    private BankBook Learn(BankMatchDecided d)
    {
        var payer = Entries[d.BankReference].Transaction.PayerAccount;
        var accounts = d.Parts.Select(p => p.AccountId).Distinct().ToList();
        return d.By is null || string.IsNullOrWhiteSpace(payer) || accounts.Count != 1 ? this : this with { PayerAccounts = PayerAccounts.SetItem(payer, accounts[0]) };
    }

    /// <summary>What became of an import's transactions: counts and amounts by outcome.</summary>
    public BankImportReport Report(string importId)
    {
        var import = Imports[importId];
        var entries = import.References.Select(r => Entries[r]).ToList();
        BankFigure Figure(Func<BankEntry, bool> which, Func<BankEntry, decimal> amount)
        {
            var chosen = entries.Where(which).ToList();
            return new BankFigure(chosen.Count, chosen.Sum(amount));
        }
        return new BankImportReport(
            import.Imported, entries.Count,
            Figure(_ => true, e => e.Transaction.Amount),
            Figure(e => e.Status == BankStatuses.Matched && !e.Manual, e => e.Transaction.Amount),
            Figure(e => e.Status == BankStatuses.Matched && e.Manual, e => e.Transaction.Amount),
            Figure(e => e.Status == BankStatuses.Posting, e => e.Transaction.Amount),
            Figure(e => e.Status == BankStatuses.Unmatched, e => e.Remaining),
            Figure(e => e.Status == BankStatuses.Ignored, e => e.Remaining),
            import.Imported.Repeated.Count);
    }
}

public sealed record BankFigure(int Count, decimal Amount);

/// <summary>An import's report: its transactions in all, matched by the rules, matched by a person, being posted, waiting, ignored; and the repeats it brought.</summary>
public sealed record BankImportReport(
    BankStatementImported Import, int Transactions, BankFigure Total, BankFigure AutoMatched, BankFigure ManuallyMatched, BankFigure Posting,
    BankFigure Unmatched, BankFigure Ignored, int Repeated);
