using CreditActors.Host.Apis;
using CreditActors.Projections.Aging;
using CreditActors.Projections.Alerts;
using CreditActors.Projections.LimitRequests;
using CreditActors.Projections.Runtime;

namespace CreditActors.Host.Cluster;

/// <summary>The Akka node (accounts and projections) as a hosted service, and the read models' queries.</summary>
public static class NodeSetup
{
    public static void AddCreditActorsNode(this WebApplicationBuilder builder)
    {
        var node = NodeSettings.From(builder.Configuration);
        builder.Services.AddSingleton(node);
        builder.Services.AddSingleton(TimeProvider.System);
        // akka.hocon and what the host lays over it, read once: the node runs on it and the projections' settings come from it.
        var config = AkkaNode.BuildConfig(node);
        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton(ProjectionSettingsReader.From(config));
        // Read once: how notices and statements are delivered, and the key of the confirmation links.
        builder.Services.AddSingleton(Collections.DeliverySettings.From(config, node.Storage.DataDirectory));
        builder.Services.AddSingleton(Statements.ConfirmationTokens.From(node.Storage.DataDirectory));
        builder.Services.AddSingleton(Banking.BankSettings.From(config));
        builder.Services.AddSingleton(Audit.AuditSettings.From(config, node.Storage.DataDirectory));
        builder.Services.AddSingleton<AkkaNode>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AkkaNode>());
        builder.Services.AddSingleton<AccountClient>();
    }

    public static void AddCreditActorsReadModels(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp => new ReadModelDatabase(sp.GetRequiredService<NodeSettings>().Storage));
        builder.Services.AddSingleton<AgingQueries>();
        builder.Services.AddSingleton(sp => new PortfolioQueries(
            sp.GetRequiredService<ReadModelDatabase>(), sp.GetRequiredService<ProjectionSettings>().UtilizationHighPercent));
        builder.Services.AddSingleton<AlertQueries>();
        builder.Services.AddSingleton<LimitRequestQueries>();
        builder.Services.AddSingleton<CreditActors.Projections.Collections.WorklistQueries>();
        builder.Services.AddSingleton<CreditActors.Projections.Collections.NoticeOutboxQueries>();
        builder.Services.AddSingleton<Collections.NoticeRenderer>();
        builder.Services.AddSingleton<Statements.StatementFormats>();
        builder.Services.AddSingleton<Banking.BankReconciler>();
        builder.Services.AddSingleton<CreditActors.Projections.Collections.StatementReplyQueries>();
        builder.Services.AddSingleton<ProjectionStatus>();
        builder.Services.AddSingleton<BacktestJobs>();
        builder.Services.AddHostedService<BacktestLifecycle>();
    }
}
