using System.Data.Common;
using System.Net;
using System.Text;
using System.Text.Json;
using CreditActors.Host.Tests.Support;
using CreditActors.Persistence;
using CreditActors.Persistence.Audit;

namespace CreditActors.Host.Tests;

// The tampering drill, straight on the database the service wrote (SQLite and PostgreSQL): change a payload byte, delete a
// row, put a forged row into a stream's history, swap two sequence numbers; verify names the stream, the event and the
// kind of change each time, and the seal no longer matches. Each change is undone before the next, and the untouched
// journal verifies clean, before and after; a seal table that no longer holds the root kept outside is caught as well.
public abstract class TamperingTests(IStore store)
{
    private const string A = "credit-account-TAMPER-A";
    private const string B = "credit-account-TAMPER-B";
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    protected static JournalDatabase DatabaseOf(string[] storage)
    {
        var argument = (string name) => storage.Single(a => a.StartsWith($"--Storage:{name}=", StringComparison.Ordinal)).Split('=', 2)[1];
        return storage.Contains("--Storage:Provider=Sqlite")
            ? JournalDatabase.SqliteFile(Path.Combine(argument("DataDirectory"), StorageSettings.SqliteFileName), readOnly: false)
            : JournalDatabase.PostgreSql(argument("ConnectionString"), readOnly: false);
    }

    protected static async Task<int> Run(DbConnection connection, string sql, params (string, object?)[] parameters) =>
        await JournalDatabase.ExecuteAsync(connection, sql, CancellationToken.None, parameters);

    private static async Task<(long Ordering, byte[] Message)> RowAsync(DbConnection connection, string pid, long sequence)
    {
        await using var command = JournalDatabase.Command(connection, "SELECT ordering, message FROM journal WHERE persistence_id = @p AND sequence_number = @s",
            ("@p", pid), ("@s", sequence));
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetInt64(0), (byte[])reader.GetValue(1));
    }

    private static async Task<ChainBreak> BrokenAsync(JournalDatabase database, string pid)
    {
        var report = await JournalVerifier.VerifyAsync(database, full: true);
        Assert.False(report.Clean);
        Assert.Contains(report.Seals, s => !s.Matches);
        return Assert.Single(report.Breaks, b => b.PersistenceId == pid);
    }

    /// <summary>Moves events of a stream from <paramref name="from"/> on by <paramref name="by"/>, highest first (or lowest first going down).</summary>
    private static async Task ShiftAsync(DbConnection connection, string pid, long from, int by, long last)
    {
        var order = by > 0 ? Enumerable.Range((int)from, (int)(last - from + 1)).Reverse() : Enumerable.Range((int)from, (int)(last - from + 1));
        foreach (var sequence in order)
            await Run(connection, "UPDATE journal SET sequence_number = @n WHERE persistence_id = @p AND sequence_number = @s",
                ("@n", (long)sequence + by), ("@p", pid), ("@s", (long)sequence));
    }

    [Fact]
    public async Task verify_finds_each_change_made_behind_the_services_back_and_an_untouched_journal_verifies_clean()
    {
        var storage = await store.NewStoreAsync();
        await using (var host = await RunningHost.StartAsync(storage))
        {
            foreach (var id in new[] { "TAMPER-A", "TAMPER-B" })
            {
                Assert.Equal(HttpStatusCode.Created, (await host.PostAsync("/accounts", new { accountId = id, name = id, currency = "CNY", creditLimit = 50_000m, paymentTermsDays = 30 })).StatusCode);
                for (var i = 1; i <= 3; i++)
                    Assert.Equal(HttpStatusCode.Created, (await host.PostAsync($"/accounts/{id}/invoices", new { invoiceNumber = $"INV-{i}", amount = 1_000m * i, issueDate = "2026-11-02" })).StatusCode);
                Assert.Equal(HttpStatusCode.Created, (await host.PostAsync($"/accounts/{id}/payments", new { paymentReference = "P-1", amount = 1_500m, receivedDate = "2026-11-20" })).StatusCode);
            }
            var sealed_ = await host.Client.PostAsync("/audit/seals", null);
            Assert.Equal(HttpStatusCode.Created, sealed_.StatusCode);
            var seal = await RunningHost.Json(sealed_);
            Assert.Equal(("manual", 2L), (seal.GetProperty("kind").GetString(), seal.GetProperty("streams").GetInt64()));
            var verified = await host.GetJsonAsync("/audit/verify");
            Assert.True(verified.GetProperty("clean").GetBoolean(), verified.ToString());
            Assert.Equal(0, verified.GetProperty("unchained").GetInt64());
        }

        var database = DatabaseOf(storage);
        var clean = await JournalVerifier.VerifyAsync(database, full: true);
        Assert.True(clean.Clean, string.Join("; ", clean.Breaks.Select(b => b.Detail).Concat(clean.Seals.Select(s => s.Detail))));
        Assert.True(clean.Events >= 10);
        var incremental = await JournalVerifier.VerifyAsync(database, full: false);
        Assert.True(incremental.Clean);
        Assert.Equal(0, incremental.Events);

        await using var connection = await database.OpenAsync();
        var (_, original) = await RowAsync(connection, A, 3);

        // 1. One byte of a payload: INV-2's 2000 becomes 9000.
        var changed = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(original).Replace("2000", "9000", StringComparison.Ordinal));
        Assert.NotEqual(original, changed);
        await Run(connection, "UPDATE journal SET message = @m WHERE persistence_id = @p AND sequence_number = 3", ("@m", changed), ("@p", A));
        Assert.Equal((3L, JournalVerifier.Changed), await BrokenAsync(database, A) is var c ? (c.SequenceNumber, c.Kind) : default);
        await Run(connection, "UPDATE journal SET message = @m WHERE persistence_id = @p AND sequence_number = 3", ("@m", original), ("@p", A));

        // 2. A row deleted (INV-3's, from the middle of the stream).
        await Run(connection, "UPDATE journal SET persistence_id = 'parked' WHERE persistence_id = @p AND sequence_number = 4", ("@p", A));
        Assert.Equal((4L, JournalVerifier.Deleted), await BrokenAsync(database, A) is var d ? (d.SequenceNumber, d.Kind) : default);
        await Run(connection, "UPDATE journal SET persistence_id = @p WHERE persistence_id = 'parked'", ("@p", A));

        // 3. A forged row put into B's history as event 3, the events after it moved down.
        var (_, forged) = await RowAsync(connection, B, 2);
        long last;
        await using (var max = JournalDatabase.Command(connection, "SELECT MAX(sequence_number) FROM journal WHERE persistence_id = @p", ("@p", B)))
            last = Convert.ToInt64(await max.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        await ShiftAsync(connection, B, 3, +1, last);
        await Run(connection, """
            INSERT INTO journal (created, deleted, persistence_id, sequence_number, message, tags, manifest, identifier, writer_uuid)
            SELECT created, deleted, persistence_id, 3, @m, tags, manifest, identifier, writer_uuid FROM journal WHERE persistence_id = @p AND sequence_number = 2
            """, ("@m", Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(forged).Replace("INV-1", "INV-9", StringComparison.Ordinal))), ("@p", B));
        Assert.Equal((3L, JournalVerifier.Inserted), await BrokenAsync(database, B) is var f ? (f.SequenceNumber, f.Kind) : default);
        await Run(connection, "DELETE FROM journal WHERE persistence_id = @p AND sequence_number = 3", ("@p", B));
        await ShiftAsync(connection, B, 4, -1, last + 1);

        // 4. Two sequence numbers swapped.
        await Run(connection, "UPDATE journal SET sequence_number = -2 WHERE persistence_id = @p AND sequence_number = 2", ("@p", A));
        await Run(connection, "UPDATE journal SET sequence_number = 2 WHERE persistence_id = @p AND sequence_number = 3", ("@p", A));
        await Run(connection, "UPDATE journal SET sequence_number = 3 WHERE persistence_id = @p AND sequence_number = -2", ("@p", A));
        Assert.Equal((2L, JournalVerifier.Reordered), await BrokenAsync(database, A) is var r ? (r.SequenceNumber, r.Kind) : default);
        await Run(connection, "UPDATE journal SET sequence_number = -2 WHERE persistence_id = @p AND sequence_number = 2", ("@p", A));
        await Run(connection, "UPDATE journal SET sequence_number = 2 WHERE persistence_id = @p AND sequence_number = 3", ("@p", A));
        await Run(connection, "UPDATE journal SET sequence_number = 3 WHERE persistence_id = @p AND sequence_number = -2", ("@p", A));

        // Every change undone: clean again, and the seal kept outside matches the table.
        var sealFile = Directory.Exists(SealDirectory(storage)) ? Directory.GetFiles(SealDirectory(storage), "seal-*.json").Single() : null;
        var held = sealFile is null
            ? new ExportedSeal(1, (await new JournalChain(database).SealsAsync()).Single().Root, 0)
            : JsonSerializer.Deserialize<ExportedSeal>(File.ReadAllText(sealFile), Web)!;
        var again = await JournalVerifier.VerifyAsync(database, full: true, held);
        Assert.True(again.Clean, string.Join("; ", again.Breaks.Select(b => b.Detail).Concat(again.Seals.Select(s => s.Detail))));

        // 5. Someone rewrites the seal table's root: the copy held outside tells.
        await using (var audit = await database.OpenChainAsync())
            await Run(audit, "UPDATE journal_seals SET root = @r WHERE seal_id = 1", ("@r", new string('0', 64)));
        var rewritten = await JournalVerifier.VerifyAsync(database, full: true, held);
        Assert.Contains(rewritten.Seals, s => !s.Matches && s.Detail.Contains("held outside", StringComparison.Ordinal));
    }

    // The keeper's cache of each stream's last link is bounded: emptied between batches, it refills from the table, and the
    // chain it makes is the one a keeper that kept every head makes.
    [Fact]
    public async Task a_keeper_whose_cache_of_heads_empties_between_batches_makes_the_same_chain()
    {
        var storage = await store.NewStoreAsync();
        await using (var host = await RunningHost.StartAsync(storage))
            foreach (var id in new[] { "HEADS-A", "HEADS-B", "HEADS-C" })
            {
                Assert.Equal(HttpStatusCode.Created, (await host.PostAsync("/accounts", new { accountId = id, name = id, currency = "CNY", creditLimit = 50_000m, paymentTermsDays = 30 })).StatusCode);
                for (var i = 1; i <= 2; i++)
                    Assert.Equal(HttpStatusCode.Created, (await host.PostAsync($"/accounts/{id}/invoices", new { invoiceNumber = $"INV-{i}", amount = 100m * i, issueDate = "2026-11-02" })).StatusCode);
            }
        var database = DatabaseOf(storage);
        async Task<List<string>> LinksAsync()
        {
            var links = new List<string>();
            await using var connection = await database.OpenChainAsync();
            await using var command = JournalDatabase.Command(connection,
                "SELECT persistence_id, sequence_number, link FROM event_chain WHERE persistence_id LIKE 'credit-account-HEADS-%' ORDER BY persistence_id, sequence_number");
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                links.Add($"{reader.GetString(0)}/{reader.GetInt64(1)} {Convert.ToHexString((byte[])reader.GetValue(2))}");
            return links;
        }
        await new JournalChain(database).ChainAllAsync(TimeSpan.FromSeconds(30), DateTimeOffset.UtcNow);
        var kept = await LinksAsync();
        Assert.Equal(9, kept.Count);

        // The same journal chained again from nothing, a row per batch, by a keeper that keeps one head.
        await using (var connection = await database.OpenChainAsync())
        {
            await Run(connection, "DELETE FROM event_chain");
            await Run(connection, "DELETE FROM chain_progress");
        }
        var small = new JournalChain(database, cachedHeads: 1);
        for (var i = 0; i < 1_000 && (await small.ChainAsync(1, TimeSpan.FromSeconds(30), DateTimeOffset.UtcNow)).More; i++)
        {
        }
        Assert.Equal(kept, await LinksAsync());
    }

    private static string SealDirectory(string[] storage) =>
        storage.FirstOrDefault(a => a.StartsWith("--Storage:DataDirectory=", StringComparison.Ordinal)) is { } d ? Path.Combine(d.Split('=', 2)[1], "seals") : "";
}

public sealed class SqliteTamperingTests(SqliteHostFixture fixture) : TamperingTests(fixture.Store), IClassFixture<SqliteHostFixture>;

[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlTamperingTests(PostgresHostFixture fixture) : TamperingTests(fixture.Store), IClassFixture<PostgresHostFixture>
{
    // PostgreSQL's write transactions take their orderings when they insert and commit in any order: a row can become
    // visible below the orderings the chain has already passed. It is chained in its place, and the journal verifies clean.
    [Fact]
    public async Task a_row_that_becomes_visible_below_the_chains_progress_is_chained_in_its_place()
    {
        var storage = await fixture.Store.NewStoreAsync();
        await using (var host = await RunningHost.StartAsync(storage))
        {
            Assert.Equal(HttpStatusCode.Created, (await host.PostAsync("/accounts", new { accountId = "LATE-A", name = "Late", currency = "CNY", creditLimit = 50_000m, paymentTermsDays = 30 })).StatusCode);
            for (var i = 1; i <= 3; i++)
                Assert.Equal(HttpStatusCode.Created, (await host.PostAsync("/accounts/LATE-A/invoices", new { invoiceNumber = $"INV-{i}", amount = 100m * i, issueDate = "2026-11-02" })).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await host.PostAsync("/accounts", new { accountId = "LATE-B", name = "Later", currency = "CNY", creditLimit = 50_000m, paymentTermsDays = 30 })).StatusCode);
        }
        var database = DatabaseOf(storage);
        var chain = new JournalChain(database);
        await chain.ChainAllAsync(TimeSpan.FromSeconds(30), DateTimeOffset.UtcNow);
        Assert.True((await JournalVerifier.VerifyAsync(database, full: true)).Clean);

        // As if LATE-A's last invoice had committed after LATE-B's opening, which the chain had passed: it has no link yet.
        await using (var connection = await database.OpenChainAsync())
            Assert.Equal(1, await Run(connection, "DELETE FROM event_chain WHERE persistence_id = 'credit-account-LATE-A' AND sequence_number = 4"));

        var (linked, _) = await new JournalChain(database).ChainAsync(5_000, TimeSpan.FromSeconds(30), DateTimeOffset.UtcNow);
        Assert.Equal(1, linked);
        await using (var connection = await database.OpenChainAsync())
        await using (var count = JournalDatabase.Command(connection, "SELECT COUNT(*) FROM event_chain WHERE persistence_id = 'credit-account-LATE-A'"))
            Assert.Equal(4L, Convert.ToInt64(await count.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
        var report = await JournalVerifier.VerifyAsync(database, full: true);
        Assert.True(report.Clean, string.Join("; ", report.Breaks.Select(b => b.Detail)));
    }
}
