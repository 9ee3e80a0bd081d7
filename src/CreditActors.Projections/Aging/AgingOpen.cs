using System.Data.Common;
using CreditActors.Domain.Aging;
using CreditActors.Projections.Runtime;
using Dapper;
using System.Buffers.Binary;

namespace CreditActors.Projections.Aging;

/// <summary>
/// What one account's aging is made of, in one row of aging_open: each line open now (its issue and due days and what is
/// open on it) and each settlement that took effect from the row's <c>since</c> day on, with its line's issue and due days.
/// Aging as of a day D on or after since - 1 is then, per account, the lines open now issued by D plus the settlements
/// after D on lines issued by D, each in the bucket of its line's due day: no line of the book is read, only a row per
/// account, and the row is bounded by what is open and by the window of settlements, not by the account's age.
/// </summary>
/// <remarks>
/// Stored as a fixed little-endian layout that a report sums in place, without decoding into objects (100,000 rows: about
/// 150 ms decoded as protocol buffers into arrays first, a few ms in place): a version byte, the counts of lines and of
/// settlements (32 bits each), then each line (issue day, due day: 32 bits; open: 64 bits) and each settlement (effective,
/// issue and due days: 32 bits; amount: 64 bits). Days are <see cref="DateOnly.DayNumber"/>, amounts minor units. The table
/// is a read model: a new layout is a new version byte, and the rows are made again from the lines.
/// </remarks>
public sealed class OpenBook
{
    public const byte CurrentVersion = 1;
    private const int Header = 9;
    private const int LineSize = 16;
    private const int SettledSize = 20;

    public int[] LineIssueDays { get; init; } = [];
    public int[] LineDueDays { get; init; } = [];
    public long[] LineOpen { get; init; } = [];
    public int[] SettledDays { get; init; } = [];
    public int[] SettledIssueDays { get; init; } = [];
    public int[] SettledDueDays { get; init; } = [];
    public long[] SettledAmounts { get; init; } = [];

    public byte[] ToBytes()
    {
        var bytes = new byte[Header + LineOpen.Length * LineSize + SettledAmounts.Length * SettledSize];
        var span = bytes.AsSpan();
        span[0] = CurrentVersion;
        BinaryPrimitives.WriteInt32LittleEndian(span[1..], LineOpen.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span[5..], SettledAmounts.Length);
        var at = Header;
        for (var i = 0; i < LineOpen.Length; i++, at += LineSize)
        {
            BinaryPrimitives.WriteInt32LittleEndian(span[at..], LineIssueDays[i]);
            BinaryPrimitives.WriteInt32LittleEndian(span[(at + 4)..], LineDueDays[i]);
            BinaryPrimitives.WriteInt64LittleEndian(span[(at + 8)..], LineOpen[i]);
        }
        for (var i = 0; i < SettledAmounts.Length; i++, at += SettledSize)
        {
            BinaryPrimitives.WriteInt32LittleEndian(span[at..], SettledDays[i]);
            BinaryPrimitives.WriteInt32LittleEndian(span[(at + 4)..], SettledIssueDays[i]);
            BinaryPrimitives.WriteInt32LittleEndian(span[(at + 8)..], SettledDueDays[i]);
            BinaryPrimitives.WriteInt64LittleEndian(span[(at + 12)..], SettledAmounts[i]);
        }
        return bytes;
    }

    /// <summary>
    /// Adds what the stored book had open as of the day to <paramref name="sums"/> (minor units, one per bucket); only lines due
    /// before <paramref name="dueBeforeDay"/> when given.
    /// </summary>
    public static void AddTo(ReadOnlySpan<byte> book, long[] sums, int asOfDay, AgingBuckets buckets, int? dueBeforeDay)
    {
        if (book.Length < Header || book[0] != CurrentVersion)
            throw new InvalidOperationException(
                $"aging_open holds a book of version {(book.Length == 0 ? 0 : book[0])}, this service reads {CurrentVersion}: rebuild the aging projection");
        var lines = BinaryPrimitives.ReadInt32LittleEndian(book[1..]);
        var settled = BinaryPrimitives.ReadInt32LittleEndian(book[5..]);
        if (book.Length != Header + lines * LineSize + settled * SettledSize)
            throw new InvalidOperationException("aging_open holds a book of the wrong length: rebuild the aging projection");
        var dueBefore = dueBeforeDay ?? int.MaxValue;
        var at = Header;
        for (var i = 0; i < lines; i++, at += LineSize)
        {
            var issue = BinaryPrimitives.ReadInt32LittleEndian(book[at..]);
            var due = BinaryPrimitives.ReadInt32LittleEndian(book[(at + 4)..]);
            if (issue <= asOfDay && due < dueBefore)
                sums[buckets.IndexFor(asOfDay - due)] += BinaryPrimitives.ReadInt64LittleEndian(book[(at + 8)..]);
        }
        for (var i = 0; i < settled; i++, at += SettledSize)
        {
            var day = BinaryPrimitives.ReadInt32LittleEndian(book[at..]);
            var issue = BinaryPrimitives.ReadInt32LittleEndian(book[(at + 4)..]);
            var due = BinaryPrimitives.ReadInt32LittleEndian(book[(at + 8)..]);
            if (day > asOfDay && issue <= asOfDay && due < dueBefore)
                sums[buckets.IndexFor(asOfDay - due)] += BinaryPrimitives.ReadInt64LittleEndian(book[(at + 12)..]);
        }
    }
}

/// <summary>
/// The aging projection's row per account (table aging_open, see <see cref="OpenBook"/>): made again for the accounts a batch
/// changed, inside the batch's transaction, and for every account when the table is new.
/// </summary>
public static class AgingOpen
{
    /// <summary>The settlements kept in each row: those of the last 400 days, so that any day of the last year and more (each
    /// month-end, the year-end) is answered from the rows. Earlier days, and reports as known at an instant, read the lines.</summary>
    public const int DefaultWindowDays = 400;

    /// <summary>Accounts made again per statement.</summary>
    private const int AccountsPerStatement = 500;

    /// <summary>The rows' table and its index (made together, with the rows); then what else the report needs or no longer uses.</summary>
    public static (IReadOnlyList<string> Table, IReadOnlyList<string> Others) Schema(bool postgreSql) =>
    (
        [
            $"CREATE TABLE IF NOT EXISTS aging_open (account_id TEXT PRIMARY KEY, since TEXT NOT NULL, book {(postgreSql ? "BYTEA" : "BLOB")} NOT NULL)",
            "CREATE INDEX IF NOT EXISTS aging_open_since ON aging_open (since)",
        ],
        [
            // An account's settlements in the window, without reading the ones before it (a long-lived account has many).
            "CREATE INDEX IF NOT EXISTS aging_settlements_account_day ON aging_settlements (account_id, effective_date)",
            // The day's sums the report read before the rows above: no longer written nor read.
            "DROP TABLE IF EXISTS aging_today",
            "DROP TABLE IF EXISTS aging_today_meta",
        ]
    );

    /// <summary>
    /// Whether a report as of the day can be read from the rows: they hold every settlement after it. False when there are no
    /// rows, so that a book whose every line was settled before any window still reads its lines.
    /// </summary>
    public static async Task<bool> CoversAsync(DbConnection connection, DbTransaction transaction, DateOnly asOf)
    {
        var since = await connection.QuerySingleOrDefaultAsync<string?>("SELECT MAX(since) FROM aging_open", transaction: transaction);
        return since is not null && string.CompareOrdinal(since, ProjectionWriter.Date(asOf.AddDays(1))) <= 0;
    }

    /// <summary>Makes the rows of the <paramref name="accounts"/> again from their lines and settlements.</summary>
    public static async Task RefreshAsync(DbConnection connection, DbTransaction transaction, DateOnly today, int windowDays,
        IReadOnlyCollection<string> accounts)
    {
        var since = today.AddDays(-windowDays);
        foreach (var chunk in accounts.Chunk(AccountsPerStatement))
            await WriteAsync(connection, transaction, since, chunk);
    }

    /// <summary>Every account's row afresh (a new table, or a rebuild), a chunk of accounts at a time.</summary>
    public static async Task RebuildAsync(DbConnection connection, DbTransaction transaction, DateOnly today, int windowDays)
    {
        await connection.ExecuteAsync("DELETE FROM aging_open", transaction: transaction);
        var accounts = (await connection.QueryAsync<string>("SELECT DISTINCT account_id FROM aging_lines", transaction: transaction)).AsList();
        await RefreshAsync(connection, transaction, today, windowDays, accounts);
    }

    private sealed class Builder
    {
        public List<(int Issue, int Due, long Open)> Lines { get; } = [];
        public List<(int Day, int Issue, int Due, long Amount)> Settled { get; } = [];

        public OpenBook Book() => new()
        {
            LineIssueDays = [.. Lines.Select(l => l.Issue)],
            LineDueDays = [.. Lines.Select(l => l.Due)],
            LineOpen = [.. Lines.Select(l => l.Open)],
            SettledDays = [.. Settled.Select(s => s.Day)],
            SettledIssueDays = [.. Settled.Select(s => s.Issue)],
            SettledDueDays = [.. Settled.Select(s => s.Due)],
            SettledAmounts = [.. Settled.Select(s => s.Amount)],
        };
    }

    private static async Task WriteAsync(DbConnection connection, DbTransaction transaction, DateOnly since, string[] accounts)
    {
        var parameters = new DynamicParameters(new { since = ProjectionWriter.Date(since) });
        for (var i = 0; i < accounts.Length; i++)
            parameters.Add($"account{i}", accounts[i]);
        var names = string.Join(", ", accounts.Select((_, i) => $"@account{i}"));
        var books = new Dictionary<string, Builder>(StringComparer.Ordinal);
        Builder Of(string account) => books.TryGetValue(account, out var b) ? b : books[account] = new Builder();

        foreach (var (account, issue, due, open) in await connection.QueryAsync<(string, string, string, long)>(
            $"SELECT account_id, issue_date, due_date, open_minor FROM aging_lines WHERE account_id IN ({names}) AND open_minor <> 0",
            parameters, transaction))
            Of(account).Lines.Add((Day(issue), Day(due), open));
        foreach (var (account, day, issue, due, amount) in await connection.QueryAsync<(string, string, string, string, long)>(
            $"""
            SELECT s.account_id, s.effective_date, l.issue_date, l.due_date, s.amount_minor
            FROM aging_settlements s JOIN aging_lines l ON l.account_id = s.account_id AND l.invoice_number = s.invoice_number AND l.line = s.line
            WHERE s.account_id IN ({names}) AND s.effective_date >= @since
            """, parameters, transaction))
            Of(account).Settled.Add((Day(day), Day(issue), Day(due), amount));

        await connection.ExecuteAsync($"DELETE FROM aging_open WHERE account_id IN ({names})", parameters, transaction);
        var sinceText = ProjectionWriter.Date(since);
        await Bulk.InsertAsync(connection, transaction, "aging_open", ["account_id", "since", "book"],
            books.Select(b => new object?[] { b.Key, sinceText, b.Value.Book().ToBytes() }).ToList());
    }

    private static int Day(string date) => DateOnly.ParseExact(date, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture).DayNumber;
}
