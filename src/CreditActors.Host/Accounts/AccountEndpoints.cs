using CreditActors.Domain.Accounts;
using CreditActors.Host.Http;
using CreditActors.Host.Security;

namespace CreditActors.Host.Accounts;

/// <summary>Accounts: opening, reading, profile, credit limit, block / unblock / close, credit checks and holds.</summary>
public static class AccountEndpoints
{
    public static void MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var accounts = app.MapGroup("/accounts").WithTags("Accounts");

        accounts.MapPost("/", OpenAsync).Accepts<OpenAccountRequest>("application/json").Produces<AccountView>(201).Produces<AccountView>()
            .Allow(Roles.CreditManager);
        accounts.MapGet("/{accountId}", (string accountId, HttpContext http, CommandRunner runner) =>
            runner.ViewAsync(http, accountId, state => Results.Ok(AccountOf(http, state)))).Produces<AccountView>()
            .Allow(Roles.Readers);

        accounts.MapPatch("/{accountId}/profile", UpdateProfileAsync).Accepts<UpdateProfileRequest>("application/json").Produces<AccountView>()
            .Allow(Roles.Finance);
        accounts.MapPut("/{accountId}/credit-limit", ChangeLimitAsync).Accepts<CreditLimitRequest>("application/json")
            .Produces<AccountView>().Produces<LimitRequestView>(202)
            .Allow(Roles.Finance, Roles.CreditManager);
        accounts.MapPost("/{accountId}/block", async (string accountId, HttpContext http, CommandRunner runner) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<ReasonRequest>(http.Request);
            return problem ?? Required.Missing(("reason", body!.Reason))
                ?? await runner.RunAsync(http, accountId, new BlockAccount(body.Reason!), s => AccountOf(http, s));
        }).Accepts<ReasonRequest>("application/json").Produces<AccountView>().Allow(Roles.Finance, Roles.CreditManager);
        accounts.MapPost("/{accountId}/unblock", async (string accountId, HttpContext http, CommandRunner runner) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<ReasonRequest>(http.Request, optional: true);
            return problem ?? await runner.RunAsync(http, accountId, new UnblockAccount(body?.Reason), s => AccountOf(http, s));
        }).Accepts<ReasonRequest>("application/json").Produces<AccountView>().Allow(Roles.Finance, Roles.CreditManager);
        accounts.MapPost("/{accountId}/close", async (string accountId, HttpContext http, CommandRunner runner) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<ReasonRequest>(http.Request, optional: true);
            return problem ?? await runner.RunAsync(http, accountId, new CloseAccount(body?.Reason), s => AccountOf(http, s));
        }).Accepts<ReasonRequest>("application/json").Produces<AccountView>().Allow(Roles.CreditManager);

        accounts.MapPost("/{accountId}/credit-checks", async (string accountId, HttpContext http, CommandRunner runner) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<CreditCheckRequest>(http.Request);
            return problem ?? Required.Missing(("amount", body!.Amount)) ?? await runner.CheckCreditAsync(http, accountId, body.Amount!.Value);
        }).Accepts<CreditCheckRequest>("application/json").Produces<CreditCheckView>()
            .Allow(Roles.OrderSystem, Roles.Finance, Roles.CreditManager);

        accounts.MapPost("/{accountId}/holds", PlaceHoldAsync).Accepts<PlaceHoldRequest>("application/json")
            .Produces<HoldResultView>(201).Produces<HoldResultView>().ProducesProblem(422)
            .Allow(Roles.OrderSystem);
        accounts.MapGet("/{accountId}/holds", (string accountId, HttpContext http, CommandRunner runner) =>
            runner.ViewAsync(http, accountId, state => Results.Ok(state.Holds.Values.Select(Views.Hold).ToList()))).Produces<List<HoldView>>()
            .Allow(Roles.Readers);
        accounts.MapGet("/{accountId}/holds/{holdId}", (string accountId, string holdId, HttpContext http, CommandRunner runner) =>
            runner.ViewAsync(http, accountId, state => CommandRunner.Item(state.Holds, holdId, "hold", Views.Hold))).Produces<HoldView>()
            .Allow(Roles.Readers);
        accounts.MapPost("/{accountId}/holds/{holdId}/release", async (string accountId, string holdId, HttpContext http, CommandRunner runner) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<ReasonRequest>(http.Request, optional: true);
            return problem ?? await runner.RunAsync(http, accountId, new ReleaseHold(holdId, body?.Reason), s => Views.Hold(s.Holds[holdId]));
        }).Accepts<ReasonRequest>("application/json").Produces<HoldView>().Allow(Roles.OrderSystem);
    }

    /// <summary>The account view, with contact details masked for roles that need figures but not people.</summary>
    private static AccountView AccountOf(HttpContext http, AccountState state) =>
        Views.Account(state, showContact: Roles.ContactReaders.Any(http.User.IsInRole));

    private static async Task<IResult> OpenAsync(HttpContext http, CommandRunner runner)
    {
        var (body, problem) = await JsonBody.ReadAsync<OpenAccountRequest>(http.Request);
        if (problem is not null)
            return problem;
        var (tier, tierProblem) = Required.Tier(body!.Tier);
        problem = Required.Missing(("accountId", body.AccountId), ("name", body.Name), ("currency", body.Currency),
            ("creditLimit", body.CreditLimit), ("paymentTermsDays", body.PaymentTermsDays)) ?? tierProblem;
        if (problem is not null)
            return problem;
        var profile = new Profile(body.Name!, body.Contact, body.Phone, body.Email, body.Address, body.Industry, body.TaxId,
            tier ?? Tier.Standard, body.Notes);
        var command = new OpenAccount(body.AccountId!, body.Currency!, body.CreditLimit!.Value, body.PaymentTermsDays!.Value, profile);
        return await runner.RunAsync(http, body.AccountId!, command, s => AccountOf(http, s), $"/accounts/{body.AccountId}");
    }

    private static async Task<IResult> UpdateProfileAsync(string accountId, HttpContext http, CommandRunner runner)
    {
        var (body, problem) = await JsonBody.ReadAsync<UpdateProfileRequest>(http.Request);
        if (problem is not null)
            return problem;
        var (tier, tierProblem) = Required.Tier(body!.Tier);
        if (tierProblem is not null)
            return tierProblem;
        var command = new UpdateProfile(body.Name, body.Contact, body.Phone, body.Email, body.Address, body.Industry, body.TaxId, tier, body.Notes);
        return await runner.RunAsync(http, accountId, command, s => AccountOf(http, s));
    }

    /// <summary>A change within the approval thresholds answers 200 with the account; a larger increase 202 with the pending request.</summary>
    private static async Task<IResult> ChangeLimitAsync(string accountId, HttpContext http, CommandRunner runner)
    {
        var (body, problem) = await JsonBody.ReadAsync<CreditLimitRequest>(http.Request);
        if (problem is not null)
            return problem;
        problem = Required.Missing(("creditLimit", body!.CreditLimit), ("reason", body.Reason));
        if (problem is not null)
            return problem;
        return await runner.RunAsync(http, accountId, new ChangeCreditLimit(body.CreditLimit!.Value, body.Reason!), (state, _) =>
            state.PendingLimitRequest is { } pending && pending.NewLimit == body.CreditLimit && state.CreditLimit != body.CreditLimit
                ? Results.Accepted($"/accounts/{accountId}/credit-limit-requests/{pending.RequestId}", Views.LimitRequest(state.AccountId, pending))
                : Results.Ok(AccountOf(http, state)));
    }

    private static async Task<IResult> PlaceHoldAsync(string accountId, HttpContext http, CommandRunner runner)
    {
        var (body, problem) = await JsonBody.ReadAsync<PlaceHoldRequest>(http.Request);
        if (problem is not null)
            return problem;
        problem = Required.Missing(("holdId", body!.HoldId), ("amount", body.Amount));
        if (problem is not null)
            return problem;
        var command = new PlaceHold(body.HoldId!, body.Amount!.Value, body.ExpiresAt, body.OrderReference);
        return await runner.RunAsync(http, accountId, command,
            s => new HoldResultView("approved", Views.Hold(s.Holds[body.HoldId!]), s.AvailableCredit),
            $"/accounts/{accountId}/holds/{body.HoldId}");
    }
}
