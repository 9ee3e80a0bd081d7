using CreditActors.Domain.Accounts;
using CreditActors.Persistence;
using CreditActors.Projections.Runtime;
using Microsoft.Data.Sqlite;

namespace CreditActors.Projections.Tests;

/// <summary>A read-model database on a throwaway SQLite file, and a journal-like numbering of events.</summary>
public sealed class ReadModelStore : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "creditactors-projection-tests", Guid.NewGuid().ToString("N"));

    public ReadModelStore()
    {
        Directory.CreateDirectory(_directory);
        var storage = StorageSettings.Sqlite(_directory);
        PersistenceConfiguration.PrepareStore(storage);
        Database = new ReadModelDatabase(storage);
        Database.EnsureSchemaAsync().GetAwaiter().GetResult();
    }

    public ReadModelDatabase Database { get; }

    /// <summary>Interleaves the accounts' streams into one journal order, as the tag query would deliver them.</summary>
    public static List<ProjectedEvent> Journal(params (string AccountId, IReadOnlyList<AccountEvent> Events)[] streams)
    {
        var journal = new List<ProjectedEvent>();
        var positions = new int[streams.Length];
        var ordering = 0L;
        while (positions.Select((p, i) => p < streams[i].Events.Count).Any(x => x))
        {
            for (var i = 0; i < streams.Length; i++)
            {
                if (positions[i] >= streams[i].Events.Count)
                    continue;
                var sequenceNr = positions[i] + 1;
                journal.Add(new ProjectedEvent(streams[i].AccountId, sequenceNr, ++ordering, streams[i].Events[positions[i]]));
                positions[i]++;
            }
        }
        return journal;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
