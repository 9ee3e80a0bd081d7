using Akka.Actor;
using Akka.Persistence;
using CreditActors.Actors.Accounts;
using CreditActors.Domain.Accounts;
using CreditActors.Domain.Banking;
using CreditActors.Persistence;

namespace CreditActors.Actors.Banking;

/// <summary>Decide a bank-book command as <paramref name="Actor"/>. Replies <see cref="BankReply"/>.</summary>
public sealed record BankRequest(BankCommand Command, string Actor) : IAccountProtocol;

/// <summary>The book as it stands. Replies <see cref="BankReply"/>.</summary>
public sealed record ReadBankBook : IAccountProtocol;

/// <summary>The book after a command (or a read), what the command wrote, or why it was refused.</summary>
public sealed record BankReply(BankBook Book, IReadOnlyList<BankEvent> Written, Rejection? Rejection) : IAccountProtocol;

/// <summary>
/// The one writer of the bank-reconciliation stream, run as a cluster singleton: decides with the pure
/// <see cref="BankBook"/>, persists, replies with the book. Imports are rare and small next to credit checks, so one
/// writer for the whole book costs nothing and makes "a bank reference is taken once" a plain check.
/// </summary>
public sealed class BankReconciliation : ReceivePersistentActor
{
    private BankBook _book = BankBook.Empty;

    public BankReconciliation(TimeProvider clock)
    {
        Recover<BankEvent>(e => _book = _book.Apply(e));
        Command<ReadBankBook>(_ => Sender.Tell(new BankReply(_book, [], null)));
        Command<BankRequest>(request =>
        {
            var (events, rejection) = _book.Decide(request.Command, request.Actor, clock.GetUtcNow());
            if (events.Count == 0)
            {
                Sender.Tell(new BankReply(_book, [], rejection));
                return;
            }
            var replyTo = Sender;
            var remaining = events.Count;
            PersistAll(events, e =>
            {
                _book = _book.Apply(e);
                if (--remaining == 0)
                    replyTo.Tell(new BankReply(_book, events, null));
            });
        });
    }

    public override string PersistenceId => EventCatalog.BankReconciliationPersistenceId;

    public static Props Props(TimeProvider clock) => Akka.Actor.Props.Create(() => new BankReconciliation(clock));
}
