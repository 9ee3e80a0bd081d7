using System.ComponentModel.DataAnnotations;
using CreditActors.Actors.Banking;
using CreditActors.Domain.Accounts;
using CreditActors.Domain.Banking;
using CreditActors.Host.Banking;
using CreditActors.Host.Http;
using CreditActors.Host.OpenApi;
using CreditActors.Host.Security;
using Microsoft.AspNetCore.Http.Features;

namespace CreditActors.Host.Apis;

public sealed record BankMatchPartRequestBody(
    [property: Required] string? AccountId, decimal? Amount,
    [property: MaxLength(CreditAccount.MaximumAllocations)] IReadOnlyList<AllocationRequestBody>? Allocations = null);

/// <summary>A person's match: one part posts the transaction (or what is left of it) to one account; several split it.</summary>
public sealed record BankMatchRequest(
    [property: Required, MaxLength(20)] IReadOnlyList<BankMatchPartRequestBody>? Parts,
    [property: MaxLength(CreditAccount.MaximumTextLength)] string? Comment = null);

public sealed record BankIgnoreRequest([property: Required, MaxLength(CreditAccount.MaximumTextLength)] string? Reason);

public sealed record BankFigureView(int Count, decimal Amount);

public sealed record BankImportView(
    string ImportId, string Format, string? FileName, string StatementAccount, string Currency, DateTimeOffset ImportedAt, string ImportedBy,
    int Transactions, int Repeated, BankFigureView Total, BankFigureView AutoMatched, BankFigureView ManuallyMatched, BankFigureView Posting,
    BankFigureView Unmatched, BankFigureView Ignored);

public sealed record BankAllocationView(string InvoiceNumber, int? Line, decimal Amount);

public sealed record BankPaymentView(string PaymentReference, string AccountId, decimal Amount, IReadOnlyList<BankAllocationView> Allocations, string Status,
    string? Problem);

public sealed record BankProposalView(string AccountId, IReadOnlyList<BankAllocationView> Allocations, string Rule, decimal Confidence, bool Ambiguous, string? Note);

public sealed record BankTransactionView(
    string BankReference, string ImportId, DateOnly BookingDate, decimal Amount, string Currency, string? PayerName, string? PayerAccount,
    string? RemittanceText, string Status, decimal Remaining, string? Rule, decimal? Confidence, string? Note, string? MatchedBy,
    DateTimeOffset? MatchedAt, IReadOnlyList<BankPaymentView> Payments, string? Problem, string? IgnoredReason, string? IgnoredBy,
    BankProposalView? Proposal);

public sealed record BankDryRunLineView(
    string BankReference, DateOnly BookingDate, decimal Amount, string? PayerName, string? RemittanceText, string Outcome, BankProposalView? Proposal);

public sealed record BankDryRunView(
    string Format, string StatementAccount, string Currency, int DebitsLeftOut, BankFigureView WouldPost, BankFigureView WouldPropose,
    BankFigureView Unmatched, int Repeated, IReadOnlyList<BankDryRunLineView> Transactions);

public sealed record PayerAccountView(string PayerAccount, string AccountId);

/// <summary>
/// Bank reconciliation: bank statement files in (camt.053 XML, CSV by profile), each transaction once by its bank
/// reference; confident matches posted as payments, the rest in a queue that finance matches, splits or ignores.
/// </summary>
public static class BankApi
{
    private static readonly string[] Writers = [Roles.Finance];
    private static readonly string[] Readers = [Roles.Finance, Roles.Auditor, Roles.CreditManager];

    public static void MapBankApi(this WebApplication app)
    {
        var bank = app.MapGroup("/bank").WithTags("Bank reconciliation");
        bank.MapPost("/imports", (string? profile, string? fileName, HttpContext http, BankReconciler bank) => ImportAsync(profile, fileName, http, bank, dryRun: false))
            .Describe("importBankStatement",
                "Import a bank statement file (camt.053 as application/xml, or CSV as text/csv with a profile): new transactions are matched and confident matches posted")
            .WithContract(new ContractMetadata(BankFile: true))
            .Produces<BankImportView>(201).Produces<BankImportView>().Allow(Writers);
        bank.MapPost("/imports/dry-run", (string? profile, string? fileName, HttpContext http, BankReconciler bank) => ImportAsync(profile, fileName, http, bank, dryRun: true))
            .Describe("dryRunBankStatement", "What importing the file would post, propose and leave unmatched; writes nothing")
            .WithContract(new ContractMetadata(BankFile: true))
            .Produces<BankDryRunView>().Allow(Writers);
        bank.MapGet("/imports", async (HttpContext http, BankReconciler bank) =>
                await bank.AskAsync(new ReadBankBook(), http.RequestAborted) is { } reply
                    ? Results.Ok(reply.Book.ImportOrder.Reverse().Select(id => ImportView(reply.Book.Report(id))).ToList())
                    : Problems.Unavailable("the bank book did not answer in time"))
            .Describe("listBankImports", "The bank files imported, newest first, each with what became of its transactions")
            .Produces<List<BankImportView>>().Allow(Readers);
        bank.MapGet("/imports/{importId}", async (string importId, HttpContext http, BankReconciler bank) =>
                await bank.AskAsync(new ReadBankBook(), http.RequestAborted) is not { } reply ? Problems.Unavailable("the bank book did not answer in time")
                : reply.Book.Imports.ContainsKey(importId) ? Results.Ok(ImportView(reply.Book.Report(importId)))
                : Problems.NotFound("bank_import_not_found", $"bank import {importId} does not exist"))
            .Describe("getBankImport", "An import's report: counts and amounts matched by the rules, matched by hand, unmatched, ignored")
            .Produces<BankImportView>().Allow(Readers);
        bank.MapGet("/transactions", ListAsync)
            .Describe("listBankTransactions", "Bank transactions, oldest first; status=unmatched is the queue, each with what the rules propose")
            .Produces<List<BankTransactionView>>().Allow(Readers);
        bank.MapGet("/transactions/{bankReference}", async (string bankReference, HttpContext http, BankReconciler bank) =>
                await bank.AskAsync(new ReadBankBook(), http.RequestAborted) is not { } reply ? Problems.Unavailable("the bank book did not answer in time")
                : reply.Book.Entries.TryGetValue(bankReference, out var entry)
                    ? Results.Ok(TransactionView(entry, (await bank.ProposalsAsync(reply.Book, [entry], http.RequestAborted)).GetValueOrDefault(bankReference)))
                    : Problems.NotFound("bank_transaction_not_found", $"bank transaction {bankReference} does not exist"))
            .Describe("getBankTransaction", "One bank transaction: its payments and their state, or what the rules propose for it")
            .Produces<BankTransactionView>().Allow(Readers);
        bank.MapPost("/transactions/{bankReference}/match", MatchAsync)
            .Describe("matchBankTransaction", "Match a transaction by hand to one account, or split it over several; posted at once")
            .Command<BankMatchRequest>().Produces<BankTransactionView>().Allow(Writers);
        bank.MapPost("/transactions/{bankReference}/ignore", IgnoreAsync)
            .Describe("ignoreBankTransaction", "Take a transaction (or what is left of it) off the queue: not a customer's payment")
            .Command<BankIgnoreRequest>().Produces<BankTransactionView>().Allow(Writers);
        bank.MapGet("/payer-accounts", async (HttpContext http, BankReconciler bank) =>
                await bank.AskAsync(new ReadBankBook(), http.RequestAborted) is { } reply
                    ? Results.Ok(reply.Book.PayerAccounts.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new PayerAccountView(p.Key, p.Value)).ToList())
                    : Problems.Unavailable("the bank book did not answer in time"))
            .Describe("listPayerAccounts", "The payers' bank accounts learnt from matches made by hand, and the customer each belongs to")
            .Produces<List<PayerAccountView>>().Allow(Readers);
    }

    private static async Task<IResult> ImportAsync(string? profile, string? fileName, HttpContext http, BankReconciler bank, bool dryRun)
    {
        var (file, problem) = await ReadFileAsync(profile, http, bank.Settings);
        if (problem is not null)
            return problem;
        if (fileName is { Length: > 200 })
            return Problems.Invalid("fileName", "fileName must be at most 200 characters");
        if (dryRun)
        {
            if (await bank.DryRunAsync(file!, http.RequestAborted) is not { } outcomes)
                return Problems.Unavailable("the bank book did not answer in time");
            BankFigureView Of(string outcome) =>
                new(outcomes.Count(o => o.Outcome == outcome), outcomes.Where(o => o.Outcome == outcome).Sum(o => o.Transaction.Amount));
            return Results.Ok(new BankDryRunView(file!.Format, file.StatementAccount, file.Currency, file.DebitsLeftOut, Of(BankReconciler.WouldPost),
                Of(BankReconciler.WouldPropose), Of(BankReconciler.WouldWait), outcomes.Count(o => o.Outcome == BankReconciler.Repeated),
                [.. outcomes.Select(o => new BankDryRunLineView(o.Transaction.BankReference, o.Transaction.BookingDate, o.Transaction.Amount,
                    o.Transaction.PayerName, o.Transaction.RemittanceText, o.Outcome, ProposalView(o.Proposal)))]));
        }
        var (context, callerProblem) = Caller.From(http);
        if (callerProblem is not null)
            return callerProblem;
        var (reply, importId, isNew) = await bank.ImportAsync(file!, fileName, context!, http.RequestAborted);
        if (reply is null)
            return Problems.Unavailable("the bank book did not answer in time; import the file again: nothing is taken twice");
        if (reply.Rejection is { } rejection)
            return Problems.From(rejection);
        var view = ImportView(reply.Book.Report(importId));
        return isNew ? Results.Created($"/bank/imports/{importId}", view) : Results.Ok(view);
    }

    /// <summary>The body as a bank file: camt.053 for XML, CSV by the named profile; any fault refuses the whole file.</summary>
    private static async Task<(BankStatementFile? File, IResult? Problem)> ReadFileAsync(string? profile, HttpContext http, BankSettings settings)
    {
        var request = http.Request;
        var type = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        var xml = type is "application/xml" or "text/xml";
        if (!xml && type != "text/csv")
            return (null, Problems.Create(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", "Unsupported media type",
                "send a camt.053 statement as application/xml, or a CSV export as text/csv with ?profile=", "Content-Type"));
        CsvProfile? csvProfile = null;
        if (!xml && (profile is null || !settings.Profiles.TryGetValue(profile, out csvProfile)))
            return (null, Problems.Invalid("profile", profile is null
                ? $"a CSV file needs ?profile= naming how the bank's columns read: one of {string.Join(", ", settings.Profiles.Keys)}"
                : $"profile {profile} is not configured; the profiles are {string.Join(", ", settings.Profiles.Keys)}"));
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = settings.MaxFileBytes;
        byte[] content;
        try
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, http.RequestAborted);
            content = buffer.ToArray();
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Problems.TooLarge(settings.MaxFileBytes));
        }
        if (content.Length == 0)
            return (null, Problems.Invalid("body", "the body is empty: send the bank statement file"));
        if (content.Length > settings.MaxFileBytes)
            return (null, Problems.TooLarge(settings.MaxFileBytes));
        try
        {
            return (xml ? BankStatementFiles.ReadCamt053(content) : BankStatementFiles.ReadCsv(content, csvProfile!), null);
        }
        catch (BankFileException e)
        {
            return (null, Problems.Invalid(e.Field, e.Message));
        }
    }

    private static async Task<IResult> ListAsync(string? status, string? importId, HttpContext http, BankReconciler bank)
    {
        if (status is not (null or BankStatuses.Unmatched or BankStatuses.Posting or BankStatuses.Matched or BankStatuses.Ignored))
            return Problems.Invalid("status", "status must be unmatched, posting, matched or ignored");
        if (await bank.AskAsync(new ReadBankBook(), http.RequestAborted) is not { } reply)
            return Problems.Unavailable("the bank book did not answer in time");
        if (importId is not null && !reply.Book.Imports.ContainsKey(importId))
            return Problems.NotFound("bank_import_not_found", $"bank import {importId} does not exist");
        var entries = reply.Book.InOrder.Where(e => (status is null || e.Status == status) && (importId is null || e.ImportId == importId)).ToList();
        var proposals = await bank.ProposalsAsync(reply.Book, entries, http.RequestAborted);
        return Results.Ok(entries.Select(e => TransactionView(e, proposals.GetValueOrDefault(e.Transaction.BankReference))).ToList());
    }

    private static async Task<IResult> MatchAsync(string bankReference, HttpContext http, BankReconciler bank)
    {
        var (body, problem) = await JsonBody.ReadAsync<BankMatchRequest>(http.Request);
        if (problem is not null)
            return problem;
        problem = Required.Missing(("parts", body!.Parts));
        for (var i = 0; problem is null && i < body.Parts!.Count; i++)
        {
            problem = Required.Missing(($"parts[{i}].accountId", body.Parts[i]?.AccountId));
            for (var j = 0; problem is null && j < (body.Parts[i].Allocations?.Count ?? 0); j++)
                problem = Required.Missing(($"parts[{i}].allocations[{j}].invoiceNumber", body.Parts[i].Allocations![j]?.InvoiceNumber),
                    ($"parts[{i}].allocations[{j}].amount", body.Parts[i].Allocations![j]?.Amount));
        }
        if (problem is not null)
            return problem;
        var (context, callerProblem) = Caller.From(http);
        if (callerProblem is not null)
            return callerProblem;
        if (await bank.AskAsync(new ReadBankBook(), http.RequestAborted) is not { } current)
            return Problems.Unavailable("the bank book did not answer in time");
        if (!current.Book.Entries.TryGetValue(bankReference, out var entry))
            return Problems.NotFound("bank_transaction_not_found", $"bank transaction {bankReference} does not exist");
        if (body.Parts!.Count > 1 && body.Parts.Any(p => p.Amount is null))
            return Problems.Invalid("parts", "a split names the amount of every part");
        var parts = body.Parts.Select(p => new BankPartRequest(p.AccountId!, p.Amount ?? entry.Remaining,
            p.Allocations?.Select(a => new RemittanceLine(a.InvoiceNumber!, a.Line, a.Amount!.Value)).ToList() ?? [])).ToList();
        var reply = await bank.MatchAsync(bankReference, parts, body.Comment, context!, http.RequestAborted);
        return Answer(reply, bankReference);
    }

    private static async Task<IResult> IgnoreAsync(string bankReference, HttpContext http, BankReconciler bank)
    {
        var (body, problem) = await JsonBody.ReadAsync<BankIgnoreRequest>(http.Request);
        if (problem is not null)
            return problem;
        if ((problem = Required.Missing(("reason", body!.Reason))) is not null)
            return problem;
        var (context, callerProblem) = Caller.From(http);
        if (callerProblem is not null)
            return callerProblem;
        return Answer(await bank.AskAsync(new BankRequest(new IgnoreBankTransaction(bankReference, body.Reason!), context!.Actor), http.RequestAborted),
            bankReference);
    }

    private static IResult Answer(BankReply? reply, string bankReference) =>
        reply is null ? Problems.Unavailable("the bank book did not answer in time; send the same request again")
        : reply.Rejection is { } rejection ? Problems.From(rejection)
        : Results.Ok(TransactionView(reply.Book.Entries[bankReference], null));

    private static BankFigureView Figure(BankFigure f) => new(f.Count, f.Amount);

    public static BankImportView ImportView(BankImportReport r) =>
        new(r.Import.ImportId, r.Import.Format, r.Import.FileName, r.Import.StatementAccount, r.Import.Currency, r.Import.At, r.Import.By, r.Transactions,
            r.Repeated, Figure(r.Total), Figure(r.AutoMatched), Figure(r.ManuallyMatched), Figure(r.Posting), Figure(r.Unmatched), Figure(r.Ignored));

    private static BankProposalView? ProposalView(MatchProposal? p) =>
        p is null ? null : new BankProposalView(p.AccountId, [.. p.Allocations.Select(a => new BankAllocationView(a.InvoiceNumber, a.Line, a.Amount))],
            p.Rule, p.Confidence, p.Ambiguous, p.Note);

    public static BankTransactionView TransactionView(BankEntry e, MatchProposal? proposal)
    {
        var t = e.Transaction;
        return new BankTransactionView(t.BankReference, e.ImportId, t.BookingDate, t.Amount, t.Currency, t.PayerName, t.PayerAccount, t.RemittanceText,
            e.Status, e.Status == BankStatuses.Ignored ? 0m : e.Remaining, e.Rule, e.Confidence, e.Note, e.MatchedBy, e.MatchedAt,
            [.. e.Parts.Select(p => new BankPaymentView(p.PaymentReference, p.AccountId, p.Amount,
                [.. p.Allocations.Select(a => new BankAllocationView(a.InvoiceNumber, a.Line, a.Amount))],
                e.Posted.ContainsKey(p.PaymentReference) ? "posted" : e.Refused.ContainsKey(p.PaymentReference) ? "refused" : "pending",
                e.Refused.GetValueOrDefault(p.PaymentReference)))],
            e.Problem, e.IgnoredReason, e.IgnoredBy, e.Status == BankStatuses.Unmatched ? ProposalView(proposal) : null);
    }
}
