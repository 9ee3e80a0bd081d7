using Akka.Actor;
using CreditActors.Actors.Accounts;
using CreditActors.Domain.Accounts;
using CreditActors.Host.Cluster;
using CreditActors.Host.Http;

namespace CreditActors.Host.Apis;

/// <summary>The query of a view as of a date (asOf, YYYY-MM-DD) and as known at an instant (knownAt, ISO 8601).</summary>
public sealed record AsOfQuery(string? AsOf, string? KnownAt);

/// <summary>
/// The API's one way to an account: asks the shard region with the configured timeout, and turns every answer (what a
/// command did, a read, a rejection, a busy or failed account, no answer in time) into the HTTP result; logs every rejection.
/// Items that have left the account's live state (settled invoices and payments, ended holds) are read from the journal.
/// </summary>
public sealed class AccountClient(AkkaNode node, ApiSettings settings, TimeProvider clock, ILogger<AccountClient> logger)
{
    /// <summary>The account's answer, or null when it did not answer in time (the caller answers 503).</summary>
    private async Task<object?> AskAsync(string accountId, IAccountMessage message, CancellationToken cancellation)
    {
        try
        {
            return await node.AccountRegion.Ask<object>(new AccountEnvelope(accountId, message), settings.AskTimeout, cancellation);
        }
        catch (AskTimeoutException)
        {
            return null;
        }
    }

    /// <param name="render">The view of what the command did.</param>
    /// <param name="location">Where a created resource lives; given, a write answers 201 Created.</param>
    public Task<IResult> RunAsync(
        HttpContext http, string accountId, AccountCommand command, Func<CommandOutcome, object> render, string? location = null) =>
        RunAsync(http, accountId, command, outcome => outcome.Wrote && location is not null
            ? Results.Created(location, render(outcome))
            : Results.Ok(render(outcome)));

    /// <param name="respond">The answer, from what the command did (the events written, and the account and items after it).</param>
    public Task<IResult> RunAsync(HttpContext http, string accountId, AccountCommand command, Func<CommandOutcome, IResult> respond) =>
        RunAsync(http, accountId, command, outcome => Task.FromResult(respond(outcome)));

    /// <param name="respond">The answer, from what the command did; it may read more (the journal) to give it.</param>
    public async Task<IResult> RunAsync(HttpContext http, string accountId, AccountCommand command, Func<CommandOutcome, Task<IResult>> respond)
    {
        if (!Identifiers.IsValid(accountId))
            return Problems.Invalid("accountId", $"accountId {Identifiers.Rule}");
        var (context, problem) = Caller.From(http);
        if (problem is not null)
            return problem;

        var reply = await AskAsync(accountId, new Execute(command, context!), http.RequestAborted);
        switch (reply)
        {
            case CommandOutcome { Rejection: { } rejection }:
                logger.LogInformation(
                    "Rejected {Command} for account {AccountId}: {RejectionCode} on {Field}: {Reason} (correlation {CorrelationId})",
                    command.GetType().Name, accountId, rejection.Code, rejection.Field ?? "-", rejection.Message, context!.CorrelationId);
                return Problems.From(rejection);
            case CommandOutcome { ItemsSettled: true } repeat:
                // A repeat of a command whose items have since settled: they are read from the journal, so the repeat
                // answers with them as a first request would.
                return await respond(AccountAnswers.WithItems(command, repeat, await HistoryAsync(accountId)));
            case CommandOutcome outcome:
                return await respond(outcome);
            case PersistenceFailed failed:
                logger.LogError("Journal write failed for {Command} on account {AccountId}: {Reason}", command.GetType().Name, accountId, failed.Reason);
                return Problems.Unavailable("the journal did not accept the write; nothing was recorded, retry later");
            case CommandFailed failed:
                logger.LogError("Account {AccountId} could not decide {Command}: {Reason} (correlation {CorrelationId})",
                    accountId, command.GetType().Name, failed.Reason, context!.CorrelationId);
                return Problems.Internal(failed.Reason);
            case AccountBusy busy:
                logger.LogWarning("Account {AccountId} has {Pending} commands waiting for their writes; {Command} refused", accountId, busy.Pending,
                    command.GetType().Name);
                return Problems.Unavailable("the account has too many commands waiting for their writes; nothing was recorded, retry shortly");
            case null:
                logger.LogWarning("Account {AccountId} did not answer {Command} in time", accountId, command.GetType().Name);
                return Problems.Unavailable("the account did not answer in time; the command may or may not have been recorded, retry with the same id");
            default:
                throw new InvalidOperationException($"Unexpected reply {reply.GetType().Name}");
        }
    }

    /// <summary>Reads the account (its figures, and the items of a kind or the one named), or the problem (400, 404, 503).</summary>
    public async Task<(AccountRead? Read, IResult? Problem)> ReadAsync(
        HttpContext http, string accountId, AccountReadKind kind = AccountReadKind.Account, string? itemId = null)
    {
        if (!Identifiers.IsValid(accountId))
            return (null, Problems.Invalid("accountId", $"accountId {Identifiers.Rule}"));
        var reply = await AskAsync(accountId, new ReadAccount(kind, itemId), http.RequestAborted);
        return reply switch
        {
            AccountRead { Account.Exists: true, Partial: true } => (AccountAnswers.Read(await HistoryAsync(accountId), new ReadAccount(kind, itemId),
                clock.GetUtcNow()), null),
            AccountRead { Account.Exists: true } found => (found, null),
            AccountRead => (null, Problems.NotFound("account_not_found", $"Account {accountId} does not exist")),
            _ => (null, Problems.Unavailable("the account did not answer in time")),
        };
    }

    /// <summary>
    /// The account with every item it ever had, replayed from the journal: what a read of settled items costs (in proportion
    /// to the account's history; the live state holds only what is open). The journal holds at least what the account
    /// answered, since it answers only after its writes are durable.
    /// </summary>
    private async Task<AccountState> HistoryAsync(string accountId)
    {
        return CreditAccount.ReplayWithHistory(accountId, await node.AccountEventsAsync(accountId));
    }

    /// <summary>
    /// Reads the account and answers with a view of what was read, or the problem (400, 404, 503). With
    /// the query's asOf and knownAt (declared by the endpoints that document them) the account is replayed from its journal as
    /// it stood at the end of that date, as known at that instant; without, it is the live account.
    /// </summary>
    public async Task<IResult> ViewAsync(
        HttpContext http, string accountId, AccountReadKind kind, string? itemId, Func<AccountRead, IResult> view)
    {
        var asOf = new AsOfQuery(http.Request.Query["asOf"].FirstOrDefault(), http.Request.Query["knownAt"].FirstOrDefault());
        if (asOf is { AsOf: not null } or { KnownAt: not null })
            return await ViewAsOfAsync(accountId, kind, itemId, view, asOf);
        var (read, problem) = await ReadAsync(http, accountId, kind, itemId);
        return problem ?? view(read!);
    }

    private async Task<IResult> ViewAsOfAsync(string accountId, AccountReadKind kind, string? itemId, Func<AccountRead, IResult> view, AsOfQuery query)
    {
        if (!Identifiers.IsValid(accountId))
            return Problems.Invalid("accountId", $"accountId {Identifiers.Rule}");
        var (date, dateProblem) = QueryValues.Date(query.AsOf, "asOf");
        var (known, knownProblem) = QueryValues.Instant(query.KnownAt, "knownAt");
        if ((dateProblem ?? knownProblem) is { } problem)
            return problem;
        var asOf = date ?? DateOnly.FromDateTime((known ?? clock.GetUtcNow()).UtcDateTime);
        var events = await node.AccountEventsAsync(accountId);
        var state = CreditAccount.ReplayAsOf(accountId, events, asOf, known);
        if (!state.IsOpened)
            return Problems.NotFound("account_not_found", events.Count == 0
                ? $"Account {accountId} does not exist"
                : $"Account {accountId} was not opened as of {asOf:yyyy-MM-dd}{(known is null ? "" : " as known then")}");
        // Holds count as expired by the instant the view stands at: the end of the date, or the instant known at if earlier.
        var endOfDay = new DateTimeOffset(asOf.ToDateTime(TimeOnly.MaxValue), TimeSpan.Zero);
        var instant = known is { } k && k < endOfDay ? k : endOfDay;
        return view(AccountAnswers.Read(state, new ReadAccount(kind, itemId), instant));
    }

    /// <summary>The one item a read named, or 404 naming what was not found.</summary>
    public static IResult Item<T>(IReadOnlyList<T> items, string id, string what, Func<T, object> view) =>
        items.Count == 1
            ? Results.Ok(view(items[0]))
            : Problems.NotFound($"{what}_not_found", $"{char.ToUpperInvariant(what[0])}{what[1..]} {id} does not exist");

    public async Task<IResult> CheckCreditAsync(HttpContext http, string accountId, decimal amount)
    {
        if (!Identifiers.IsValid(accountId))
            return Problems.Invalid("accountId", $"accountId {Identifiers.Rule}");
        var reply = await AskAsync(accountId, new CheckCredit(amount), http.RequestAborted);
        return reply switch
        {
            CreditCheckReply { Rejection: { } rejection } => Problems.From(rejection),
            CreditCheckReply { Result: { } result } => Results.Ok(Views.CreditCheck(amount, result)),
            CommandFailed failed => Problems.Internal(failed.Reason),
            _ => Problems.Unavailable("the account did not answer in time"),
        };
    }
}
