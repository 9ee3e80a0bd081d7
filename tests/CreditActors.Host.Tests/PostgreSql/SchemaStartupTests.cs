using CreditActors.Host.Tests.Support;
using CreditActors.Persistence;
using CreditActors.Persistence.Audit;
using CreditActors.Persistence.PersonalData;
using CreditActors.Projections.Runtime;
using Dapper;
using Npgsql;

namespace CreditActors.Host.Tests.PostgreSql;

// Protects a node's start into a running cluster: its schema set-up neither waits for nor deadlocks with the writes of the
// nodes already running, and nodes starting together on a new database each get the same schema.
[Collection(PostgresCollection.Name)]
public sealed class SchemaStartupTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task a_node_starting_while_the_others_write_sets_up_its_schema_without_waiting_for_their_transactions()
    {
        var connectionString = await NewDatabaseAsync();
        var storage = new StorageSettings(StorageProvider.PostgreSql, Path.GetTempPath(), connectionString);
        var journal = new JournalDatabase(StorageProvider.PostgreSql, connectionString);
        await SetUpAsync(storage, journal);

        // Given a batch of another node in flight: every table holds the lock a writing transaction takes.
        await using var other = new NpgsqlConnection(connectionString);
        await other.OpenAsync();
        await using var batch = await other.BeginTransactionAsync();
        var tables = (await other.QueryAsync<string>("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()", transaction: batch)).ToList();
        Assert.Contains("aging_open", tables);
        await other.ExecuteAsync($"LOCK TABLE {string.Join(", ", tables)} IN ROW EXCLUSIVE MODE", transaction: batch);

        // When this node starts, its set-up finishes while that transaction is still open.
        var setUp = SetUpAsync(storage, journal);
        var finishedFirst = await Task.WhenAny(setUp, Task.Delay(Bound)) == setUp;
        await batch.RollbackAsync();
        await setUp;
        Assert.True(finishedFirst, "the schema set-up waited for another node's write transaction");
    }

    [Fact]
    public async Task nodes_starting_together_on_a_new_database_each_set_up_the_same_schema()
    {
        var connectionString = await NewDatabaseAsync();
        var storage = new StorageSettings(StorageProvider.PostgreSql, Path.GetTempPath(), connectionString);
        var journal = new JournalDatabase(StorageProvider.PostgreSql, connectionString);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => SetUpAsync(storage, journal)))).WaitAsync(Bound * 2);

        await using var connection = new NpgsqlConnection(connectionString);
        var tables = (await connection.QueryAsync<string>("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")).ToHashSet();
        Assert.Superset(new HashSet<string> { "aging_open", "aging_lines", "account_figures", "event_chain", "personal_data_keys" }, tables);
    }

    /// <summary>What a node sets up at start: the read models, the key table and the chain tables.</summary>
    private static async Task SetUpAsync(StorageSettings storage, JournalDatabase journal)
    {
        await new PersonalDataKeys(journal).EnsureSchemaAsync();
        await new ReadModelDatabase(storage).EnsureSchemaAsync();
        await new JournalChain(journal).EnsureSchemaAsync();
    }

    private static Task<string> NewDatabaseAsync() =>
        PostgresFixture.Server.CreateDatabaseAsync("creditactors_" + Guid.NewGuid().ToString("N")[..12]);
}
