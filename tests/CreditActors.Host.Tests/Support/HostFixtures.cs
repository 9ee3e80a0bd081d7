namespace CreditActors.Host.Tests.Support;

/// <summary>A store the host can run on: each call gives the arguments of a new, empty one.</summary>
public interface IStore
{
    Task<string[]> NewStoreAsync();
}

public sealed class SqliteStore : IStore, IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "creditactors-host-tests", Guid.NewGuid().ToString("N"));

    public Task<string[]> NewStoreAsync() =>
        Task.FromResult(new[] { "--Storage:Provider=Sqlite", $"--Storage:DataDirectory={Path.Combine(_root, Guid.NewGuid().ToString("N"))}" });

    public void Dispose() => TempDirectory.Delete(_root);
}

public sealed class PostgresStore(PostgresServer server) : IStore
{
    public async Task<string[]> NewStoreAsync()
    {
        var connectionString = await server.CreateDatabaseAsync("creditactors_" + Guid.NewGuid().ToString("N")[..12]);
        return ["--Storage:Provider=PostgreSql", $"--Storage:ConnectionString={connectionString}"];
    }
}

/// <summary>One host per test class on a new store of its own.</summary>
public abstract class HostFixture : IAsyncLifetime
{
    public abstract IStore Store { get; }

    public RunningHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await RunningHost.StartAsync(await Store.NewStoreAsync());

    public virtual async Task DisposeAsync() => await Host.DisposeAsync();
}

public sealed class SqliteHostFixture : HostFixture
{
    private readonly SqliteStore _store = new();

    public override IStore Store => _store;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _store.Dispose();
    }
}

public sealed class PostgresHostFixture : HostFixture
{
    public override IStore Store { get; } = new PostgresStore(PostgresFixture.Server);
}

/// <summary>Starts one PostgreSQL server for every test class of the PostgreSql collection, and stops it after them.</summary>
public sealed class PostgresFixture : IDisposable
{
    private static PostgresServer? _server;

    public PostgresFixture() => _server = new PostgresServer();

    public static PostgresServer Server => _server ?? throw new InvalidOperationException("The PostgreSql collection fixture has not started");

    public void Dispose()
    {
        _server?.Dispose();
        _server = null;
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "PostgreSql";
}
