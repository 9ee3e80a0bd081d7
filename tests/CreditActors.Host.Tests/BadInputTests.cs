using System.Net;
using CreditActors.Host.Tests.Support;

namespace CreditActors.Host.Tests;

// Protects the API's handling of bad input: a problem document naming the field and the reason, and no event written.
public abstract class BadInputTests(HostFixture fixture) : IAsyncLifetime
{
    private const string Id = "BAD-1";
    private RunningHost Host => fixture.Host;

    public async Task InitializeAsync()
    {
        if (await Host.VersionAsync(Id) > 0)
            return;
        await Host.PostAsync("/accounts", new { accountId = Id, name = "Bad Input Co", currency = "CNY", creditLimit = 10_000m, paymentTermsDays = 30 });
        await Host.PostAsync($"/accounts/{Id}/invoices", new
        {
            invoiceNumber = "INV-1", amount = 300m, issueDate = "2026-04-01",
            installments = new[] { new { dueDate = "2026-05-01", amount = 100m }, new { dueDate = "2026-06-01", amount = 200m } },
        });
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string, string, string> Cases => new()
    {
        { "/invoices", """{"invoiceNumber":"INV-9","amount":10,""", "body" },
        { "/invoices", """{"invoiceNumber":"INV-9","issueDate":"2026-04-01"}""", "amount" },
        { "/invoices", """{"invoiceNumber":"INV-9","amount":0,"issueDate":"2026-04-01"}""", "amount" },
        { "/invoices", """{"invoiceNumber":"INV-9","amount":-5,"issueDate":"2026-04-01"}""", "amount" },
        { "/invoices", """{"invoiceNumber":"INV-9","amount":10.005,"issueDate":"2026-04-01"}""", "amount" },
        { "/invoices", """{"invoiceNumber":"INV-9","amount":"10","issueDate":"2026-04-01"}""", "amount" },
        { "/invoices", """{"invoiceNumber":"INV-9","amount":10,"issueDate":"01/04/2026"}""", "issueDate" },
        { "/invoices", """{"invoiceNumber":"INV-9","amount":10,"issueDate":"2026-04-01","dueDate":"2026-03-31"}""", "dueDate" },
        { "/invoices", """{"invoiceNumber":"INV-9","amount":10,"issueDate":"2026-04-01","installments":[{"dueDate":"2026-05-01","amount":4},{"dueDate":"2026-06-01","amount":5}]}""", "installments" },
        { "/invoices", """{"invoiceNumber":"bad number!","amount":10,"issueDate":"2026-04-01"}""", "invoiceNumber" },
        { "/invoices", """{"invoiceNumber":"INV-9","amount":10,"issueDate":"2026-04-01","colour":"red"}""", "colour" },
        { "/invoices", """{"invoiceNumber":"INV-9","amount":10,"issueDate":"2026-04-01","discount":{"percent":120,"withinDays":10}}""", "discount.percent" },
        { "/payments", """{"paymentReference":"PAY-9","amount":10,"receivedDate":"2026-04-02","allocations":[{"invoiceNumber":"INV-404","amount":10}]}""", "allocations[0].invoiceNumber" },
        { "/payments", """{"paymentReference":"PAY-9","amount":500,"receivedDate":"2026-04-02","allocations":[{"invoiceNumber":"INV-1","line":1,"amount":100.01}]}""", "allocations[0].amount" },
        { "/payments", """{"paymentReference":"PAY-9","amount":500,"receivedDate":"2026-04-02","allocations":[{"invoiceNumber":"INV-1","line":3,"amount":1}]}""", "allocations[0].line" },
        { "/payments", """{"paymentReference":"PAY-9","amount":5,"receivedDate":"2026-04-02","allocations":[{"invoiceNumber":"INV-1","amount":6}]}""", "allocations" },
        { "/holds", """{"holdId":"H-9","amount":1,"expiresAt":"2020-01-01T00:00:00Z"}""", "expiresAt" },
        { "/holds", """{"amount":1}""", "holdId" },
        { "/credit-notes", """{"creditNoteNumber":"CN-9","invoiceNumber":"INV-1","amount":301,"reason":"too much"}""", "amount" },
        { "/write-offs", """{"writeOffId":"WO-9","invoiceNumber":"INV-1","amount":1}""", "reason" },
        { "/credit-checks", """{"amount":1.001}""", "amount" },
        { "/credit-checks", """[1,2,3]""", "body" },
        { "/invoices", """{"invoiceNumber":"E-1","amount":10,"issueDate":"9999-12-31"}""", "issueDate" },
        { "/invoices", """{"invoiceNumber":"E-1","amount":10,"issueDate":"0001-01-01"}""", "issueDate" },
        { "/invoices", """{"invoiceNumber":"E-1","amount":10,"issueDate":"2026-04-01","dueDate":"9999-12-31"}""", "dueDate" },
        { "/payments", """{"paymentReference":"PAY-9","amount":10,"receivedDate":"9999-12-31"}""", "receivedDate" },
        { "/credit-notes", """{"creditNoteNumber":"CN-9","invoiceNumber":"INV-1","amount":1,"reason":"r","effectiveDate":"9999-12-31"}""", "effectiveDate" },
        { "/write-offs", """{"writeOffId":"WO-9","invoiceNumber":"INV-1","amount":1,"reason":"r","effectiveDate":"1899-12-31"}""", "effectiveDate" },
    };

    public static TheoryData<string, string> QueryCases => new()
    {
        { $"/accounts/{Id}/events?fromVersion=abc", "fromVersion" },
        { $"/accounts/{Id}/events?limit=0", "limit" },
        { "/alerts?acknowledged=maybe", "acknowledged" },
        { "/alerts?limit=5000", "limit" },
        { "/alerts?since=yesterday", "since" },
        { "/reports/aging?knownAt=garbage", "knownAt" },
        { "/reports/aging?asOf=0001-01-01", "asOf" },
        { "/reports/aging?asOf=9999-12-31", "asOf" },
        { "/reports/portfolio?asOf=0001-01-01", "asOf" },
        { $"/reports/aging/{Id}?asOf=2026-02-30", "asOf" },
    };

    [Theory]
    [MemberData(nameof(QueryCases))]
    public async Task a_bad_query_value_gets_400_naming_the_parameter(string path, string field)
    {
        var response = await Host.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await RunningHost.Json(response);
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task an_issue_date_whose_terms_run_past_the_calendar_is_refused_at_once_while_holds_beside_it_are_written()
    {
        await Host.PostAsync("/accounts", new { accountId = "BAD-TERMS", name = "Long Terms Co", currency = "CNY", creditLimit = 10_000m,
            paymentTermsDays = 3650 });
        var holds = Enumerable.Range(1, 20).Select(i => Host.PostAsync("/accounts/BAD-TERMS/holds", new { holdId = $"H-{i}", amount = 10m })).ToList();
        var invoice = Host.PostRawAsync("/accounts/BAD-TERMS/invoices", """{"invoiceNumber":"E-1","amount":10,"issueDate":"2199-12-01"}""");

        var refused = await invoice;
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("issueDate", (await RunningHost.Json(refused)).GetProperty("field").GetString());
        foreach (var hold in holds)
            Assert.Equal(HttpStatusCode.Created, (await hold).StatusCode);
        Assert.Equal(21, await Host.VersionAsync("BAD-TERMS"));
    }

    public static TheoryData<string, string, int, string> FrameworkCases => new()
    {
        { "DELETE", $"/accounts/{Id}/holds", 405, "method_not_allowed" },
        { "GET", "/no-such-resource", 404, "not_found" },
        { "POST", $"/accounts/{Id}/holds", 415, "unsupported_media_type" },
        { "GET", $"/accounts/{new string('a', 9000)}", 414, "uri_too_long" },
    };

    [Theory]
    [MemberData(nameof(FrameworkCases))]
    public async Task errors_the_framework_finds_are_our_problem_documents(string method, string path, int status, string code)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
            request.Content = new StringContent("holdId=H-1", System.Text.Encoding.UTF8, "text/plain");
        var response = await Host.Client.SendAsync(request);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await RunningHost.Json(response);
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.StartsWith("https://creditactors.example/problems/", problem.GetProperty("type").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Object, problem.GetProperty("errors").ValueKind);
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task amounts_with_trailing_zeros_are_kept_to_the_currencys_scale()
    {
        await Host.PostAsync("/accounts", new { accountId = "BAD-SCALE", name = "Scale Co", currency = "CNY", creditLimit = 10_000m, paymentTermsDays = 30 });
        await Host.PostRawAsync("/accounts/BAD-SCALE/holds", """{"holdId":"H-1","amount":105.000}""");
        var placed = await Host.PostRawAsync("/accounts/BAD-SCALE/holds", """{"holdId":"H-2","amount":1.100}""");
        Assert.Contains("\"amount\":1.1,", await placed.Content.ReadAsStringAsync());
        var account = await Host.Client.GetStringAsync("/accounts/BAD-SCALE");
        Assert.Contains("\"holds\":106.1,", account);
        var events = await Host.Client.GetStringAsync("/accounts/BAD-SCALE/events");
        Assert.DoesNotContain("1.100", events);
        Assert.DoesNotContain("105.000", events);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task bad_input_gets_400_naming_the_field_and_writes_nothing(string path, string json, string field)
    {
        var version = await Host.VersionAsync(Id);
        var response = await Host.PostRawAsync($"/accounts/{Id}{path}", json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await RunningHost.Json(response);
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal(version, await Host.VersionAsync(Id));
    }

    [Theory]
    [InlineData("""{"accountId":"BAD-2","name":"X","currency":"XYZ","creditLimit":1,"paymentTermsDays":30}""", "currency")]
    [InlineData("""{"accountId":"BAD-2","name":"X","currency":"JPY","creditLimit":1.5,"paymentTermsDays":30}""", "creditLimit")]
    [InlineData("""{"accountId":"BAD 2","name":"X","currency":"CNY","creditLimit":1,"paymentTermsDays":30}""", "accountId")]
    [InlineData("""{"accountId":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","name":"X","currency":"CNY","creditLimit":1,"paymentTermsDays":30}""", "accountId")]
    [InlineData("""{"accountId":"BAD-2","currency":"CNY","creditLimit":1,"paymentTermsDays":30}""", "name")]
    [InlineData("""{"accountId":"BAD-2","name":"X","currency":"CNY","creditLimit":1,"paymentTermsDays":30,"tier":"gold"}""", "tier")]
    public async Task opening_an_account_with_bad_input_gets_400_and_creates_nothing(string json, string field)
    {
        var response = await Host.PostRawAsync("/accounts", json);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, (await RunningHost.Json(response)).GetProperty("field").GetString());
        Assert.Equal(0, await Host.VersionAsync("BAD-2"));
    }

    [Fact]
    public async Task an_account_id_outside_the_allowed_characters_in_the_path_gets_400()
    {
        var response = await Host.Client.GetAsync("/accounts/bad%20id");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("accountId", (await RunningHost.Json(response)).GetProperty("field").GetString());
    }

    [Fact]
    public async Task a_body_over_64_kib_is_refused_with_413_and_writes_nothing()
    {
        var version = await Host.VersionAsync(Id);
        var notes = new string('x', 70 * 1024);
        var response = await Host.PostRawAsync($"/accounts/{Id}/invoices", $$"""{"invoiceNumber":"INV-BIG","amount":1,"issueDate":"2026-04-01","notes":"{{notes}}"}""");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("body_too_large", (await RunningHost.Json(response)).GetProperty("code").GetString());
        Assert.Equal(version, await Host.VersionAsync(Id));
    }

    [Fact]
    public async Task a_body_that_is_not_json_gets_415()
    {
        var response = await Host.Client.PostAsync($"/accounts/{Id}/credit-checks", new StringContent("amount=5", System.Text.Encoding.UTF8,
            "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }
}

public sealed class SqliteBadInputTests(SqliteHostFixture fixture) : BadInputTests(fixture), IClassFixture<SqliteHostFixture>;

[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlBadInputTests(PostgresHostFixture fixture) : BadInputTests(fixture), IClassFixture<PostgresHostFixture>;
