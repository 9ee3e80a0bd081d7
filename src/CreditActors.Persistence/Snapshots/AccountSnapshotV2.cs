using System.Collections.Immutable;
using CreditActors.Domain.Accounts;
using CreditActors.Domain.Rating;
using ProtoBuf;

namespace CreditActors.Persistence.Snapshots;

// The stored shape of an account snapshot, version 2 (manifest credit-account.snapshot.v2): protocol buffers by protobuf-net,
// in proportion to what is open plus one fingerprint per settled item. Field numbers are published: never reuse or renumber
// one; a new field takes a new number and reads as its default from older snapshots. Dates are day numbers, instants UTC
// ticks, amounts protobuf-net's exact decimal, always written (a zero keeps its scale: 0.00 reads back as 0.00); settled
// ids in ordinal order, so that a state has one encoding.

[ProtoContract]
public sealed class ProfileV2
{
    [ProtoMember(1)] public string Name { get; set; } = "";
    [ProtoMember(2)] public string? Contact { get; set; }
    [ProtoMember(3)] public string? Phone { get; set; }
    [ProtoMember(4)] public string? Email { get; set; }
    [ProtoMember(5)] public string? Address { get; set; }
    [ProtoMember(6)] public string? Industry { get; set; }
    [ProtoMember(7)] public string? TaxId { get; set; }
    [ProtoMember(8)] public int Tier { get; set; }
    [ProtoMember(9)] public string? Notes { get; set; }

    public static ProfileV2 From(Profile p) =>
        new() { Name = p.Name, Contact = p.Contact, Phone = p.Phone, Email = p.Email, Address = p.Address, Industry = p.Industry, TaxId = p.TaxId,
            Tier = (int)p.Tier, Notes = p.Notes };

    public Profile ToProfile() => new(Name, Contact, Phone, Email, Address, Industry, TaxId, (Tier)Tier, Notes);
}

[ProtoContract]
public sealed class HoldV2
{
    [ProtoMember(1)] public string HoldId { get; set; } = "";
    [ProtoMember(2, IsRequired = true)] public decimal Amount { get; set; }
    [ProtoMember(3)] public long ExpiresAtTicks { get; set; }
    [ProtoMember(4)] public string? OrderReference { get; set; }
    [ProtoMember(5)] public int Status { get; set; }
    [ProtoMember(6)] public long PlacedAtTicks { get; set; }
    [ProtoMember(7)] public string? InvoiceNumber { get; set; }
}

[ProtoContract]
public sealed class InvoiceLineV2
{
    [ProtoMember(1)] public int Line { get; set; }
    [ProtoMember(2)] public int DueDay { get; set; }
    [ProtoMember(3, IsRequired = true)] public decimal Amount { get; set; }
    [ProtoMember(4, IsRequired = true)] public decimal Paid { get; set; }
    [ProtoMember(5, IsRequired = true)] public decimal Credited { get; set; }
    [ProtoMember(6, IsRequired = true)] public decimal Discounted { get; set; }
    [ProtoMember(7, IsRequired = true)] public decimal WrittenOff { get; set; }
}

[ProtoContract]
public sealed class InvoiceV2
{
    [ProtoMember(1)] public string InvoiceNumber { get; set; } = "";
    [ProtoMember(2)] public int IssueDay { get; set; }
    [ProtoMember(3)] public int DueDay { get; set; }
    [ProtoMember(4, IsRequired = true)] public decimal Amount { get; set; }
    [ProtoMember(5)] public List<InvoiceLineV2> Lines { get; set; } = [];
    [ProtoMember(6)] public bool HasDiscount { get; set; }
    [ProtoMember(7, IsRequired = true)] public decimal DiscountPercent { get; set; }
    [ProtoMember(8)] public int DiscountWithinDays { get; set; }
    [ProtoMember(9)] public string? HoldId { get; set; }
    [ProtoMember(10, IsRequired = true)] public decimal DiscountGranted { get; set; }
}

[ProtoContract]
public sealed class RemittanceLineV2
{
    [ProtoMember(1)] public string InvoiceNumber { get; set; } = "";
    [ProtoMember(2)] public int Line { get; set; }
    [ProtoMember(3, IsRequired = true)] public decimal Amount { get; set; }
}

[ProtoContract]
public sealed class PaymentV2
{
    [ProtoMember(1)] public string PaymentReference { get; set; } = "";
    [ProtoMember(2)] public int ReceivedDay { get; set; }
    [ProtoMember(3, IsRequired = true)] public decimal Amount { get; set; }
    /// <summary>Line 0 stands for "no line named" (line numbers start at 1).</summary>
    [ProtoMember(4)] public List<RemittanceLineV2> Remittance { get; set; } = [];
    [ProtoMember(5, IsRequired = true)] public decimal Unapplied { get; set; }
    [ProtoMember(6)] public List<RemittanceLineV2> Allocations { get; set; } = [];
}

[ProtoContract]
public sealed class LimitRequestV2
{
    [ProtoMember(1)] public string RequestId { get; set; } = "";
    [ProtoMember(2, IsRequired = true)] public decimal OldLimit { get; set; }
    [ProtoMember(3, IsRequired = true)] public decimal NewLimit { get; set; }
    [ProtoMember(4)] public string Reason { get; set; } = "";
    [ProtoMember(5)] public string RequestedBy { get; set; } = "";
    [ProtoMember(6)] public long RequestedAtTicks { get; set; }
    [ProtoMember(7)] public int Status { get; set; }
    [ProtoMember(8)] public string? DecidedBy { get; set; }
    /// <summary>0 when not decided.</summary>
    [ProtoMember(9)] public long DecidedAtTicks { get; set; }
    [ProtoMember(10)] public string? DecisionNote { get; set; }
}

[ProtoContract]
public sealed class SettledV2
{
    [ProtoMember(1)] public string Id { get; set; } = "";
    [ProtoMember(2, DataFormat = DataFormat.FixedSize)] public ulong Fingerprint { get; set; }
    /// <summary>Holds: how they ended. Invoices: their line count. Otherwise 0.</summary>
    [ProtoMember(3)] public int Detail { get; set; }
    /// <summary>Holds: their expiry in UTC ticks. Otherwise 0.</summary>
    [ProtoMember(4)] public long Ticks { get; set; }
}

[ProtoContract]
public sealed class MonthFactsV2
{
    [ProtoMember(1)] public int Month { get; set; }
    [ProtoMember(2, IsRequired = true)] public decimal Invoiced { get; set; }
    [ProtoMember(3, IsRequired = true)] public decimal Credited { get; set; }
    [ProtoMember(4)] public int WriteOffs { get; set; }
    [ProtoMember(5)] public int Blocks { get; set; }
    [ProtoMember(6)] public int Payments { get; set; }
    [ProtoMember(7, IsRequired = true)] public decimal PaidAmount { get; set; }
    [ProtoMember(8, IsRequired = true)] public decimal PaidIndexAmount { get; set; }
    [ProtoMember(9, IsRequired = true)] public decimal UtilisationDays { get; set; }
    [ProtoMember(10)] public int Days { get; set; }
}

/// <summary>The behaviour history a rating reads (schema 3). Day 0 stands for "none" (no business date is that early).</summary>
[ProtoContract]
public sealed class RatingHistoryV2
{
    [ProtoMember(1)] public List<MonthFactsV2> Months { get; set; } = [];
    [ProtoMember(2)] public int FirstInvoiceDay { get; set; }
    [ProtoMember(3)] public int InvoicesPaid { get; set; }
    [ProtoMember(4)] public int UtilisationFromDay { get; set; }
    [ProtoMember(5)] public bool Incomplete { get; set; }
}

[ProtoContract]
public sealed class RatingFactorV2
{
    [ProtoMember(1)] public string Name { get; set; } = "";
    [ProtoMember(2)] public bool HasRaw { get; set; }
    [ProtoMember(3, IsRequired = true)] public decimal Raw { get; set; }
    [ProtoMember(4)] public bool HasPoints { get; set; }
    [ProtoMember(5)] public int Points { get; set; }
    [ProtoMember(6)] public int Weight { get; set; }
}

[ProtoContract]
public sealed class AccountRatingV2
{
    [ProtoMember(1)] public string PolicyId { get; set; } = "";
    [ProtoMember(2)] public int PolicyVersion { get; set; }
    [ProtoMember(3)] public int AsOfDay { get; set; }
    [ProtoMember(4, IsRequired = true)] public decimal Score { get; set; }
    [ProtoMember(5)] public string Grade { get; set; } = "";
    [ProtoMember(6)] public List<RatingFactorV2> Factors { get; set; } = [];
    [ProtoMember(7)] public bool DeclineNewHolds { get; set; }
    [ProtoMember(8)] public bool HasMaxHoldPercent { get; set; }
    [ProtoMember(9, IsRequired = true)] public decimal MaxHoldPercent { get; set; }
    [ProtoMember(10)] public bool HasMaxSingleOrder { get; set; }
    [ProtoMember(11, IsRequired = true)] public decimal MaxSingleOrder { get; set; }
    [ProtoMember(12)] public int SuggestedTier { get; set; }
    [ProtoMember(13)] public bool HasSuggestedLimit { get; set; }
    [ProtoMember(14, IsRequired = true)] public decimal SuggestedLimit { get; set; }
    [ProtoMember(15)] public long RatedAtTicks { get; set; }
    [ProtoMember(16)] public string? ReviewId { get; set; }
}

[ProtoContract]
public sealed class ExternalRatingV2
{
    [ProtoMember(1)] public string Agency { get; set; } = "";
    [ProtoMember(2)] public string Grade { get; set; } = "";
    [ProtoMember(3)] public int Score { get; set; }
    [ProtoMember(4)] public int ReportDay { get; set; }
    [ProtoMember(5)] public string? Reference { get; set; }
}

/// <summary>An account's live state at a sequence number, as snapshot version 2 stores it.</summary>
[ProtoContract]
public sealed class AccountSnapshotV2
{
    /// <summary>The schema this code writes; a snapshot of a later schema is refused rather than half read.</summary>
    public const int CurrentSchema = 5;

    /// <summary>Schema 4 came before business time zones: it reads in UTC (every account was).</summary>
    public const int PreTimeZoneSchema = 4;

    /// <summary>Schema 3 came before collections: it reads with nothing chased, disputed or promised (none of it existed).</summary>
    public const int PreCollectionsSchema = 3;

    /// <summary>
    /// Schema 2 came before ratings: it still reads, with no rating (none existed) and a behaviour history that starts at the
    /// snapshot (marked incomplete).
    /// </summary>
    public const int PreRatingSchema = 2;

    [ProtoMember(1)] public int Schema { get; set; }
    [ProtoMember(2)] public string AccountId { get; set; } = "";
    [ProtoMember(3)] public bool IsOpened { get; set; }
    [ProtoMember(4)] public string CurrencyCode { get; set; } = "";
    [ProtoMember(5, IsRequired = true)] public decimal CreditLimit { get; set; }
    [ProtoMember(6)] public int PaymentTermsDays { get; set; }
    [ProtoMember(7)] public ProfileV2? Profile { get; set; }
    [ProtoMember(8)] public int Status { get; set; }
    [ProtoMember(9, IsRequired = true)] public decimal Receivables { get; set; }
    [ProtoMember(10, IsRequired = true)] public decimal HeldAmount { get; set; }
    [ProtoMember(11, IsRequired = true)] public decimal UnappliedCash { get; set; }
    [ProtoMember(12)] public List<HoldV2> Holds { get; set; } = [];
    [ProtoMember(13)] public List<InvoiceV2> Invoices { get; set; } = [];
    [ProtoMember(14)] public List<PaymentV2> Payments { get; set; } = [];
    [ProtoMember(15, IsRequired = true)] public decimal OpenedCreditLimit { get; set; }
    [ProtoMember(16)] public int OpenedPaymentTermsDays { get; set; }
    [ProtoMember(17)] public ProfileV2? OpenedProfile { get; set; }
    [ProtoMember(18)] public List<LimitRequestV2> LimitRequests { get; set; } = [];
    [ProtoMember(19)] public long Version { get; set; }
    [ProtoMember(20)] public List<SettledV2> EndedHolds { get; set; } = [];
    [ProtoMember(21)] public List<SettledV2> SettledInvoices { get; set; } = [];
    [ProtoMember(22)] public List<SettledV2> SettledPayments { get; set; } = [];
    [ProtoMember(23)] public List<SettledV2> SettledCreditNotes { get; set; } = [];
    [ProtoMember(24)] public List<SettledV2> SettledWriteOffs { get; set; } = [];
    [ProtoMember(25)] public RatingHistoryV2? Behaviour { get; set; }
    [ProtoMember(26)] public AccountRatingV2? Rating { get; set; }
    [ProtoMember(27)] public ExternalRatingV2? External { get; set; }
    [ProtoMember(28)] public string? LastReviewId { get; set; }
    [ProtoMember(29)] public CollectionsV2? Collections { get; set; }
    [ProtoMember(30)] public string? TimeZone { get; set; }
    [ProtoMember(31)] public long PersonalDataErasedAtTicks { get; set; }

    public static AccountSnapshotV2 From(AccountState s)
    {
        // A state that keeps its history is a replay for reading, never what an account snapshots.
        if (s.KeepsSettled || s.CreditNotes.Count > 0 || s.WriteOffs.Count > 0)
            throw new InvalidOperationException($"Account {s.AccountId}: only a live state (settled items moved out) is snapshotted");
        return new AccountSnapshotV2
        {
            Schema = CurrentSchema,
            AccountId = s.AccountId,
            TimeZone = s.TimeZone,
            PersonalDataErasedAtTicks = s.PersonalDataErasedAt?.UtcTicks ?? 0,
            IsOpened = s.IsOpened,
            CurrencyCode = s.CurrencyCode,
            CreditLimit = s.CreditLimit,
            PaymentTermsDays = s.PaymentTermsDays,
            Profile = ProfileV2.From(s.Profile),
            Status = (int)s.Status,
            Receivables = s.Receivables,
            HeldAmount = s.HeldAmount,
            UnappliedCash = s.UnappliedCash,
            Holds = s.Holds.Values.Select(h => new HoldV2
            {
                HoldId = h.HoldId, Amount = h.Amount, ExpiresAtTicks = h.ExpiresAt.UtcTicks, OrderReference = h.OrderReference, Status = (int)h.Status,
                PlacedAtTicks = h.PlacedAt.UtcTicks, InvoiceNumber = h.InvoiceNumber,
            }).ToList(),
            Invoices = s.Invoices.Values.Select(i => new InvoiceV2
            {
                InvoiceNumber = i.InvoiceNumber, IssueDay = i.IssueDate.DayNumber, DueDay = i.DueDate.DayNumber, Amount = i.Amount,
                Lines = i.Lines.Select(l => new InvoiceLineV2
                {
                    Line = l.Line, DueDay = l.DueDate.DayNumber, Amount = l.Amount, Paid = l.Paid, Credited = l.Credited, Discounted = l.Discounted,
                    WrittenOff = l.WrittenOff,
                }).ToList(),
                HasDiscount = i.Discount is not null, DiscountPercent = i.Discount?.Percent ?? 0m, DiscountWithinDays = i.Discount?.WithinDays ?? 0,
                HoldId = i.HoldId, DiscountGranted = i.DiscountGranted,
            }).ToList(),
            Payments = s.Payments.Values.Select(p => new PaymentV2
            {
                PaymentReference = p.PaymentReference, ReceivedDay = p.ReceivedDate.DayNumber, Amount = p.Amount,
                Remittance = p.Remittance.Select(r => new RemittanceLineV2 { InvoiceNumber = r.InvoiceNumber, Line = r.Line ?? 0, Amount = r.Amount }).ToList(),
                Unapplied = p.Unapplied,
                Allocations = p.Allocations.Select(a => new RemittanceLineV2 { InvoiceNumber = a.InvoiceNumber, Line = a.Line, Amount = a.Amount }).ToList(),
            }).ToList(),
            OpenedCreditLimit = s.OpenedWith.CreditLimit,
            OpenedPaymentTermsDays = s.OpenedWith.PaymentTermsDays,
            OpenedProfile = ProfileV2.From(s.OpenedWith.Profile),
            LimitRequests = s.LimitRequests.Values.Select(r => new LimitRequestV2
            {
                RequestId = r.RequestId, OldLimit = r.OldLimit, NewLimit = r.NewLimit, Reason = r.Reason, RequestedBy = r.RequestedBy,
                RequestedAtTicks = r.RequestedAt.UtcTicks, Status = (int)r.Status, DecidedBy = r.DecidedBy, DecidedAtTicks = r.DecidedAt?.UtcTicks ?? 0,
                DecisionNote = r.DecisionNote,
            }).ToList(),
            Version = s.Version,
            EndedHolds = s.Settled.Holds.Select(h => new SettledV2
                { Id = h.Key, Fingerprint = h.Value.Fingerprint, Detail = (int)h.Value.Status, Ticks = h.Value.ExpiresAt.UtcTicks }).ToList(),
            SettledInvoices = s.Settled.Invoices.Select(i => new SettledV2 { Id = i.Key, Fingerprint = i.Value.Fingerprint, Detail = i.Value.LineCount }).ToList(),
            SettledPayments = Fingerprints(s.Settled.Payments),
            SettledCreditNotes = Fingerprints(s.Settled.CreditNotes),
            SettledWriteOffs = Fingerprints(s.Settled.WriteOffs),
            Behaviour = new RatingHistoryV2
            {
                Months = s.Behaviour.Months.Select(m => new MonthFactsV2
                {
                    Month = m.Month, Invoiced = m.Invoiced, Credited = m.Credited, WriteOffs = m.WriteOffs, Blocks = m.Blocks, Payments = m.Payments,
                    PaidAmount = m.PaidAmount, PaidIndexAmount = m.PaidIndexAmount, UtilisationDays = m.UtilisationDays, Days = m.Days,
                }).ToList(),
                FirstInvoiceDay = s.Behaviour.FirstInvoice?.DayNumber ?? 0,
                InvoicesPaid = s.Behaviour.InvoicesPaid,
                UtilisationFromDay = s.Behaviour.UtilisationFrom?.DayNumber ?? 0,
                Incomplete = !s.Behaviour.Complete,
            },
            Rating = s.Rating is { } r ? new AccountRatingV2
            {
                PolicyId = r.PolicyId, PolicyVersion = r.PolicyVersion, AsOfDay = r.AsOf.DayNumber, Score = r.Score, Grade = r.Grade,
                Factors = r.Factors.Select(f => new RatingFactorV2
                {
                    Name = f.Name, HasRaw = f.Raw is not null, Raw = f.Raw ?? 0m, HasPoints = f.Points is not null, Points = f.Points ?? 0, Weight = f.Weight,
                }).ToList(),
                DeclineNewHolds = r.Floor.DeclineNewHolds,
                HasMaxHoldPercent = r.Floor.MaxHoldPercentOfLimit is not null, MaxHoldPercent = r.Floor.MaxHoldPercentOfLimit ?? 0m,
                HasMaxSingleOrder = r.Floor.MaxSingleOrder is not null, MaxSingleOrder = r.Floor.MaxSingleOrder ?? 0m,
                SuggestedTier = (int)r.SuggestedTier, HasSuggestedLimit = r.SuggestedLimit is not null, SuggestedLimit = r.SuggestedLimit ?? 0m,
                RatedAtTicks = r.RatedAt.UtcTicks, ReviewId = r.ReviewId,
            } : null,
            External = s.External is { } x ? new ExternalRatingV2
                { Agency = x.Agency, Grade = x.Grade, Score = x.Score, ReportDay = x.ReportDate.DayNumber, Reference = x.Reference } : null,
            LastReviewId = s.LastReviewId,
            Collections = CollectionsV2.From(s.Collections),
        };
    }

    public AccountState ToState()
    {
        if (Schema is not (CurrentSchema or PreTimeZoneSchema or PreCollectionsSchema or PreRatingSchema))
            throw new InvalidOperationException(
                $"Account snapshot schema {Schema} is not one this version reads ({PreRatingSchema}, {PreCollectionsSchema}, {PreTimeZoneSchema}, {CurrentSchema})");
        return AccountState.Empty(AccountId) with
        {
            IsOpened = IsOpened,
            TimeZone = TimeZone ?? Domain.Calendar.BusinessTime.Utc,
            PersonalDataErasedAt = PersonalDataErasedAtTicks == 0 ? null : new DateTimeOffset(PersonalDataErasedAtTicks, TimeSpan.Zero),
            CurrencyCode = CurrencyCode,
            CreditLimit = CreditLimit,
            PaymentTermsDays = PaymentTermsDays,
            Profile = Profile?.ToProfile() ?? new Profile(""),
            Status = (AccountStatus)Status,
            Receivables = Receivables,
            HeldAmount = HeldAmount,
            UnappliedCash = UnappliedCash,
            Holds = Sorted(Holds, h => h.HoldId, h => new Hold(h.HoldId, h.Amount, Instant(h.ExpiresAtTicks), h.OrderReference, (HoldStatus)h.Status,
                Instant(h.PlacedAtTicks), h.InvoiceNumber)),
            Invoices = Sorted(Invoices, i => i.InvoiceNumber, i => new Invoice(i.InvoiceNumber, Day(i.IssueDay), Day(i.DueDay), i.Amount,
                i.Lines.Select(l => new InvoiceLine(l.Line, Day(l.DueDay), l.Amount, l.Paid, l.Credited, l.Discounted, l.WrittenOff)).ToImmutableArray(),
                i.HasDiscount ? new DiscountTerms(i.DiscountPercent, i.DiscountWithinDays) : null, i.HoldId, i.DiscountGranted)),
            Payments = Sorted(Payments, p => p.PaymentReference, p => new Payment(p.PaymentReference, Day(p.ReceivedDay), p.Amount,
                p.Remittance.Select(r => new RemittanceLine(r.InvoiceNumber, r.Line == 0 ? null : r.Line, r.Amount)).ToImmutableArray(),
                p.Unapplied, p.Allocations.Select(a => new AllocationLine(a.InvoiceNumber, a.Line, a.Amount)).ToImmutableArray())),
            OpenedWith = new OpenedTerms(OpenedCreditLimit, OpenedPaymentTermsDays, OpenedProfile?.ToProfile() ?? new Profile("")),
            LimitRequests = Sorted(LimitRequests, r => r.RequestId, r => new LimitRequest(r.RequestId, r.OldLimit, r.NewLimit, r.Reason, r.RequestedBy,
                Instant(r.RequestedAtTicks), (LimitRequestStatus)r.Status, r.DecidedBy, r.DecidedAtTicks == 0 ? null : Instant(r.DecidedAtTicks),
                r.DecisionNote)),
            Version = Version,
            Settled = new SettledItems(
                Table(EndedHolds, h => new EndedHold(h.Fingerprint, Instant(h.Ticks), (HoldStatus)h.Detail)),
                Table(SettledInvoices, i => new SettledInvoice(i.Fingerprint, i.Detail)),
                Table(SettledPayments, p => p.Fingerprint),
                Table(SettledCreditNotes, n => n.Fingerprint),
                Table(SettledWriteOffs, w => w.Fingerprint)),
            Behaviour = Schema == PreRatingSchema || Behaviour is null
                ? RatingHistory.Empty with { Complete = false }
                : new RatingHistory(
                    [.. Behaviour.Months.Select(m => new MonthFacts(m.Month, m.Invoiced, m.Credited, m.WriteOffs, m.Blocks, m.Payments, m.PaidAmount,
                        m.PaidIndexAmount, m.UtilisationDays, m.Days))],
                    Behaviour.FirstInvoiceDay == 0 ? null : Day(Behaviour.FirstInvoiceDay),
                    Behaviour.InvoicesPaid,
                    Behaviour.UtilisationFromDay == 0 ? null : Day(Behaviour.UtilisationFromDay)) { Complete = !Behaviour.Incomplete },
            Rating = Rating is { } r ? new AccountRating(r.PolicyId, r.PolicyVersion, Day(r.AsOfDay), r.Score, r.Grade,
                r.Factors.Select(f => new RatingFactor(f.Name, f.HasRaw ? f.Raw : null, f.HasPoints ? f.Points : null, f.Weight)).ToList(),
                new RatingFloor(r.DeclineNewHolds, r.HasMaxHoldPercent ? r.MaxHoldPercent : null, r.HasMaxSingleOrder ? r.MaxSingleOrder : null),
                (Tier)r.SuggestedTier, r.HasSuggestedLimit ? r.SuggestedLimit : null, Instant(r.RatedAtTicks), r.ReviewId) : null,
            External = External is { } x ? new ExternalRating(x.Agency, x.Grade, x.Score, Day(x.ReportDay), x.Reference) : null,
            LastReviewId = LastReviewId,
            Collections = Collections?.ToState() ?? CollectionState.None,
        };
    }

    private static List<SettledV2> Fingerprints(SettledDictionary<ulong> items) =>
        items.Select(i => new SettledV2 { Id = i.Key, Fingerprint = i.Value }).ToList();

    private static DateOnly Day(int dayNumber) => DateOnly.FromDayNumber(dayNumber);

    private static DateTimeOffset Instant(long utcTicks) => new(utcTicks, TimeSpan.Zero);

    private static ImmutableSortedDictionary<string, TLive> Sorted<TStored, TLive>(List<TStored> items, Func<TStored, string> key, Func<TStored, TLive> live)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, TLive>(StringComparer.Ordinal);
        foreach (var item in items)
            builder.Add(key(item), live(item));
        return builder.ToImmutable();
    }

    /// <summary>Written in ordinal id order, so the table is read without sorting.</summary>
    private static SettledDictionary<T> Table<T>(List<SettledV2> items, Func<SettledV2, T> value) where T : struct, IEquatable<T> =>
        SettledIds.Table(items.Select(i => KeyValuePair.Create(i.Id, value(i))));
}
