using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
using CreditActors.Domain.Accounts;

namespace CreditActors.Actors.Accounts;

/// <summary>
/// One customer account: decides commands with the pure domain, persists what was decided, folds it, replies.
/// Holds expire by a timer that is set again after every recovery. Idle accounts without active holds passivate.
/// </summary>
public sealed class CreditAccountActor : ReceivePersistentActor, IWithTimers
{
    private const string ExpiryTimerKey = "hold-expiry";
    private static readonly CommandContext SystemContext = new("system", "hold-expiry");

    private readonly AccountSettings _settings;
    private readonly TimeProvider _clock;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private AccountState _state;
    private long _lastSnapshotSequenceNr;
    private IActorRef? _awaitingWrite;

    public CreditAccountActor(string accountId, AccountSettings settings, TimeProvider clock)
    {
        _settings = settings;
        _clock = clock;
        _state = AccountState.Empty(accountId);
        PersistenceId = AccountSettings.PersistenceIdPrefix + accountId;

        Recover<SnapshotOffer>(offer =>
        {
            _state = (AccountState)offer.Snapshot;
            _lastSnapshotSequenceNr = offer.Metadata.SequenceNr;
        });
        Recover<AccountEvent>(e => _state = CreditAccount.Evolve(_state, e));
        Recover<RecoveryCompleted>(_ => OnRecovered());

        Command<Execute>(Handle);
        Command<CheckCredit>(Handle);
        Command<GetAccountState>(_ => Sender.Tell(new AccountStateReply(_state)));
        Command<ExpireHoldsTick>(_ => Handle(new Execute(new ExpireDueHolds(), SystemContext), replyTo: ActorRefs.Nobody));
        Command<ReceiveTimeout>(_ => PassivateIfIdle());
        Command<SaveSnapshotSuccess>(s => _log.Debug("Snapshot of {0} saved at {1}", PersistenceId, s.Metadata.SequenceNr));
        Command<SaveSnapshotFailure>(f => _log.Warning(f.Cause, "Snapshot of {0} failed; recovery replays more events", PersistenceId));
    }

    public override string PersistenceId { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string accountId, AccountSettings settings, TimeProvider clock) =>
        Akka.Actor.Props.Create(() => new CreditAccountActor(accountId, settings, clock));

    private void OnRecovered()
    {
        AccountInvariants.Assert(_state);
        Context.SetReceiveTimeout(_settings.PassivateAfterIdle);
        ScheduleExpiry();
    }

    private void Handle(Execute execute) => Handle(execute, Sender);

    private void Handle(Execute execute, IActorRef replyTo)
    {
        var decision = CreditAccount.Decide(_state, execute.Command, execute.Context, _clock.GetUtcNow(), _settings.Policy);
        if (decision.Rejection is { } rejection)
        {
            // Logged by the caller, which knows the request; the actor only answers.
            replyTo.Tell(new CommandResult(_state, [], rejection));
            return;
        }
        if (decision.IsUnchanged)
        {
            replyTo.Tell(new CommandResult(_state, [], null));
            return;
        }

        var remaining = decision.Events.Count;
        _awaitingWrite = replyTo;
        PersistAll(decision.Events, e =>
        {
            _state = CreditAccount.Evolve(_state, e);
            if (--remaining > 0)
                return;
            AccountInvariants.Assert(_state);
            _awaitingWrite = null;
            replyTo.Tell(new CommandResult(_state, decision.Events, null));
            SnapshotIfDue();
            ScheduleExpiry();
        });
    }

    private void Handle(CheckCredit check)
    {
        if (!_state.IsOpened)
        {
            Sender.Tell(new CreditCheckReply(null, Rejection.NotFound("account_not_found", $"Account {_state.AccountId} does not exist")));
            return;
        }
        var problem = _state.Currency.Problem(check.Amount);
        Sender.Tell(problem is not null
            ? new CreditCheckReply(null, Rejection.Invalid("amount", $"amount {problem}"))
            : new CreditCheckReply(CreditAccount.CheckCredit(_state, check.Amount, _clock.GetUtcNow(), _settings.Policy), null));
    }

    private void SnapshotIfDue()
    {
        if (LastSequenceNr - _lastSnapshotSequenceNr < _settings.SnapshotEveryEvents)
            return;
        _lastSnapshotSequenceNr = LastSequenceNr;
        SaveSnapshot(_state);
    }

    /// <summary>Sets the timer for the next hold expiry; a hold already past its instant expires at once.</summary>
    private void ScheduleExpiry()
    {
        if (CreditAccount.NextExpiry(_state) is not { } next)
        {
            Timers.Cancel(ExpiryTimerKey);
            return;
        }
        var delay = next - _clock.GetUtcNow();
        delay = delay < TimeSpan.Zero ? TimeSpan.Zero : delay > _settings.MaximumExpiryTimer ? _settings.MaximumExpiryTimer : delay;
        Timers.StartSingleTimer(ExpiryTimerKey, ExpireHoldsTick.Instance, delay);
    }

    private void PassivateIfIdle()
    {
        if (_state.ActiveHolds.Any())
            return;
        _log.Debug("Account {0} idle; passivating", _state.AccountId);
        Context.System.EventStream.Publish(new AccountPassivated(_state.AccountId));
        Context.Parent.Tell(new Passivate(PoisonPill.Instance));
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _awaitingWrite?.Tell(new PersistenceFailed(cause.Message));
        _awaitingWrite = null;
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        _awaitingWrite?.Tell(new PersistenceFailed(cause.Message));
        _awaitingWrite = null;
        base.OnPersistRejected(cause, @event, sequenceNr);
    }

    private sealed class ExpireHoldsTick
    {
        public static readonly ExpireHoldsTick Instance = new();
    }
}
