using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Akka.Actor;
using Akka.Serialization;
using CreditActors.Domain.Accounts;
using CreditActors.Persistence;

namespace CreditActors.Actors.Accounts;

/// <summary>
/// JSON for the messages that cross nodes: requests to accounts and their replies. Commands, messages and events
/// inside them carry a stable kind name ("$kind"), never a CLR type name.
/// </summary>
public sealed class AccountProtocolSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int Id = 4_302;

    private static readonly Dictionary<Type, string> Manifests = new()
    {
        [typeof(AccountEnvelope)] = "account-envelope.v1",
        [typeof(Execute)] = "execute.v1",
        [typeof(CheckCredit)] = "check-credit.v1",
        [typeof(ReadAccount)] = "read-account.v1",
        [typeof(CommandOutcome)] = "command-outcome.v1",
        [typeof(CreditCheckReply)] = "credit-check-reply.v1",
        [typeof(AccountRead)] = "account-read.v1",
        [typeof(PersistenceFailed)] = "persistence-failed.v1",
        [typeof(AccountBusy)] = "account-busy.v1",
        [typeof(CommandFailed)] = "command-failed.v1",
        [typeof(SimulateRating)] = "simulate-rating.v1",
        [typeof(RatingSimulation)] = "rating-simulation.v1",
        [typeof(Rating.RatingPolicyRequest)] = "rating-policy-request.v1",
        [typeof(Rating.ReadRatingPolicies)] = "read-rating-policies.v1",
        [typeof(Rating.RatingPolicyReply)] = "rating-policy-reply.v1",
        [typeof(Runs.StartAccountRun)] = "start-rating-run.v1",
        [typeof(Runs.ReadAccountRuns)] = "read-rating-runs.v1",
        [typeof(Runs.AccountRunsReply)] = "rating-runs-reply.v1",
        [typeof(Banking.BankRequest)] = "bank-request.v1",
        [typeof(Banking.ReadBankBook)] = "read-bank-book.v1",
        [typeof(Banking.BankReply)] = "bank-reply.v1",
    };

    private static readonly Dictionary<string, Type> Types = Manifests.ToDictionary(m => m.Value, m => m.Key);

    private static readonly (Type Type, string Kind)[] Commands =
    [
        (typeof(OpenAccount), "open-account"), (typeof(UpdateProfile), "update-profile"),
        (typeof(ChangeCreditLimit), "change-credit-limit"), (typeof(ApproveCreditLimitChange), "approve-credit-limit-change"),
        (typeof(RejectCreditLimitChange), "reject-credit-limit-change"), (typeof(BlockAccount), "block-account"),
        (typeof(UnblockAccount), "unblock-account"), (typeof(CloseAccount), "close-account"),
        (typeof(PlaceHold), "place-hold"), (typeof(ReleaseHold), "release-hold"), (typeof(ExpireDueHolds), "expire-due-holds"),
        (typeof(IssueInvoice), "issue-invoice"), (typeof(ReceivePayment), "receive-payment"),
        (typeof(IssueCreditNote), "issue-credit-note"), (typeof(WriteOffInvoice), "write-off-invoice"),
        (typeof(ReviewRating), "review-rating"), (typeof(RecordExternalRating), "record-external-rating"),
        (typeof(AcceptSuggestedTier), "accept-suggested-tier"),
        (typeof(RunDunning), "run-dunning"), (typeof(DisputeInvoice), "dispute-invoice"), (typeof(ResolveDispute), "resolve-dispute"),
        (typeof(RecordPromiseToPay), "record-promise-to-pay"), (typeof(AddCollectionNote), "add-collection-note"),
        (typeof(AssignCollector), "assign-collector"), (typeof(SetContactPreferences), "set-contact-preferences"),
        (typeof(IssueStatement), "issue-statement"), (typeof(ReplyToStatement), "reply-to-statement"),
        (typeof(ResolveReconciliationItem), "resolve-reconciliation-item"), (typeof(RecordDeliveryOutcome), "record-delivery-outcome"),
        (typeof(ErasePersonalData), "erase-personal-data"),
    ];

    private static readonly (Type Type, string Kind)[] Messages =
        [(typeof(Execute), "execute"), (typeof(CheckCredit), "check-credit"), (typeof(ReadAccount), "read-account"),
            (typeof(SimulateRating), "simulate-rating")];

    private static readonly (Type Type, string Kind)[] PolicyCommands =
    [
        (typeof(Domain.Rating.ProposeRatingPolicy), "propose-rating-policy"), (typeof(Domain.Rating.ApproveRatingPolicy), "approve-rating-policy"),
        (typeof(Domain.Rating.RejectRatingPolicy), "reject-rating-policy"),
    ];

    private static readonly (Type Type, string Kind)[] BankCommands =
    [
        (typeof(Domain.Banking.ImportBankStatement), "import-bank-statement"), (typeof(Domain.Banking.DecideBankMatch), "decide-bank-match"),
        (typeof(Domain.Banking.RecordBankPosting), "record-bank-posting"), (typeof(Domain.Banking.IgnoreBankTransaction), "ignore-bank-transaction"),
    ];

    public static readonly JsonSerializerOptions Options = JournalJson.Create(Polymorphism);

    public override int Identifier => Id;

    public override string Manifest(object o) =>
        Manifests.TryGetValue(o.GetType(), out var manifest)
            ? manifest
            : throw new ArgumentException($"{o.GetType().Name} is not part of the account protocol");

    public override byte[] ToBinary(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), Options);

    public override object FromBinary(byte[] bytes, string manifest) =>
        Types.TryGetValue(manifest, out var type)
            ? JsonSerializer.Deserialize(bytes, type, Options) ?? throw new SerializationException($"'{manifest}' decoded to nothing")
            : throw new SerializationException($"Unknown account protocol manifest '{manifest}'");

    private static void Polymorphism(JsonTypeInfo typeInfo)
    {
        var derived = typeInfo.Type == typeof(AccountCommand) ? Commands
            : typeInfo.Type == typeof(IAccountMessage) ? Messages
            : typeInfo.Type == typeof(AccountEvent) ? EventCatalog.Events.Select(e => (e.Type, e.Manifest)).ToArray()
            : typeInfo.Type == typeof(Domain.Rating.RatingPolicyEvent) ? EventCatalog.PolicyEvents.Select(e => (e.Type, e.Manifest)).ToArray()
            : typeInfo.Type == typeof(Domain.Rating.RatingPolicyCommand) ? PolicyCommands
            : typeInfo.Type == typeof(Domain.Banking.BankEvent) ? EventCatalog.BankEvents.Select(e => (e.Type, e.Manifest)).ToArray()
            : typeInfo.Type == typeof(Domain.Banking.BankCommand) ? BankCommands
            : null;
        if (derived is null)
            return;
        typeInfo.PolymorphismOptions = new JsonPolymorphismOptions
        {
            TypeDiscriminatorPropertyName = "$kind",
            UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization,
        };
        foreach (var (type, kind) in derived)
            typeInfo.PolymorphismOptions.DerivedTypes.Add(new JsonDerivedType(type, kind));
    }
}
