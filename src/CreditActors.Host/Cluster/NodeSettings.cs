using CreditActors.Persistence;

namespace CreditActors.Host.Cluster;

/// <summary>The node's settings from the host configuration (appsettings.json, environment, command line).</summary>
public sealed record NodeSettings(
    StorageSettings Storage, string Hostname, int Port, IReadOnlyList<string> SeedNodes, TimeSpan AskTimeout, string AkkaOverrides)
{
    public static NodeSettings From(IConfiguration configuration)
    {
        var providerText = configuration["Storage:Provider"] ?? "Sqlite";
        if (!Enum.TryParse<StorageProvider>(providerText, ignoreCase: true, out var provider))
            throw new InvalidOperationException($"Storage:Provider must be Sqlite or PostgreSql, not '{providerText}'");
        var storage = new StorageSettings(provider, configuration["Storage:DataDirectory"] is { Length: > 0 } dir ? dir : "./data",
            configuration["Storage:ConnectionString"]);
        var seeds = (configuration["Cluster:SeedNodes"] ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new NodeSettings(
            storage,
            configuration["Cluster:Hostname"] is { Length: > 0 } host ? host : "127.0.0.1",
            configuration.GetValue("Cluster:Port", 0),
            seeds,
            TimeSpan.FromSeconds(configuration.GetValue("Api:AskTimeoutSeconds", 10)),
            configuration["Akka:Overrides"] ?? "");
    }
}
