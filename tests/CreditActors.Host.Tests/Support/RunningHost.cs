using Microsoft.AspNetCore.Builder;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace CreditActors.Host.Tests.Support;

/// <summary>The real host (Kestrel on 127.0.0.1, a free port) on a SQLite file in a directory of the test's.</summary>
public sealed class RunningHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private readonly ApiContract _contract;

    private RunningHost(WebApplication app, HttpClient client, ApiContract contract)
    {
        _app = app;
        Client = client;
        _contract = contract;
    }

    /// <summary>A client whose every response is checked against the published OpenAPI document.</summary>
    public static HttpClient ContractClient(Uri baseAddress, ApiContract contract) =>
        new(new ContractCheckingHandler(contract)) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>A client that sends the given API key.</summary>
    public HttpClient WithKey(string key)
    {
        var client = ContractClient(Client.BaseAddress!, _contract);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public static async Task<RunningHost> StartAsync(IEnumerable<string> storageArguments, params string[] more)
    {
        var app = CreditActorsApp.Build(HostArguments.WithoutScheduledRuns(
        [
            "--urls=http://127.0.0.1:0",
            "--Logging:MinimumLevel=Warning",
            .. storageArguments,
            .. more,
        ]));
        await app.StartAsync();
        var address = new Uri(app.Urls.Single());
        var contract = await ApiContract.ForAsync(address);
        return new RunningHost(app, ContractClient(address, contract), contract);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }

    public Task<HttpResponseMessage> PostAsync(string path, object body) => Client.PostAsJsonAsync(path, body);

    public Task<HttpResponseMessage> PostRawAsync(string path, string json) =>
        Client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public Task<HttpResponseMessage> PutAsync(string path, object body) => Client.PutAsJsonAsync(path, body);

    public Task<HttpResponseMessage> PatchAsync(string path, object body) => Client.PatchAsJsonAsync(path, body);

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await Json(response);
    }

    /// <summary>How many events the account's stream holds (its version), or 0 when it does not exist.</summary>
    public async Task<long> VersionAsync(string accountId)
    {
        using var response = await Client.GetAsync($"/accounts/{accountId}");
        return response.IsSuccessStatusCode ? (await Json(response)).GetProperty("version").GetInt64() : 0;
    }

    public static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}

public static class TempDirectory
{
    public static void Delete(string path)
    {
        try { Directory.Delete(path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
