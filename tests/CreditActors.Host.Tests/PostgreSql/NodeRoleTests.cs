using System.Net.Http.Json;
using System.Text.Json;
using CreditActors.Host.Tests.Support;

namespace CreditActors.Host.Tests.PostgreSql;

// Protects the split of work by cluster role: accounts on the nodes with their role, the projections on a node of their own,
// and each node still serving the whole API (it reaches what it does not run).
[Collection(PostgresCollection.Name)]
public sealed class NodeRoleTests : IDisposable
{
    private readonly string _logDirectory = Directory.CreateTempSubdirectory("creditactors-roles-").FullName;
    private readonly List<NodeProcess> _nodes = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(15) };

    [Fact]
    public async Task accounts_and_projections_run_on_the_nodes_with_their_roles_and_every_node_serves_both()
    {
        using var budget = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var store = await new PostgresStore(PostgresFixture.Server).NewStoreAsync();
        const string roles = "credit-actors.account.role = accounts, credit-actors.projections.role = projections";
        var ports = NodeProcess.FreePorts(4);
        var seed = NodeProcess.Address(ports[0]);
        _nodes.Add(new NodeProcess("accounts", ports[2], ports[0], seed, [.. store, $"--Akka:Overrides={roles}", "--Cluster:Roles=accounts"],
            _logDirectory));
        _nodes.Add(new NodeProcess("projections", ports[3], ports[1], seed,
            [.. store, $"--Akka:Overrides={roles}", "--Cluster:Roles=projections"], _logDirectory));
        foreach (var node in _nodes)
        {
            node.Start();
            await Task.Delay(1_000, budget.Token);
        }

        var health = await UntilAsync(async () =>
        {
            var views = new List<JsonElement>();
            foreach (var node in _nodes)
                views.Add(await _http.GetFromJsonAsync<JsonElement>(new Uri(node.BaseAddress, "/health"), budget.Token));
            return views.All(v => v.GetProperty("status").GetString() == "healthy") && views[1].GetProperty("runsProjections").GetBoolean()
                ? views : null;
        }, budget.Token);
        Assert.Equal((true, false), (health[0].GetProperty("hostsAccounts").GetBoolean(), health[0].GetProperty("runsProjections").GetBoolean()));
        Assert.Equal((false, true), (health[1].GetProperty("hostsAccounts").GetBoolean(), health[1].GetProperty("runsProjections").GetBoolean()));

        // Written through the node that hosts no account, read back on both; projected by the other.
        var projections = _nodes[1].BaseAddress;
        var opened = await _http.PostAsJsonAsync(new Uri(projections, "/accounts"),
            new { accountId = "ROLE-1", name = "Role Ltd", currency = "CNY", creditLimit = 10_000m, paymentTermsDays = 30 }, budget.Token);
        Assert.True(opened.IsSuccessStatusCode, await opened.Content.ReadAsStringAsync(budget.Token));
        var invoice = await _http.PostAsJsonAsync(new Uri(projections, "/accounts/ROLE-1/invoices"),
            new { invoiceNumber = "INV-1", amount = 700m, issueDate = "2026-05-01" }, budget.Token);
        Assert.True(invoice.IsSuccessStatusCode, await invoice.Content.ReadAsStringAsync(budget.Token));
        var account = await _http.GetFromJsonAsync<JsonElement>(new Uri(_nodes[0].BaseAddress, "/accounts/ROLE-1"), budget.Token);
        Assert.Equal(700m, account.GetProperty("receivables").GetDecimal());
        var lines = await UntilAsync(async () =>
        {
            var report = await _http.GetFromJsonAsync<JsonElement>(new Uri(_nodes[0].BaseAddress, "/reports/aging/ROLE-1?asOf=2026-05-02"), budget.Token);
            return report.GetProperty("lines").GetArrayLength() == 1 ? report.GetProperty("lines").EnumerateArray().ToList() : null;
        }, budget.Token);
        Assert.Equal(700m, lines[0].GetProperty("open").GetDecimal());
    }

    /// <summary>Asks until the answer is not null, a bounded number of times.</summary>
    private static async Task<T> UntilAsync<T>(Func<Task<T?>> ask, CancellationToken cancellation) where T : class
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            try
            {
                if (await ask() is { } answer)
                    return answer;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(200, cancellation);
        }
        throw new TimeoutException("no answer in 300 attempts");
    }

    public void Dispose()
    {
        foreach (var node in Enumerable.Reverse(_nodes))
            node.Dispose();
        _http.Dispose();
        TempDirectory.Delete(_logDirectory);
    }
}
