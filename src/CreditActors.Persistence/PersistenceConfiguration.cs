using Akka.Configuration;
using Microsoft.Data.Sqlite;

namespace CreditActors.Persistence;

/// <summary>Joins akka.hocon with the storage settings and the journal plugin's own reference configuration.</summary>
public static class PersistenceConfiguration
{
    /// <summary>
    /// The storage part that depends on run-time settings: connection string and provider for the journal,
    /// the snapshot store and the read journal. Everything else stays in akka.hocon.
    /// </summary>
    public static Config ForStorage(StorageSettings storage)
    {
        var connection = Quote(storage.EffectiveConnectionString);
        var provider = Quote(storage.ProviderName);
        // SQLite has one writer per file: parallel write batches only wait on each other's lock, and Microsoft.Data.Sqlite
        // retries a busy lock after sleeping 150 ms, so they cost far more than they give (see docs/benchmarks.md).
        // Reads begin deferred: "read-uncommitted" is how Microsoft.Data.Sqlite is asked for BEGIN DEFERRED, and without a
        // shared cache such a read sees the same committed snapshot of the write-ahead log. Left unspecified, every read
        // began IMMEDIATE and took the write lock, so the projections' polling made the journal's writer sleep.
        var sqliteOnly = storage.Provider == StorageProvider.Sqlite
            ? """
              akka.persistence.journal.sql { parallelism = 1, read-isolation-level = read-uncommitted }
              akka.persistence.snapshot-store.sql.read-isolation-level = read-uncommitted
              akka.persistence.query.journal.sql.read-isolation-level = read-uncommitted
              """
            : "";
        return ConfigurationFactory.ParseString($$"""
            akka.persistence.journal.sql { connection-string = {{connection}}, provider-name = {{provider}} }
            {{sqliteOnly}}
            akka.persistence.snapshot-store.sql { connection-string = {{connection}}, provider-name = {{provider}} }
            akka.persistence.query.journal.sql { connection-string = {{connection}}, provider-name = {{provider}} }
            """);
    }

    /// <summary>akka.hocon, then the storage settings over it, then the journal plugin's defaults under both.</summary>
    public static Config Combine(Config akkaHocon, StorageSettings storage, Config? overrides = null) =>
        (overrides ?? Config.Empty)
            .WithFallback(ForStorage(storage))
            .WithFallback(akkaHocon)
            .WithFallback(Akka.Persistence.Sql.SqlPersistence.DefaultConfiguration);

    /// <summary>
    /// Creates the data directory and turns on SQLite's write-ahead log, which lets readers run beside the writer
    /// and batches commits; it is a property of the file, so it is set once here, before the journal opens it.
    /// </summary>
    public static void PrepareStore(StorageSettings storage)
    {
        if (storage.Provider != StorageProvider.Sqlite)
            return;
        Directory.CreateDirectory(Path.GetFullPath(storage.DataDirectory));
        using var connection = new SqliteConnection($"Data Source={storage.SqliteFilePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        command.ExecuteNonQuery();
    }

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
