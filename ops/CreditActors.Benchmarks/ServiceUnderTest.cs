using Akka.Actor;
using Akka.Cluster.Sharding;
using CreditActors.Actors.Accounts;
using CreditActors.Domain.Accounts;
using CreditActors.Host;
using CreditActors.Host.Cluster;
using CreditActors.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CreditActors.Benchmarks;

/// <summary>
/// The real host, as the service runs it (Kestrel on 127.0.0.1, the Akka node, the projections), on one store.
/// Two things are added for baselines only: a bare HTTP endpoint in the same pipeline, and a sharded no-op entity.
/// </summary>
public sealed class ServiceUnderTest : IAsyncDisposable
{
    public const string BareEndpoint = "/bench/bare";

    private readonly WebApplication _app;

    private ServiceUnderTest(WebApplication app, StorageSettings storage)
    {
        _app = app;
        Storage = storage;
        Node = app.Services.GetRequiredService<AkkaNode>();
        Address = new Uri(app.Urls.Single());
        EchoRegion = ClusterSharding.Get(Node.System).Start("bench-echo", Props.Create<Echo>(), ClusterShardingSettings.Create(Node.System),
            new EnvelopeExtractor(100));
        PersistentEchoRegion = ClusterSharding.Get(Node.System).Start("bench-persistent-echo", entityId => Props.Create(() => new PersistentEcho(entityId)),
            ClusterShardingSettings.Create(Node.System), new EnvelopeExtractor(100));
    }

    public StorageSettings Storage { get; }

    public AkkaNode Node { get; }

    public IActorRef Region => Node.AccountRegion;

    /// <summary>A sharded entity that answers every message with a constant reply: the floor of a request–response.</summary>
    public IActorRef EchoRegion { get; }

    /// <summary>
    /// The same no-op in a persistent entity (it recovers an empty stream and never writes): how much of a credit check
    /// is Akka.Persistence's command path rather than the credit decision.
    /// </summary>
    public IActorRef PersistentEchoRegion { get; }

    public Uri Address { get; }

    public IServiceProvider Services => _app.Services;

    public string StoreName => Storage.Provider == StorageProvider.Sqlite ? "SQLite" : "PostgreSQL";

    public static async Task<ServiceUnderTest> StartAsync(StorageSettings storage, string akkaOverrides = "")
    {
        string[] storageArguments = storage.Provider == StorageProvider.Sqlite
            ? ["--Storage:Provider=Sqlite", $"--Storage:DataDirectory={storage.DataDirectory}"]
            : ["--Storage:Provider=PostgreSql", $"--Storage:ConnectionString={storage.ConnectionString}"];
        var app = CreditActorsApp.Build(
        [
            "--urls=http://127.0.0.1:0",
            "--Logging:MinimumLevel=Warning",
            // The harness is the only client: no per-key rate limit or in-flight bound gets in the way of the load.
            "--Auth:RequestsPerSecondPerKey=100000000",
            "--Api:MaximumConcurrentRequests=100000",
            "--Api:AskTimeoutSeconds=60",
            // Accounts stay up through the memory scenario however long opening them takes.
            // No daily rating run starts by itself; the rating scenario starts one at the pace it states.
            "--Akka:Overrides=credit-actors.account.passivate-after-idle = 60m\n"
                + $"credit-actors.rating-run {{ daily-at = off, accounts-per-second = {RatingScenario.Pace} }}\n" + akkaOverrides,
            .. storageArguments,
        ]);
        // The baseline of the HTTP figures: the same route shape and middleware, reading the body, answering a constant.
        app.MapPost(BareEndpoint + "/{accountId}/credit-checks", async (string accountId, HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            return Microsoft.AspNetCore.Http.Results.Ok(new { accountId, approved = body.Length > 0 });
        });
        await app.StartAsync();
        return new ServiceUnderTest(app, storage);
    }

    public Task<object> AskAsync(string accountId, IAccountMessage message) =>
        Region.Ask<object>(new AccountEnvelope(accountId, message), TimeSpan.FromSeconds(60));

    /// <summary>Opens accounts in parallel (an open of an existing account with the same terms is a no-op).</summary>
    public async Task OpenAccountsAsync(IReadOnlyList<string> accountIds, decimal creditLimit, int concurrency = 256)
    {
        var result = await Load.RunAsync(concurrency, TimeSpan.MaxValue, async n =>
        {
            var id = accountIds[(int)n];
            var reply = await AskAsync(id, new Execute(
                new OpenAccount(id, "CNY", creditLimit, 30, new Profile("Bench customer " + id, Tier: Tier.Standard)), Context));
            return reply is CommandOutcome { Rejection: null };
        }, maximumOperations: accountIds.Count);
        if (result.Failures > 0)
            throw new InvalidOperationException($"{result.Failures} accounts failed to open");
    }

    public static readonly CommandContext Context = new("bench", "bench");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Npgsql.NpgsqlConnection.ClearAllPools();
    }

    private sealed class Echo : ReceiveActor
    {
        private static readonly CreditCheckReply Reply = new(null, null);

        public Echo() => ReceiveAny(_ => Sender.Tell(Reply));
    }

    private sealed class PersistentEcho : Akka.Persistence.ReceivePersistentActor
    {
        private static readonly CreditCheckReply Reply = new(null, null);

        public PersistentEcho(string entityId)
        {
            PersistenceId = "bench-persistent-echo-" + entityId;
            CommandAny(_ => Sender.Tell(Reply));
        }

        public override string PersistenceId { get; }
    }

    private sealed class EnvelopeExtractor(int shards) : HashCodeMessageExtractor(shards)
    {
        public override string? EntityId(object message) => (message as AccountEnvelope)?.AccountId;

        public override object? EntityMessage(object message) => (message as AccountEnvelope)?.Message ?? message;
    }
}
