using CreditActors.Domain.Accounts;

namespace CreditActors.Host.Accounts;

public sealed record AccountView(
    string AccountId, string Name, string Currency, AccountStatus Status, decimal CreditLimit, decimal Receivables,
    decimal Holds, decimal Exposure, decimal AvailableCredit, decimal UnappliedCash, int PaymentTermsDays, long Version,
    string? Contact, string? Phone, string? Email, string? Address, string? Industry, string? TaxId, Tier Tier, string? Notes);

public sealed record LineView(
    int Line, DateOnly DueDate, decimal Amount, decimal Paid, decimal Credited, decimal Discounted, decimal WrittenOff, decimal Open);

public sealed record InvoiceView(
    string InvoiceNumber, DateOnly IssueDate, DateOnly DueDate, decimal Amount, decimal Paid, decimal Credited,
    decimal Discounted, decimal WrittenOff, decimal Open, string Status, DiscountTerms? Discount, string? HoldId,
    IReadOnlyList<LineView> Lines);

public sealed record HoldView(
    string HoldId, decimal Amount, HoldStatus Status, DateTimeOffset ExpiresAt, DateTimeOffset PlacedAt, string? OrderReference,
    string? InvoiceNumber);

public sealed record HoldResultView(string Decision, HoldView Hold, decimal AvailableCredit);

public sealed record CreditCheckView(
    string Decision, decimal Amount, decimal CreditLimit, decimal Exposure, decimal AvailableCredit, IReadOnlyList<DeclineReason> Reasons);

public sealed record PaymentView(
    string PaymentReference, DateOnly ReceivedDate, decimal Amount, decimal Applied, decimal Unapplied,
    IReadOnlyList<AllocationLine> Allocations, IReadOnlyList<RemittanceLine> Remittance);

public sealed record CreditNoteView(string CreditNoteNumber, string InvoiceNumber, decimal Amount, string Reason, InvoiceView Invoice);

public sealed record WriteOffView(string WriteOffId, string InvoiceNumber, decimal Amount, string Reason, InvoiceView Invoice);

/// <summary>Builds the API's views from an account state as of an instant (holds past expiry no longer count).</summary>
public static class Views
{
    public static AccountState AsOf(AccountState state, DateTimeOffset now) =>
        CreditAccount.DueExpiries(state, now).Aggregate(state, CreditAccount.Evolve);

    public static AccountView Account(AccountState s) => new(
        s.AccountId, s.Profile.Name, s.CurrencyCode, s.Status, s.CreditLimit, s.Receivables, s.HeldAmount, s.Exposure,
        s.AvailableCredit, s.UnappliedCash, s.PaymentTermsDays, s.Version, s.Profile.Contact, s.Profile.Phone,
        s.Profile.Email, s.Profile.Address, s.Profile.Industry, s.Profile.TaxId, s.Profile.Tier, s.Profile.Notes);

    public static InvoiceView Invoice(Invoice i) => new(
        i.InvoiceNumber, i.IssueDate, i.DueDate, i.Amount,
        i.Lines.Sum(l => l.Paid), i.Lines.Sum(l => l.Credited), i.Lines.Sum(l => l.Discounted), i.Lines.Sum(l => l.WrittenOff),
        i.Open, i.Open == 0m ? "settled" : "open", i.Discount, i.HoldId,
        i.Lines.Select(l => new LineView(l.Line, l.DueDate, l.Amount, l.Paid, l.Credited, l.Discounted, l.WrittenOff, l.Open)).ToList());

    public static HoldView Hold(Hold h) => new(h.HoldId, h.Amount, h.Status, h.ExpiresAt, h.PlacedAt, h.OrderReference, h.InvoiceNumber);

    public static PaymentView Payment(Payment p) => new(
        p.PaymentReference, p.ReceivedDate, p.Amount, p.Amount - p.Unapplied, p.Unapplied, p.Allocations, p.Remittance);

    public static CreditCheckView CreditCheck(decimal amount, CreditCheckResult r) =>
        new(r.Approved ? "approved" : "declined", amount, r.CreditLimit, r.Exposure, r.AvailableCredit, r.Reasons);
}
