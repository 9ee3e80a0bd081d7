using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using CreditActors.Domain.Accounts;
using CreditActors.Host.Cluster;
using CreditActors.Host.Http;
using CreditActors.Host.OpenApi;
using CreditActors.Host.Security;
using CreditActors.Persistence;

namespace CreditActors.Host.Accounts;

public sealed record ApprovalRequest([property: System.ComponentModel.DataAnnotations.MaxLength(Domain.Accounts.CreditAccount.MaximumTextLength)] string? Comment = null);

public sealed record RejectionRequest(
    [property: System.ComponentModel.DataAnnotations.Required, System.ComponentModel.DataAnnotations.MaxLength(Domain.Accounts.CreditAccount.MaximumTextLength)]
    string? Reason);

/// <summary>Maker-checker: credit-limit increases that wait for a second person, per account and across accounts.</summary>
public static class LimitRequestEndpoints
{
    public static void MapLimitRequestEndpoints(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/accounts/{accountId}/credit-limit-requests").WithTags("Credit limits");
        account.MapGet("/", (string accountId, HttpContext http, CommandRunner runner) =>
            runner.ViewAsync(http, accountId, state => Results.Ok(state.LimitRequests.Values.Select(r => Views.LimitRequest(accountId, r)).ToList())))
            .Describe("listAccountLimitRequests", "The account's credit-limit requests, pending and decided")
            .Produces<List<LimitRequestView>>().Allow(Roles.Finance, Roles.CreditManager, Roles.Auditor);
        account.MapGet("/{requestId}", (string accountId, string requestId, HttpContext http, CommandRunner runner) =>
            runner.ViewAsync(http, accountId, state => CommandRunner.Item(state.LimitRequests, requestId, "limit_request", r => Views.LimitRequest(accountId, r))))
            .Describe("getLimitRequest", "One credit-limit request").Produces<LimitRequestView>().Allow(Roles.Finance, Roles.CreditManager, Roles.Auditor);
        account.MapPost("/{requestId}/approve", async (string accountId, string requestId, HttpContext http, CommandRunner runner) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<ApprovalRequest>(http.Request, optional: true);
            return problem ?? await runner.RunAsync(http, accountId, new ApproveCreditLimitChange(requestId, body?.Comment),
                s => Views.LimitRequest(accountId, s.LimitRequests[requestId]));
        }).Describe("approveLimitRequest", "Approve another person's request: the new limit takes effect")
            .Command<ApprovalRequest>(optionalBody: true).Produces<LimitRequestView>().Allow(Roles.CreditManager);
        account.MapPost("/{requestId}/reject", async (string accountId, string requestId, HttpContext http, CommandRunner runner) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<RejectionRequest>(http.Request);
            return problem ?? Required.Missing(("reason", body!.Reason))
                ?? await runner.RunAsync(http, accountId, new RejectCreditLimitChange(requestId, body.Reason!),
                    s => Views.LimitRequest(accountId, s.LimitRequests[requestId]));
        }).Describe("rejectLimitRequest", "Reject a request, with the reason").Command<RejectionRequest>().Produces<LimitRequestView>()
            .Allow(Roles.CreditManager);

        app.MapGet("/credit-limit-requests", AcrossAccountsAsync).WithTags("Credit limits")
            .Describe("listLimitRequests", "Credit-limit requests across all accounts, by status (pending by default)")
            .Produces<List<LimitRequestView>>().Allow(Roles.Finance, Roles.CreditManager, Roles.Auditor);
    }

    /// <summary>
    /// Requests across all accounts, folded from the events tagged credit-limit-request (a small tag: only
    /// requests and decisions carry it). status=pending (default), approved, rejected or all.
    /// </summary>
    private static async Task<IResult> AcrossAccountsAsync(string? status, AkkaNode node)
    {
        if (status is not (null or "pending" or "approved" or "rejected" or "all"))
            return Problems.Invalid("status", "status must be pending, approved, rejected or all");
        LimitRequestStatus? wanted = status switch
        {
            null or "pending" => LimitRequestStatus.Pending,
            "approved" => LimitRequestStatus.Approved,
            "rejected" => LimitRequestStatus.Rejected,
            _ => null,
        };
        var envelopes = await node.ReadJournal.CurrentEventsByTag(AccountEventTagger.LimitRequests, Offset.NoOffset())
            .RunWith(Sink.Seq<EventEnvelope>(), node.System.Materializer());
        var requests = new Dictionary<(string, string), LimitRequestView>();
        foreach (var envelope in envelopes)
        {
            var accountId = envelope.PersistenceId[Actors.Accounts.AccountSettings.PersistenceIdPrefix.Length..];
            switch (envelope.Event)
            {
                case CreditLimitChangeRequested e:
                    requests[(accountId, e.RequestId)] = new LimitRequestView(accountId, e.RequestId, LimitRequestStatus.Pending,
                        e.OldLimit, e.NewLimit, e.Reason, e.RequestedBy, e.Meta.RecordedAt, null, null, null);
                    break;
                case CreditLimitChangeApproved e when requests.TryGetValue((accountId, e.RequestId), out var request):
                    requests[(accountId, e.RequestId)] = request with
                    {
                        Status = LimitRequestStatus.Approved, DecidedBy = e.ApprovedBy, DecidedAt = e.Meta.RecordedAt, DecisionNote = e.Comment,
                    };
                    break;
                case CreditLimitChangeRejected e when requests.TryGetValue((accountId, e.RequestId), out var request):
                    requests[(accountId, e.RequestId)] = request with
                    {
                        Status = LimitRequestStatus.Rejected, DecidedBy = e.RejectedBy, DecidedAt = e.Meta.RecordedAt, DecisionNote = e.Reason,
                    };
                    break;
            }
        }
        return Results.Ok(requests.Values.Where(r => wanted is null || r.Status == wanted).OrderBy(r => r.RequestedAt).ToList());
    }
}
