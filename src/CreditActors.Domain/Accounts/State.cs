using System.Collections.Immutable;
using CreditActors.Domain.Money;

namespace CreditActors.Domain.Accounts;

public enum AccountStatus { Active, Blocked, Closed }

public enum HoldStatus { Active, Captured, Released, Expired }

public enum LimitRequestStatus { Pending, Approved, Rejected }

public sealed record LimitRequest(
    string RequestId,
    decimal OldLimit,
    decimal NewLimit,
    string Reason,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    LimitRequestStatus Status,
    string? DecidedBy = null,
    DateTimeOffset? DecidedAt = null,
    string? DecisionNote = null);

public sealed record Hold(
    string HoldId,
    decimal Amount,
    DateTimeOffset ExpiresAt,
    string? OrderReference,
    HoldStatus Status,
    DateTimeOffset PlacedAt,
    string? InvoiceNumber = null)
{
    /// <summary>What a repeat of the command that placed this hold must match (the expiry is compared apart: it may be left out).</summary>
    public ulong Fingerprint => Fingerprints.Hold(Amount, OrderReference);
}

/// <summary>One installment line. A value kept inline in its invoice's array (no object of its own): a line costs its fields only.</summary>
public readonly record struct InvoiceLine(
    int Line,
    DateOnly DueDate,
    decimal Amount,
    decimal Paid = 0m,
    decimal Credited = 0m,
    decimal Discounted = 0m,
    decimal WrittenOff = 0m)
{
    public decimal Open => Amount - Paid - Credited - Discounted - WrittenOff;
}

public sealed record Invoice(
    string InvoiceNumber,
    DateOnly IssueDate,
    DateOnly DueDate,
    decimal Amount,
    ImmutableArray<InvoiceLine> Lines,
    DiscountTerms? Discount,
    string? HoldId,
    decimal DiscountGranted = 0m)
{
    public decimal Open => Lines.Sum(l => l.Open);

    /// <summary>What a repeat of the command that issued this invoice must match.</summary>
    public ulong Fingerprint => Fingerprints.Invoice(Amount, IssueDate, DueDate, Discount, HoldId, Lines.Select(l => (l.DueDate, l.Amount)));
}

public sealed record Payment(
    string PaymentReference,
    DateOnly ReceivedDate,
    decimal Amount,
    ImmutableArray<RemittanceLine> Remittance,
    decimal Unapplied,
    ImmutableArray<AllocationLine> Allocations)
{
    /// <summary>What a repeat of the command that received this payment must match.</summary>
    public ulong Fingerprint => Fingerprints.Payment(Amount, ReceivedDate, Remittance);
}

/// <summary>The terms an account was opened with; a repeated open must carry the same.</summary>
public sealed record OpenedTerms(decimal CreditLimit, int PaymentTermsDays, Profile Profile);

public sealed record CreditNote(string CreditNoteNumber, string InvoiceNumber, decimal Amount, string Reason, int? RequestedLine)
{
    /// <summary>What a repeat of the command that issued this credit note must match.</summary>
    public ulong Fingerprint => Fingerprints.CreditNote(InvoiceNumber, Amount, Reason, RequestedLine);
}

public sealed record WriteOff(string WriteOffId, string InvoiceNumber, int? RequestedLine, decimal? RequestedAmount, string Reason, decimal Amount)
{
    /// <summary>What a repeat of the command that wrote this off must match.</summary>
    public ulong Fingerprint => Fingerprints.WriteOff(InvoiceNumber, RequestedLine, RequestedAmount, Reason);
}

/// <summary>
/// The state of one account, folded from its events. Totals are kept as running figures so that a credit
/// decision costs no scan; <see cref="AccountInvariants"/> checks them against the lines they sum. The item collections
/// hold what is open (active holds, invoices with something open, payments with cash unapplied, limit requests); what has
/// settled leaves them for <see cref="Settled"/>, unless the state <see cref="KeepsSettled"/>.
/// </summary>
public sealed partial record AccountState(
    string AccountId,
    bool IsOpened,
    string CurrencyCode,
    decimal CreditLimit,
    int PaymentTermsDays,
    Profile Profile,
    AccountStatus Status,
    decimal Receivables,
    decimal HeldAmount,
    decimal UnappliedCash,
    ImmutableSortedDictionary<string, Hold> Holds,
    ImmutableSortedDictionary<string, Invoice> Invoices,
    ImmutableSortedDictionary<string, Payment> Payments,
    ImmutableSortedDictionary<string, CreditNote> CreditNotes,
    ImmutableSortedDictionary<string, WriteOff> WriteOffs,
    OpenedTerms OpenedWith,
    ImmutableSortedDictionary<string, LimitRequest> LimitRequests,
    long Version)
{
    public static AccountState Empty(string accountId) => new(
        accountId,
        IsOpened: false,
        CurrencyCode: "",
        CreditLimit: 0m,
        PaymentTermsDays: 0,
        Profile: new Profile(""),
        Status: AccountStatus.Active,
        Receivables: 0m,
        HeldAmount: 0m,
        UnappliedCash: 0m,
        Holds: ImmutableSortedDictionary.Create<string, Hold>(StringComparer.Ordinal),
        Invoices: ImmutableSortedDictionary.Create<string, Invoice>(StringComparer.Ordinal),
        Payments: ImmutableSortedDictionary.Create<string, Payment>(StringComparer.Ordinal),
        CreditNotes: ImmutableSortedDictionary.Create<string, CreditNote>(StringComparer.Ordinal),
        WriteOffs: ImmutableSortedDictionary.Create<string, WriteOff>(StringComparer.Ordinal),
        OpenedWith: new OpenedTerms(0m, 0, new Profile("")),
        LimitRequests: ImmutableSortedDictionary.Create<string, LimitRequest>(StringComparer.Ordinal),
        Version: 0);

    public Currency Currency => Currency.Find(CurrencyCode);

    /// <summary>Open receivables plus active holds.</summary>
    public decimal Exposure => Receivables + HeldAmount;

    /// <summary>Credit limit minus exposure; negative after a limit cut below exposure.</summary>
    public decimal AvailableCredit => CreditLimit - Exposure;

    public LimitRequest? PendingLimitRequest => LimitRequests.Values.FirstOrDefault(r => r.Status == LimitRequestStatus.Pending);

    public IEnumerable<Hold> ActiveHolds => Holds.Values.Where(h => h.Status == HoldStatus.Active);
}
