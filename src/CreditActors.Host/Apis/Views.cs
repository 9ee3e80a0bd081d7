using CreditActors.Actors.Accounts;
using CreditActors.Domain.Accounts;

namespace CreditActors.Host.Apis;

public sealed record AccountView(
    string AccountId, string Name, string Currency, AccountStatus Status, decimal CreditLimit, decimal Receivables,
    decimal Holds, decimal Exposure, decimal AvailableCredit, decimal UnappliedCash, int PaymentTermsDays, long Version,
    string? Contact, string? Phone, string? Email, string? Address, string? Industry, string? TaxId, Tier Tier, string? Notes,
    CurrentRatingView? Rating, string TimeZone);

/// <summary>The grade in force, the policy version that gave it and the date it was rated as of; null before the first rating.</summary>
public sealed record CurrentRatingView(string Grade, decimal Score, string Policy, DateOnly AsOf, DateTimeOffset RatedAt, Tier SuggestedTier,
    decimal? SuggestedLimit, RatingFloor Floor);

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
    string Decision, decimal Amount, decimal CreditLimit, decimal Exposure, decimal AvailableCredit, IReadOnlyList<DeclineReason> Reasons,
    string? Grade, string? RatingPolicy);

public sealed record PaymentView(
    string PaymentReference, DateOnly ReceivedDate, decimal Amount, decimal Applied, decimal Unapplied,
    IReadOnlyList<AllocationLine> Allocations, IReadOnlyList<RemittanceLine> Remittance);

public sealed record CreditNoteView(string CreditNoteNumber, string InvoiceNumber, decimal Amount, string Reason, InvoiceView Invoice);

public sealed record WriteOffView(string WriteOffId, string InvoiceNumber, decimal Amount, string Reason, InvoiceView Invoice);

public sealed record LimitRequestView(
    string AccountId, string RequestId, LimitRequestStatus Status, decimal OldLimit, decimal NewLimit, string Reason,
    string RequestedBy, DateTimeOffset RequestedAt, string? DecidedBy, DateTimeOffset? DecidedAt, string? DecisionNote);

/// <summary>Masks personal contact details for roles that need an account's figures but not its people.</summary>
public static class Mask
{
    public static string? All(string? value) => value is null ? null : "***";

    public static string? Tail(string? value, int visible) =>
        value is null ? null : value.Length <= visible ? "***" : "***" + value[^visible..];

    public static string? Name(string? value) => value is null ? null : value[..1] + "***";

    public static string? Email(string? value)
    {
        if (value is null)
            return null;
        var at = value.IndexOf('@');
        return at <= 0 ? "***" : value[..1] + "***" + value[at..];
    }
}

/// <summary>Builds the API's views from what an account answers (its figures and items); nothing here decides or folds.</summary>
public static class Views
{
    public static AccountView Account(AccountSummary s, bool showContact = true) => new(
        s.AccountId, s.Profile.Name, s.Currency, s.Status, s.CreditLimit, s.Receivables, s.Holds, s.Exposure,
        s.AvailableCredit, s.UnappliedCash, s.PaymentTermsDays, s.Version,
        showContact ? s.Profile.Contact : Mask.Name(s.Profile.Contact),
        showContact ? s.Profile.Phone : Mask.Tail(s.Profile.Phone, 4),
        showContact ? s.Profile.Email : Mask.Email(s.Profile.Email),
        showContact ? s.Profile.Address : Mask.All(s.Profile.Address),
        s.Profile.Industry,
        showContact ? s.Profile.TaxId : Mask.Tail(s.Profile.TaxId, 4),
        s.Profile.Tier, s.Profile.Notes, s.Rating is { } r ? CurrentRating(r) : null, s.TimeZone);

    public static CurrentRatingView CurrentRating(AccountRating r) =>
        new(r.Grade, r.Score, r.PolicyKey, r.AsOf, r.RatedAt, r.SuggestedTier, r.SuggestedLimit, r.Floor);

    public static CreditNoteView CreditNote(CreditNote note, Invoice invoice) =>
        new(note.CreditNoteNumber, note.InvoiceNumber, note.Amount, note.Reason, Invoice(invoice));

    public static WriteOffView WriteOff(WriteOff writeOff, Invoice invoice) =>
        new(writeOff.WriteOffId, writeOff.InvoiceNumber, writeOff.Amount, writeOff.Reason, Invoice(invoice));

    public static LimitRequestView LimitRequest(string accountId, LimitRequest r) => new(
        accountId, r.RequestId, r.Status, r.OldLimit, r.NewLimit, r.Reason, r.RequestedBy, r.RequestedAt, r.DecidedBy, r.DecidedAt, r.DecisionNote);

    public static InvoiceView Invoice(Invoice i) => new(
        i.InvoiceNumber, i.IssueDate, i.DueDate, i.Amount,
        i.Lines.Sum(l => l.Paid), i.Lines.Sum(l => l.Credited), i.Lines.Sum(l => l.Discounted), i.Lines.Sum(l => l.WrittenOff),
        i.Open, i.Open == 0m ? "settled" : "open", i.Discount, i.HoldId,
        i.Lines.Select(l => new LineView(l.Line, l.DueDate, l.Amount, l.Paid, l.Credited, l.Discounted, l.WrittenOff, l.Open)).ToList());

    public static HoldView Hold(Hold h) => new(h.HoldId, h.Amount, h.Status, h.ExpiresAt, h.PlacedAt, h.OrderReference, h.InvoiceNumber);

    public static PaymentView Payment(Payment p) => new(
        p.PaymentReference, p.ReceivedDate, p.Amount, p.Amount - p.Unapplied, p.Unapplied, p.Allocations, p.Remittance);

    public static CreditCheckView CreditCheck(decimal amount, CreditCheckResult r) =>
        new(r.Approved ? "approved" : "declined", amount, r.CreditLimit, r.Exposure, r.AvailableCredit, r.Reasons, r.Grade, r.RatingPolicy);
}
