using CreditActors.Actors.Accounts;
using CreditActors.Domain.Accounts;
using CreditActors.Host.Http;
using CreditActors.Host.OpenApi;
using CreditActors.Host.Security;

namespace CreditActors.Host.Apis;

/// <summary>The receivables ledger of an account: invoices, payments, credit notes and write-offs.</summary>
public static class LedgerApi
{
    public static void MapLedgerApi(this IEndpointRouteBuilder app)
    {
        var accounts = app.MapGroup("/accounts/{accountId}").WithTags("Ledger");

        accounts.MapPost("/invoices", IssueInvoiceAsync).Describe("issueInvoice", "Record an invoice, in one line or in installments; may capture a hold")
            .Command<IssueInvoiceRequest>().Produces<InvoiceView>(201).Produces<InvoiceView>().Allow(Roles.OrderSystem, Roles.Finance);
        accounts.MapGet("/invoices", (string accountId, string? asOf, string? knownAt, HttpContext http, AccountClient accounts) =>
            accounts.ViewAsync(http, accountId, AccountReadKind.Invoices, null, read => Results.Ok(read.Invoices
                .OrderBy(i => i.IssueDate).ThenBy(i => i.InvoiceNumber, StringComparer.Ordinal).Select(Views.Invoice).ToList())))
            .Describe("listInvoices", "Every invoice with its lines: paid, credited, discounted, written off, open")
            .Produces<List<InvoiceView>>().Allow(Roles.Readers);
        accounts.MapGet("/invoices/{invoiceNumber}", (string accountId, string invoiceNumber, string? asOf, string? knownAt, HttpContext http, AccountClient accounts) =>
            accounts.ViewAsync(http, accountId, AccountReadKind.Invoices, invoiceNumber, read => AccountClient.Item(read.Invoices, invoiceNumber, "invoice",
                Views.Invoice)))
            .Describe("getInvoice", "One invoice with its lines").Produces<InvoiceView>().Allow(Roles.Readers);

        accounts.MapPost("/payments", ReceivePaymentAsync).Describe("receivePayment", "Record a payment, applied as remitted or to the oldest lines")
            .Command<ReceivePaymentRequest>().Produces<PaymentView>(201).Produces<PaymentView>().Allow(Roles.Finance);
        accounts.MapGet("/payments", (string accountId, string? asOf, string? knownAt, HttpContext http, AccountClient accounts) =>
            accounts.ViewAsync(http, accountId, AccountReadKind.Payments, null,
                read => Results.Ok(read.Payments.OrderBy(p => p.ReceivedDate).Select(Views.Payment).ToList())))
            .Describe("listPayments", "Every payment, applied and unapplied")
            .Produces<List<PaymentView>>().Allow(Roles.Finance, Roles.CreditManager, Roles.Auditor, Roles.Analyst);
        accounts.MapGet("/payments/{paymentReference}", (string accountId, string paymentReference, string? asOf, string? knownAt, HttpContext http, AccountClient accounts) =>
            accounts.ViewAsync(http, accountId, AccountReadKind.Payments, paymentReference, read => AccountClient.Item(read.Payments, paymentReference,
                "payment", Views.Payment)))
            .Describe("getPayment", "One payment and where it was applied")
            .Produces<PaymentView>().Allow(Roles.Finance, Roles.CreditManager, Roles.Auditor, Roles.Analyst);

        accounts.MapPost("/credit-notes", IssueCreditNoteAsync).Describe("issueCreditNote", "Reduce what an invoice asks, oldest-due lines first")
            .Command<CreditNoteRequest>().Produces<CreditNoteView>(201).Produces<CreditNoteView>().Allow(Roles.Finance);
        accounts.MapPost("/write-offs", WriteOffAsync).Describe("writeOff", "Write off what is open on an invoice, or part of it")
            .Command<WriteOffRequest>().Produces<WriteOffView>(201).Produces<WriteOffView>().Allow(Roles.Finance);
    }

    private static async Task<IResult> IssueInvoiceAsync(string accountId, HttpContext http, AccountClient accounts)
    {
        var (body, problem) = await JsonBody.ReadAsync<IssueInvoiceRequest>(http.Request);
        if (problem is not null)
            return problem;
        problem = Required.Missing(("invoiceNumber", body!.InvoiceNumber), ("amount", body.Amount), ("issueDate", body.IssueDate));
        for (var i = 0; problem is null && i < (body.Installments?.Count ?? 0); i++)
            problem = Required.Missing(($"installments[{i}].dueDate", body.Installments![i]?.DueDate), ($"installments[{i}].amount",
                body.Installments[i]?.Amount));
        if (problem is null && body.Discount is { } discount)
            problem = Required.Missing(("discount.percent", discount.Percent), ("discount.withinDays", discount.WithinDays));
        if (problem is not null)
            return problem;

        var command = new IssueInvoice(body.InvoiceNumber!, body.Amount!.Value, body.IssueDate!.Value, body.DueDate,
            body.Installments?.Select(l => new InstallmentRequest(l.DueDate!.Value, l.Amount!.Value)).ToList(),
            body.Discount is { } d ? new DiscountTerms(d.Percent!.Value, d.WithinDays!.Value) : null,
            body.HoldId);
        return await accounts.RunAsync(http, accountId, command, o => Views.Invoice(o.Invoice!),
            $"/accounts/{accountId}/invoices/{body.InvoiceNumber}");
    }

    private static async Task<IResult> ReceivePaymentAsync(string accountId, HttpContext http, AccountClient accounts)
    {
        var (body, problem) = await JsonBody.ReadAsync<ReceivePaymentRequest>(http.Request);
        if (problem is not null)
            return problem;
        problem = Required.Missing(("paymentReference", body!.PaymentReference), ("amount", body.Amount), ("receivedDate", body.ReceivedDate));
        for (var i = 0; problem is null && i < (body.Allocations?.Count ?? 0); i++)
            problem = Required.Missing(($"allocations[{i}].invoiceNumber", body.Allocations![i]?.InvoiceNumber),
                ($"allocations[{i}].amount", body.Allocations[i]?.Amount));
        if (problem is not null)
            return problem;

        var command = new ReceivePayment(body.PaymentReference!, body.Amount!.Value, body.ReceivedDate!.Value,
            body.Allocations?.Select(a => new RemittanceLine(a.InvoiceNumber!, a.Line, a.Amount!.Value)).ToList());
        return await accounts.RunAsync(http, accountId, command, o => Views.Payment(o.Payment!),
            $"/accounts/{accountId}/payments/{body.PaymentReference}");
    }

    private static async Task<IResult> IssueCreditNoteAsync(string accountId, HttpContext http, AccountClient accounts)
    {
        var (body, problem) = await JsonBody.ReadAsync<CreditNoteRequest>(http.Request);
        if (problem is not null)
            return problem;
        problem = Required.Missing(("creditNoteNumber", body!.CreditNoteNumber), ("invoiceNumber", body.InvoiceNumber),
            ("amount", body.Amount), ("reason", body.Reason));
        if (problem is not null)
            return problem;
        var command = new IssueCreditNote(body.CreditNoteNumber!, body.InvoiceNumber!, body.Amount!.Value, body.Reason!, body.Line, body.EffectiveDate);
        return await accounts.RunAsync(http, accountId, command, o => Views.CreditNote(o.CreditNote!, o.Invoice!),
            $"/accounts/{accountId}/invoices/{body.InvoiceNumber}");
    }

    private static async Task<IResult> WriteOffAsync(string accountId, HttpContext http, AccountClient accounts)
    {
        var (body, problem) = await JsonBody.ReadAsync<WriteOffRequest>(http.Request);
        if (problem is not null)
            return problem;
        problem = Required.Missing(("writeOffId", body!.WriteOffId), ("invoiceNumber", body.InvoiceNumber), ("reason", body.Reason));
        if (problem is not null)
            return problem;
        var command = new WriteOffInvoice(body.WriteOffId!, body.InvoiceNumber!, body.Line, body.Amount, body.Reason!, body.EffectiveDate);
        return await accounts.RunAsync(http, accountId, command, o => Views.WriteOff(o.WriteOff!, o.Invoice!),
            $"/accounts/{accountId}/invoices/{body.InvoiceNumber}");
    }
}
