using CreditActors.Domain.Accounts;

namespace CreditActors.Actors.Accounts;

/// <summary>Every message of the account protocol; serialized by <see cref="AccountProtocolSerializer"/> between nodes.</summary>
public interface IAccountProtocol;

/// <summary>A message for one account, routed by the shard region to the account's actor.</summary>
public sealed record AccountEnvelope(string AccountId, IAccountMessage Message) : IAccountProtocol;

public interface IAccountMessage : IAccountProtocol;

/// <summary>Decide a command and persist what it produces. Replies <see cref="CommandOutcome"/>.</summary>
public sealed record Execute(AccountCommand Command, CommandContext Context) : IAccountMessage;

/// <summary>The read-only credit check. Replies <see cref="CreditCheckReply"/>; writes nothing.</summary>
public sealed record CheckCredit(decimal Amount) : IAccountMessage;

/// <summary>What an account read asks for. Replies <see cref="AccountRead"/>.</summary>
public enum AccountReadKind { Account, Holds, Invoices, Payments, LimitRequests }

/// <summary>
/// Reads the account as it stands now (expired holds count as expired): its figures, and the items of one kind, or the one
/// item named by <paramref name="ItemId"/>. Replies <see cref="AccountRead"/>; never the whole state.
/// </summary>
public sealed record ReadAccount(AccountReadKind Kind, string? ItemId = null) : IAccountMessage;

/// <summary>An account's figures and profile: what every answer about an account shows.</summary>
public sealed record AccountSummary(
    string AccountId, bool Exists, string Currency, AccountStatus Status, decimal CreditLimit, decimal Receivables, decimal Holds,
    decimal Exposure, decimal AvailableCredit, decimal UnappliedCash, int PaymentTermsDays, long Version, Profile Profile,
    AccountRating? Rating = null, string TimeZone = Domain.Calendar.BusinessTime.Utc);

/// <summary>
/// The answer to <see cref="ReadAccount"/>: the figures, and the items asked for (empty for other kinds). The live state holds
/// what is open: when items asked for have settled, <paramref name="Partial"/> says so and the reader replays the journal.
/// </summary>
public sealed record AccountRead(
    AccountSummary Account, IReadOnlyList<Hold> Holds, IReadOnlyList<Invoice> Invoices, IReadOnlyList<Payment> Payments,
    IReadOnlyList<LimitRequest> LimitRequests, bool Partial = false) : IAccountProtocol;

/// <summary>
/// The answer to <see cref="Execute"/>: what happened (the events written; none for a repeat; or the rejection), the
/// account's figures after it, and the items the command concerns as they now stand. Small whatever the account's history.
/// A repeat of a command whose items have since settled carries <paramref name="ItemsSettled"/> instead of them: its
/// caller reads them from the journal.
/// </summary>
public sealed record CommandOutcome(
    IReadOnlyList<AccountEvent> Written, Rejection? Rejection, AccountSummary Account, Hold? Hold = null, Invoice? Invoice = null,
    Payment? Payment = null, CreditNote? CreditNote = null, WriteOff? WriteOff = null, LimitRequest? LimitRequest = null,
    bool ItemsSettled = false, string? Collector = null) : IAccountProtocol
{
    public bool Wrote => Written.Count > 0;
}

public sealed record CreditCheckReply(CreditCheckResult? Result, Rejection? Rejection) : IAccountProtocol;

/// <summary>
/// Rates the account as it stands now under a policy that need not be active, writing nothing: what a credit manager sees
/// before anyone approves a policy. Replies <see cref="RatingSimulation"/>.
/// </summary>
public sealed record SimulateRating(Domain.Rating.RatingPolicy Policy) : IAccountMessage;

/// <summary>The rating the policy gives and the rating the account has; <paramref name="Exists"/> is false for an unknown account.</summary>
public sealed record RatingSimulation(bool Exists, Domain.Rating.RatingResult? Result, AccountRating? Current) : IAccountProtocol;

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
