using Akka;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Cluster.Tools.Singleton;
using Akka.Streams;
using Akka.Streams.Dsl;
using CreditActors.Actors.Rating;
using CreditActors.Actors.Runs;
using CreditActors.Domain.Accounts;
using CreditActors.Domain.Rating;
using CreditActors.Actors.Accounts;
using CreditActors.Domain.Aging;
using CreditActors.Persistence;
using CreditActors.Host.Collections;
using CreditActors.Projections.Aging;
using CreditActors.Projections.Collections;
using CreditActors.Projections.Alerts;
using CreditActors.Projections.LimitRequests;
using CreditActors.Projections.Runtime;

namespace CreditActors.Host.Cluster;

/// <summary>
/// The Akka node inside the host: starts the actor system from akka.hocon, joins the cluster (itself when no
/// seed nodes are given), starts the account shard region, and leaves the cluster gracefully on stop.
/// </summary>
public sealed class AkkaNode(
    NodeSettings settings, Config config, ProjectionSettings projectionSettings, TimeProvider clock, ReadModelDatabase readModels,
    DeliverySettings delivery, Statements.ConfirmationTokens confirmationTokens, Audit.AuditSettings audit, ILogger<AkkaNode> logger) : IHostedService
{
    private ActorSystem? _system;

    public ActorSystem System => _system ?? throw new InvalidOperationException("The actor system is not started");

    public IActorRef AccountRegion { get; private set; } = ActorRefs.Nobody;

    /// <summary>The rating policy in force on this node, read by its accounts.</summary>
    public ActiveRatingPolicy Ratings { get; private set; } = null!;

    /// <summary>The rating runs over every account (a cluster singleton), by its proxy.</summary>
    public IActorRef RatingRuns { get; private set; } = ActorRefs.Nobody;

    /// <summary>Reaches the monthly statement run's singleton.</summary>
    public IActorRef StatementRuns { get; private set; } = ActorRefs.Nobody;

    /// <summary>
    /// The monthly statement run: for each account that asked for monthly statements, last month's statement drawn from its
    /// journal as known now, recorded as issued (once per period) and delivered by the outbox.
    /// </summary>
    private AccountRunKind StatementRunKind() => new("statement-runs", "statement", "STM-", "monthly statement run", _ => new RunDunning(),
        (id, at, by, reason, total) => new Domain.Statements.StatementRunStarted(id, at, by, reason, total),
        (id, at, last, counts) => new Domain.Statements.StatementRunProgressed(id, at, last, counts),
        (id, at, counts) => new Domain.Statements.StatementRunCompleted(id, at, counts))
    {
        Prepare = async (accountId, _) =>
        {
            var now = clock.GetUtcNow();
            var (from, to) = Apis.StatementsApi.LastMonth(DateOnly.FromDateTime(now.UtcDateTime));
            var events = await AccountEventsAsync(accountId);
            var state = CreditAccount.Replay(accountId, events);
            if (!state.Collections.MonthlyStatements || state.Status == AccountStatus.Closed
                || state.Collections.Statements.ContainsKey(Apis.StatementsApi.StatementId(from, to)))
                return null;
            return Apis.StatementsApi.Command(accountId, events, state, from, to, null, now, delivery.DefaultLanguage);
        },
    };

    /// <summary>Reaches the dunning-run singleton.</summary>
    public IActorRef DunningRuns { get; private set; } = ActorRefs.Nobody;

    /// <summary>The node's settings (storage, cluster).</summary>
    public NodeSettings Settings => settings;

    /// <summary>The chain keeper and sealer of the journal (a cluster singleton), by its proxy.</summary>
    public IActorRef ChainKeeper { get; private set; } = ActorRefs.Nobody;

    /// <summary>The bank book (a cluster singleton), by its proxy.</summary>
    public IActorRef BankBook { get; private set; } = ActorRefs.Nobody;

    /// <summary>The rating-policy registry (a cluster singleton), by its proxy.</summary>
    public IActorRef RatingPolicies { get; private set; } = ActorRefs.Nobody;

    public SqlReadJournal ReadJournal { get; private set; } = null!;

    public AccountSettings AccountSettings { get; private set; } = null!;

    /// <summary>Whether account entities run on this node (it has the accounts' role, or none is set); else its region is a proxy.</summary>
    public bool HostsAccounts { get; private set; }

    /// <summary>Whether the projections singleton runs on this node now.</summary>
    public async Task<bool> RunsProjectionsAsync()
    {
        try
        {
            await System.ActorSelection("/user/projections/singleton").ResolveOne(TimeSpan.FromMilliseconds(500));
            return true;
        }
        catch (ActorNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Reaches the projections singleton, wherever in the cluster it runs.</summary>
    public IActorRef Projections { get; private set; } = ActorRefs.Nobody;

    public static readonly IReadOnlyList<string> ProjectionNames =
        [AgingProjection.ProjectionName, AlertsProjection.ProjectionName, LimitRequestsProjection.ProjectionName, NoticeOutboxProjection.ProjectionName,
            WorklistProjection.ProjectionName];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        PersistenceConfiguration.PrepareStore(settings.Storage);
        var accountSettings = AccountSettings.From(config);
        // The shipped rating policy is in force until the policy stream says otherwise.
        Ratings = new ActiveRatingPolicy(accountSettings.Policy, RatingPolicyDocument.Standard);
        AccountSettings = accountSettings with { Ratings = Ratings };
        var bootstrap = BootstrapSetup.Create().WithConfig(config);
        _system = SqliteJournalSetup.For(settings.Storage) is { } sqlite
            ? ActorSystem.Create("credit-actors", ActorSystemSetup.Create(bootstrap, sqlite))
            : ActorSystem.Create("credit-actors", bootstrap);
        // Before any account starts: what accounts write is sealed, and what anyone reads opened, with the accounts' keys.
        if (settings.Storage.Provider == StorageProvider.Sqlite)
            Directory.CreateDirectory(Path.GetFullPath(settings.Storage.DataDirectory));
        var keys = new Persistence.PersonalData.PersonalDataKeys(Persistence.Audit.JournalDatabase.From(settings.Storage));
        await keys.EnsureSchemaAsync(cancellationToken);
        Persistence.PersonalData.PersonalDataExtension.Get(_system).Protection = new Persistence.PersonalData.PersonalDataProtection(keys);

        var cluster = Akka.Cluster.Cluster.Get(_system);
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        if (settings.SeedNodes.Count == 0)
            await cluster.JoinAsync(cluster.SelfAddress, cancellationToken);
        else
            await cluster.JoinSeedNodesAsync(settings.SeedNodes.Select(Address.Parse), cancellationToken);
        await up.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);

        HostsAccounts = AccountSettings.Role is null || cluster.SelfRoles.Contains(AccountSettings.Role);
        AccountRegion = HostsAccounts ? AccountSharding.Start(_system, AccountSettings, clock) : AccountSharding.StartProxy(_system, AccountSettings);
        ReadJournal = PersistenceQuery.Get(_system).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);
        StartRatingPolicies();
        await readModels.EnsureSchemaAsync(cancellationToken);
        StartProjections();
        StartNoticeDelivery();
        StartChainKeeper();
        logger.LogInformation("Akka node {Address} is up; journal on {Storage}; {Shards} account shards",
            cluster.SelfAddress, settings.Storage.Describe(), AccountSettings.NumberOfShards);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_system is null)
            return;
        logger.LogInformation("Leaving the cluster and stopping the actor system");
        await CoordinatedShutdown.Get(_system).Run(CoordinatedShutdown.ClrExitReason.Instance);
        // Return only once nothing of the node runs any more: a caller may remove its data directory next.
        if (!_system.WhenTerminated.Wait(TimeSpan.FromSeconds(10), cancellationToken))
            logger.LogWarning("The actor system did not terminate within 10 s of the coordinated shutdown");
    }

    /// <summary>
    /// The projections stop first when the node stops, each after its batch in flight, so that no read-model write races the
    /// cluster's shutdown. Only the node that runs the projections singleton has anything to stop.
    /// </summary>
    private void StopProjectionsFirst(ActorSystem system, TimeSpan timeout) =>
        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceStop, "stop-projections", async () =>
        {
            try
            {
                var local = await system.ActorSelection("/user/projections/singleton").ResolveOne(TimeSpan.FromSeconds(1));
                await local.Ask<Done>(new ProjectionsGuardian.StopProjections(timeout), timeout + TimeSpan.FromSeconds(1));
                logger.LogInformation("Projections stopped");
            }
            catch (ActorNotFoundException)
            {
                // The singleton runs on another node.
            }
            catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
            {
                logger.LogWarning("The projections did not stop within {Timeout}", timeout);
            }
            return Done.Instance;
        });

    private void StartProjections()
    {
        IReadOnlyList<ProjectionWriter> writers =
        [
            new(readModels, new AgingProjection(projectionSettings.AccountCacheSize, clock), clock),
            new(readModels, new AlertsProjection(projectionSettings.UtilizationHighPercent, projectionSettings.AccountCacheSize), clock),
            new(readModels, new LimitRequestsProjection(), clock),
            new(readModels, new NoticeOutboxProjection(), clock),
            new(readModels, new WorklistProjection(), clock),
        ];
        var overdue = new OverdueEvaluator(readModels, AgingBuckets.Default);
        var system = System;
        var role = projectionSettings.Role;
        // Only a node with the projections' role may run them (the oldest such node does); every node reaches them by the proxy.
        if (role is null || Akka.Cluster.Cluster.Get(system).SelfRoles.Contains(role))
        {
            system.ActorOf(ClusterSingletonManager.Props(
                ProjectionsGuardian.Props(writers, ReadJournal, projectionSettings, overdue, clock),
                PoisonPill.Instance,
                ClusterSingletonManagerSettings.Create(system).WithRole(role)), "projections");
            StopProjectionsFirst(system, TimeSpan.FromSeconds(5));
        }
        Projections = system.ActorOf(ClusterSingletonProxy.Props("/user/projections", ClusterSingletonProxySettings.Create(system).WithRole(role)),
            "projections-proxy");
    }

    /// <summary>
    /// The rating-policy registry runs once in the cluster (on a node that hosts accounts); every node follows its stream and
    /// keeps <see cref="Ratings"/> at the version in force.
    /// </summary>
    private void StartRatingPolicies()
    {
        var system = System;
        var role = AccountSettings.Role;
        if (HostsAccounts)
            system.ActorOf(ClusterSingletonManager.Props(Actors.Singletons.Restarted(RatingPolicyRegistry.Props(clock), "registry"), PoisonPill.Instance,
                ClusterSingletonManagerSettings.Create(system).WithRole(role)), "rating-policies");
        RatingPolicies = system.ActorOf(ClusterSingletonProxy.Props("/user/rating-policies",
            ClusterSingletonProxySettings.Create(system).WithRole(role)), "rating-policies-proxy");
        if (HostsAccounts)
            system.ActorOf(ClusterSingletonManager.Props(Actors.Singletons.Restarted(Actors.Banking.BankReconciliation.Props(clock), "book"), PoisonPill.Instance,
                ClusterSingletonManagerSettings.Create(system).WithRole(role)), "bank-reconciliation");
        BankBook = system.ActorOf(ClusterSingletonProxy.Props("/user/bank-reconciliation",
            ClusterSingletonProxySettings.Create(system).WithRole(role)), "bank-reconciliation-proxy");
        RatingRuns = StartRuns(AccountRunKind.Rating, AccountRunSettings.From(config, "credit-actors.rating-run"));
        DunningRuns = StartRuns(AccountRunKind.Dunning, AccountRunSettings.From(config, "credit-actors.collections.dunning-run"));
        StatementRuns = StartRuns(StatementRunKind(), AccountRunSettings.From(config, "credit-actors.statements.statement-run"),
            async () => await new WorklistQueries(readModels).MonthlyStatementAccountsAsync());
        var book = RatingPolicyBook.Initial;
        ReadJournal.EventsByPersistenceId(EventCatalog.RatingPoliciesPersistenceId, 0, long.MaxValue)
            .RunForeach(envelope =>
            {
                book = book.Apply((RatingPolicyEvent)envelope.Event);
                Ratings.Activate(book.Active.Policy);
            }, system.Materializer());
    }

    /// <summary>Delivers dunning notices from the outbox: one dispatcher in the cluster, on a node that hosts accounts.</summary>
    /// <summary>The journal's hash chain and seals, kept by one node of the account role.</summary>
    private void StartChainKeeper()
    {
        var role = AccountSettings.Role;
        if (HostsAccounts)
            System.ActorOf(ClusterSingletonManager.Props(
                Audit.ChainKeeper.Props(Persistence.Audit.JournalDatabase.From(settings.Storage), audit, clock, Webhooks), PoisonPill.Instance,
                ClusterSingletonManagerSettings.Create(System).WithRole(role)), "chain-keeper");
        ChainKeeper = System.ActorOf(ClusterSingletonProxy.Props("/user/chain-keeper", ClusterSingletonProxySettings.Create(System).WithRole(role)),
            "chain-keeper-proxy");
    }

    private void StartNoticeDelivery()
    {
        if (!delivery.Enabled || !HostsAccounts)
            return;
        var dependencies = new NoticeDispatcher.Dependencies(delivery, new NoticeOutboxQueries(readModels), AccountRegion, AccountEventsAsync,
            new NoticeRenderer(), new SmtpNoticeSender(delivery), new WebhookNoticeSender(delivery, Webhooks), new LetterNoticeSender(delivery),
            new Statements.StatementFormats(), confirmationTokens,
            config.GetString("credit-actors.statements.confirmation.link-base-url"), config.GetInt("credit-actors.statements.confirmation.valid-days"), clock);
        System.ActorOf(ClusterSingletonManager.Props(NoticeDispatcher.Props(dependencies), PoisonPill.Instance,
            ClusterSingletonManagerSettings.Create(System).WithRole(AccountSettings.Role)), "notice-dispatcher");
    }

    /// <summary>The connections webhooks are posted over (pooled; each attempt has its own timeout).</summary>
    private static readonly HttpClient Webhooks = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>A kind of run as a cluster singleton on the nodes that host accounts, and the proxy that reaches it.</summary>
    private IActorRef StartRuns(AccountRunKind kind, AccountRunSettings runSettings, Func<Task<IReadOnlyList<string>>>? listAccounts = null)
    {
        var system = System;
        var role = AccountSettings.Role;
        if (HostsAccounts)
            system.ActorOf(ClusterSingletonManager.Props(
                Actors.Singletons.Restarted(AccountRunCoordinator.Props(kind, AccountRegion, listAccounts ?? ListAccountsAsync, runSettings, clock), "coordinator"),
                PoisonPill.Instance,
                ClusterSingletonManagerSettings.Create(system).WithRole(role)), kind.PersistenceId);
        return system.ActorOf(ClusterSingletonProxy.Props($"/user/{kind.PersistenceId}",
            ClusterSingletonProxySettings.Create(system).WithRole(role)), $"{kind.PersistenceId}-proxy");
    }

    /// <summary>One account's events, in order, read from the journal (the account is not woken); empty for an unknown account.</summary>
    public async Task<List<AccountEvent>> AccountEventsAsync(string accountId)
    {
        var events = new List<AccountEvent>();
        await ReadJournal.CurrentEventsByPersistenceId(AccountSettings.PersistenceIdPrefix + accountId, 0, long.MaxValue)
            .RunForeach(envelope => events.Add((AccountEvent)envelope.Event), System.Materializer());
        return events;
    }

    /// <summary>
    /// Every account's events, in the journal's order (the order they were written), by the tag every account event carries:
    /// read straight from the store, once, for backtests and ledger exports.
    /// </summary>
    public Source<(string AccountId, AccountEvent Event), Akka.NotUsed> AllAccountEvents() =>
        ReadJournal.CurrentEventsByTag(AccountEventTagger.AllAccountEvents, Akka.Persistence.Query.Offset.NoOffset())
            .Select(e => (e.PersistenceId[AccountSettings.PersistenceIdPrefix.Length..], (AccountEvent)e.Event));

    /// <summary>Every account the journal holds, by its id.</summary>
    private async Task<IReadOnlyList<string>> ListAccountsAsync()
    {
        var prefix = AccountSettings.PersistenceIdPrefix;
        return await ReadJournal.CurrentPersistenceIds()
            .Where(id => id.StartsWith(prefix, StringComparison.Ordinal))
            .Select(id => id[prefix.Length..])
            .RunWith(Sink.Seq<string>(), System.Materializer());
    }

    /// <summary>akka.hocon with what the host configuration lays over it (storage, remoting, seeds, Akka:Overrides).</summary>
    public static Config BuildConfig(NodeSettings settings)
    {
        var file = Path.Combine(AppContext.BaseDirectory, "akka.hocon");
        var hocon = ConfigurationFactory.ParseString(File.ReadAllText(file));
        var seeds = string.Join(", ", settings.SeedNodes.Select(s => $"\"{s}\""));
        // Akka:Overrides is HOCON laid over everything, for operators and drills (for example shorter downing timings).
        var node = ConfigurationFactory.ParseString($$"""
            {{settings.AkkaOverrides}}
            akka.remote.dot-netty.tcp.hostname = "{{settings.Hostname}}"
            akka.remote.dot-netty.tcp.port = {{settings.Port}}
            akka.cluster.seed-nodes = [{{seeds}}]
            akka.cluster.roles = [{{string.Join(", ", settings.Roles.Select(r => $"\"{r}\""))}}]
            """);
        return PersistenceConfiguration.Combine(hocon, settings.Storage, node);
    }
}
