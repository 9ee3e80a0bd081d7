using CreditActors.Domain.Accounts;

namespace CreditActors.Actors.Accounts;

/// <summary>Every message of the account protocol; serialized by <see cref="AccountProtocolSerializer"/> between nodes.</summary>
public interface IAccountProtocol;

/// <summary>A message for one account, routed by the shard region to the account's actor.</summary>
public sealed record AccountEnvelope(string AccountId, IAccountMessage Message) : IAccountProtocol;

public interface IAccountMessage : IAccountProtocol;

/// <summary>Decide a command and persist what it produces. Replies <see cref="CommandResult"/>.</summary>
public sealed record Execute(AccountCommand Command, CommandContext Context) : IAccountMessage;

/// <summary>The read-only credit check. Replies <see cref="CreditCheckReply"/>; writes nothing.</summary>
public sealed record CheckCredit(decimal Amount) : IAccountMessage;

/// <summary>Replies <see cref="AccountStateReply"/> with the current state.</summary>
public sealed record GetAccountState : IAccountMessage
{
    public static readonly GetAccountState Instance = new();
}

/// <summary>
/// The answer to <see cref="Execute"/>: the state after the command, and either the events written
/// (none for a repeat) or the rejection.
/// </summary>
public sealed record CommandResult(AccountState State, IReadOnlyList<AccountEvent> Written, Rejection? Rejection) : IAccountProtocol;

public sealed record CreditCheckReply(CreditCheckResult? Result, Rejection? Rejection) : IAccountProtocol;

public sealed record AccountStateReply(AccountState State) : IAccountProtocol;

/// <summary>The journal did not accept the write; nothing was acknowledged. The actor restarts from the journal.</summary>
public sealed record PersistenceFailed(string Reason) : IAccountProtocol;

/// <summary>
/// Deciding the command threw: a defect, not bad input. Nothing was written for it and the account goes on; commands
/// whose writes were already in flight get their own answers. The caller answers 500 at once.
/// </summary>
public sealed record CommandFailed(string Reason) : IAccountProtocol;

/// <summary>
/// The account has too many commands waiting for their writes (credit-actors.account.max-pending-commands); this one was
/// not decided and nothing was written. The caller answers 503 and may retry.
/// </summary>
public sealed record AccountBusy(int Pending) : IAccountProtocol;

/// <summary>Published on the event stream when an idle account stops itself.</summary>
public sealed record AccountPassivated(string AccountId);
