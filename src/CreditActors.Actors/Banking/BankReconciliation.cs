using Akka.Actor;
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
public sealed class BankReconciliation : SingleWriter<BankBook, BankCommand, BankEvent>
{
    public BankReconciliation(TimeProvider clock) : base(BankBook.Empty, clock)
    {
        Command<ReadBankBook>(_ => Read());
        Command<BankRequest>(request => Handle(request.Command, request.Actor));
    }

    public override string PersistenceId => EventCatalog.BankReconciliationPersistenceId;

    protected override BankBook Apply(BankBook book, BankEvent e) => book.Apply(e);

    protected override (IReadOnlyList<BankEvent> Events, Rejection? Rejection) Decide(BankBook book, BankCommand command, string actor, DateTimeOffset now) =>
        book.Decide(command, actor, now);

    protected override object Reply(BankBook book, IReadOnlyList<BankEvent> written, Rejection? rejection) => new BankReply(book, written, rejection);

    public static Props Props(TimeProvider clock) => Akka.Actor.Props.Create(() => new BankReconciliation(clock));
}
