using System.Net;
using System.Text.Json;
using CreditActors.Domain.Accounts;
using CreditActors.Host.Tests.Support;
using CreditActors.Persistence;
using CreditActors.Persistence.Snapshots;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CreditActors.Host.Tests;

// Protects every journal written before: today's host recovers a journal written by an earlier version (SQLite and
// PostgreSQL) to the figures it had, reads its snapshot, and appends to it.
public abstract class OldJournalTests
{
    protected const string Folder = "Fixtures/journal-v1";

    /// <summary>The manifests published after the fixture was written: a journal of then cannot hold them.</summary>
    private static readonly string[] PublishedAfterTheFixture =
        ["credit-account.rating-assigned.v1", "credit-account.external-rating-recorded.v1", "credit-account.credit-hold-placed.v2",
         "credit-account.account-opened.v2",
         .. new[] { "dunning-notice-issued", "late-fee-charged", "interest-charged", "invoice-disputed", "dispute-resolved", "promise-to-pay-recorded",
             "promise-kept", "promise-broken", "collection-note-added", "collector-assigned", "contact-preferences-set", "statement-issued", "statement-sent", "statement-delivery-failed",
             "balance-confirmed", "balance-disputed", "reconciliation-item-resolved", "dunning-notice-sent", "dunning-delivery-failed",
             "personal-data-erased" }
             .Select(name => $"credit-account.{name}.v1")];

    /// <summary>The arguments of a host on a fresh copy of the fixture's journal.</summary>
    protected abstract Task<string[]> CopyOfFixtureAsync();

    /// <summary>The journal's rows and snapshots, as the fixture stores them.</summary>
    protected abstract Task<(List<(string PersistenceId, long SequenceNr, string Manifest, byte[] Payload)> Events, byte[] Snapshot)> ReadFixtureAsync();

    [Fact]
    public async Task every_account_of_an_old_journal_recovers_to_its_figures_and_takes_new_writes()
    {
        await using var host = await RunningHost.StartAsync(await CopyOfFixtureAsync());

        var fix1 = await host.GetJsonAsync("/accounts/FIX-1");
        Assert.Equal((146, "active", 200_000m, 1_400m, 0m, 0m), (fix1.GetProperty("version").GetInt64(), fix1.GetProperty("status").GetString(),
            fix1.GetProperty("creditLimit").GetDecimal(), fix1.GetProperty("receivables").GetDecimal(), fix1.GetProperty("holds").GetDecimal(),
            fix1.GetProperty("unappliedCash").GetDecimal()));
        Assert.Equal("+86 21 5555 0100", fix1.GetProperty("phone").GetString());
        var invoices = (await host.GetJsonAsync("/accounts/FIX-1/invoices")).EnumerateArray()
            .ToDictionary(i => i.GetProperty("invoiceNumber").GetString()!, i => (i.GetProperty("open").GetDecimal(), i.GetProperty("discounted").GetDecimal(),
                i.GetProperty("credited").GetDecimal(), i.GetProperty("writtenOff").GetDecimal()));
        Assert.Equal((0m, 240m, 0m, 0m), invoices["INV-1"]);
        Assert.Equal((400m, 0m, 500m, 100m), invoices["INV-2"]);
        Assert.Equal((1_000m, 0m, 0m, 0m), invoices["INV-3"]);
        var holds = (await host.GetJsonAsync("/accounts/FIX-1/holds")).EnumerateArray()
            .ToDictionary(h => h.GetProperty("holdId").GetString()!, h => h.GetProperty("status").GetString());
        Assert.Equal((63, "captured", "released", "expired"), (holds.Count, holds["SO-1"], holds["SO-2"], holds["SO-3"]));
        // A hold placed before holds recorded their facts reads without them, and deciding it again still places it.
        var decision = await host.GetJsonAsync("/accounts/FIX-1/holds/SO-1/decision");
        Assert.Equal((false, true, true), (decision.TryGetProperty("recorded", out _), decision.TryGetProperty("replayed", out _),
            decision.GetProperty("agrees").GetBoolean()));
        var requests = (await host.GetJsonAsync("/accounts/FIX-1/credit-limit-requests")).EnumerateArray().Select(r => r.GetProperty("status").GetString()).Order();
        Assert.Equal(["approved", "rejected"], requests);

        var fix2 = await host.GetJsonAsync("/accounts/FIX-2");
        Assert.Equal((5, "closed", 0m), (fix2.GetProperty("version").GetInt64(), fix2.GetProperty("status").GetString(),
            fix2.GetProperty("receivables").GetDecimal()));
        var fix3 = await host.GetJsonAsync("/accounts/FIX-3");
        Assert.Equal((4, 150_000m, 0m), (fix3.GetProperty("version").GetInt64(), fix3.GetProperty("receivables").GetDecimal(),
            fix3.GetProperty("unappliedCash").GetDecimal()));

        // The old stream takes new events after its own.
        Assert.Equal(HttpStatusCode.Created,
            (await host.PostAsync("/accounts/FIX-3/payments", new { paymentReference = "NEW-1", amount = 1_000m, receivedDate = "2026-04-01" })).StatusCode);
        Assert.Equal(6, await host.VersionAsync("FIX-3"));
        Assert.Equal(149_000m, (await host.GetJsonAsync("/accounts/FIX-3")).GetProperty("receivables").GetDecimal());
        Assert.Equal(146, (await host.GetJsonAsync("/accounts/FIX-1/events?limit=1000")).GetArrayLength());

        // A journal written before the hash chain is chained and sealed once at start (the migration seal), and verifies.
        JsonElement seals = default;
        for (var attempt = 0; attempt < 100 && (seals.ValueKind != JsonValueKind.Array || seals.GetArrayLength() == 0); attempt++, await Task.Delay(100))
            seals = await host.GetJsonAsync("/audit/seals");
        var migration = Assert.Single(seals.EnumerateArray());
        Assert.Equal(("migration", 3L), (migration.GetProperty("kind").GetString(), migration.GetProperty("streams").GetInt64()));
        var verified = await host.GetJsonAsync("/audit/verify");
        Assert.True(verified.GetProperty("clean").GetBoolean(), verified.ToString());

        // Opened before business time zones (AccountOpened version 1): the account lives in UTC.
        Assert.Equal("UTC", fix1.GetProperty("timeZone").GetString());
    }

    [Fact]
    public async Task the_old_journal_holds_every_manifest_and_its_snapshot_equals_the_replay_of_the_events_before_it()
    {
        var (rows, snapshot) = await ReadFixtureAsync();
        // Every manifest published when the fixture was written is in it; those published since are named here.
        Assert.Equal(EventCatalog.Events.Select(e => e.Manifest).Concat(EventCatalog.Upcasters.Select(u => u.Manifest)).Except(PublishedAfterTheFixture).Order(),
            rows.Select(r => r.Manifest).Distinct().Order());

        // Read as the service reads them: older shapes through their upcasters.
        var serializer = new AccountEventSerializer(null!);
        var events = rows.Where(r => r.PersistenceId == "credit-account-FIX-1" && r.SequenceNr <= 100).OrderBy(r => r.SequenceNr)
            .Select(row => (AccountEvent)serializer.FromBinary(row.Payload, row.Manifest)).ToList();
        var stored = JsonSerializer.Deserialize<AccountSnapshotV1>(snapshot, JournalJson.Options)!;
        Assert.Equal(100, stored.Version);
        // Version 1 held the whole history: it equals a replay that keeps every item ...
        var history = CreditAccount.ReplayWithHistory("FIX-1", events);
        Assert.Equal(JsonSerializer.Serialize(AccountSnapshotV1.From(history), JournalJson.Options),
            JsonSerializer.Serialize(AccountSnapshotV1.From(stored.ToState()), JournalJson.Options));
        // ... and, read today, the live state the events fold to (compared in the one encoding of version 2), but for the
        // behaviour history a rating reads, which version 1 did not keep: it starts at the snapshot.
        var replayed = CreditAccount.Replay("FIX-1", events) with { Behaviour = Domain.Rating.RatingHistory.Empty with { Complete = false } };
        Assert.Equal(Convert.ToHexString(serializer.ToBinary(AccountSnapshotV2.From(replayed))),
            Convert.ToHexString(serializer.ToBinary(AccountSnapshotV2.From(stored.ToState().WithoutSettled()))));
    }
}

public sealed class SqliteOldJournalTests : OldJournalTests, IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "creditactors-old-journal", Guid.NewGuid().ToString("N"));

    private static string FixtureFile => Path.Combine(AppContext.BaseDirectory, Folder, "creditactors.db");

    protected override Task<string[]> CopyOfFixtureAsync()
    {
        var directory = Path.Combine(_root, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        File.Copy(FixtureFile, Path.Combine(directory, "creditactors.db"));
        return Task.FromResult(new[] { "--Storage:Provider=Sqlite", $"--Storage:DataDirectory={directory}" });
    }

    protected override async Task<(List<(string, long, string, byte[])>, byte[])> ReadFixtureAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={FixtureFile};Mode=ReadOnly;Pooling=False");
        return await ReadAsync(connection);
    }

    internal static async Task<(List<(string, long, string, byte[])>, byte[])> ReadAsync(System.Data.Common.DbConnection connection)
    {
        var rows = (await connection.QueryAsync<(string, long, string, byte[])>(
            "SELECT persistence_id, sequence_number, manifest, message FROM journal ORDER BY ordering")).ToList();
        var snapshot = await connection.QuerySingleAsync<byte[]>("SELECT snapshot FROM snapshot WHERE persistence_id = 'credit-account-FIX-1'");
        return (rows, snapshot);
    }

    public void Dispose() => TempDirectory.Delete(_root);
}

[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlOldJournalTests : OldJournalTests
{
    private string? _connectionString;

    private static async Task<string> LoadAsync()
    {
        var connectionString = await PostgresFixture.Server.CreateDatabaseAsync("old_journal_" + Guid.NewGuid().ToString("N")[..12]);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await connection.ExecuteAsync(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, Folder, "postgresql.sql")));
        return connectionString;
    }

    protected override async Task<string[]> CopyOfFixtureAsync() =>
        ["--Storage:Provider=PostgreSql", $"--Storage:ConnectionString={await LoadAsync()}"];

    protected override async Task<(List<(string, long, string, byte[])>, byte[])> ReadFixtureAsync()
    {
        _connectionString ??= await LoadAsync();
        await using var connection = new NpgsqlConnection(_connectionString);
        return await SqliteOldJournalTests.ReadAsync(connection);
    }
}
