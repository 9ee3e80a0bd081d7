using CreditActors.Actors.Accounts;
using CreditActors.Domain.Accounts;
using CreditActors.Host.Http;
using CreditActors.Host.OpenApi;
using CreditActors.Host.Security;
using CreditActors.Projections.LimitRequests;

namespace CreditActors.Host.Apis;

public sealed record ApprovalRequest(
    [property: System.ComponentModel.DataAnnotations.MaxLength(Domain.Accounts.CreditAccount.MaximumTextLength)] string? Comment = null);

public sealed record RejectionRequest(
    [property: System.ComponentModel.DataAnnotations.Required, System.ComponentModel.DataAnnotations.MaxLength(Domain.Accounts.CreditAccount.MaximumTextLength)]
    string? Reason);

/// <summary>Maker-checker: credit-limit increases that wait for a second person, per account and across accounts.</summary>
public static class LimitRequestsApi
{
    public static void MapLimitRequestsApi(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/accounts/{accountId}/credit-limit-requests").WithTags("Credit limits");
        account.MapGet("/", (string accountId, HttpContext http, AccountClient accounts) =>
            accounts.ViewAsync(http, accountId, AccountReadKind.LimitRequests, null,
                read => Results.Ok(read.LimitRequests.Select(r => Views.LimitRequest(accountId, r)).ToList())))
            .Describe("listAccountLimitRequests", "The account's credit-limit requests, pending and decided")
            .Produces<List<LimitRequestView>>().Allow(Roles.Finance, Roles.CreditManager, Roles.Auditor);
        account.MapGet("/{requestId}", (string accountId, string requestId, HttpContext http, AccountClient accounts) =>
            accounts.ViewAsync(http, accountId, AccountReadKind.LimitRequests, requestId, read => AccountClient.Item(read.LimitRequests, requestId,
                "limit_request", r => Views.LimitRequest(accountId, r))))
            .Describe("getLimitRequest", "One credit-limit request").Produces<LimitRequestView>().Allow(Roles.Finance, Roles.CreditManager, Roles.Auditor);
        account.MapPost("/{requestId}/approve", async (string accountId, string requestId, HttpContext http, AccountClient accounts) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<ApprovalRequest>(http.Request, optional: true);
            return problem ?? await accounts.RunAsync(http, accountId, new ApproveCreditLimitChange(requestId, body?.Comment),
                o => Views.LimitRequest(accountId, o.LimitRequest!));
        }).Describe("approveLimitRequest", "Approve another person's request: the new limit takes effect")
            .Command<ApprovalRequest>(optionalBody: true).Produces<LimitRequestView>().Allow(Roles.CreditManager);
        account.MapPost("/{requestId}/reject", async (string accountId, string requestId, HttpContext http, AccountClient accounts) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<RejectionRequest>(http.Request);
            return problem ?? Required.Missing(("reason", body!.Reason))
                ?? await accounts.RunAsync(http, accountId, new RejectCreditLimitChange(requestId, body.Reason!),
                    o => Views.LimitRequest(accountId, o.LimitRequest!));
        }).Describe("rejectLimitRequest", "Reject a request, with the reason").Command<RejectionRequest>().Produces<LimitRequestView>()
            .Allow(Roles.CreditManager);

        app.MapGet("/credit-limit-requests", AcrossAccountsAsync).WithTags("Credit limits")
            .Describe("listLimitRequests", "Credit-limit requests across all accounts, by status (pending by default)")
            .Produces<List<LimitRequestView>>().Allow(Roles.Finance, Roles.CreditManager, Roles.Auditor);
    }

    /// <summary>
    /// Requests across all accounts, from the limit-requests read model (fed by the credit-limit-request tag, so it
    /// follows the writes within the projections' lag). status=pending (default), approved, rejected or all.
    /// </summary>
    private static async Task<IResult> AcrossAccountsAsync(string? status, string? limit, LimitRequestQueries queries, HttpContext http)
    {
        if (status is not (null or "pending" or "approved" or "rejected" or "all"))
            return Problems.Invalid("status", "status must be pending, approved, rejected or all");
        var (limitValue, problem) = QueryValues.WholeNumber(limit, "limit", 1, 1000);
        if (problem is not null)
            return problem;
        LimitRequestStatus? wanted = status switch
        {
            null or "pending" => LimitRequestStatus.Pending,
            "approved" => LimitRequestStatus.Approved,
            "rejected" => LimitRequestStatus.Rejected,
            _ => null,
        };
        var rows = await queries.ListAsync(wanted, (int)(limitValue ?? 1000), http.RequestAborted);
        return Results.Ok(rows.Select(r => new LimitRequestView(r.AccountId, r.RequestId, r.Status, r.OldLimit, r.NewLimit, r.Reason,
            r.RequestedBy, r.RequestedAt, r.DecidedBy, r.DecidedAt, r.DecisionNote)).ToList());
    }
}
