using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CreditActors.Domain.Rating;
using CreditActors.Host.Security;
using CreditActors.Host.Tests.Support;

namespace CreditActors.Host.Tests.Security;

// Protects ratings over HTTP on the real host: a policy version proposed by one credit manager and activated by another,
// the grade's floor on holds, a downgrade alerting once, a suggested limit becoming a request a person approves, external
// ratings, simulations that write nothing, and bad policy documents refused with the field.
public sealed class RatingTests(SecuredHostFixture fixture) : IClassFixture<SecuredHostFixture>
{
    private static readonly string[] SimulatedIds = ["SIM-1", "NOBODY"];

    private HttpClient Manager => fixture.As(Roles.CreditManager);

    private HttpClient SecondManager => fixture.Host.WithKey("key-credit-manager-2");

    /// <summary>The shipped policy with every factor giving the same points, and grades from A at 99 down to E, so that the grade is chosen.</summary>
    private static JsonElement Flat(int version, int points)
    {
        IReadOnlyList<Band> band = [new Band(points)];
        var policy = RatingPolicyDocument.Standard with
        {
            Version = version,
            Description = $"every factor {points} points",
            Factors = new RatingFactors(new PaymentIndexScale(30, band, 3), new FactorScale(15, band), new FactorScale(15, band), new FactorScale(5, band),
                new FactorScale(5, band), new FactorScale(5, band), new FactorScale(5, band), new FactorScale(10, band), new ExternalRatingScale(10, band, 365)),
            WithoutPaymentHistoryBestGrade = "A",
            Grades =
            [
                new GradeRule("A", 99m, 3m), new GradeRule("B", 98m, 2m), new GradeRule("C", 97m, 1.5m),
                new GradeRule("D", 96m, 1m, new GradeFloor(MaxHoldPercentOfLimit: 20m)),
                new GradeRule("E", 0m, 0.5m, new GradeFloor(DeclineNewHolds: true)),
            ],
        };
        return JsonSerializer.SerializeToElement(policy, RatingPolicyDocument.Options);
    }

    private async Task OpenAsync(string id, decimal limit)
    {
        var opened = await Manager.PostAsJsonAsync("/accounts", new { accountId = id, name = id, currency = "CNY", creditLimit = limit, paymentTermsDays = 30 });
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
    }

    private async Task ActivateAsync(int version, int points)
    {
        var proposed = await Manager.PostAsJsonAsync("/rating-policies", new { policy = Flat(version, points), reason = "test the floor" });
        Assert.Equal(HttpStatusCode.Created, proposed.StatusCode);
        Assert.Equal("pending", (await RunningHost.Json(proposed)).GetProperty("status").GetString());
        // The proposer may not approve it.
        var self = await Manager.PostAsJsonAsync($"/rating-policies/standard/versions/{version}/approve", new { });
        Assert.Equal(HttpStatusCode.Forbidden, self.StatusCode);
        Assert.Equal("self_approval", (await RunningHost.Json(self)).GetProperty("code").GetString());
        var approved = await SecondManager.PostAsJsonAsync($"/rating-policies/standard/versions/{version}/approve", new { comment = "checked" });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal(("active", "credit-manager-2"), ((await RunningHost.Json(approved)).GetProperty("status").GetString(),
            (await RunningHost.Json(approved)).GetProperty("decidedBy").GetString()));
    }

    private static async Task<JsonElement> ReviewAsync(HttpClient client, string id, HttpStatusCode expected)
    {
        var review = await client.PostAsync($"/accounts/{id}/rating-reviews", null);
        Assert.Equal(expected, review.StatusCode);
        return await RunningHost.Json(review);
    }

    /// <summary>Polls a report until it shows what is expected (bounded: 30 s).</summary>
    private async Task<JsonElement> ReportAsync(string path, Func<JsonElement, bool> shows)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonElement report;
        do
        {
            report = await RunningHost.Json(await Manager.GetAsync(path));
            if (shows(report))
                return report;
            await Task.Delay(100);
        } while (DateTime.UtcNow < deadline);
        Assert.Fail($"{path} never showed what was expected: {report}");
        return report;
    }

    /// <summary>Polls the account's downgrade alerts until there are as many as expected (bounded: 30 s).</summary>
    private async Task<int> DowngradeAlertsAsync(string id, int expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        int count;
        do
        {
            var alerts = await RunningHost.Json(await Manager.GetAsync($"/alerts?accountId={id}&kind=RatingDowngraded"));
            count = alerts.GetArrayLength();
            if (count >= expected)
                return count;
            await Task.Delay(100);
        } while (DateTime.UtcNow < deadline);
        return count;
    }

    [Fact]
    public async Task a_policy_a_second_person_activates_grades_the_floor_declines_holds_and_a_downgrade_alerts_once()
    {
        await OpenAsync("RATE-1", 10_000m);
        await OpenAsync("RATE-2", 100_000m);
        var finance = fixture.As(Roles.Finance);
        var today = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd");
        Assert.Equal(HttpStatusCode.Created, (await finance.PostAsJsonAsync("/accounts/RATE-2/invoices",
            new { invoiceNumber = "INV-1", amount = 20_000m, issueDate = today })).StatusCode);

        await ActivateAsync(2, 96);
        var active = await RunningHost.Json(await Manager.GetAsync("/rating-policies/active"));
        Assert.Equal(2, active.GetProperty("version").GetProperty("version").GetInt32());

        // D: a hold may be at most 20 % of the 10,000 limit.
        var rated = await ReviewAsync(Manager, "RATE-1", HttpStatusCode.Created);
        Assert.Equal(("D", 96m, "standard/v2"), (rated.GetProperty("rating").GetProperty("grade").GetString(),
            rated.GetProperty("rating").GetProperty("score").GetDecimal(), rated.GetProperty("rating").GetProperty("policy").GetString()));
        // D is a watch grade: the suggestion is shown, and applied when a credit manager accepts it.
        Assert.Equal("watch", rated.GetProperty("rating").GetProperty("suggestedTier").GetString());
        var accepted = await Manager.PostAsync("/accounts/RATE-1/tier-suggestion/accept", null);
        Assert.Equal("watch", (await RunningHost.Json(accepted)).GetProperty("tier").GetString());
        var orders = fixture.As(Roles.OrderSystem);
        Assert.Equal(HttpStatusCode.Created, (await orders.PostAsJsonAsync("/accounts/RATE-1/holds", new { holdId = "H-1", amount = 2_000m })).StatusCode);
        var over = await orders.PostAsJsonAsync("/accounts/RATE-1/holds", new { holdId = "H-2", amount = 2_000.01m });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, over.StatusCode);
        var reason = (await RunningHost.Json(over)).GetProperty("reasons")[0];
        Assert.Equal(("rating_below_floor", "D", 2_000m), (reason.GetProperty("code").GetString(), reason.GetProperty("grade").GetString(),
            reason.GetProperty("floor").GetDecimal()));
        // The approved hold recorded what it was decided on, and deciding it again from the events before it agrees.
        var decision = await RunningHost.Json(await orders.GetAsync("/accounts/RATE-1/holds/H-1/decision"));
        Assert.True(decision.GetProperty("agrees").GetBoolean());
        Assert.Equal(("D", "standard/v2", 10_000m, 0m, 20m), (decision.GetProperty("recorded").GetProperty("grade").GetString(),
            decision.GetProperty("recorded").GetProperty("ratingPolicy").GetString(), decision.GetProperty("recorded").GetProperty("creditLimit").GetDecimal(),
            decision.GetProperty("recorded").GetProperty("exposureBefore").GetDecimal(),
            decision.GetProperty("recorded").GetProperty("floor").GetProperty("maxHoldPercentOfLimit").GetDecimal()));
        var check = await RunningHost.Json(await orders.PostAsJsonAsync("/accounts/RATE-1/credit-checks", new { amount = 100m }));
        Assert.Equal(("approved", "D", "standard/v2"), (check.GetProperty("decision").GetString(), check.GetProperty("grade").GetString(),
            check.GetProperty("ratingPolicy").GetString()));

        // The second account's 20,000 invoiced this month, at D's multiple 1, suggests 20,000 against a limit of 100,000: the
        // policy asks, a person approves.
        var suggested = await ReviewAsync(Manager, "RATE-2", HttpStatusCode.Created);
        var requestId = suggested.GetProperty("limitRequestId").GetString()!;
        var request = await RunningHost.Json(await Manager.GetAsync($"/accounts/RATE-2/credit-limit-requests/{requestId}"));
        Assert.Equal(("pending", 20_000m, "rating-policy:standard/v2"), (request.GetProperty("status").GetString(),
            request.GetProperty("newLimit").GetDecimal(), request.GetProperty("requestedBy").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await Manager.PostAsJsonAsync($"/accounts/RATE-2/credit-limit-requests/{requestId}/approve", new { })).StatusCode);
        Assert.Equal(20_000m, (await RunningHost.Json(await Manager.GetAsync("/accounts/RATE-2"))).GetProperty("creditLimit").GetDecimal());

        // The reports show the grade and filter by it, within the projections' lag.
        var aging = await ReportAsync("/reports/aging?grade=D", r => r.GetProperty("accounts").EnumerateArray().Any(a => a.GetProperty("accountId").GetString() == "RATE-2"));
        Assert.All(aging.GetProperty("accounts").EnumerateArray(), a => Assert.Equal("D", a.GetProperty("grade").GetString()));
        Assert.Empty((await RunningHost.Json(await Manager.GetAsync("/reports/aging?grade=A"))).GetProperty("accounts").EnumerateArray());
        var portfolio = await RunningHost.Json(await Manager.GetAsync("/reports/portfolio?grade=D"));
        Assert.Equal(2, portfolio.GetProperty("currencies")[0].GetProperty("gradeDistribution").GetProperty("D").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, (await Manager.GetAsync("/reports/aging?grade=not-a-grade")).StatusCode);

        // E declines every new hold; the fall from D alerts once, and a review with nothing moved writes nothing more.
        await ActivateAsync(3, 0);
        var downgraded = await ReviewAsync(Manager, "RATE-1", HttpStatusCode.Created);
        Assert.Equal(("E", "D", "downgrade"), (downgraded.GetProperty("rating").GetProperty("grade").GetString(),
            downgraded.GetProperty("rating").GetProperty("previousGrade").GetString(), downgraded.GetProperty("rating").GetProperty("change").GetString()));
        var declined = await orders.PostAsJsonAsync("/accounts/RATE-1/holds", new { holdId = "H-3", amount = 1m });
        Assert.Equal("rating_below_floor", (await RunningHost.Json(declined)).GetProperty("reasons")[0].GetProperty("code").GetString());
        Assert.False((await ReviewAsync(Manager, "RATE-1", HttpStatusCode.OK)).GetProperty("written").GetBoolean());
        Assert.Equal(1, await DowngradeAlertsAsync("RATE-1", 1));
        var alert = (await RunningHost.Json(await Manager.GetAsync("/alerts?accountId=RATE-1&kind=RatingDowngraded")))[0];
        Assert.Equal(("D", "E"), (alert.GetProperty("facts").GetProperty("from").GetString(), alert.GetProperty("facts").GetProperty("to").GetString()));

        var history = await RunningHost.Json(await Manager.GetAsync("/accounts/RATE-1/ratings"));
        Assert.Equal(["D", "E"], history.EnumerateArray().Select(r => r.GetProperty("grade").GetString()));
        Assert.Equal("E", (await RunningHost.Json(await Manager.GetAsync("/accounts/RATE-1"))).GetProperty("rating").GetProperty("grade").GetString());
        var versions = await RunningHost.Json(await Manager.GetAsync("/rating-policies"));
        Assert.Equal(["superseded", "superseded", "active"], versions.EnumerateArray().Select(v => v.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task a_simulation_shows_every_factor_and_writes_nothing()
    {
        await OpenAsync("SIM-1", 50_000m);
        var before = (await RunningHost.Json(await Manager.GetAsync("/accounts/SIM-1"))).GetProperty("version").GetInt64();
        var draft = JsonSerializer.SerializeToElement(RatingPolicyDocument.Standard with { Version = 90, Description = "a draft" },
            RatingPolicyDocument.Options);
        var simulated = await Manager.PostAsJsonAsync("/rating-policies/simulations", new { accountIds = SimulatedIds, policy = draft });
        Assert.Equal(HttpStatusCode.OK, simulated.StatusCode);
        var rows = (await RunningHost.Json(simulated)).EnumerateArray().ToList();
        Assert.Equal(("standard/v90", 9, "C"), (rows[0].GetProperty("policy").GetString(), rows[0].GetProperty("factors").GetArrayLength(),
            rows[0].GetProperty("grade").GetString()));
        Assert.False(rows[1].GetProperty("found").GetBoolean());
        Assert.Equal(before, (await RunningHost.Json(await Manager.GetAsync("/accounts/SIM-1"))).GetProperty("version").GetInt64());
        Assert.Empty((await RunningHost.Json(await Manager.GetAsync("/accounts/SIM-1/ratings"))).EnumerateArray());
    }

    [Fact]
    public async Task an_external_rating_is_recorded_and_rates_the_account()
    {
        await OpenAsync("EXT-1", 50_000m);
        var recorded = await Manager.PostAsJsonAsync("/accounts/EXT-1/external-ratings",
            new { agency = "Dagong", grade = "AA-", score = 72, reportDate = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-3).ToString("yyyy-MM-dd") });
        Assert.Equal(HttpStatusCode.Created, recorded.StatusCode);
        var body = await RunningHost.Json(recorded);
        Assert.Equal("event:external_rating", body.GetProperty("rating").GetProperty("trigger").GetString());
        var bad = await Manager.PostAsJsonAsync("/accounts/EXT-1/external-ratings", new { agency = "Dagong", grade = "AA-", score = 101, reportDate = "2026-01-01" });
        Assert.Equal((HttpStatusCode.BadRequest, "score"), (bad.StatusCode, (await RunningHost.Json(bad)).GetProperty("field").GetString()));
    }

    [Theory]
    [InlineData("""{"weight": 101}""", "factors.overdueShare.weight")]
    [InlineData("""{"weight": 10, "bands": [{"points": 50}], "colour": "red"}""", "factors.overdueShare.colour")]
    public async Task a_bad_policy_document_is_refused_with_the_field_and_nothing_is_written(string overdueShare, string field)
    {
        var document = System.Text.Json.Nodes.JsonNode.Parse(Flat(40, 50).GetRawText())!;
        var scale = System.Text.Json.Nodes.JsonNode.Parse(overdueShare)!.AsObject();
        if (!scale.ContainsKey("bands"))
            scale["bands"] = System.Text.Json.Nodes.JsonNode.Parse("""[{"points": 50}]""");
        document["factors"]!["overdueShare"] = scale;
        var response = await Manager.PostAsJsonAsync("/rating-policies", new { policy = document, reason = "typo" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, (await RunningHost.Json(response)).GetProperty("field").GetString());
        var versions = await RunningHost.Json(await Manager.GetAsync("/rating-policies"));
        Assert.DoesNotContain(versions.EnumerateArray(), v => v.GetProperty("version").GetInt32() == 40);
    }
}
