using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using CreditActors.Domain.Collections;

namespace CreditActors.Domain.Accounts;

/// <summary>An invoice line, by number and line; written as <c>number#line</c> where a name is needed (a JSON key).</summary>
[JsonConverter(typeof(LineRefConverter))]
public readonly record struct LineRef(string InvoiceNumber, int Line) : IComparable<LineRef>
{
    public int CompareTo(LineRef other) =>
        string.CompareOrdinal(InvoiceNumber, other.InvoiceNumber) is var byNumber and not 0 ? byNumber : Line.CompareTo(other.Line);

    public static bool operator <(LineRef left, LineRef right) => left.CompareTo(right) < 0;
    public static bool operator <=(LineRef left, LineRef right) => left.CompareTo(right) <= 0;
    public static bool operator >(LineRef left, LineRef right) => left.CompareTo(right) > 0;
    public static bool operator >=(LineRef left, LineRef right) => left.CompareTo(right) >= 0;
}

/// <summary>Reads and writes a <see cref="LineRef"/> as <c>number#line</c>.</summary>
public sealed class LineRefConverter : JsonConverter<LineRef>
{
    public override LineRef Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Parse(reader.GetString()!);

    public override void Write(Utf8JsonWriter writer, LineRef value, JsonSerializerOptions options) => writer.WriteStringValue(Name(value));

    public override LineRef ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Parse(reader.GetString()!);

    public override void WriteAsPropertyName(Utf8JsonWriter writer, LineRef value, JsonSerializerOptions options) => writer.WritePropertyName(Name(value));

    private static string Name(LineRef value) => $"{value.InvoiceNumber}#{value.Line.ToString(CultureInfo.InvariantCulture)}";

    private static LineRef Parse(string text)
    {
        var at = text.LastIndexOf('#');
        return new LineRef(text[..at], int.Parse(text[(at + 1)..], CultureInfo.InvariantCulture));
    }
}

/// <summary>
/// What collections keeps of one sale line: the highest dunning level it reached, the reductions of its open amount after
/// its due date (the timeline interest runs on), and its interest: from when, at what rate, how much charged. Kept while
/// the line is open, and after it settled while interest on it is still to be charged.
/// </summary>
public sealed record LineDunning(
    DateOnly DueDate,
    int Level,
    ImmutableArray<LateReduction> LateReductions,
    DateOnly? InterestFrom = null,
    decimal InterestRatePercent = 0m,
    decimal InterestCharged = 0m,
    DateOnly? InterestChargedTo = null,
    bool Settled = false)
{
    public static LineDunning For(DateOnly dueDate) => new(dueDate, 0, []);

    public bool InterestRuns => InterestFrom is not null;

    /// <summary>The interest due from the start to <paramref name="today"/>, rounded for the currency, less what was charged.</summary>
    public decimal InterestOwed(decimal openNow, DateOnly today, Money.Currency currency) =>
        InterestFrom is { } from
            ? Math.Max(0m, currency.Round(InterestAccrual.On(InterestAccrual.BalanceDays(openNow, LateReductions, from, today), InterestRatePercent)) - InterestCharged)
            : 0m;
}

public enum PromiseStatus { Open, Kept, Broken }

/// <summary>A promise to pay: the amount, the date, the invoices it covers, and what has been received since it was made.</summary>
public sealed record PaymentPromise(
    string PromiseId, decimal Amount, DateOnly PromisedDate, ImmutableArray<string> InvoiceNumbers, DateOnly RecordedOn, decimal Received,
    PromiseStatus Status);

/// <summary>A dispute: the amount held on each line, why, and how it ended (null while open).</summary>
public sealed record InvoiceDispute(
    string DisputeId, string InvoiceNumber, decimal Amount, int? RequestedLine, ImmutableArray<LineAmount> Lines, string Reason,
    DateOnly OpenedOn, string? Resolution)
{
    public bool IsOpen => Resolution is null;
}

public enum DeliveryStatus { Pending, Failed }

/// <summary>
/// What a reply to a statement is checked against: its closing balance, the confirmation it asked for, whether it was
/// answered, and its reconciliation item (null: none; "open"; or how it was resolved).
/// </summary>
public sealed record StatementFigures(decimal ClosingBalance, string? Confirmation, bool Replied, string? Reconciliation);

/// <summary>A notice not yet delivered: how it goes out, how many attempts were made, and whether they gave up.</summary>
public sealed record NoticeDelivery(string NoticeId, DateOnly IssuedOn, NoticeChannel Channel, int Attempts, DeliveryStatus Status, string? LastError);

/// <summary>
/// What collections keeps of an account: the lines it is chasing, disputes, promises, the last notice, deliveries still
/// owed, the collector, the last contact, and the ids of notes and closed promises (so a repeat writes nothing).
/// </summary>
public sealed record CollectionState(
    ImmutableSortedDictionary<LineRef, LineDunning> Lines,
    ImmutableSortedDictionary<string, InvoiceDispute> Disputes,
    ImmutableSortedDictionary<string, PaymentPromise> Promises,
    ImmutableSortedDictionary<string, NoticeDelivery> Deliveries,
    ImmutableSortedSet<string> NoteIds,
    DateOnly? LastNoticeOn,
    int LastNoticeLevel,
    string? Collector,
    DateOnly? LastContactOn)
{
    /// <summary>The language notices are written in (zh, en); null: the service's default.</summary>
    public string? Language { get; init; }

    /// <summary>Where notices by email go; null: the profile's email.</summary>
    public string? BillingEmail { get; init; }

    /// <summary>Whether a statement goes out every month.</summary>
    public bool MonthlyStatements { get; init; }

    /// <summary>The balance confirmation statements ask for (confirmation, request, notification); null: none.</summary>
    public string? Confirmation { get; init; }

    /// <summary>The statements issued, by id, with their content hash: a repeat writes nothing, another content under the id conflicts.</summary>
    public ImmutableSortedDictionary<string, string> Statements { get; init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    /// <summary>The statements that asked for a confirmation and are not yet closed: what a reply is checked against.</summary>
    public ImmutableSortedDictionary<string, StatementFigures> StatementFigures { get; init; } =
        ImmutableSortedDictionary.Create<string, StatementFigures>(StringComparer.Ordinal);

    public static readonly CollectionState None = new(
        ImmutableSortedDictionary<LineRef, LineDunning>.Empty,
        ImmutableSortedDictionary.Create<string, InvoiceDispute>(StringComparer.Ordinal),
        ImmutableSortedDictionary.Create<string, PaymentPromise>(StringComparer.Ordinal),
        ImmutableSortedDictionary.Create<string, NoticeDelivery>(StringComparer.Ordinal),
        ImmutableSortedSet.Create<string>(StringComparer.Ordinal),
        null, 0, null, null);

    /// <summary>The amount open disputes hold on a line.</summary>
    public decimal DisputedOn(string invoiceNumber, int line)
    {
        var held = 0m;
        foreach (var dispute in Disputes.Values)
            if (dispute.IsOpen && dispute.InvoiceNumber == invoiceNumber)
                foreach (var amount in dispute.Lines)
                    if (amount.Line == line)
                        held += amount.Amount;
        return held;
    }

    /// <summary>Whether an open promise covers the invoice: dunning waits for its date.</summary>
    public bool UnderPromise(string invoiceNumber) =>
        Promises.Values.Any(p => p.Status == PromiseStatus.Open && p.InvoiceNumbers.Contains(invoiceNumber));

    public decimal OpenDisputedTotal => Disputes.Values.Where(d => d.IsOpen).Sum(d => d.Amount);
}

public sealed partial record AccountState
{
    /// <summary>What collections keeps: see <see cref="CollectionState"/>.</summary>
    public CollectionState Collections { get; init; } = CollectionState.None;
}
