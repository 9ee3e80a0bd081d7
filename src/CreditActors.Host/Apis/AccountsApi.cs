using CreditActors.Actors.Accounts;
using CreditActors.Domain.Accounts;
using CreditActors.Host.Http;
using CreditActors.Host.OpenApi;
using CreditActors.Host.Security;

namespace CreditActors.Host.Apis;

/// <summary>Accounts: opening, reading, profile, credit limit, block / unblock / close, credit checks and holds.</summary>
public static class AccountsApi
{
    public static void MapAccountsApi(this IEndpointRouteBuilder app)
    {
        var accounts = app.MapGroup("/accounts").WithTags("Accounts");

        accounts.MapPost("/", OpenAsync).Describe("openAccount", "Open a customer's credit account with its limit and terms")
            .Command<OpenAccountRequest>().Produces<AccountView>(201).Produces<AccountView>().Allow(Roles.CreditManager);
        accounts.MapGet("/{accountId}", (string accountId, string? asOf, string? knownAt, HttpContext http, AccountClient accounts) =>
            accounts.ViewAsync(http, accountId, AccountReadKind.Account, null, read => Results.Ok(AccountOf(http, read.Account))))
            .Describe("getAccount", "The account's limit, receivables, holds, exposure, available credit and profile")
            .Produces<AccountView>().Allow(Roles.Readers);

        accounts.MapPatch("/{accountId}/profile", UpdateProfileAsync).Describe("updateProfile", "Change profile fields; an empty string clears one")
            .Command<UpdateProfileRequest>().Produces<AccountView>().Allow(Roles.Finance);
        accounts.MapPut("/{accountId}/credit-limit", ChangeLimitAsync)
            .Describe("changeCreditLimit", "Set the credit limit; a large increase becomes a request for another person to approve (202)")
            .Command<CreditLimitRequest>().Produces<AccountView>().Produces<LimitRequestView>(202)
            .Allow(Roles.Finance, Roles.CreditManager);
        accounts.MapPost("/{accountId}/block", async (string accountId, HttpContext http, AccountClient accounts) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<BlockRequest>(http.Request);
            return problem ?? Required.Missing(("reason", body!.Reason))
                ?? await accounts.RunAsync(http, accountId, new BlockAccount(body.Reason!), o => AccountOf(http, o.Account));
        }).Describe("blockAccount", "Decline all new credit until unblocked; invoices and payments still post")
            .Command<BlockRequest>().Produces<AccountView>().Allow(Roles.Finance, Roles.CreditManager);
        accounts.MapPost("/{accountId}/unblock", async (string accountId, HttpContext http, AccountClient accounts) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<ReasonRequest>(http.Request, optional: true);
            return problem ?? await accounts.RunAsync(http, accountId, new UnblockAccount(body?.Reason), o => AccountOf(http, o.Account));
        }).Describe("unblockAccount", "Allow new credit again").Command<ReasonRequest>(optionalBody: true).Produces<AccountView>()
            .Allow(Roles.Finance, Roles.CreditManager);
        accounts.MapPost("/{accountId}/close", async (string accountId, HttpContext http, AccountClient accounts) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<ReasonRequest>(http.Request, optional: true);
            return problem ?? await accounts.RunAsync(http, accountId, new CloseAccount(body?.Reason), o => AccountOf(http, o.Account));
        }).Describe("closeAccount", "Close an account whose receivables, holds and unapplied cash are all zero")
            .Command<ReasonRequest>(optionalBody: true).Produces<AccountView>().Allow(Roles.CreditManager);
        accounts.MapPost("/{accountId}/erasure", async (string accountId, HttpContext http, AccountClient accounts) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<ErasureRequest>(http.Request);
            return problem ?? Required.Missing(("reason", body!.Reason))
                ?? await accounts.RunAsync(http, accountId, new ErasePersonalData(body.Reason!), o => AccountOf(http, o.Account));
        }).Describe("erasePersonalData",
                "Erase the account's personal data (contact, phone, email, address, tax id, billing email) everywhere, by destroying its key; amounts stay")
            .Command<ErasureRequest>().Produces<AccountView>().Allow(Roles.Admin);

        accounts.MapPost("/{accountId}/credit-checks", async (string accountId, HttpContext http, AccountClient accounts) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<CreditCheckRequest>(http.Request);
            return problem ?? Required.Missing(("amount", body!.Amount)) ?? await accounts.CheckCreditAsync(http, accountId, body.Amount!.Value);
        }).Describe("checkCredit", "May the customer take this much more credit now? Writes nothing")
            .Accepts<CreditCheckRequest>("application/json").Produces<CreditCheckView>()
            .Allow(Roles.OrderSystem, Roles.Finance, Roles.CreditManager);

        accounts.MapPost("/{accountId}/holds", PlaceHoldAsync).Describe("placeHold", "Reserve credit for an order; declined with reasons (422)")
            .Command<PlaceHoldRequest>(declines: true).Produces<HoldResultView>(201).Produces<HoldResultView>()
            .Allow(Roles.OrderSystem);
        accounts.MapGet("/{accountId}/holds", (string accountId, string? asOf, string? knownAt, HttpContext http, AccountClient accounts) =>
            accounts.ViewAsync(http, accountId, AccountReadKind.Holds, null, read => Results.Ok(read.Holds.Select(Views.Hold).ToList())))
            .Describe("listHolds", "Every hold of the account and its status").Produces<List<HoldView>>().Allow(Roles.Readers);
        accounts.MapGet("/{accountId}/holds/{holdId}", (string accountId, string holdId, string? asOf, string? knownAt, HttpContext http, AccountClient accounts) =>
            accounts.ViewAsync(http, accountId, AccountReadKind.Holds, holdId, read => AccountClient.Item(read.Holds, holdId, "hold", Views.Hold)))
            .Describe("getHold", "One hold and its status").Produces<HoldView>().Allow(Roles.Readers);
        accounts.MapPost("/{accountId}/holds/{holdId}/release", async (string accountId, string holdId, HttpContext http, AccountClient accounts) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<ReasonRequest>(http.Request, optional: true);
            return problem ?? await accounts.RunAsync(http, accountId, new ReleaseHold(holdId, body?.Reason), o => Views.Hold(o.Hold!));
        }).Describe("releaseHold", "Give back the credit a hold reserved").Command<ReasonRequest>(optionalBody: true).Produces<HoldView>()
            .Allow(Roles.OrderSystem);
    }

    /// <summary>The account view, with contact details masked for roles that need figures but not people.</summary>
    private static AccountView AccountOf(HttpContext http, AccountSummary account) =>
        Views.Account(account, showContact: Roles.ContactReaders.Any(http.User.IsInRole));

    private static async Task<IResult> OpenAsync(HttpContext http, AccountClient accounts)
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
        var command = new OpenAccount(body.AccountId!, body.Currency!, body.CreditLimit!.Value, body.PaymentTermsDays!.Value, profile, body.TimeZone);
        return await accounts.RunAsync(http, body.AccountId!, command, o => AccountOf(http, o.Account), $"/accounts/{body.AccountId}");
    }

    private static async Task<IResult> UpdateProfileAsync(string accountId, HttpContext http, AccountClient accounts)
    {
        var (body, problem) = await JsonBody.ReadAsync<UpdateProfileRequest>(http.Request);
        if (problem is not null)
            return problem;
        var (tier, tierProblem) = Required.Tier(body!.Tier);
        if (tierProblem is not null)
            return tierProblem;
        var command = new UpdateProfile(body.Name, body.Contact, body.Phone, body.Email, body.Address, body.Industry, body.TaxId, tier, body.Notes);
        return await accounts.RunAsync(http, accountId, command, o => AccountOf(http, o.Account));
    }

    /// <summary>A change within the approval thresholds answers 200 with the account; a larger increase 202 with the pending request.</summary>
    private static async Task<IResult> ChangeLimitAsync(string accountId, HttpContext http, AccountClient accounts)
    {
        var (body, problem) = await JsonBody.ReadAsync<CreditLimitRequest>(http.Request);
        if (problem is not null)
            return problem;
        problem = Required.Missing(("creditLimit", body!.CreditLimit), ("reason", body.Reason));
        if (problem is not null)
            return problem;
        return await accounts.RunAsync(http, accountId, new ChangeCreditLimit(body.CreditLimit!.Value, body.Reason!), outcome =>
            outcome.LimitRequest is { Status: LimitRequestStatus.Pending } pending
                ? Results.Accepted($"/accounts/{accountId}/credit-limit-requests/{pending.RequestId}", Views.LimitRequest(accountId, pending))
                : Results.Ok(AccountOf(http, outcome.Account)));
    }

    private static async Task<IResult> PlaceHoldAsync(string accountId, HttpContext http, AccountClient accounts)
    {
        var (body, problem) = await JsonBody.ReadAsync<PlaceHoldRequest>(http.Request);
        if (problem is not null)
            return problem;
        problem = Required.Missing(("holdId", body!.HoldId), ("amount", body.Amount));
        if (problem is not null)
            return problem;
        var command = new PlaceHold(body.HoldId!, body.Amount!.Value, body.ExpiresAt, body.OrderReference);
        return await accounts.RunAsync(http, accountId, command,
            o => new HoldResultView("approved", Views.Hold(o.Hold!), o.Account.AvailableCredit),
            $"/accounts/{accountId}/holds/{body.HoldId}");
    }
}
