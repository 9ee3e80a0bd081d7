using System.Text.Json.Nodes;
using CreditActors.Host.Apis;

namespace CreditActors.Host.OpenApi;

/// <summary>An example body for every request, as an integrator would send it.</summary>
public static class RequestExamples
{
    private static readonly Dictionary<Type, string> Examples = new()
    {
        [typeof(OpenAccountRequest)] = """
            {"accountId":"ACME-001","name":"Shanghai Acme Trading","currency":"CNY","creditLimit":50000,"paymentTermsDays":30,
             "contact":"Li Wei","email":"ar@acme.example","tier":"standard","timeZone":"Asia/Shanghai"}
            """,
        [typeof(UpdateProfileRequest)] = """{"phone":"+86 21 5555 0100","tier":"strategic"}""",
        [typeof(CreditLimitRequest)] = """{"creditLimit":80000,"reason":"annual review: two years paying on time"}""",
        [typeof(ErasureRequest)] = """{"reason":"data subject request DSR-2026-0042 under PIPL article 47: the contract has ended"}""",
        [typeof(BlockRequest)] = """{"reason":"cheque returned unpaid"}""",
        [typeof(ReasonRequest)] = """{"reason":"order cancelled by the customer"}""",
        [typeof(CreditCheckRequest)] = """{"amount":12000}""",
        [typeof(PlaceHoldRequest)] = """{"holdId":"SO-1001","amount":12000,"orderReference":"SO-1001","expiresAt":"2026-12-08T00:00:00Z"}""",
        [typeof(IssueInvoiceRequest)] = """
            {"invoiceNumber":"INV-2026-0001","amount":12000,"issueDate":"2026-11-23","holdId":"SO-1001",
             "discount":{"percent":2,"withinDays":10}}
            """,
        [typeof(ReceivePaymentRequest)] = """
            {"paymentReference":"BANK-7781","amount":11760,"receivedDate":"2026-11-30",
             "allocations":[{"invoiceNumber":"INV-2026-0001","amount":11760}]}
            """,
        [typeof(CreditNoteRequest)] = """{"creditNoteNumber":"CN-2026-0007","invoiceNumber":"INV-2026-0001","amount":500,"reason":"damaged in transit"}""",
        [typeof(WriteOffRequest)] = """{"writeOffId":"WO-2026-0003","invoiceNumber":"INV-2026-0001","reason":"customer in liquidation"}""",
        [typeof(ApprovalRequest)] = """{"comment":"bank guarantee on file"}""",
        [typeof(RejectionRequest)] = """{"reason":"made against the old limit; ask again"}""",
        [typeof(ExternalRatingRequest)] = """{"agency":"Dagong","grade":"AA-","score":72,"reportDate":"2026-11-20","reference":"DG-2026-11-0415"}""",
        [typeof(ProposePolicyRequest)] = $$"""{"policy":{{Domain.Rating.RatingPolicyDocument.Write(Domain.Rating.RatingPolicyDocument.Standard with { Version = 2, Description = "Payment behaviour weighs more" })}},"reason":"two years of data say payment behaviour predicts default best"}""",
        [typeof(DisputeRequest)] = """{"disputeId":"DSP-2026-0007","amount":1200.00,"reason":"pricing","line":1,"comment":"unit price above the contract"}""",
        [typeof(DisputeResolutionRequest)] = """{"resolution":"credited","reference":"CN-2026-0031","comment":"price corrected to the contract"}""",
        [typeof(PromiseRequest)] = """{"promiseId":"PTP-2026-0012","amount":5000.00,"promisedDate":"2026-12-15","invoiceNumbers":["INV-2026-0001"],"comment":"after their own customer pays"}""",
        [typeof(CollectionNoteRequest)] = """{"noteId":"CALL-2026-0140","kind":"call","summary":"Spoke to Li Wei in accounts payable","outcome":"promised 5,000 by the 15th","nextStepDate":"2026-12-16","nextStep":"check the bank statement"}""",
        [typeof(ContactPreferencesRequest)] = """{"language":"zh","email":"ap@acme.example","monthlyStatements":true,"confirmation":"confirmation"}""",
        [typeof(BankMatchRequest)] = """
            {"parts":[{"accountId":"ACME-001","amount":5000.00,"allocations":[{"invoiceNumber":"INV-2026-0001","amount":5000.00}]},
             {"accountId":"ACME-002","amount":777.00}],"comment":"one transfer for two companies of the same group, as their letter says"}
            """,
        [typeof(BankIgnoreRequest)] = """{"reason":"refund of an insurance premium, not a customer's payment"}""",
        [typeof(IssueStatementRequest)] = """{"from":"2026-11-01","to":"2026-11-30","confirmation":"confirmation"}""",
        [typeof(ReconciliationRequest)] = """{"resolution":"payment-found","reference":"BANK-2026-1130-07","comment":"reached the bank on 30 November, posted on 1 December"}""",
        [typeof(ConfirmationReplyRequest)] = """{"answer":"disagree","theirBalance":7500.00,"items":[{"document":"BANK-1130","amount":-500.00,"note":"paid on 30 November"}],"respondent":"Li Wei"}""",
        [typeof(CollectorRequest)] = """{"collector":"zhao.min"}""",
        [typeof(StartRunRequest)] = """{"reason":"month-end review before the credit committee"}""",
        [typeof(BacktestRequest)] = """
            {"candidate":{"policyId":"standard","version":2},"from":"2024-12-31","to":"2026-11-30","step":"month",
             "outcome":{"daysPastDue":90,"horizonMonths":12},"accounts":{"currency":"CNY"}}
            """,
        [typeof(SimulationRequest)] = """{"accountIds":["ACME-001","BETA-002"],"policyId":"standard","version":2}""",
    };

    public static JsonNode? For(Type requestType) => Examples.TryGetValue(requestType, out var json) ? JsonNode.Parse(json) : null;

    public static IEnumerable<Type> Types => Examples.Keys;
}
