using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CreditActors.Domain.Accounts;
using CreditActors.Domain.Aging;
using CreditActors.Domain.Collections;

namespace CreditActors.Domain.Statements;

/// <summary>
/// One movement of the balance the customer owes: an invoice, a fee or interest charged (debits); a payment, a credit
/// note, a discount or a write-off (credits); a payment applied to invoices (neither: it moves cash from unapplied to the
/// invoices it settles, and the balance does not change). The balance after it, in statement order.
/// </summary>
public sealed record StatementMovement(
    DateOnly Date, string Kind, string Document, string? Reference, string Description, decimal Debit, decimal Credit, decimal Balance, long Version);

/// <summary>What was open at the end of the period, by aging bucket, with the lines behind it.</summary>
public sealed record StatementAging(IReadOnlyList<string> Buckets, IReadOnlyList<decimal> Amounts, IReadOnlyList<AgedLine> Lines);

/// <summary>
/// A statement of account for a period: the balance owed the day before it starts, every movement effective in it with
/// the running balance, the balance at its end (receivables less unapplied cash), the unapplied cash and the aging at the
/// end. With <see cref="KnownAt"/>, as the ledger knew it at that instant, so a statement issued again shows what the first
/// showed. <see cref="Version"/> is the account version it was drawn at (the events it read); <see cref="ContentHash"/>
/// binds its figures.
/// </summary>
public sealed record Statement(
    string AccountId,
    string CustomerName,
    string Currency,
    DateOnly From,
    DateOnly To,
    DateTimeOffset? KnownAt,
    decimal OpeningBalance,
    IReadOnlyList<StatementMovement> Movements,
    decimal ClosingBalance,
    decimal Receivables,
    decimal UnappliedCash,
    StatementAging Aging,
    long Version)
{
    public decimal TotalDebits => Movements.Sum(m => m.Debit);

    public decimal TotalCredits => Movements.Sum(m => m.Credit);

    /// <summary>
    /// SHA-256 (hex) over the statement's canonical text: account, currency, period, opening, each movement, closing,
    /// unapplied cash and version. The same statement drawn again (same period, as known at the same instant) hashes the same.
    /// </summary>
    public string ContentHash
    {
        get
        {
            static string A(decimal d) => d.ToString("0.############################", CultureInfo.InvariantCulture);
            var text = new StringBuilder()
                .Append(AccountId).Append('|').Append(Currency).Append('|').Append(From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
                .Append('|').Append(To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append('|').Append(A(OpeningBalance));
            foreach (var m in Movements)
                text.Append('\n').Append(m.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append('|').Append(m.Kind).Append('|')
                    .Append(m.Document).Append('|').Append(m.Reference).Append('|').Append(A(m.Debit)).Append('|').Append(A(m.Credit)).Append('|')
                    .Append(A(m.Balance));
            text.Append('\n').Append(A(ClosingBalance)).Append('|').Append(A(UnappliedCash)).Append('|').Append(Version.ToString(CultureInfo.InvariantCulture));
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
        }
    }
}

public static class StatementOfAccount
{
    /// <summary>The longest period a statement may cover.</summary>
    public const int MaximumDays = 3660;

    /// <summary>
    /// Draws the statement from the account's events (in journal order): those effective by <paramref name="to"/> (and
    /// recorded by <paramref name="knownAt"/>) are folded as <see cref="CreditAccount.ReplayAsOf"/> folds them; each one
    /// effective in the period that moves money is a movement, and the rest of the balance is the opening. The closing
    /// balance is therefore exactly the account's state as of the end, and opening plus movements is the closing.
    /// </summary>
    public static Statement Draw(
        string accountId, IReadOnlyList<AccountEvent> events, DateOnly from, DateOnly to, DateTimeOffset? knownAt, AgingBuckets buckets)
    {
        var position = new Dictionary<AccountEvent, long>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < events.Count; i++)
            position[events[i]] = i + 1;
        var opening = 0m;
        var moves = new List<StatementMovement>();
        var steps = CreditAccount.ReplayAsOfSteps(accountId, events, to, knownAt);
        foreach (var (before, after, e) in steps)
        {
            var delta = (after.Receivables - after.UnappliedCash) - (before.Receivables - before.UnappliedCash);
            if (e.Meta.EffectiveDate < from)
                opening += delta;
            else if (Describe(e) is { } movement)
                moves.Add(movement with { Debit = Math.Max(delta, 0m), Credit = Math.Max(-delta, 0m), Version = position[e] });
            else if (delta != 0m)
                throw new InvalidOperationException($"{e.GetType().Name} moved the balance by {delta} but is not a statement movement");
        }
        var state = steps.Count > 0 ? steps[^1].After : AccountState.EmptyWithHistory(accountId);
        // The account version the statement was drawn at: every event the ledger held then (recorded by knownAt).
        var version = knownAt is { } known ? events.Count(e => e.Meta.RecordedAt <= known) : events.Count;
        var balance = opening;
        var ordered = moves.OrderBy(m => m.Date).ThenBy(m => m.Version)
            .Select(m => m with { Balance = balance += m.Debit - m.Credit }).ToList();
        // The aging of the same fold: every line open at the end, by its days past due then.
        var lines = state.Invoices.Values
            .SelectMany(i => i.Lines.Where(l => l.Open > 0m).Select(l => new AgedLine(accountId, i.InvoiceNumber, l.Line, l.DueDate, l.Open,
                to.DayNumber - l.DueDate.DayNumber, buckets.IndexFor(to.DayNumber - l.DueDate.DayNumber))))
            .OrderBy(l => l.InvoiceNumber, StringComparer.Ordinal).ThenBy(l => l.Line).ToList();
        var amounts = buckets.Labels.Select((_, i) => lines.Where(l => l.Bucket == i).Sum(l => l.Open)).ToList();
        return new Statement(accountId, state.Profile.Name, state.CurrencyCode, from, to, knownAt, opening, ordered, balance, state.Receivables,
            state.UnappliedCash, new StatementAging(buckets.Labels, amounts, lines), version);
    }

    /// <summary>What a statement says of an event that moves money (its kind, document and wording), or null for one that does not.</summary>
    private static StatementMovement? Describe(AccountEvent e)
    {
        StatementMovement M(string kind, string document, string? reference, string description) =>
            new(e.Meta.EffectiveDate, kind, document, reference, description, 0m, 0m, 0m, 0);
        return e switch
        {
            InvoiceIssued i => M("invoice", i.InvoiceNumber, i.HoldId, $"Invoice {i.InvoiceNumber}, due {i.DueDate:yyyy-MM-dd}"),
            LateFeeCharged f => M("fee", f.ChargeNumber, f.NoticeId, $"Late fee (notice {f.NoticeId})"),
            InterestCharged c => M("interest", c.ChargeNumber, c.NoticeId, $"Interest on overdue amounts ({string.Join(", ", c.Lines.Select(l => l.InvoiceNumber).Distinct())})"),
            PaymentReceived p => M("payment", p.PaymentReference, null, $"Payment {p.PaymentReference} received"),
            PaymentAllocated a => M("allocation", a.PaymentReference, string.Join(", ", a.Allocations.Select(x => x.InvoiceNumber).Distinct()),
                $"Payment {a.PaymentReference} applied to {string.Join(", ", a.Allocations.Select(x => $"{x.InvoiceNumber} ({x.Amount.ToString(CultureInfo.InvariantCulture)})"))}"),
            CreditNoteIssued n => M("credit-note", n.CreditNoteNumber, n.InvoiceNumber, $"Credit note {n.CreditNoteNumber} on {n.InvoiceNumber}: {n.Reason}"),
            EarlyPaymentDiscountGranted d => M("discount", d.InvoiceNumber, d.PaymentReference, $"Early-payment discount on {d.InvoiceNumber}"),
            InvoiceLineWrittenOff w => M("write-off", w.WriteOffId, w.InvoiceNumber, $"Written off on {w.InvoiceNumber}: {w.Reason}"),
            _ => null,
        };
    }
}
