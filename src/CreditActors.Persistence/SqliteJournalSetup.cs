using Akka.Actor.Setup;
using Akka.Persistence.Sql.Config;
using LinqToDB;
using LinqToDB.Data;

namespace CreditActors.Persistence;

/// <summary>
/// How the journal, snapshot store and read journal connect to SQLite. Microsoft.Data.Sqlite's asynchronous calls
/// complete synchronously, so without help the journal's write stream runs each database transaction inside its own
/// stream stage: writes that arrive meanwhile cannot join the batch, and every transaction carries about one event
/// (measured: one fsync per hold across 1,000 accounts; docs/benchmarks.md). Yielding once as a connection opens
/// hands the transaction to a pool thread, so the stream keeps taking writes and the next batch holds all of them.
/// </summary>
public static class SqliteJournalSetup
{
    public const string JournalPluginId = "akka.persistence.journal.sql";
    public const string SnapshotPluginId = "akka.persistence.snapshot-store.sql";
    public const string QueryPluginId = "akka.persistence.query.journal.sql";

    /// <summary>The data options of every persistence plugin on this store; none for PostgreSQL (Npgsql is truly asynchronous).</summary>
    public static Setup? For(StorageSettings storage)
    {
        if (storage.Provider != StorageProvider.Sqlite)
            return null;
        var setup = new MultiDataOptionsSetup();
        foreach (var pluginId in new[] { JournalPluginId, SnapshotPluginId, QueryPluginId })
            setup.AddDataOptions(pluginId, Options(storage));
        return setup;
    }

    private static DataOptions Options(StorageSettings storage) =>
        new DataOptions()
            .UseConnectionString(storage.ProviderName, storage.EffectiveConnectionString)
            .UseBeforeConnectionOpened(_ => { }, async (_, _) => await Task.Yield());
}
