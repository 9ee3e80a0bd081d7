using CreditActors.Actors.Accounts;
using CreditActors.Actors.Tests.Support;
using CreditActors.Domain.Accounts;
using CreditActors.Domain.Tests.Support;
using CreditActors.Persistence;
using CreditActors.Persistence.Snapshots;
using Xunit.Abstractions;

namespace CreditActors.Actors.Tests;

// Protects what crosses nodes and what the journal keeps: every command, reply, event and snapshot survives serialization unchanged.
public sealed class ProtocolSerializationTests : StoreTestKit
{
    public ProtocolSerializationTests(ITestOutputHelper output) : base(new TestStore(), output)
    {
    }

    private T RoundTrip<T>(T message, int expectedSerializer) where T : notnull
    {
        var serializer = Sys.Serialization.FindSerializerFor(message);
        Assert.Equal(expectedSerializer, serializer.Identifier);
        var bytes = serializer.ToBinary(message);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);
        var back = Sys.Serialization.Deserialize(bytes, serializer.Identifier, manifest);
        return Assert.IsAssignableFrom<T>(back);
    }

    [Fact]
    public void commands_replies_events_and_snapshots_of_random_workloads_survive_serialization()
    {
        var random = new Random(7);
        var kinds = new HashSet<string>();
        for (var run = 0; run < 30; run++)
        {
            var steps = Enumerable.Range(0, 40).Select(_ => new Step(random.Next(WorkloadArbitraries.Kinds), random.Next(1_001),
                random.Next(1_000_001), random.Next(1_001), random.Next(73))).ToList();
            var (state, events, outcomes) = WorkloadRunner.Run("SER-1", WorkloadRunner.OpenPrefix("SER-1"), steps);
            foreach (var outcome in outcomes)
            {
                var envelope = new AccountEnvelope("SER-1", new Execute(outcome.Command, new CommandContext("someone", "corr-9")));
                Assert.Equal(Json.Of(envelope), Json.Of(RoundTrip(envelope, AccountProtocolSerializer.Id)));
                var result = AccountAnswers.Outcome(outcome.Command, outcome.Before, outcome.After, outcome.Decision.Events, outcome.Decision.Rejection);
                var back = RoundTrip(result, AccountProtocolSerializer.Id);
                Assert.Equal(Json.Of(result), Json.Of(back));
                Assert.Equal(Json.Of(result.Written), Json.Of(back.Written));
                foreach (var kind in Enum.GetValues<AccountReadKind>())
                {
                    var read = AccountAnswers.Read(outcome.After, new ReadAccount(kind), outcome.Now);
                    Assert.Equal(Json.Of(read), Json.Of(RoundTrip(read, AccountProtocolSerializer.Id)));
                }
                kinds.Add(outcome.Command.GetType().Name);
            }
            foreach (var e in events)
                Assert.Equal(Json.Of(e), Json.Of(RoundTrip(e, AccountEventSerializer.Id)));
            Assert.Equal(Json.Of(state), Json.Of(RoundTrip(AccountSnapshotV2.From(state), AccountEventSerializer.Id).ToState()));
            // A snapshot of version 1 held the whole history: read today, its settled items leave the live state.
            var history = CreditAccount.ReplayWithHistory("SER-1", events);
            // Version 1 came before ratings and collections: it holds neither, and its behaviour history starts at the snapshot.
            var beforeRatings = state with
            {
                Behaviour = Domain.Rating.RatingHistory.Empty with { Complete = false }, Rating = null, External = null, LastReviewId = null,
                Collections = CollectionState.None,
            };
            Assert.Equal(Json.Of(beforeRatings), Json.Of(RoundTrip(AccountSnapshotV1.From(history), AccountEventSerializer.Id).ToState().WithoutSettled()));
        }
        Assert.True(kinds.Count >= 12, $"only {kinds.Count} command kinds were exercised");
    }

    [Fact]
    public void credit_check_and_state_replies_survive_serialization()
    {
        var check = new CreditCheckReply(new CreditCheckResult(false, 10m, 12m, -2m,
            [new DeclineReason(DeclineCodes.InsufficientCredit, "no", AvailableCredit: -2m, RequestedAmount: 5m)]), null);
        Assert.Equal(Json.Of(check.Result!), Json.Of(RoundTrip(check, AccountProtocolSerializer.Id).Result!));
        var envelope = new AccountEnvelope("X", new CheckCredit(5.25m));
        Assert.Equal(5.25m, Assert.IsType<CheckCredit>(RoundTrip(envelope, AccountProtocolSerializer.Id).Message).Amount);
        Assert.Equal(new ReadAccount(AccountReadKind.Invoices, "INV-1"),
            RoundTrip(new AccountEnvelope("X", new ReadAccount(AccountReadKind.Invoices, "INV-1")), AccountProtocolSerializer.Id).Message);
    }

    [Fact]
    public void bank_book_requests_and_replies_survive_serialization()
    {
        var now = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
        var book = Domain.Banking.BankBook.Empty;
        var commands = new Domain.Banking.BankCommand[]
        {
            new Domain.Banking.ImportBankStatement("f1", "csv", null, new string('a', 64), "standard", "CNY",
                [new Domain.Banking.BankTransaction("R1", new DateOnly(2026, 11, 30), 100.50m, "CNY", "Payer", "6222", "INV-1"),
                    new Domain.Banking.BankTransaction("R2", new DateOnly(2026, 11, 30), 70m, "CNY", null, null, null)]),
            new Domain.Banking.DecideBankMatch("R1", [new Domain.Banking.BankPartRequest("ACME", 100.50m, [new RemittanceLine("INV-1", 1, 100.50m)])],
                "manual", 1m, "letter", Manual: true),
            new Domain.Banking.RecordBankPosting("R1", "R1", null, null),
            new Domain.Banking.IgnoreBankTransaction("R2", "refund"),
        };
        foreach (var command in commands)
        {
            var request = RoundTrip(new Banking.BankRequest(command, "finance.li"), AccountProtocolSerializer.Id);
            Assert.Equal(Json.Of(command), Json.Of(request.Command));
            var (events, rejection) = book.Decide(request.Command, request.Actor, now);
            Assert.Null(rejection);
            book = events.Aggregate(book, (b, e) => b.Apply(e));
            var reply = RoundTrip(new Banking.BankReply(book, events, null), AccountProtocolSerializer.Id);
            Assert.Equal(Json.Of(book), Json.Of(reply.Book));
            Assert.Equal(Json.Of(events), Json.Of(reply.Written));
        }
        Assert.Equal(("matched", "ignored", "ACME"), (book.Entries["R1"].Status, book.Entries["R2"].Status, book.PayerAccounts["6222"]));
    }

    [Fact]
    public void an_unknown_manifest_is_an_error_not_a_skip()
    {
        var serializer = (AccountEventSerializer)Sys.Serialization.FindSerializerForType(typeof(AccountEvent));
        Assert.Throws<System.Runtime.Serialization.SerializationException>(() => serializer.FromBinary("{}"u8.ToArray(), "credit-account.invoice-issued.v9"));
    }
}
