using System.Collections.Immutable;
using CreditActors.Domain.Accounts;
using CreditActors.Domain.Collections;
using ProtoBuf;

namespace CreditActors.Persistence.Snapshots;

[ProtoContract]
public sealed class LateReductionV2
{
    [ProtoMember(1)] public int Day { get; set; }
    [ProtoMember(2, IsRequired = true)] public decimal Amount { get; set; }
}

[ProtoContract]
public sealed class LineDunningV2
{
    [ProtoMember(1)] public string InvoiceNumber { get; set; } = "";
    [ProtoMember(2)] public int Line { get; set; }
    [ProtoMember(3)] public int DueDay { get; set; }
    [ProtoMember(4)] public int Level { get; set; }
    [ProtoMember(5)] public List<LateReductionV2> LateReductions { get; set; } = [];
    [ProtoMember(6)] public int InterestFromDay { get; set; }
    [ProtoMember(7, IsRequired = true)] public decimal InterestRatePercent { get; set; }
    [ProtoMember(8, IsRequired = true)] public decimal InterestCharged { get; set; }
    [ProtoMember(9)] public int InterestChargedToDay { get; set; }
    [ProtoMember(10)] public bool Settled { get; set; }
}

[ProtoContract]
public sealed class DisputeV2
{
    [ProtoMember(1)] public string DisputeId { get; set; } = "";
    [ProtoMember(2)] public string InvoiceNumber { get; set; } = "";
    [ProtoMember(3, IsRequired = true)] public decimal Amount { get; set; }
    [ProtoMember(4)] public int RequestedLine { get; set; }
    [ProtoMember(5)] public List<RemittanceLineV2> Lines { get; set; } = [];
    [ProtoMember(6)] public string Reason { get; set; } = "";
    [ProtoMember(7)] public int OpenedDay { get; set; }
    [ProtoMember(8)] public string? Resolution { get; set; }
}

[ProtoContract]
public sealed class PromiseV2
{
    [ProtoMember(1)] public string PromiseId { get; set; } = "";
    [ProtoMember(2, IsRequired = true)] public decimal Amount { get; set; }
    [ProtoMember(3)] public int PromisedDay { get; set; }
    [ProtoMember(4)] public List<string> InvoiceNumbers { get; set; } = [];
    [ProtoMember(5)] public int RecordedDay { get; set; }
    [ProtoMember(6, IsRequired = true)] public decimal Received { get; set; }
    [ProtoMember(7)] public int Status { get; set; }
}

[ProtoContract]
public sealed class DeliveryV2
{
    [ProtoMember(1)] public string NoticeId { get; set; } = "";
    [ProtoMember(2)] public int IssuedDay { get; set; }
    [ProtoMember(3)] public int Channel { get; set; }
    [ProtoMember(4)] public int Attempts { get; set; }
    [ProtoMember(5)] public int Status { get; set; }
    [ProtoMember(6)] public string? LastError { get; set; }
}

/// <summary>A statement that asked for a confirmation and is not closed.</summary>
[ProtoContract]
public sealed class StatementFiguresV2
{
    [ProtoMember(1)] public string StatementId { get; set; } = "";
    [ProtoMember(2, IsRequired = true)] public decimal ClosingBalance { get; set; }
    [ProtoMember(3)] public string? Confirmation { get; set; }
    [ProtoMember(4)] public bool Replied { get; set; }
    [ProtoMember(5)] public string? Reconciliation { get; set; }
}

/// <summary>A statement issued: its id and content hash.</summary>
[ProtoContract]
public sealed class StatementRefV2
{
    [ProtoMember(1)] public string StatementId { get; set; } = "";
    [ProtoMember(2)] public string ContentHash { get; set; } = "";
}

/// <summary>What collections keeps of an account (schema 4). Day 0 stands for "none".</summary>
[ProtoContract]
public sealed class CollectionsV2
{
    [ProtoMember(1)] public List<LineDunningV2> Lines { get; set; } = [];
    [ProtoMember(2)] public List<DisputeV2> Disputes { get; set; } = [];
    [ProtoMember(3)] public List<PromiseV2> Promises { get; set; } = [];
    [ProtoMember(4)] public List<DeliveryV2> Deliveries { get; set; } = [];
    [ProtoMember(5)] public List<string> NoteIds { get; set; } = [];
    [ProtoMember(6)] public int LastNoticeDay { get; set; }
    [ProtoMember(7)] public int LastNoticeLevel { get; set; }
    [ProtoMember(8)] public string? Collector { get; set; }
    [ProtoMember(9)] public int LastContactDay { get; set; }
    [ProtoMember(10)] public string? Language { get; set; }
    [ProtoMember(11)] public string? BillingEmail { get; set; }
    [ProtoMember(12)] public bool MonthlyStatements { get; set; }
    [ProtoMember(13)] public string? Confirmation { get; set; }
    [ProtoMember(14)] public List<StatementRefV2> Statements { get; set; } = [];
    [ProtoMember(15)] public List<StatementFiguresV2> StatementFigures { get; set; } = [];

    public static CollectionsV2 From(CollectionState c) => new()
    {
        Lines = c.Lines.Select(l => new LineDunningV2
        {
            InvoiceNumber = l.Key.InvoiceNumber, Line = l.Key.Line, DueDay = l.Value.DueDate.DayNumber, Level = l.Value.Level,
            LateReductions = l.Value.LateReductions.Select(r => new LateReductionV2 { Day = r.Date.DayNumber, Amount = r.Amount }).ToList(),
            InterestFromDay = l.Value.InterestFrom?.DayNumber ?? 0, InterestRatePercent = l.Value.InterestRatePercent,
            InterestCharged = l.Value.InterestCharged, InterestChargedToDay = l.Value.InterestChargedTo?.DayNumber ?? 0, Settled = l.Value.Settled,
        }).ToList(),
        Disputes = c.Disputes.Values.Select(d => new DisputeV2
        {
            DisputeId = d.DisputeId, InvoiceNumber = d.InvoiceNumber, Amount = d.Amount, RequestedLine = d.RequestedLine ?? 0,
            Lines = d.Lines.Select(l => new RemittanceLineV2 { InvoiceNumber = d.InvoiceNumber, Line = l.Line, Amount = l.Amount }).ToList(),
            Reason = d.Reason, OpenedDay = d.OpenedOn.DayNumber, Resolution = d.Resolution,
        }).ToList(),
        Promises = c.Promises.Values.Select(p => new PromiseV2
        {
            PromiseId = p.PromiseId, Amount = p.Amount, PromisedDay = p.PromisedDate.DayNumber, InvoiceNumbers = [.. p.InvoiceNumbers],
            RecordedDay = p.RecordedOn.DayNumber, Received = p.Received, Status = (int)p.Status,
        }).ToList(),
        Deliveries = c.Deliveries.Values.Select(d => new DeliveryV2
        {
            NoticeId = d.NoticeId, IssuedDay = d.IssuedOn.DayNumber, Channel = (int)d.Channel, Attempts = d.Attempts, Status = (int)d.Status,
            LastError = d.LastError,
        }).ToList(),
        NoteIds = [.. c.NoteIds],
        LastNoticeDay = c.LastNoticeOn?.DayNumber ?? 0,
        LastNoticeLevel = c.LastNoticeLevel,
        Collector = c.Collector,
        LastContactDay = c.LastContactOn?.DayNumber ?? 0,
        Language = c.Language,
        BillingEmail = c.BillingEmail,
        MonthlyStatements = c.MonthlyStatements,
        Confirmation = c.Confirmation,
        Statements = c.Statements.Select(s => new StatementRefV2 { StatementId = s.Key, ContentHash = s.Value }).ToList(),
        StatementFigures = c.StatementFigures.Select(f => new StatementFiguresV2
        {
            StatementId = f.Key, ClosingBalance = f.Value.ClosingBalance, Confirmation = f.Value.Confirmation, Replied = f.Value.Replied,
            Reconciliation = f.Value.Reconciliation,
        }).ToList(),
    };

    public CollectionState ToState()
    {
        static DateOnly? Day(int day) => day == 0 ? null : DateOnly.FromDayNumber(day);
        return CollectionState.None with
        {
            Lines = Lines.ToImmutableSortedDictionary(l => new LineRef(l.InvoiceNumber, l.Line), l => new LineDunning(
                DateOnly.FromDayNumber(l.DueDay), l.Level, [.. l.LateReductions.Select(r => new LateReduction(DateOnly.FromDayNumber(r.Day), r.Amount))],
                Day(l.InterestFromDay), l.InterestRatePercent, l.InterestCharged, Day(l.InterestChargedToDay), l.Settled)),
            Disputes = Disputes.ToImmutableSortedDictionary(d => d.DisputeId, d => new InvoiceDispute(d.DisputeId, d.InvoiceNumber, d.Amount,
                d.RequestedLine == 0 ? null : d.RequestedLine, [.. d.Lines.Select(l => new LineAmount(l.Line, l.Amount))], d.Reason,
                DateOnly.FromDayNumber(d.OpenedDay), d.Resolution), StringComparer.Ordinal),
            Promises = Promises.ToImmutableSortedDictionary(p => p.PromiseId, p => new PaymentPromise(p.PromiseId, p.Amount,
                DateOnly.FromDayNumber(p.PromisedDay), [.. p.InvoiceNumbers], DateOnly.FromDayNumber(p.RecordedDay), p.Received, (PromiseStatus)p.Status),
                StringComparer.Ordinal),
            Deliveries = Deliveries.ToImmutableSortedDictionary(d => d.NoticeId, d => new NoticeDelivery(d.NoticeId, DateOnly.FromDayNumber(d.IssuedDay),
                (NoticeChannel)d.Channel, d.Attempts, (DeliveryStatus)d.Status, d.LastError), StringComparer.Ordinal),
            NoteIds = NoteIds.ToImmutableSortedSet(StringComparer.Ordinal),
            LastNoticeOn = Day(LastNoticeDay),
            LastNoticeLevel = LastNoticeLevel,
            Collector = Collector,
            LastContactOn = Day(LastContactDay),
            Language = Language,
            BillingEmail = BillingEmail,
            MonthlyStatements = MonthlyStatements,
            Confirmation = Confirmation,
            Statements = Statements.ToImmutableSortedDictionary(s => s.StatementId, s => s.ContentHash, StringComparer.Ordinal),
            StatementFigures = StatementFigures.ToImmutableSortedDictionary(f => f.StatementId,
                f => new StatementFigures(f.ClosingBalance, f.Confirmation, f.Replied, f.Reconciliation), StringComparer.Ordinal),
        };
    }
}
