using CreditActors.Domain.Accounts;
using CreditActors.Domain.Tests.Support;
using CreditActors.Persistence;
using CreditActors.Projections.Aging;
using CreditActors.Projections.Alerts;
using CreditActors.Projections.Collections;
using CreditActors.Projections.LimitRequests;
using CreditActors.Projections.Runtime;

namespace CreditActors.Projections.Tests;

// Protects every read model from a new event kind: each projection takes every kind its tag delivers and throws on one it does not know.
public class EventConsumerTests
{
    public static TheoryData<string> Projections => new() { AgingProjection.ProjectionName, AlertsProjection.ProjectionName,
        LimitRequestsProjection.ProjectionName, NoticeOutboxProjection.ProjectionName, WorklistProjection.ProjectionName };

    private static IProjection Create(string name) => name switch
    {
        AgingProjection.ProjectionName => new AgingProjection(1_000),
        AlertsProjection.ProjectionName => new AlertsProjection(80m, 1_000),
        NoticeOutboxProjection.ProjectionName => new NoticeOutboxProjection(),
        WorklistProjection.ProjectionName => new WorklistProjection(),
        _ => new LimitRequestsProjection(),
    };

    /// <summary>The events a projection's tag delivers, as the write adapter tags them.</summary>
    private static List<AccountEvent> Delivered(IProjection projection, IReadOnlyList<AccountEvent> history)
    {
        var tagger = new AccountEventTagger();
        return history.Where(e => tagger.ToJournal(e) is Akka.Persistence.Journal.Tagged tagged && tagged.Tags.Contains(projection.Tag)).ToList();
    }

    [Theory]
    [MemberData(nameof(Projections))]
    public async Task a_projection_takes_every_kind_its_tag_delivers_and_throws_on_an_unknown_one(string name)
    {
        using var store = new ReadModelStore();
        var projection = Create(name);
        var delivered = Delivered(projection, EveryEventKind.History());
        Assert.NotEmpty(delivered);
        var writer = new ProjectionWriter(store.Database, projection, TimeProvider.System);
        await writer.ApplyBatchAsync(ReadModelStore.Journal((Scenario.AccountId, delivered)));

        var unknown = new ProjectedEvent(Scenario.AccountId, delivered.Count + 1, delivered.Count + 1, EveryEventKind.Unknown);
        await Assert.ThrowsAsync<UnknownEventException>(() => writer.ApplyBatchAsync([unknown]));
    }
}
