using Akka.Actor;
using Akka.Persistence.TestKit;
using CreditActors.Actors;
using CreditActors.Actors.Rating;
using CreditActors.Domain.Rating;

namespace CreditActors.Actors.Tests;

// Protects the singletons against a failed write: the caller is told at once, nothing is recorded, and the singleton is
// started again to take the next command (the cluster's singleton manager would otherwise leave it stopped for good).
public class RestartedSingletonTests() : Akka.TestKit.Xunit2.TestKit(Journal)
{
    // Akka's test journal: in memory, told by the test to fail or pass the writes that follow.
    private const string Journal = """
        akka.persistence.journal.plugin = "akka.persistence.journal.test"
        akka.persistence.journal.test {
          class = "Akka.Persistence.TestKit.TestJournal, Akka.Persistence.TestKit"
          plugin-dispatcher = "akka.actor.default-dispatcher"
        }
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """;

    private static RatingPolicyRequest Propose() =>
        new(new ProposeRatingPolicy(RatingPolicyDocument.Write(RatingPolicyDocument.Standard with { Version = 2 }), "tighter limits"), "analyst");

    [Fact]
    public async Task a_singleton_whose_write_fails_tells_its_caller_and_is_started_again_to_take_the_command()
    {
        // Given the rating-policy registry as the node runs it
        var registry = Sys.ActorOf(Singletons.Restarted(RatingPolicyRegistry.Props(TimeProvider.System), "registry"), "rating-policies");

        // When the journal fails its write, the caller hears so at once, and nothing is recorded
        var journal = TestJournal.FromRef(Akka.Persistence.Persistence.Instance.Apply(Sys).JournalFor(null));
        await journal.OnWrite.Fail();
        await Assert.ThrowsAsync<WriteFailedException>(() => registry.Ask<RatingPolicyReply>(Propose(), TimeSpan.FromSeconds(5)));
        await journal.OnWrite.Pass();

        // Then, started again and recovered, the registry takes the same command and writes it once
        RatingPolicyReply? reply = null;
        for (var attempt = 0; attempt < 50 && reply is null; attempt++)
        {
            try
            {
                reply = await registry.Ask<RatingPolicyReply>(Propose(), TimeSpan.FromMilliseconds(500));
            }
            catch (AskTimeoutException)
            {
                // still in its back-off: asked again
            }
        }
        Assert.NotNull(reply);
        Assert.Null(reply.Rejection);
        Assert.Single(reply.Written);
        var read = await registry.Ask<RatingPolicyReply>(new ReadRatingPolicies(), TimeSpan.FromSeconds(5));
        Assert.Equal(2, read.Book.Versions.Count);
    }
}
