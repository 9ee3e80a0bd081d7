using Akka.TestKit.Xunit2;
using Xunit.Abstractions;

namespace CreditActors.Actors.Tests.Support;

/// <summary>A TestKit whose actor system runs on a throwaway SQLite journal of its own, removed after the class's tests.</summary>
public abstract class StoreTestKit(TestStore store, ITestOutputHelper output) : TestKit(store.Config, output: output)
{
    protected TestStore Store { get; } = store;

    protected override void AfterAll()
    {
        base.AfterAll();
        Store.Dispose();
    }
}
