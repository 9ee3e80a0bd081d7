using CreditActors.Host.Security;
using CreditActors.Host.Tests.Support;

namespace CreditActors.Host.Tests.Security;

/// <summary>A host with one API key per role (key "key-ROLE", name "ROLE-client"), plus a second credit manager.</summary>
public sealed class SecuredHostFixture : IAsyncLifetime
{
    private readonly SqliteStore _store = new();

    public RunningHost Host { get; private set; } = null!;

    public static string[] KeyArguments(params (string Name, string Key, string Roles)[] keys) =>
        keys.SelectMany((k, i) => new[]
        {
            $"--Auth:Keys:{i}:Name={k.Name}", $"--Auth:Keys:{i}:Sha256={ApiKeyRegistry.Hash(k.Key)}", $"--Auth:Keys:{i}:Roles={k.Roles}",
        }).ToArray();

    public static readonly (string Name, string Key, string Roles)[] Keys =
        [.. Roles.All.Select(r => ($"{r}-client", $"key-{r}", r)), ("credit-manager-2", "key-credit-manager-2", Roles.CreditManager)];

    public HttpClient As(string role) => Host.WithKey($"key-{role}");

    public async Task InitializeAsync() => Host = await RunningHost.StartAsync([.. await _store.NewStoreAsync(), .. KeyArguments(Keys)]);

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        _store.Dispose();
    }
}
