using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CreditActors.Host.Tests.Support;

namespace CreditActors.Host.Tests;

// Protects notice delivery: a notice reaches a real SMTP server with the right recipient, subject, language and amounts;
// with the server down it is retried and delivered when the server is back, nothing lost; after the last attempt it is
// marked failed (and an alert raised); and a notice by webhook arrives at a real HTTP listener with a valid signature.
public sealed class NoticeDeliveryTests(SqliteHostFixture fixture) : IClassFixture<SqliteHostFixture>
{
    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Delivery(int smtpPort, string extra = "") =>
        "credit-actors.collections { dunning-run.daily-at = off, delivery { poll-interval = 200ms, max-attempts = 3, first-backoff = 1s, "
        + $"max-backoff = 2s, attempt-timeout = 5s, smtp {{ host = \"127.0.0.1\", port = {smtpPort}, security = none, "
        + $"from = \"AR Team <ar@seller.example>\" }} {extra} }} }}";

    /// <summary>An account with 10,000 due 35 days ago: its dunning step issues a second notice (level 3) with a 200 fee.</summary>
    private static async Task<string> OverdueAccountAsync(RunningHost host, string accountId, string? language)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        Assert.Equal(HttpStatusCode.Created, (await host.PostAsync("/accounts", new
        {
            accountId, name = $"{accountId} Trading", currency = "CNY", creditLimit = 100_000m, paymentTermsDays = 30, contact = "Li Wei",
            email = $"ap@{accountId.ToLowerInvariant()}.example",
        })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await host.PostAsync($"/accounts/{accountId}/invoices",
            new { invoiceNumber = "INV-1", amount = 10_000m, issueDate = Day(today.AddDays(-40)), dueDate = Day(today.AddDays(-35)) })).StatusCode);
        if (language is not null)
            Assert.Equal(HttpStatusCode.OK, (await host.PutAsync($"/accounts/{accountId}/contact-preferences", new { language })).StatusCode);
        var step = await RunningHost.Json(await host.PostAsync($"/accounts/{accountId}/dunning", new { }));
        return step.GetProperty("notice").GetProperty("noticeId").GetString()!;
    }

    /// <summary>Polls the account's notice until its delivery is in the state (bounded: 30 s).</summary>
    private static async Task<JsonElement> NoticeAsync(RunningHost host, string accountId, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonElement notice;
        do
        {
            notice = (await host.GetJsonAsync($"/accounts/{accountId}/notices"))[0];
            if (condition(notice))
                return notice;
            await Task.Delay(100);
        } while (DateTime.UtcNow < deadline);
        Assert.Fail($"the notice of {accountId} never got there: {notice}");
        return notice;
    }

    [Fact]
    public async Task notices_arrive_by_smtp_in_the_accounts_language_survive_the_server_going_down_and_fail_visibly_after_the_last_attempt()
    {
        Assert.True(SmtpServer.Available, "python3-aiosmtpd is needed (ops/test.sh installs it)");
        using var smtp = new SmtpServer();
        await smtp.StartAsync();
        var storage = await fixture.Store.NewStoreAsync();
        await using var host = await RunningHost.StartAsync(storage, $"--Akka:Overrides={Delivery(smtp.Port)}");

        await OverdueAccountAsync(host, "MAIL-EN", "en");
        await OverdueAccountAsync(host, "MAIL-ZH", null);
        var messages = await smtp.WaitForAsync(2);
        var english = messages.Single(m => m.To.Mailboxes.Single().Address == "ap@mail-en.example");
        Assert.StartsWith("Second notice: 10,200.00 CNY overdue on account MAIL-EN", english.Subject);
        Assert.Equal("en", english.Body!.Headers["Content-Language"]);
        Assert.Contains("10,000.00", english.HtmlBody);
        Assert.Contains("200.00", english.HtmlBody);
        Assert.Equal("ar@seller.example", english.From.Mailboxes.Single().Address);
        var chinese = messages.Single(m => m.To.Mailboxes.Single().Address == "ap@mail-zh.example");
        Assert.StartsWith("第二次催款通知：账户 MAIL-ZH 逾期应付 10,200.00 CNY", chinese.Subject);
        Assert.Equal("zh-CN", chinese.Body!.Headers["Content-Language"]);
        Assert.Contains("应付合计", chinese.HtmlBody);
        var sent = await NoticeAsync(host, "MAIL-EN", n => n.GetProperty("delivery").GetString() == "sent");
        Assert.Equal([1], sent.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("attempt").GetInt32()));

        // The server goes down: the notice is retried, and delivered once the server is back.
        smtp.Stop();
        await OverdueAccountAsync(host, "MAIL-DOWN", "en");
        await NoticeAsync(host, "MAIL-DOWN", n => n.GetProperty("attempts").GetArrayLength() >= 1);
        await smtp.StartAsync();
        var resumed = await NoticeAsync(host, "MAIL-DOWN", n => n.GetProperty("delivery").GetString() == "sent");
        Assert.All(resumed.GetProperty("attempts").EnumerateArray().SkipLast(1), a => Assert.Equal("retrying", a.GetProperty("outcome").GetString()));
        Assert.Single(await smtp.WaitForAsync(3), m => m.To.Mailboxes.Single().Address == "ap@mail-down.example");

        // Down for longer than the attempts last: the notice fails for good, visibly, and the credit managers are told.
        smtp.Stop();
        await OverdueAccountAsync(host, "MAIL-LOST", "en");
        var failed = await NoticeAsync(host, "MAIL-LOST", n => n.GetProperty("delivery").GetString() == "failed");
        Assert.Equal([1, 2, 3], failed.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("attempt").GetInt32()));
        async Task<bool> AlertedAsync() => (await host.GetJsonAsync("/alerts?accountId=MAIL-LOST")).EnumerateArray()
            .Any(a => a.GetProperty("kind").GetString() == "DunningDeliveryFailed");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await AlertedAsync() && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        Assert.True(await AlertedAsync(), "no DunningDeliveryFailed alert was raised");
    }

    [Fact]
    public async Task a_node_stopped_between_deciding_a_notice_and_delivering_it_delivers_it_once_after_the_restart()
    {
        Assert.True(SmtpServer.Available, "python3-aiosmtpd is needed (ops/test.sh installs it)");
        using var smtp = new SmtpServer();
        await smtp.StartAsync();
        var storage = await fixture.Store.NewStoreAsync();
        // The first node decides the notice and stops before any delivery (delivery off stands for the crash).
        await using (var host = await RunningHost.StartAsync(storage, $"--Akka:Overrides={Delivery(smtp.Port)} credit-actors.collections.delivery.enabled = off"))
        {
            await OverdueAccountAsync(host, "CRASH-1", "en");
            Assert.False((await RunningHost.Json(await host.PostAsync("/accounts/CRASH-1/dunning", new { }))).GetProperty("written").GetBoolean());
        }
        await using (var host = await RunningHost.StartAsync(storage, $"--Akka:Overrides={Delivery(smtp.Port)}"))
        {
            Assert.Single(await smtp.WaitForAsync(1));
            var sent = await NoticeAsync(host, "CRASH-1", n => n.GetProperty("delivery").GetString() == "sent");
            Assert.Equal(1, sent.GetProperty("attempts").GetArrayLength());
            Assert.False((await RunningHost.Json(await host.PostAsync("/accounts/CRASH-1/dunning", new { }))).GetProperty("written").GetBoolean());
            // Several polls later, still the one message and the one notice.
            await Task.Delay(1_500);
            Assert.Single(smtp.Messages());
            Assert.Single((await host.GetJsonAsync("/accounts/CRASH-1/notices")).EnumerateArray());
        }
    }

    [Fact]
    public async Task a_notice_by_webhook_arrives_signed_at_a_real_http_listener()
    {
        var port = NodeProcess.FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/erp/notices/");
        listener.Start();
        const string secret = "test-webhook-secret";
        Environment.SetEnvironmentVariable("CREDITACTORS_WEBHOOK_SECRET", secret);
        try
        {
            var storage = await fixture.Store.NewStoreAsync();
            var policy = Path.Combine(Path.GetTempPath(), $"webhook-policy-{Guid.NewGuid():N}.json");
            await File.WriteAllTextAsync(policy, """
                {"policyId":"by-webhook","version":1,"description":"Every level by webhook","excludeDisputedFromOverdueTolerance":true,"reviewPeriodDays":365,
                 "default":{"levels":[{"level":1,"name":"First notice","offsetDays":7,"channel":"webhook","template":"first-notice.v1"}]}}
                """);
            var settings = Delivery(NodeProcess.FreePort(), $"webhook {{ url = \"http://127.0.0.1:{port}/erp/notices/\" }}")
                + $" credit-actors.collections.policy-file = \"{policy}\"";
            await using var host = await RunningHost.StartAsync(storage, $"--Akka:Overrides={settings}");
            var received = listener.GetContextAsync();
            var noticeId = await OverdueAccountAsync(host, "HOOK-1", null);

            var context = await received.WaitAsync(TimeSpan.FromSeconds(30));
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            context.Response.StatusCode = 204;
            context.Response.Close();
            var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body.ToArray()));
            Assert.Equal(expected, context.Request.Headers["X-CreditActors-Signature"]);
            var json = JsonDocument.Parse(body.ToArray()).RootElement;
            Assert.Equal(("HOOK-1", noticeId, 10_000m), (json.GetProperty("accountId").GetString(), json.GetProperty("noticeId").GetString(),
                json.GetProperty("total").GetDecimal()));
            await NoticeAsync(host, "HOOK-1", n => n.GetProperty("delivery").GetString() == "sent");
        }
        finally
        {
            Environment.SetEnvironmentVariable("CREDITACTORS_WEBHOOK_SECRET", null);
        }
    }
}
