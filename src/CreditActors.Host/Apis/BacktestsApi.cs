using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CreditActors.Domain.Accounts;
using CreditActors.Domain.Rating;
using CreditActors.Host.Cluster;
using CreditActors.Host.Http;
using CreditActors.Host.OpenApi;
using CreditActors.Host.Security;

namespace CreditActors.Host.Apis;

/// <summary>A policy for a backtest: a document (a draft), or a version the service knows.</summary>
public sealed record BacktestPolicyRequestBody(
    JsonElement? Policy = null, [property: MaxLength(Identifiers.MaximumLength)] string? PolicyId = null, int? Version = null);

public sealed record BacktestOutcomeRequestBody([property: Required, Range(1, 3660)] int? DaysPastDue, [property: Required, Range(1, 120)] int? HorizonMonths);

public sealed record BacktestAccountsRequestBody(
    [property: MaxLength(BacktestsApi.MaximumNamedAccounts)] IReadOnlyList<string>? AccountIds = null, [property: MaxLength(3)] string? Currency = null);

/// <summary>
/// A backtest: the candidate policy against a baseline (by default the one in force), rated at each step from <c>from</c> to
/// <c>to</c>, with the outcome that counts as a default.
/// </summary>
public sealed record BacktestRequest(
    [property: Required] BacktestPolicyRequestBody? Candidate,
    [property: Required] DateOnly? From,
    [property: Required] DateOnly? To,
    [property: Required] string? Step,
    [property: Required] BacktestOutcomeRequestBody? Outcome,
    BacktestPolicyRequestBody? Baseline = null,
    BacktestAccountsRequestBody? Accounts = null);

/// <summary>A backtest's status and progress (events and accounts read, dates rated, elapsed, an estimate of the time left) and, when done, its result.</summary>
public sealed record BacktestView(
    string BacktestId, string Status, string RequestedBy, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt, long Events, int Accounts, int DatesDone,
    int DatesTotal, decimal ElapsedSeconds, decimal? EstimatedSecondsLeft, string? Error, BacktestResult? Result);

/// <summary>Backtests of rating policies over the whole journal: started, watched, cancelled, their results read as JSON or CSV.</summary>
public static class BacktestsApi
{
    public const int MaximumNamedAccounts = 10_000;

    private static readonly string[] Users = [Roles.CreditManager, Roles.Analyst];

    public static void MapBacktestsApi(this IEndpointRouteBuilder app)
    {
        var backtests = app.MapGroup("/rating-policies/backtests").WithTags("Rating policies");
        backtests.MapPost("/", StartAsync)
            .Describe("startBacktest", "Backtest a candidate rating policy against a baseline over the journal; answers at once with the job")
            .Command<BacktestRequest>().Produces<BacktestView>(202).Allow(Users);
        backtests.MapGet("/", async (BacktestJobs jobs, TimeProvider clock, HttpContext http) =>
            Results.Ok((await jobs.ListAsync(http.RequestAborted)).Select(j => View(j, clock.GetUtcNow())).ToList()))
            .Describe("listBacktests", "The latest backtests, newest first, without their results").Produces<List<BacktestView>>().Allow(Users);
        backtests.MapGet("/{backtestId}", async (string backtestId, BacktestJobs jobs, TimeProvider clock, HttpContext http) =>
        {
            if (await jobs.FindAsync(backtestId, http.RequestAborted) is not { } job)
                return Problems.NotFound("backtest_not_found", $"Backtest {backtestId} does not exist");
            return WantsCsv(http) && job.Result is { } result
                ? Results.File(Encoding.UTF8.GetBytes(Csv(result)), "text/csv; charset=utf-8", $"{backtestId}.csv")
                : Results.Ok(View(job, clock.GetUtcNow()));
        }).Describe("getBacktest", "A backtest's progress, and its result once done (Accept: text/csv for the result as CSV)")
            .WithContract(new ContractMetadata(Csv: true)).Produces<BacktestView>().Allow(Users);
        backtests.MapDelete("/{backtestId}", async (string backtestId, BacktestJobs jobs, TimeProvider clock, HttpContext http) =>
        {
            if (await jobs.FindAsync(backtestId, http.RequestAborted) is not { } job)
                return Problems.NotFound("backtest_not_found", $"Backtest {backtestId} does not exist");
            if (!await jobs.CancelAsync(backtestId, http.RequestAborted))
                return Problems.From(Rejection.Conflict("backtest_not_running", $"Backtest {backtestId} is {job.Status}"));
            return Results.Accepted($"/rating-policies/backtests/{backtestId}", View((await jobs.FindAsync(backtestId, http.RequestAborted))!, clock.GetUtcNow()));
        }).Describe("cancelBacktest", "Cancel a running backtest: it stops within moments").WithContract(new ContractMetadata(Command: true))
            .Produces<BacktestView>(202).Allow(Users);
    }

    private static async Task<IResult> StartAsync(HttpContext http, AkkaNode node, ApiSettings settings, BacktestJobs jobs, TimeProvider clock)
    {
        var (body, problem) = await JsonBody.ReadAsync<BacktestRequest>(http.Request);
        if (problem is not null)
            return problem;
        if (Required.Missing(("candidate", body!.Candidate), ("from", body.From), ("to", body.To), ("step", body.Step), ("outcome", body.Outcome),
                ("outcome.daysPastDue", body.Outcome?.DaysPastDue), ("outcome.horizonMonths", body.Outcome?.HorizonMonths)) is { } missing)
            return missing;
        var step = body.Step switch { "month" => BacktestStep.Month, "quarter" => (BacktestStep?)BacktestStep.Quarter, _ => null };
        if (step is null)
            return Problems.Invalid("step", "step must be month or quarter");
        var (context, callerProblem) = Caller.From(http);
        if (callerProblem is not null)
            return callerProblem;
        var (candidate, candidateProblem) = await PolicyAsync(body.Candidate!, "candidate", node, settings, required: true);
        if (candidateProblem is not null)
            return candidateProblem;
        var (baseline, baselineProblem) = await PolicyAsync(body.Baseline, "baseline", node, settings, required: false);
        if (baselineProblem is not null)
            return baselineProblem;
        var accounts = body.Accounts;
        if (accounts?.AccountIds is { } ids && ids.Select((id, i) => (id, i)).FirstOrDefault(x => !Identifiers.IsValid(x.id)) is { id: not null } bad)
            return Problems.Invalid($"accounts.accountIds[{bad.i}]", $"accounts.accountIds[{bad.i}] {Identifiers.Rule}");
        if (accounts?.Currency is { } currency && !Domain.Money.Currency.TryFind(currency, out _))
            return Problems.Invalid("accounts.currency", "accounts.currency must be an ISO 4217 currency code");
        var spec = new BacktestSpec(candidate!, baseline ?? node.Ratings.Rating ?? RatingPolicyDocument.Standard, body.From!.Value, body.To!.Value, step.Value,
            body.Outcome!.DaysPastDue!.Value, body.Outcome.HorizonMonths!.Value);
        if (spec.Problem() is { } specProblem)
            return Problems.From(specProblem);
        var id = await jobs.StartAsync(spec, new BacktestAccounts(accounts?.AccountIds, accounts?.Currency), context!.Actor, http.RequestAborted);
        return Results.Accepted($"/rating-policies/backtests/{id}", View((await jobs.FindAsync(id, http.RequestAborted))!, clock.GetUtcNow()));
    }

    private static async Task<(RatingPolicy? Policy, IResult? Problem)> PolicyAsync(
        BacktestPolicyRequestBody? body, string field, AkkaNode node, ApiSettings settings, bool required)
    {
        if (body is null || (body.Policy is null && body.PolicyId is null && body.Version is null))
            return required ? (null, Problems.Invalid(field, $"{field} needs a policy document, or a policyId and a version")) : (null, null);
        if (body.Policy is { } document)
        {
            if (body.PolicyId is not null || body.Version is not null)
                return (null, Problems.Invalid(field, $"{field} names either a policy document or a policyId and version, not both"));
            var (parsed, rejection) = RatingPolicyDocument.Parse(document.GetRawText());
            return rejection is null ? (parsed, null) : (null, Problems.From(rejection with { Field = $"{field}.policy.{rejection.Field}" }));
        }
        if (body.PolicyId is null || body.Version is null)
            return (null, Problems.Invalid($"{field}.{(body.PolicyId is null ? "policyId" : "version")}", "policyId and version go together"));
        if (await RatingsApi.PoliciesAsync(node, settings) is not { } book)
            return (null, Problems.Unavailable("the rating policy registry did not answer in time"));
        return book.Find(body.PolicyId, body.Version.Value) is { } found
            ? (found.Policy, null)
            : (null, Problems.NotFound("policy_not_found", $"Rating policy {body.PolicyId}/v{body.Version} does not exist"));
    }

    private static BacktestView View(BacktestJob job, DateTimeOffset now)
    {
        var end = job.FinishedAt ?? now;
        var elapsed = (decimal)(end - job.CreatedAt).TotalMilliseconds / 1000m;
        // Time left from how far into the journal's time the job has read, at the pace it read so far.
        decimal? left = null;
        if (job.Status is "running" && job.JournalStartedAt is { } start && job.ProgressRecordedAt is { } reached && reached > start)
        {
            var done = (decimal)(reached - start).TotalSeconds / (decimal)Math.Max(1, (now - start).TotalSeconds);
            left = done > 0m ? decimal.Round(elapsed * (1m - done) / done, 1) : null;
        }
        return new BacktestView(job.BacktestId, job.Status, job.RequestedBy, job.CreatedAt, job.FinishedAt, job.Events, job.Accounts, job.DatesDone,
            job.DatesTotal, decimal.Round(elapsed, 1), left, job.Error, job.Result);
    }

    private static bool WantsCsv(HttpContext http) => http.Request.Headers.Accept.ToString().Contains("text/csv", StringComparison.OrdinalIgnoreCase);

    /// <summary>The result as one table: a row per figure, its kind first.</summary>
    private static string Csv(BacktestResult r)
    {
        static string N(decimal? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";
        var csv = new StringBuilder("kind,policy,date,grade,from,to,count,defaulted,value\n");
        foreach (var p in new[] { r.Baseline, r.Candidate })
        {
            foreach (var date in p.GradesByDate)
                foreach (var (grade, count) in date.Grades)
                    csv.AppendLine(CultureInfo.InvariantCulture, $"grades,{p.Policy},{date.Date:yyyy-MM-dd},{grade},,,{count},,");
            foreach (var g in p.DefaultRates)
                csv.AppendLine(CultureInfo.InvariantCulture, $"default-rate,{p.Policy},,{g.Grade},,,{g.Rated},{g.Defaulted},{N(g.DefaultRate)}");
            csv.AppendLine(CultureInfo.InvariantCulture, $"auc,{p.Policy},,,,,,,{N(p.Auc)}");
            csv.AppendLine(CultureInfo.InvariantCulture, $"gini,{p.Policy},,,,,,,{N(p.Gini)}");
            csv.AppendLine(CultureInfo.InvariantCulture, $"ks,{p.Policy},,,,,,,{N(p.Ks)}");
        }
        foreach (var m in r.Migrations)
            csv.AppendLine(CultureInfo.InvariantCulture, $"migration,{r.Baseline.Policy}>{r.Candidate.Policy},,,{m.From},{m.To},{m.Count},,");
        var d = r.CandidateDeclines;
        csv.AppendLine(CultureInfo.InvariantCulture, $"declined-holds,{r.Candidate.Policy},,,,,{d.Holds},{d.OfDefaultedAccounts},{N(d.Amount)}");
        csv.AppendLine(CultureInfo.InvariantCulture, $"declined-holds-of-defaulted,{r.Candidate.Policy},,,,,{d.OfDefaultedAccounts},,{N(d.AmountOfDefaultedAccounts)}");
        return csv.ToString();
    }
}
