using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
using CreditActors.Domain.Accounts;
using CreditActors.Persistence.Snapshots;

namespace CreditActors.Actors.Accounts;

/// <summary>
/// One customer account: decides commands with the pure domain, persists what was decided, folds it, replies.
/// Writes are group-committed: a command that arrives while earlier writes are in flight is decided against the
/// state those writes will leave (the pending state) and its events join the next journal write, so a busy account
/// writes many commands per database round trip. No command is answered before its events, and those of every
/// command before it, are durable. Holds expire by a timer that is set again after every recovery. Idle accounts
/// without active holds passivate.
/// </summary>
public sealed class CreditAccountActor : ReceivePersistentActor, IWithTimers
{
    private const string ExpiryTimerKey = "hold-expiry";
    private const string IdleCheckTimerKey = "idle-check";
    private static readonly CommandContext SystemContext = new("system", "hold-expiry");

    private readonly AccountSettings _settings;
    private readonly Persistence.PersonalData.PersonalDataExtension _personal = Persistence.PersonalData.PersonalDataExtension.Get(Context.System);
    private readonly TimeProvider _clock;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    /// <summary>The state folded from the events the journal has confirmed.</summary>
    private AccountState _state;

    /// <summary>The state after every decided command, written or still in flight. Commands are decided against it.</summary>
    private AccountState _pending;

    /// <summary>Callers waiting for a write (theirs or one before their answer), in the order they will be answered.</summary>
    private readonly Queue<IActorRef> _awaiting = new();

    private long _lastSnapshotSequenceNr;

    /// <summary>When the account last received a request (Environment.TickCount64); its own timers do not count.</summary>
    private long _lastActivity = Environment.TickCount64;

    public CreditAccountActor(string accountId, AccountSettings settings, TimeProvider clock)
    {
        _settings = settings;
        _clock = clock;
        _state = _pending = AccountState.Empty(accountId);
        PersistenceId = AccountSettings.PersistenceIdPrefix + accountId;

        Recover<SnapshotOffer>(offer =>
        {
            _state = offer.Snapshot switch
            {
                AccountSnapshotV2 v2 => v2.ToState(),
                // Version 1 held every item the account ever had: what has settled leaves the live state as it is read.
                AccountSnapshotV1 v1 => v1.ToState().WithoutSettled(),
                var other => throw new InvalidOperationException($"Unknown account snapshot {other.GetType().Name}"),
            };
            _lastSnapshotSequenceNr = offer.Metadata.SequenceNr;
        });
        Recover<AccountEvent>(e => _state = CreditAccount.Evolve(_state, e));
        Recover<RecoveryCompleted>(_ => OnRecovered());

        Command<Execute>(execute => { _lastActivity = Environment.TickCount64; Handle(execute, Sender); });
        Command<CheckCredit>(check => { _lastActivity = Environment.TickCount64; Handle(check); });
        Command<ReadAccount>(read => { _lastActivity = Environment.TickCount64; Sender.Tell(AccountAnswers.Read(_state, read, _clock.GetUtcNow())); });
        Command<ExpireHoldsTick>(_ => Handle(new Execute(new ExpireDueHolds(), SystemContext), replyTo: ActorRefs.Nobody));
        Command<SimulateRating>(simulate =>
        {
            _lastActivity = Environment.TickCount64;
            try
            {
                Sender.Tell(_state.IsOpened
                    ? new RatingSimulation(true, CreditAccount.RateNow(_state, simulate.Policy, _clock.GetUtcNow()), _state.Rating)
                    : new RatingSimulation(false, null, null));
            }
            catch (Exception e)
            {
                _log.Error(e, "Simulating rating policy {0} on {1} threw", simulate.Policy.Key, PersistenceId);
                Sender.Tell(new CommandFailed($"the rating could not be computed: {e.GetType().Name}"));
            }
        });
        Command<IdleCheck>(_ => PassivateIfIdle());
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
        // An erasure recorded before a crash that came before its key was destroyed: destroy it now.
        if (_state.PersonalDataErasedAt is not null && CreditAccount.WithoutPersonalData(_state.Profile) == _state.Profile
            && _state.Collections.BillingEmail is null)
            ErasePersonalData();
        _pending = _state;
        // Idleness is checked by a periodic timer rather than a receive timeout: a receive timeout is rescheduled on
        // every message, which costs more than a credit check itself.
        var period = TimeSpan.FromTicks(Math.Max(_settings.PassivateAfterIdle.Ticks / 4, TimeSpan.FromMilliseconds(50).Ticks));
        Timers.StartPeriodicTimer(IdleCheckTimerKey, IdleCheck.Instance, period);
        ScheduleExpiry();
    }

    private void Handle(Execute execute, IActorRef replyTo)
    {
        if (_awaiting.Count >= _settings.MaximumPendingCommands)
        {
            replyTo.Tell(new AccountBusy(_awaiting.Count));
            return;
        }
        Decision decision;
        AccountState after;
        try
        {
            decision = CreditAccount.Decide(_pending, execute.Command, execute.Context, _clock.GetUtcNow(), _settings.CurrentPolicy);
            after = decision.Events.Aggregate(_pending, CreditAccount.Evolve);
        }
        catch (Exception e)
        {
            // A defect in deciding one command must not cost the callers whose writes are in flight their answers, as a
            // restart would: this caller hears of it at once, nothing is written, the pending state stays as it was.
            _log.Error(e, "Deciding {0} on {1} threw; nothing written", execute.Command.GetType().Name, PersistenceId);
            replyTo.Tell(new CommandFailed($"{execute.Command.GetType().Name} could not be decided: {e.GetType().Name}"));
            return;
        }
        if (decision.Rejection is not null || decision.IsUnchanged)
        {
            // A rejection or a repeat may rest on writes still in flight: it is answered after them, with the state they leave.
            // Logged by the caller, which knows the request; the actor only answers.
            if (execute.Command is PlaceHold && decision.Rejection is { Kind: RejectionKind.Declined } declined)
                Telemetry.Decision(false, declined.Reasons is [var first, ..] ? first.Code : declined.Code);
            if (_awaiting.Count == 0)
                replyTo.Tell(AccountAnswers.Outcome(execute.Command, _state, _state, [], decision.Rejection));
            else
            {
                _awaiting.Enqueue(replyTo);
                Telemetry.CommandPending();
                DeferAsync(decision, d =>
                {
                    _awaiting.Dequeue();
                    Telemetry.CommandDone();
                    replyTo.Tell(AccountAnswers.Outcome(execute.Command, _state, _state, [], d.Rejection));
                });
            }
            return;
        }

        var before = _pending;
        _pending = after;
        _awaiting.Enqueue(replyTo);
        Telemetry.CommandPending();
        if (execute.Command is PlaceHold)
            Telemetry.Decision(true, null);
        var remaining = decision.Events.Count;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        // Stored with their personal fields sealed under the account's key; the state and the answer keep them as decided.
        // (A hold or a payment carries none: written as decided, with no copy made on the hot path.)
        var stored = !decision.Events.Any(Persistence.PersonalData.PersonalDataProtection.CarriesPersonalData)
            ? decision.Events
            : decision.Events.Select(e => _personal.Protection.Protect(_state.AccountId, e)).ToList();
        PersistAllAsync(stored, _ =>
        {
            if (--remaining > 0)
                return;
            // The last event of this command is durable, and so is everything before it: the journal keeps the order.
            var kind = new KeyValuePair<string, object?>("command", execute.Command.GetType().Name);
            Telemetry.JournalWriteDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds, kind);
            Telemetry.JournalWriteEvents.Record(decision.Events.Count, kind);
            _state = after;
            _awaiting.Dequeue();
            Telemetry.CommandDone();
            if (decision.Events.Any(e => e is PersonalDataErased))
                ErasePersonalData();
            replyTo.Tell(AccountAnswers.Outcome(execute.Command, before, _state, decision.Events, null));
            SnapshotIfDue();
            if (_awaiting.Count == 0)
            {
                // After a write, what is open is checked (in proportion to it); the whole state is checked on recovery.
                AccountInvariants.AssertOpenItems(_state);
                ScheduleExpiry();
            }
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
        if (problem is not null)
        {
            Sender.Tell(new CreditCheckReply(null, Rejection.Invalid("amount", $"amount {problem}")));
            return;
        }
        try
        {
            // Against the pending state: holds still being written already count against the limit.
            var result = CreditAccount.CheckCredit(_pending, check.Amount, _clock.GetUtcNow(), _settings.CurrentPolicy);
            Telemetry.Decision(result.Approved, result.Reasons.Count > 0 ? result.Reasons[0].Code : null);
            Sender.Tell(new CreditCheckReply(result, null));
        }
        catch (Exception e)
        {
            _log.Error(e, "Credit check on {0} threw", PersistenceId);
            Sender.Tell(new CommandFailed($"the credit check could not be decided: {e.GetType().Name}"));
        }
    }

    /// <summary>
    /// An invariant broke or a handler threw outside a decision: the actor restarts from the journal. Whoever still
    /// waits is told at once that the outcome is unknown, rather than waiting for the ask timeout.
    /// </summary>
    protected override void PreRestart(Exception reason, object message)
    {
        while (_awaiting.TryDequeue(out var caller))
        {
            Telemetry.CommandDone();
            caller.Tell(new CommandFailed("the account restarted before answering; the command may or may not have been recorded, retry with the same id"));
        }
        base.PreRestart(reason, message);
    }

    /// <summary>
    /// Snapshots every snapshot-every-events events, or, for a large account, once the events since the last snapshot
    /// reach a fraction of the items its state holds: a snapshot costs in proportion to the state, so a fixed cadence
    /// would make a busy, long-lived account spend most of its time writing snapshots, while recovery still replays
    /// no more events than the snapshot it reads is worth.
    /// </summary>
    private void SnapshotIfDue()
    {
        var items = _state.Holds.Count + _state.Invoices.Count + _state.Payments.Count + _state.LimitRequests.Count + _state.Settled.Count;
        var due = Math.Max(_settings.SnapshotEveryEvents, (long)(items * _settings.SnapshotGrowthFraction));
        if (LastSequenceNr - _lastSnapshotSequenceNr < due)
            return;
        _lastSnapshotSequenceNr = LastSequenceNr;
        SaveSnapshot(AccountSnapshotV2.From(_state));
    }

    /// <summary>Sets the timer for the next hold expiry; a hold already past its instant expires at once.</summary>
    private void ScheduleExpiry()
    {
        if (CreditAccount.NextExpiry(_pending) is not { } next)
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
        if (Environment.TickCount64 - _lastActivity < (long)_settings.PassivateAfterIdle.TotalMilliseconds)
            return;
        if (_awaiting.Count > 0 || _state.EarliestExpiry is not null)
            return;
        // Asked once: the idle timer stops, so no second Passivate reaches the shard while it stops this account.
        Timers.Cancel(IdleCheckTimerKey);
        _log.Debug("Account {0} idle; passivating", _state.AccountId);
        Context.System.EventStream.Publish(new AccountPassivated(_state.AccountId));
        Context.Parent.Tell(new Passivate(PoisonPill.Instance));
    }

    /// <summary>The journal failed a write: the actor stops (Akka's rule) and recovers from the journal on its next message.</summary>
    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        FailAwaiting(cause);
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    /// <summary>
    /// The journal refused an event (it could not be serialized). Later commands were decided against a state that
    /// counted it, so the actor stops and recovers what the journal really holds.
    /// </summary>
    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        FailAwaiting(cause);
        base.OnPersistRejected(cause, @event, sequenceNr);
        Context.Stop(Self);
    }

    /// <summary>Destroys the account's key (idempotent): the one write to the key store an account makes itself, on erasure only.</summary>
    private void ErasePersonalData()
    {
        try
        {
            _personal.Protection.Destroy(_state.AccountId);
        }
        catch (System.Data.Common.DbException e)
        {
            // The erasure is recorded; the key goes at the next recovery of the account, or when the erasure is asked again.
            _log.Error(e, "The personal-data key of {0} could not be destroyed yet", PersistenceId);
        }
    }

    protected override void PreStart()
    {
        Telemetry.AccountStarted();
        base.PreStart();
    }

    protected override void PostStop()
    {
        Telemetry.AccountStopped();
        base.PostStop();
    }

    /// <summary>Nobody waiting is told success: each caller hears the write was not acknowledged and retries with the same id.</summary>
    private void FailAwaiting(Exception cause)
    {
        while (_awaiting.TryDequeue(out var caller))
        {
            Telemetry.CommandDone();
            caller.Tell(new PersistenceFailed(cause.Message));
        }
    }

    private sealed class IdleCheck
    {
        public static readonly IdleCheck Instance = new();
    }

    private sealed class ExpireHoldsTick
    {
        public static readonly ExpireHoldsTick Instance = new();
    }
}
