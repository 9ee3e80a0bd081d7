using System.Collections.Immutable;
using CreditActors.Domain.Accounts;

namespace CreditActors.Persistence.Snapshots;

// The stored shape of an account snapshot, version 1 (manifest credit-account.snapshot.v1): its own types, so that the
// live state can change without changing what old snapshots say. Shared value records (Profile, DiscountTerms,
// RemittanceLine, AllocationLine) are the events' own, pinned with them.

public sealed record HoldV1(
    string HoldId, decimal Amount, DateTimeOffset ExpiresAt, string? OrderReference, HoldStatus Status, DateTimeOffset PlacedAt,
    string? InvoiceNumber);

public sealed record InvoiceLineV1(
    int Line, DateOnly DueDate, decimal Amount, decimal Paid, decimal Credited, decimal Discounted, decimal WrittenOff);

public sealed record InvoiceV1(
    string InvoiceNumber, DateOnly IssueDate, DateOnly DueDate, decimal Amount, IReadOnlyList<InvoiceLineV1> Lines,
    DiscountTerms? Discount, string? HoldId, decimal DiscountGranted);

public sealed record PaymentV1(
    string PaymentReference, DateOnly ReceivedDate, decimal Amount, IReadOnlyList<RemittanceLine> Remittance, decimal Unapplied,
    IReadOnlyList<AllocationLine> Allocations);

public sealed record CreditNoteV1(string CreditNoteNumber, string InvoiceNumber, decimal Amount, string Reason, int? RequestedLine);

public sealed record WriteOffV1(
    string WriteOffId, string InvoiceNumber, int? RequestedLine, decimal? RequestedAmount, string Reason, decimal Amount);

public sealed record OpenedTermsV1(decimal CreditLimit, int PaymentTermsDays, Profile Profile);

public sealed record LimitRequestV1(
    string RequestId, decimal OldLimit, decimal NewLimit, string Reason, string RequestedBy, DateTimeOffset RequestedAt,
    LimitRequestStatus Status, string? DecidedBy, DateTimeOffset? DecidedAt, string? DecisionNote);

/// <summary>An account's state at a sequence number, as snapshot version 1 stores it.</summary>
public sealed record AccountSnapshotV1(
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
    IReadOnlyDictionary<string, HoldV1> Holds,
    IReadOnlyDictionary<string, InvoiceV1> Invoices,
    IReadOnlyDictionary<string, PaymentV1> Payments,
    IReadOnlyDictionary<string, CreditNoteV1> CreditNotes,
    IReadOnlyDictionary<string, WriteOffV1> WriteOffs,
    OpenedTermsV1 OpenedWith,
    IReadOnlyDictionary<string, LimitRequestV1> LimitRequests,
    long Version)
{
    public static AccountSnapshotV1 From(AccountState s) => new(
        s.AccountId, s.IsOpened, s.CurrencyCode, s.CreditLimit, s.PaymentTermsDays, s.Profile, s.Status, s.Receivables, s.HeldAmount,
        s.UnappliedCash,
        s.Holds.ToDictionary(h => h.Key, h => new HoldV1(h.Value.HoldId, h.Value.Amount, h.Value.ExpiresAt, h.Value.OrderReference,
            h.Value.Status, h.Value.PlacedAt, h.Value.InvoiceNumber)),
        s.Invoices.ToDictionary(i => i.Key, i => new InvoiceV1(i.Value.InvoiceNumber, i.Value.IssueDate, i.Value.DueDate, i.Value.Amount,
            i.Value.Lines.Select(l => new InvoiceLineV1(l.Line, l.DueDate, l.Amount, l.Paid, l.Credited, l.Discounted, l.WrittenOff)).ToList(),
            i.Value.Discount, i.Value.HoldId, i.Value.DiscountGranted)),
        s.Payments.ToDictionary(p => p.Key, p => new PaymentV1(p.Value.PaymentReference, p.Value.ReceivedDate, p.Value.Amount,
            p.Value.Remittance, p.Value.Unapplied, p.Value.Allocations)),
        s.CreditNotes.ToDictionary(n => n.Key, n => new CreditNoteV1(n.Value.CreditNoteNumber, n.Value.InvoiceNumber, n.Value.Amount,
            n.Value.Reason, n.Value.RequestedLine)),
        s.WriteOffs.ToDictionary(w => w.Key, w => new WriteOffV1(w.Value.WriteOffId, w.Value.InvoiceNumber, w.Value.RequestedLine,
            w.Value.RequestedAmount, w.Value.Reason, w.Value.Amount)),
        new OpenedTermsV1(s.OpenedWith.CreditLimit, s.OpenedWith.PaymentTermsDays, s.OpenedWith.Profile),
        s.LimitRequests.ToDictionary(r => r.Key, r => new LimitRequestV1(r.Value.RequestId, r.Value.OldLimit, r.Value.NewLimit,
            r.Value.Reason, r.Value.RequestedBy, r.Value.RequestedAt, r.Value.Status, r.Value.DecidedBy, r.Value.DecidedAt, r.Value.DecisionNote)),
        s.Version);

    /// <summary>The state it held; version 1 came before ratings, so its behaviour history starts at the snapshot (incomplete).</summary>
    public AccountState ToState() => AccountState.Empty(AccountId) with
    {
        Behaviour = Domain.Rating.RatingHistory.Empty with { Complete = false },
        IsOpened = IsOpened,
        CurrencyCode = CurrencyCode,
        CreditLimit = CreditLimit,
        PaymentTermsDays = PaymentTermsDays,
        Profile = Profile,
        Status = Status,
        Receivables = Receivables,
        HeldAmount = HeldAmount,
        UnappliedCash = UnappliedCash,
        Holds = Sorted(Holds, h => new Hold(h.HoldId, h.Amount, h.ExpiresAt, h.OrderReference, h.Status, h.PlacedAt, h.InvoiceNumber)),
        Invoices = Sorted(Invoices, i => new Invoice(i.InvoiceNumber, i.IssueDate, i.DueDate, i.Amount,
            i.Lines.Select(l => new InvoiceLine(l.Line, l.DueDate, l.Amount, l.Paid, l.Credited, l.Discounted, l.WrittenOff)).ToImmutableArray(),
            i.Discount, i.HoldId, i.DiscountGranted)),
        Payments = Sorted(Payments, p => new Payment(p.PaymentReference, p.ReceivedDate, p.Amount, p.Remittance.ToImmutableArray(), p.Unapplied,
            p.Allocations.ToImmutableArray())),
        CreditNotes = Sorted(CreditNotes, n => new CreditNote(n.CreditNoteNumber, n.InvoiceNumber, n.Amount, n.Reason, n.RequestedLine)),
        WriteOffs = Sorted(WriteOffs, w => new WriteOff(w.WriteOffId, w.InvoiceNumber, w.RequestedLine, w.RequestedAmount, w.Reason, w.Amount)),
        OpenedWith = new OpenedTerms(OpenedWith.CreditLimit, OpenedWith.PaymentTermsDays, OpenedWith.Profile),
        LimitRequests = Sorted(LimitRequests, r => new LimitRequest(r.RequestId, r.OldLimit, r.NewLimit, r.Reason, r.RequestedBy, r.RequestedAt,
            r.Status, r.DecidedBy, r.DecidedAt, r.DecisionNote)),
        Version = Version,
    };

    private static ImmutableSortedDictionary<string, TLive> Sorted<TStored, TLive>(IReadOnlyDictionary<string, TStored> items, Func<TStored, TLive> live) =>
        items.ToImmutableSortedDictionary(i => i.Key, i => live(i.Value), StringComparer.Ordinal);
}
