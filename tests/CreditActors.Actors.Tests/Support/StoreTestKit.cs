using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.TestKit.Xunit2;
using CreditActors.Actors.Accounts;
using CreditActors.Domain.Accounts;
using Xunit.Abstractions;

namespace CreditActors.Actors.Tests.Support;

/// <summary>A TestKit whose actor system runs on a throwaway SQLite journal of its own, removed after the class's tests.</summary>
public abstract class StoreTestKit(TestStore store, ITestOutputHelper output) : TestKit(store.Config, output: output)
{
    protected TestStore Store { get; } = store;

    /// <summary>
    /// The account with every item it ever had, replayed from the journal as readers of settled items do (the account's live
    /// state holds only what is open), as it stands at <paramref name="now"/>.
    /// </summary>
    protected AccountState HistoryOf(string accountId, DateTimeOffset now)
    {
        var journal = PersistenceQuery.Get(Sys).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);
        var events = journal.CurrentEventsByPersistenceId(AccountSettings.PersistenceIdPrefix + accountId, 0, long.MaxValue)
            .Select(e => (AccountEvent)e.Event)
            .RunWith(Sink.Seq<AccountEvent>(), Sys.Materializer())
            .WaitAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
        return CreditAccount.AsOf(CreditAccount.ReplayWithHistory(accountId, events), now);
    }

    protected override void AfterAll()
    {
        base.AfterAll();
        Store.Dispose();
    }
}
