using System.Net.Http.Json;
using System.Net;
using System.Text;
using System.Text.Json;
using CreditActors.Host.Statements;
using CreditActors.Host.Tests.Support;

namespace CreditActors.Host.Tests;

// Protects balance confirmation (对账确认): a valid link is answered once; an altered, expired or reused link is refused;
// a disputed balance opens a reconciliation item and raises an alert; finance closes it; the report counts it all.
public sealed class ConfirmationTests(SqliteHostFixture fixture) : IClassFixture<SqliteHostFixture>
{
    private const string Secret = "confirmation-secret-of-the-tests";

    private static readonly ConfirmationTokens Tokens = new(Encoding.UTF8.GetBytes(Secret));

    private static async Task<JsonElement> PollAsync(RunningHost host, string path, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonElement found;
        do
        {
            found = await host.GetJsonAsync(path);
            if (condition(found))
                return found;
            await Task.Delay(100);
        } while (DateTime.UtcNow < deadline);
        Assert.Fail($"{path} never got there: {found}");
        return found;
    }

    [Fact]
    public async Task a_link_is_answered_once_and_a_disputed_balance_is_reconciled()
    {
        Environment.SetEnvironmentVariable("CREDITACTORS_CONFIRMATION_SECRET", Secret);
        var storage = await fixture.Store.NewStoreAsync();
        await using var host = await RunningHost.StartAsync(storage, "--Akka:Overrides=credit-actors.collections.delivery.enabled = off");
        await StatementTests.MonthAsync(host);
        Assert.Equal(HttpStatusCode.OK, (await host.PutAsync("/accounts/HW-1/contact-preferences",
            new { language = "en", confirmation = "confirmation" })).StatusCode);
        var november = await RunningHost.Json(await host.PostAsync("/accounts/HW-1/statements", new { from = "2026-11-01", to = "2026-11-30" }));
        var token = Tokens.Issue(new ConfirmationClaims("HW-1", "statement-202611", november.GetProperty("contentHash").GetString()!,
            DateTimeOffset.UtcNow.AddDays(30)));

        // No API key is needed: in development mode every request is let in anyway; the link itself is the permission.
        var anonymous = host.Client;
        var shown = await RunningHost.Json(await anonymous.GetAsync($"/confirmations/{token}"));
        Assert.Equal((8_000m, "confirmation"), (shown.GetProperty("closingBalance").GetDecimal(), shown.GetProperty("variant").GetString()));
        var page = await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/confirmations/{token}") { Headers = { { "Accept", "text/html" } } });
        Assert.Contains("8,000.00", await page.Content.ReadAsStringAsync());

        var altered = token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1];
        var refused = await anonymous.PostAsJsonAsync($"/confirmations/{altered}", new { answer = "agree", respondent = "Li Wei" });
        Assert.Equal((HttpStatusCode.NotFound, "token_invalid"), (refused.StatusCode, (await RunningHost.Json(refused)).GetProperty("code").GetString()));
        var expired = Tokens.Issue(new ConfirmationClaims("HW-1", "statement-202611", november.GetProperty("contentHash").GetString()!,
            DateTimeOffset.UtcNow.AddMinutes(-1)));
        Assert.Equal(HttpStatusCode.Gone, (await anonymous.PostAsJsonAsync($"/confirmations/{expired}", new { answer = "agree", respondent = "Li Wei" })).StatusCode);

        var confirmed = await anonymous.PostAsJsonAsync($"/confirmations/{token}", new { answer = "agree", respondent = "Li Wei" });
        Assert.Equal("confirmed", (await RunningHost.Json(confirmed)).GetProperty("reply").GetString());
        var reused = await anonymous.PostAsJsonAsync($"/confirmations/{token}", new { answer = "agree", respondent = "Li Wei" });
        Assert.Equal((HttpStatusCode.Conflict, "statement_already_answered"), (reused.StatusCode, (await RunningHost.Json(reused)).GetProperty("code").GetString()));

        // October: the customer's books show 500 less (a payment we have not seen), and say so through a browser's form.
        Assert.Equal(HttpStatusCode.Created, (await host.PostAsync("/accounts/HW-1/statements", new { from = "2026-10-01", to = "2026-10-31" })).StatusCode);
        var october = (await host.GetJsonAsync("/accounts/HW-1/statements")).EnumerateArray().Single(s => s.GetProperty("statementId").GetString() == "statement-202610");
        var octoberToken = Tokens.Issue(new ConfirmationClaims("HW-1", "statement-202610", october.GetProperty("contentHash").GetString()!,
            DateTimeOffset.UtcNow.AddDays(30)));
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["answer"] = "disagree", ["theirBalance"] = "2,500.00", ["items"] = "BANK-1031; -500; paid on 31 October", ["respondent"] = "Li Wei",
        });
        var thanks = await anonymous.PostAsync($"/confirmations/{octoberToken}", form);
        Assert.Equal(HttpStatusCode.OK, thanks.StatusCode);
        Assert.Contains("Thank you", await thanks.Content.ReadAsStringAsync());

        var items = await PollAsync(host, "/reconciliation-items?from=2026-01-01&to=2026-12-31", list => list.GetArrayLength() == 1);
        Assert.Equal(("statement-202610", 3_000m, 2_500m, -500m), (items[0].GetProperty("statementId").GetString(), items[0].GetProperty("closingBalance").GetDecimal(),
            items[0].GetProperty("theirBalance").GetDecimal(), items[0].GetProperty("difference").GetDecimal()));
        await PollAsync(host, "/alerts?accountId=HW-1", alerts => alerts.EnumerateArray().Any(a => a.GetProperty("kind").GetString() == "BalanceDisputed"));
        Assert.Equal(HttpStatusCode.OK, (await host.PostAsync("/accounts/HW-1/statements/statement-202610/reconciliation",
            new { resolution = "payment-found", reference = "BANK-1031" })).StatusCode);
        await PollAsync(host, "/reconciliation-items?from=2026-01-01&to=2026-12-31", list => list.GetArrayLength() == 0);

        var report = await PollAsync(host, "/reports/confirmations?from=2026-01-01&to=2026-12-31", r => r.GetArrayLength() == 2);
        Assert.Equal([("2026-10", 1, 0, 1, 0m), ("2026-11", 1, 1, 0, 100m)], report.EnumerateArray().Select(p => (p.GetProperty("period").GetString(),
            p.GetProperty("replied").GetInt32(), p.GetProperty("confirmed").GetInt32(), p.GetProperty("disputed").GetInt32(),
            p.GetProperty("confirmationRatePercent").GetDecimal())));
    }
}
