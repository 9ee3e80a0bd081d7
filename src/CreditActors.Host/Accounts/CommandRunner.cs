using CreditActors.Actors.Accounts;
using CreditActors.Domain.Accounts;
using CreditActors.Host.Cluster;
using CreditActors.Host.Http;

namespace CreditActors.Host.Accounts;

/// <summary>Sends one command to its account and turns the answer into an HTTP result; logs every rejection.</summary>
public sealed class CommandRunner(AccountGateway gateway, TimeProvider clock, ILogger<CommandRunner> logger)
{
    /// <param name="render">The view of the state after the command.</param>
    /// <param name="location">Where a created resource lives; given, a write answers 201 Created.</param>
    public Task<IResult> RunAsync(
        HttpContext http, string accountId, AccountCommand command, Func<AccountState, object> render, string? location = null) =>
        RunAsync(http, accountId, command, (state, wrote) => wrote && location is not null
            ? Results.Created(location, render(state))
            : Results.Ok(render(state)));

    /// <param name="respond">The answer, from the state after the command and whether the command wrote.</param>
    public async Task<IResult> RunAsync(
        HttpContext http, string accountId, AccountCommand command, Func<AccountState, bool, IResult> respond)
    {
        if (!Identifiers.IsValid(accountId))
            return Problems.Invalid("accountId", $"accountId {Identifiers.Rule}");
        var (context, problem) = Caller.From(http);
        if (problem is not null)
            return problem;

        var reply = await gateway.AskAsync(accountId, new Execute(command, context!), http.RequestAborted);
        switch (reply)
        {
            case CommandResult { Rejection: { } rejection }:
                logger.LogInformation(
                    "Rejected {Command} for account {AccountId}: {RejectionCode} on {Field}: {Reason} (correlation {CorrelationId})",
                    command.GetType().Name, accountId, rejection.Code, rejection.Field ?? "-", rejection.Message, context!.CorrelationId);
                return Problems.From(rejection);
            case CommandResult result:
                return respond(Views.AsOf(result.State, clock.GetUtcNow()), result.Written.Count > 0);
            case PersistenceFailed failed:
                logger.LogError("Journal write failed for {Command} on account {AccountId}: {Reason}", command.GetType().Name, accountId, failed.Reason);
                return Problems.Unavailable("the journal did not accept the write; nothing was recorded, retry later");
            case CommandFailed failed:
                logger.LogError("Account {AccountId} could not decide {Command}: {Reason} (correlation {CorrelationId})",
                    accountId, command.GetType().Name, failed.Reason, context!.CorrelationId);
                return Problems.Internal(failed.Reason);
            case AccountBusy busy:
                logger.LogWarning("Account {AccountId} has {Pending} commands waiting for their writes; {Command} refused", accountId, busy.Pending, command.GetType().Name);
                return Problems.Unavailable("the account has too many commands waiting for their writes; nothing was recorded, retry shortly");
            case null:
                logger.LogWarning("Account {AccountId} did not answer {Command} in time", accountId, command.GetType().Name);
                return Problems.Unavailable("the account did not answer in time; the command may or may not have been recorded, retry with the same id");
            default:
                throw new InvalidOperationException($"Unexpected reply {reply.GetType().Name}");
        }
    }

    public async Task<(AccountState? State, IResult? Problem)> ReadAsync(HttpContext http, string accountId)
    {
        if (!Identifiers.IsValid(accountId))
            return (null, Problems.Invalid("accountId", $"accountId {Identifiers.Rule}"));
        var reply = await gateway.AskAsync(accountId, GetAccountState.Instance, http.RequestAborted);
        return reply switch
        {
            AccountStateReply { State.IsOpened: true } found => (Views.AsOf(found.State, clock.GetUtcNow()), null),
            AccountStateReply => (null, Problems.NotFound("account_not_found", $"Account {accountId} does not exist")),
            _ => (null, Problems.Unavailable("the account did not answer in time")),
        };
    }

    /// <summary>Reads the account and answers with a view of it, or the problem (404, 503).</summary>
    public async Task<IResult> ViewAsync(HttpContext http, string accountId, Func<AccountState, IResult> view)
    {
        var (state, problem) = await ReadAsync(http, accountId);
        return problem ?? view(state!);
    }

    /// <summary>One item of an account by its id, or 404 naming what was not found.</summary>
    public static IResult Item<T>(IReadOnlyDictionary<string, T> items, string id, string what, Func<T, object> view) =>
        items.TryGetValue(id, out var item)
            ? Results.Ok(view(item))
            : Problems.NotFound($"{what}_not_found", $"{char.ToUpperInvariant(what[0])}{what[1..]} {id} does not exist");

    public async Task<IResult> CheckCreditAsync(HttpContext http, string accountId, decimal amount)
    {
        if (!Identifiers.IsValid(accountId))
            return Problems.Invalid("accountId", $"accountId {Identifiers.Rule}");
        var reply = await gateway.AskAsync(accountId, new CheckCredit(amount), http.RequestAborted);
        return reply switch
        {
            CreditCheckReply { Rejection: { } rejection } => Problems.From(rejection),
            CreditCheckReply { Result: { } result } => Results.Ok(Views.CreditCheck(amount, result)),
            CommandFailed failed => Problems.Internal(failed.Reason),
            _ => Problems.Unavailable("the account did not answer in time"),
        };
    }
}
