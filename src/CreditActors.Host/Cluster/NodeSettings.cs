using CreditActors.Host.Http;
using CreditActors.Persistence;

namespace CreditActors.Host.Cluster;

/// <summary>The node's settings, read once at start from the host configuration (appsettings.json, environment, command line).</summary>
public sealed record NodeSettings(
    StorageSettings Storage, string Hostname, int Port, IReadOnlyList<string> SeedNodes, string AkkaOverrides)
{
    /// <summary>This node's cluster roles (Cluster:Roles): which of accounts and projections it takes (see akka.hocon).</summary>
    public IReadOnlyList<string> Roles { get; init; } = [];

    public static NodeSettings From(IConfiguration configuration)
    {
        var providerText = Setting.Required<string>(configuration, "Storage:Provider");
        if (!Enum.TryParse<StorageProvider>(providerText, ignoreCase: true, out var provider))
            throw new InvalidOperationException($"Storage:Provider must be Sqlite or PostgreSql, not '{providerText}'");
        var storage = new StorageSettings(provider, Setting.Required<string>(configuration, "Storage:DataDirectory"),
            Setting.Optional(configuration, "Storage:ConnectionString") is { Length: > 0 } connection ? connection : null);
        var seeds = Setting.Optional(configuration, "Cluster:SeedNodes")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new NodeSettings(
            storage,
            Setting.Required<string>(configuration, "Cluster:Hostname"),
            Setting.Required<int>(configuration, "Cluster:Port"),
            seeds,
            Setting.Optional(configuration, "Akka:Overrides"))
        {
            Roles = Setting.Optional(configuration, "Cluster:Roles").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        };
    }
}
