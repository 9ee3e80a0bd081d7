using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CreditActors.Domain.Accounts;

/// <summary>
/// A compact fingerprint of what a command asked for, kept for each caller id after its item has left the live state, so
/// that a repeat still answers as the first time and a different command under the same id still gets a conflict. The
/// same fingerprint is computed from the command and from the item it made: a property holds the two together.
/// </summary>
/// <remarks>
/// The first 8 bytes of SHA-256 over a canonical text of the content: amounts without trailing zeros (100 and 100.00 are
/// the same amount), dates as ISO text, each field prefixed by its length.
/// Stored in snapshots, so the canonical text of a kind must never change. Two contents share a fingerprint with a
/// chance of about 2^-64; only then would a conflicting repeat be answered as a repeat.
/// </remarks>
public static class Fingerprints
{
    public static ulong Hold(decimal amount, string? orderReference) =>
        Of("hold", Amount(amount), orderReference);

    public static ulong Invoice(
        decimal amount, DateOnly issueDate, DateOnly dueDate, DiscountTerms? discount, string? holdId, IEnumerable<(DateOnly DueDate, decimal Amount)> lines) =>
        Of(["invoice", Amount(amount), Date(issueDate), Date(dueDate),
            discount is null ? null : $"{Amount(discount.Percent)}/{discount.WithinDays.ToString(CultureInfo.InvariantCulture)}",
            holdId, .. lines.Select(l => $"{Date(l.DueDate)}/{Amount(l.Amount)}")]);

    public static ulong Payment(decimal amount, DateOnly receivedDate, IEnumerable<RemittanceLine> remittance) =>
        Of(["payment", Amount(amount), Date(receivedDate),
            .. remittance.Select(r => $"{r.InvoiceNumber}/{r.Line?.ToString(CultureInfo.InvariantCulture) ?? "-"}/{Amount(r.Amount)}")]);

    public static ulong CreditNote(string invoiceNumber, decimal amount, string reason, int? line) =>
        Of("credit-note", invoiceNumber, Amount(amount), reason, line?.ToString(CultureInfo.InvariantCulture));

    public static ulong WriteOff(string invoiceNumber, int? line, decimal? amount, string reason) =>
        Of("write-off", invoiceNumber, line?.ToString(CultureInfo.InvariantCulture), amount is { } a ? Amount(a) : null, reason);

    private static string Amount(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);

    private static string Date(DateOnly value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static ulong Of(params string?[] fields)
    {
        var text = new StringBuilder();
        // Each field prefixed by its length (-1 for a missing one): no content can be read as another field.
        foreach (var field in fields)
            text.Append((field?.Length ?? -1).ToString(CultureInfo.InvariantCulture)).Append(':').Append(field);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()), hash);
        return BinaryPrimitives.ReadUInt64BigEndian(hash);
    }
}
