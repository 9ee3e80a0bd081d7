using Akka.Configuration;
using CreditActors.Actors.Accounts;
using CreditActors.Persistence;
using Microsoft.Data.Sqlite;

namespace CreditActors.Actors.Tests.Support;

/// <summary>A throwaway SQLite journal and the project's akka.hocon over it, as the host would run it.</summary>
public sealed class TestStore : IDisposable
{
    public TestStore(string provider = "local", string extra = "")
    {
        Directory.CreateDirectory(DataDirectory);
        Storage = StorageSettings.Sqlite(DataDirectory);
        PersistenceConfiguration.PrepareStore(Storage);
        var overrides = ConfigurationFactory.ParseString($$"""
            akka.actor.provider = {{provider}}
            akka.loggers = ["Akka.TestKit.TestEventListener, Akka.TestKit"]
            akka.loglevel = INFO
            akka.remote.dot-netty.tcp.hostname = "127.0.0.1"
            akka.remote.dot-netty.tcp.port = 0
            {{extra}}
            """);
        Config = PersistenceConfiguration.Combine(ConfigurationFactory.ParseString(File.ReadAllText("akka.hocon")), Storage, overrides);
    }

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "creditactors-tests", Guid.NewGuid().ToString("N"));

    public StorageSettings Storage { get; }

    public Config Config { get; }

    public AccountSettings Settings => AccountSettings.From(Config);

    public long Count(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Storage.SqliteFilePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar());
    }

    public long JournalRows(string accountId) =>
        Count($"select count(*) from journal where persistence_id = '{AccountSettings.PersistenceIdPrefix}{accountId}'");

    public long SnapshotRows(string accountId) =>
        Count($"select count(*) from snapshot where persistence_id = '{AccountSettings.PersistenceIdPrefix}{accountId}'");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
