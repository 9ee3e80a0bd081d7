using System.Text.Json;
using System.Text.Json.Nodes;
using CreditActors.Domain.Accounts;
using CreditActors.Persistence;
using CreditActors.Persistence.Snapshots;

namespace CreditActors.Actors.Tests.StoredFormats;

// Protects what the journal holds forever: each manifest's JSON is pinned by a golden file, written and read exactly,
// and a renamed, missing or extra member is an error on reading rather than a silent default.
public sealed class StoredFormatTests
{
    /// <summary>Set to write the golden files afresh from the samples (only for a new manifest: an existing one never changes).</summary>
    private const string UpdateVariable = "CREDITACTORS_WRITE_GOLDEN";

    internal static readonly string GoldenDirectory = FindGoldenDirectory();

    private static string FindGoldenDirectory()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CreditActors.sln")))
            directory = directory.Parent;
        return Path.Combine(directory!.FullName, "tests", "CreditActors.Actors.Tests", "StoredFormats", "golden");
    }

    /// <summary>
    /// Every manifest the journal may hold: account events and bank-book events written today, those still read through an
    /// upcaster, snapshot version 1.
    /// </summary>
    public static IEnumerable<object[]> Manifests =>
        EventCatalog.Events.Concat(EventCatalog.BankEvents).Select(e => new object[] { e.Manifest })
            .Concat(EventCatalog.Upcasters.Select(u => new object[] { u.Manifest }))
            .Append([EventCatalog.SnapshotManifest]);

    private static object Sample(string manifest) =>
        manifest == EventCatalog.SnapshotManifest ? StoredSamples.Snapshot
        : StoredSamples.Upcast.TryGetValue(manifest, out var stored) ? stored
        : StoredSamples.Events.Cast<object>().Concat(StoredSamples.BankEvents).Single(e => EventCatalog.ForType(e.GetType()).Manifest == manifest);

    private static Type TypeOf(string manifest) =>
        manifest == EventCatalog.SnapshotManifest ? typeof(AccountSnapshotV1)
        : EventCatalog.TryUpcaster(manifest, out var upcaster) ? upcaster.StoredType
        : EventCatalog.Events.Concat(EventCatalog.BankEvents).Single(e => e.Manifest == manifest).Type;

    private static string GoldenPath(string manifest) => Path.Combine(GoldenDirectory, manifest + ".json");

    [Fact]
    public void every_manifest_has_a_sample_and_a_golden_file_and_every_golden_file_a_manifest()
    {
        Assert.Equal(EventCatalog.Events.Count, StoredSamples.Events.Select(e => e.GetType()).Distinct().Count());
        Assert.Equal(EventCatalog.BankEvents.Count, StoredSamples.BankEvents.Select(e => e.GetType()).Distinct().Count());
        var expected = Manifests.Select(m => (string)m[0] + ".json").Order().ToList();
        var present = Directory.GetFiles(GoldenDirectory, "*.json").Select(f => Path.GetFileName(f)).Order().ToList();
        Assert.Equal(expected, present);
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void each_manifest_is_written_as_its_golden_file_says(string manifest)
    {
        var written = JsonNode.Parse(JsonSerializer.SerializeToUtf8Bytes(Sample(manifest), TypeOf(manifest), JournalJson.Options))!;
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1" && !File.Exists(GoldenPath(manifest)))
            File.WriteAllText(GoldenPath(manifest), written.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        var golden = JsonNode.Parse(File.ReadAllText(GoldenPath(manifest)))!;
        Assert.True(JsonNode.DeepEquals(golden, written),
            $"{manifest} is now written as\n{written.ToJsonString()}\nbut its golden file says\n{golden.ToJsonString()}");
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void each_golden_file_reads_back_to_the_sample(string manifest)
    {
        var read = JsonSerializer.Deserialize(File.ReadAllBytes(GoldenPath(manifest)), TypeOf(manifest), JournalJson.Options)!;
        Assert.Equal(Canonical(Sample(manifest), TypeOf(manifest)), Canonical(read, TypeOf(manifest)));
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void a_golden_file_with_a_member_renamed_missing_or_added_is_refused(string manifest)
    {
        var golden = JsonNode.Parse(File.ReadAllText(GoldenPath(manifest)))!.AsObject();
        var first = golden.First(p => p.Key != "meta").Key;

        var renamed = golden.DeepClone().AsObject();
        var value = renamed[first]!.DeepClone();
        renamed.Remove(first);
        renamed[first + "Renamed"] = value;
        var missing = golden.DeepClone().AsObject();
        missing.Remove(first);
        var added = golden.DeepClone().AsObject();
        added["surprise"] = 1;

        foreach (var broken in new[] { renamed, missing, added })
            Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(broken.ToJsonString(), TypeOf(manifest), JournalJson.Options));
    }

    [Fact]
    public void a_hold_placed_before_decisions_were_recorded_reads_as_version_2_without_them()
    {
        var serializer = new AccountEventSerializer(null!);
        var read = (CreditHoldPlaced)serializer.FromBinary(File.ReadAllBytes(GoldenPath("credit-account.credit-hold-placed.v1")),
            "credit-account.credit-hold-placed.v1");
        var stored = (CreditHoldPlacedV1)StoredSamples.Upcast["credit-account.credit-hold-placed.v1"];
        Assert.Equal((stored.HoldId, stored.Amount, stored.ExpiresAt, stored.OrderReference, stored.Meta, (HoldDecision?)null),
            (read.HoldId, read.Amount, read.ExpiresAt, read.OrderReference, read.Meta, read.Decision));
        Assert.Equal("credit-account.credit-hold-placed.v2", serializer.Manifest(read));
    }

    [Fact]
    public void an_account_opened_before_time_zones_reads_as_version_2_in_utc()
    {
        var serializer = new AccountEventSerializer(null!);
        var read = (AccountOpened)serializer.FromBinary(File.ReadAllBytes(GoldenPath("credit-account.account-opened.v1")), "credit-account.account-opened.v1");
        var stored = (AccountOpenedV1)StoredSamples.Upcast["credit-account.account-opened.v1"];
        Assert.Equal((stored.Meta, stored.AccountId, stored.Currency, stored.CreditLimit, stored.PaymentTermsDays, stored.Profile, "UTC"),
            (read.Meta, read.AccountId, read.Currency, read.CreditLimit, read.PaymentTermsDays, read.Profile, read.TimeZone));
        Assert.Equal("credit-account.account-opened.v2", serializer.Manifest(read));
        Assert.Equal("UTC", CreditAccount.Replay("ACME-001", [read]).TimeZone);
    }

    private static string Canonical(object value, Type type) => JsonSerializer.Serialize(value, type, JournalJson.Options);
}
