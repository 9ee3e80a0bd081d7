using System.Globalization;
using System.Net;
using System.Text.Json;
using CreditActors.Host.Tests.Support;

namespace CreditActors.Host.Tests;

// Protects collections over HTTP: a dispute takes its invoice out of dunning, the account's dunning step issues one notice
// a day with the fee its level charges, the fee is a line that can be waived, promises and notes are recorded once however
// often they are sent, and a run over every account shows its progress and completes.
public abstract class CollectionsTests(IStore store)
{
    private const string NoSchedule = "credit-actors.collections.dunning-run { daily-at = off, check-interval = 1s }";

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task disputes_pause_dunning_the_step_charges_the_fee_once_and_promises_and_notes_are_recorded_once()
    {
        var storage = await store.NewStoreAsync();
        await using var host = await RunningHost.StartAsync(storage, $"--Akka:Overrides={NoSchedule}");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        Assert.Equal(HttpStatusCode.Created, (await host.PostAsync("/accounts",
            new { accountId = "COL-1", name = "Late Payer Co", currency = "CNY", creditLimit = 100_000m, paymentTermsDays = 30, email = "ap@late.example" })).StatusCode);
        foreach (var number in new[] { "INV-A", "INV-B" })
            Assert.Equal(HttpStatusCode.Created, (await host.PostAsync("/accounts/COL-1/invoices",
                new { invoiceNumber = number, amount = number == "INV-A" ? 10_000m : 2_000m, issueDate = Day(today.AddDays(-40)), dueDate = Day(today.AddDays(-35)) })).StatusCode);

        var dispute = new { disputeId = "D-1", amount = 2_000m, reason = "quality", comment = "goods damaged" };
        var opened = await host.PostAsync("/accounts/COL-1/invoices/INV-B/disputes", dispute);
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var repeat = await host.PostAsync("/accounts/COL-1/invoices/INV-B/disputes", dispute);
        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        Assert.Equal((await RunningHost.Json(opened)).GetRawText(), (await RunningHost.Json(repeat)).GetRawText());
        var badReason = await RunningHost.Json(await host.PostAsync("/accounts/COL-1/invoices/INV-B/disputes",
            new { disputeId = "D-2", amount = 1m, reason = "because" }));
        Assert.Equal("reason", badReason.GetProperty("field").GetString());

        var step = await RunningHost.Json(await host.PostAsync("/accounts/COL-1/dunning", new { }));
        var notice = step.GetProperty("notice");
        Assert.Equal((3, 200m), (notice.GetProperty("level").GetInt32(), step.GetProperty("feeCharged").GetDecimal()));
        Assert.Equal(["INV-A"], notice.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("invoiceNumber").GetString()));
        Assert.False((await RunningHost.Json(await host.PostAsync("/accounts/COL-1/dunning", new { }))).GetProperty("written").GetBoolean());
        var notices = await host.GetJsonAsync("/accounts/COL-1/notices");
        Assert.Equal(("pending", "CNY"), (notices[0].GetProperty("delivery").GetString(), notices[0].GetProperty("currency").GetString()));

        var page = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/accounts/COL-1/notices/{notice.GetProperty("noticeId").GetString()}?lang=en")
        {
            Headers = { { "Accept", "text/html" } },
        });
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Second overdue notice", html);
        Assert.Contains("10,200.00", html);

        var fee = $"fee:{today:yyyyMMdd}";
        Assert.Equal(200m, (await host.GetJsonAsync($"/accounts/COL-1/invoices/{fee}")).GetProperty("amount").GetDecimal());
        Assert.Equal(12_200m, (await host.GetJsonAsync("/accounts/COL-1")).GetProperty("receivables").GetDecimal());
        Assert.Equal(HttpStatusCode.Created, (await host.PostAsync("/accounts/COL-1/credit-notes",
            new { creditNoteNumber = "CN-FEE", invoiceNumber = fee, amount = 200m, reason = "fee waived: first late payment" })).StatusCode);
        Assert.Equal(12_000m, (await host.GetJsonAsync("/accounts/COL-1")).GetProperty("receivables").GetDecimal());

        var promise = new { promiseId = "P-1", amount = 5_000m, promisedDate = Day(today.AddDays(3)) };
        var recorded = await host.PostAsync("/accounts/COL-1/promises", promise);
        Assert.Equal(HttpStatusCode.Created, recorded.StatusCode);
        Assert.Equal(["INV-A"], (await RunningHost.Json(recorded)).GetProperty("invoiceNumbers").EnumerateArray().Select(i => i.GetString()));
        Assert.Equal(HttpStatusCode.OK, (await host.PostAsync("/accounts/COL-1/promises", promise)).StatusCode);
        var note = new { noteId = "N-1", kind = "call", summary = "Spoke to accounts payable", nextStepDate = Day(today.AddDays(4)) };
        Assert.Equal(HttpStatusCode.Created, (await host.PostAsync("/accounts/COL-1/collection-notes", note)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.PostAsync("/accounts/COL-1/collection-notes", note)).StatusCode);
        Assert.Single((await host.GetJsonAsync("/accounts/COL-1/collection-notes")).EnumerateArray());
        Assert.Equal("zhao.min", (await RunningHost.Json(await host.PutAsync("/accounts/COL-1/collector", new { collector = "zhao.min" })))
            .GetProperty("collector").GetString());

        // The worklist (fed by the projections: polled, bounded) shows the account with its promise as the next thing to watch.
        JsonElement item = default;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var list = await host.GetJsonAsync("/collections/worklist?collector=zhao.min");
            if (list.GetArrayLength() == 1 && list[0].GetProperty("promiseId").ValueKind == JsonValueKind.String)
            {
                item = list[0];
                break;
            }
            await Task.Delay(100);
        }
        Assert.Equal(("COL-1", "collection", 1, 2_000m), (item.GetProperty("accountId").GetString(), item.GetProperty("kind").GetString(),
            item.GetProperty("openDisputes").GetInt32(), item.GetProperty("disputed").GetDecimal()));
        Assert.Equal((12_000m, 35), (item.GetProperty("overdue").GetDecimal(), item.GetProperty("daysPastDue").GetInt32()));
        Assert.StartsWith("await promised payment P-1", item.GetProperty("nextAction").GetString());
        Assert.Equal("kind", (await RunningHost.Json(await host.Client.GetAsync("/collections/worklist?kind=everything"))).GetProperty("field").GetString());

        var aging = await host.GetJsonAsync("/reports/aging?currency=CNY");
        Assert.Equal((12_000m, 2_000m), (aging.GetProperty("accounts")[0].GetProperty("total").GetDecimal(),
            aging.GetProperty("accounts")[0].GetProperty("disputed").GetDecimal()));

        var resolved = await host.PostAsync("/accounts/COL-1/disputes/D-1/resolution", new { resolution = "rejected", comment = "goods were fine" });
        Assert.Equal("resolved", (await RunningHost.Json(resolved)).GetProperty("status").GetString());
        Assert.Equal(["resolved"], (await host.GetJsonAsync("/accounts/COL-1/disputes")).EnumerateArray().Select(d => d.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task a_dunning_run_asks_every_account_and_completes_one_at_a_time()
    {
        var storage = await store.NewStoreAsync();
        await using var host = await RunningHost.StartAsync(storage, $"--Akka:Overrides={NoSchedule}");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await host.PostAsync("/accounts",
                new { accountId = $"RUN-{i}", name = $"Run {i}", currency = "CNY", creditLimit = 50_000m, paymentTermsDays = 30 })).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await host.PostAsync($"/accounts/RUN-{i}/invoices",
                new { invoiceNumber = "INV-1", amount = 1_000m, issueDate = Day(today.AddDays(-20)), dueDate = Day(today.AddDays(-10)) })).StatusCode);
        }
        var started = await host.PostAsync("/collections/dunning-runs", new { reason = "test" });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var runId = (await RunningHost.Json(started)).GetProperty("runId").GetString()!;
        Assert.StartsWith("DUN-", runId);
        JsonElement run;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        do
        {
            await Task.Delay(100);
            run = await host.GetJsonAsync($"/collections/dunning-runs/{runId}");
        } while (run.GetProperty("status").GetString() != "completed" && DateTime.UtcNow < deadline);
        Assert.Equal(("completed", 5, 5), (run.GetProperty("status").GetString(), run.GetProperty("processed").GetInt32(), run.GetProperty("written").GetInt32()));
        for (var i = 0; i < 5; i++)
            Assert.Equal(2, (await host.GetJsonAsync($"/accounts/RUN-{i}/notices"))[0].GetProperty("level").GetInt32());
    }
}

public sealed class SqliteCollectionsTests(SqliteHostFixture fixture) : CollectionsTests(fixture.Store), IClassFixture<SqliteHostFixture>;

[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlCollectionsTests(PostgresHostFixture fixture) : CollectionsTests(fixture.Store), IClassFixture<PostgresHostFixture>;
