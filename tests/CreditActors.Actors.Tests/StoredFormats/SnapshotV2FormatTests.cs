using CreditActors.Domain.Accounts;
using CreditActors.Domain.Rating;
using CreditActors.Domain.Tests.Support;
using CreditActors.Persistence;
using CreditActors.Persistence.Snapshots;

namespace CreditActors.Actors.Tests.StoredFormats;

// Protects snapshot version 2 (protocol buffers): its bytes are pinned by a golden file, written and read exactly; a later
// schema is refused rather than half read; and snapshots of version 1 (JSON, the whole history) still read as a live state.
public sealed class SnapshotV2FormatTests
{
    private static readonly string GoldenFile = Path.Combine(StoredFormatTests.GoldenDirectory, EventCatalog.SnapshotV2Manifest + ".bin");

    /// <summary>Schema 3 (ratings) under the same manifest: the schema number inside tells them apart.</summary>
    private static readonly string GoldenSchema3File = Path.Combine(StoredFormatTests.GoldenDirectory, EventCatalog.SnapshotV2Manifest + ".schema-3.bin");

    /// <summary>Schema 4 (collections).</summary>
    private static readonly string GoldenSchema4File = Path.Combine(StoredFormatTests.GoldenDirectory, EventCatalog.SnapshotV2Manifest + ".schema-4.bin");

    /// <summary>Schema 5 (business time zones).</summary>
    private static readonly string GoldenSchema5File = Path.Combine(StoredFormatTests.GoldenDirectory, EventCatalog.SnapshotV2Manifest + ".schema-5.bin");

    private static readonly AccountEventSerializer Serializer = new(null!);

    [Fact]
    public void the_sample_is_written_as_the_golden_file_says_and_the_golden_file_reads_back_to_it()
    {
        var snapshot = AccountSnapshotV2.From(StoredSnapshotV2Sample.Zoned);
        Assert.Equal(EventCatalog.SnapshotV2Manifest, Serializer.Manifest(snapshot));
        var written = Serializer.ToBinary(snapshot);
        if (Environment.GetEnvironmentVariable("CREDITACTORS_WRITE_GOLDEN") == "1" && !File.Exists(GoldenSchema5File))
            File.WriteAllBytes(GoldenSchema5File, written);
        Assert.Equal(Convert.ToHexString(File.ReadAllBytes(GoldenSchema5File)), Convert.ToHexString(written));

        var read = ((AccountSnapshotV2)Serializer.FromBinary(File.ReadAllBytes(GoldenSchema5File), EventCatalog.SnapshotV2Manifest)).ToState();
        Assert.Equal(Json.Of(StoredSnapshotV2Sample.Zoned), Json.Of(read));
        Assert.Equal("Asia/Shanghai", read.TimeZone);
    }

    [Fact]
    public void a_snapshot_of_schema_4_from_before_time_zones_still_reads_in_utc()
    {
        var read = ((AccountSnapshotV2)Serializer.FromBinary(File.ReadAllBytes(GoldenSchema4File), EventCatalog.SnapshotV2Manifest)).ToState();
        Assert.Equal(Json.Of(StoredSnapshotV2Sample.Chased), Json.Of(read));
        Assert.Equal("UTC", read.TimeZone);
    }

    [Fact]
    public void a_snapshot_of_schema_3_from_before_collections_still_reads_with_nothing_chased()
    {
        var read = ((AccountSnapshotV2)Serializer.FromBinary(File.ReadAllBytes(GoldenSchema3File), EventCatalog.SnapshotV2Manifest)).ToState();
        Assert.Equal(Json.Of(StoredSnapshotV2Sample.Rated), Json.Of(read));
        Assert.Same(CollectionState.None, read.Collections);
    }

    [Fact]
    public void a_snapshot_of_schema_2_from_before_ratings_still_reads_with_no_rating_and_an_incomplete_behaviour_history()
    {
        var read = ((AccountSnapshotV2)Serializer.FromBinary(File.ReadAllBytes(GoldenFile), EventCatalog.SnapshotV2Manifest)).ToState();
        Assert.Equal(Json.Of(StoredSnapshotV2Sample.State with { Behaviour = RatingHistory.Empty with { Complete = false } }), Json.Of(read));
        Assert.False(read.Behaviour.Complete);
        Assert.Null(read.Rating);
    }

    [Fact]
    public void a_snapshot_of_a_later_schema_is_refused()
    {
        var later = AccountSnapshotV2.From(StoredSnapshotV2Sample.State);
        later.Schema = AccountSnapshotV2.CurrentSchema + 1;
        var read = (AccountSnapshotV2)Serializer.FromBinary(Serializer.ToBinary(later), EventCatalog.SnapshotV2Manifest);
        Assert.Throws<InvalidOperationException>(read.ToState);
    }

    [Fact]
    public void a_state_that_keeps_its_history_is_not_snapshotted()
    {
        Assert.Throws<InvalidOperationException>(() => AccountSnapshotV2.From(AccountState.EmptyWithHistory("ACME-001")));
    }

    [Fact]
    public void a_snapshot_of_version_1_still_reads_and_its_settled_items_leave_the_live_state()
    {
        var bytes = File.ReadAllBytes(Path.Combine(StoredFormatTests.GoldenDirectory, EventCatalog.SnapshotManifest + ".json"));
        var state = ((AccountSnapshotV1)Serializer.FromBinary(bytes, EventCatalog.SnapshotManifest)).ToState().WithoutSettled();

        // The golden state: an active hold, an invoice with 6,000 open, a payment with 10 unapplied, a credit note, a write-off.
        Assert.Equal("SO-1 INV-1 P-1", string.Join(' ', state.Holds.Keys.Concat(state.Invoices.Keys).Concat(state.Payments.Keys)));
        Assert.Empty(state.CreditNotes);
        Assert.Empty(state.WriteOffs);
        Assert.Equal(new CreditNote("CN-1", "INV-1", 100m, "damaged", 1).Fingerprint, state.Settled.CreditNotes["CN-1"]);
        Assert.Equal(new WriteOff("WO-1", "INV-1", 1, 50m, "small balance", 50m).Fingerprint, state.Settled.WriteOffs["WO-1"]);
        Assert.Equal((6_000m, 500m, 10m, 42L), (state.Receivables, state.HeldAmount, state.UnappliedCash, state.Version));
        Assert.Empty(state.Settled.Holds);
    }
}
