using Akka.Actor;
using CreditActors.Host.Audit;
using CreditActors.Host.Cluster;
using CreditActors.Host.Http;
using CreditActors.Host.OpenApi;
using CreditActors.Host.Security;
using CreditActors.Persistence.Audit;

namespace CreditActors.Host.Apis;

public sealed record ChainBreakView(string PersistenceId, long SequenceNumber, string Kind, string Detail);

public sealed record SealCheckView(long SealId, bool Matches, string Detail);

public sealed record VerifyView(string Mode, bool Clean, long Streams, long Events, long Unchained, decimal Seconds, IReadOnlyList<ChainBreakView> Breaks,
    IReadOnlyList<SealCheckView> Seals);

/// <summary>Tamper evidence over HTTP: the seals, a seal now, and verify (the command line does the same without the service).</summary>
public static class AuditApi
{
    public static void MapAuditApi(this WebApplication app)
    {
        var audit = app.MapGroup("/audit").WithTags("Audit");
        audit.MapGet("/seals", async (AkkaNode node, HttpContext http) =>
                Results.Ok((await new JournalChain(JournalDatabase.From(node.Settings.Storage)).SealsAsync(http.RequestAborted)).Reverse().Select(SealFile.From).ToList()))
            .Describe("listSeals", "The seals of the journal, newest first: each the Merkle root over every stream's head, as exported")
            .Produces<List<SealFile>>().Allow(Roles.Auditor, Roles.Admin);
        audit.MapPost("/seals", async (HttpContext http, AkkaNode node, ApiSettings settings) =>
        {
            var (context, problem) = Caller.From(http);
            if (problem is not null)
                return problem;
            Sealed reply;
            try
            {
                reply = await node.ChainKeeper.Ask<Sealed>(new SealNow(context!.Actor), settings.AskTimeout * 4, http.RequestAborted);
            }
            catch (AskTimeoutException)
            {
                return Problems.Unavailable("the chain keeper did not answer in time; the seal may still be written (GET /audit/seals)", 5);
            }
            return reply.Seal is { } seal
                ? Results.Created($"/audit/seals/{seal.SealId}", SealFile.From(seal))
                : Problems.Unavailable($"the seal could not be written: {reply.Error}", 5);
        }).Describe("sealJournal", "Chain what is written and seal the journal now; the seal is exported as configured")
            .Produces<SealFile>(201).Allow(Roles.Auditor, Roles.Admin);
        audit.MapGet("/verify", async (string? mode, AkkaNode node, HttpContext http) =>
        {
            if (mode is not (null or "full" or "incremental"))
                return Problems.Invalid("mode", "mode must be full or incremental");
            var report = await JournalVerifier.VerifyAsync(JournalDatabase.From(node.Settings.Storage), full: mode != "incremental", cancellation: http.RequestAborted);
            return Results.Ok(new VerifyView(report.Mode, report.Clean, report.Streams, report.Events, report.Unchained,
                decimal.Round((decimal)report.Elapsed.TotalSeconds, 3),
                [.. report.Breaks.Select(b => new ChainBreakView(b.PersistenceId, b.SequenceNumber, b.Kind, b.Detail))],
                [.. report.Seals.Select(s => new SealCheckView(s.SealId, s.Matches, s.Detail))]));
        }).Describe("verifyJournal", "Recompute every stream's hash chain from the journal and check the seals: the first broken link of each stream")
            .Produces<VerifyView>().Allow(Roles.Auditor, Roles.Admin);
    }
}
