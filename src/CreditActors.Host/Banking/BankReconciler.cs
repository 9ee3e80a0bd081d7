using Akka.Actor;
using CreditActors.Actors.Accounts;
using CreditActors.Actors.Banking;
using CreditActors.Domain.Accounts;
using CreditActors.Domain.Aging;
using CreditActors.Domain.Banking;
using CreditActors.Host.Cluster;
using CreditActors.Host.Http;
using CreditActors.Projections.Aging;

namespace CreditActors.Host.Banking;

/// <summary>What matching would do with one transaction of a file (a dry run), or proposes for one in the queue.</summary>
public sealed record BankOutcome(BankTransaction Transaction, string Outcome, MatchProposal? Proposal);

/// <summary>
/// Takes bank statement files in and posts what they pay: records the file in the bank book (each bank reference once),
/// matches each new transaction against the customers' open lines with <see cref="BankMatching"/>, records the decision,
/// then posts each payment to its account with the same idempotent command as the API (reference = the bank's). Because the
/// decision is recorded before the payment is posted, a crash anywhere and a second import post each payment exactly once.
/// </summary>
public sealed class BankReconciler(AkkaNode node, ApiSettings api, BankSettings settings, AgingQueries aging, TimeProvider clock, ILogger<BankReconciler> logger)
{
    public const string WouldPost = "would-post";
    public const string WouldPropose = "would-propose";
    public const string WouldWait = "unmatched";
    public const string Repeated = "repeated";

    public BankSettings Settings => settings;

    /// <summary>The book's answer, or null when it did not answer in time.</summary>
    public async Task<BankReply?> AskAsync(object message, CancellationToken cancellation = default)
    {
        try
        {
            return await node.BankBook.Ask<BankReply>(message, api.AskTimeout, cancellation);
        }
        catch (Exception e) when (e is AskTimeoutException or Actors.WriteFailedException)
        {
            return null;
        }
    }

    /// <summary>
    /// Records the file and posts what it pays; a file taken before resumes where it stopped. <c>New</c>: this file was not
    /// taken before (an import was recorded now).
    /// </summary>
    public async Task<(BankReply? Reply, string ImportId, bool New)> ImportAsync(BankStatementFile file, string? fileName, CommandContext context, CancellationToken cancellation)
    {
        var importId = $"{file.Format.Replace('.', '-')}-{file.ContentHash[..20]}";
        var reply = await AskAsync(new BankRequest(new ImportBankStatement(importId, file.Format, fileName, file.ContentHash, file.StatementAccount,
            file.Currency, file.Credits), context.Actor), cancellation);
        if (reply is null || reply.Rejection is not null)
            return (reply, importId, false);
        // The file's own transactions, and those it repeats that an earlier, interrupted import left unfinished.
        var references = reply.Book.Imports[importId].References
            .Concat(file.Credits.Select(c => c.BankReference).Where(r => reply.Book.Entries.TryGetValue(r, out var e) && e.Status != BankStatuses.Matched))
            .Distinct(StringComparer.Ordinal).ToList();
        return (await ProcessAsync(reply.Book, references, context, cancellation) ?? reply, importId, reply.Written.Count > 0);
    }

    /// <summary>What the file would post, propose and leave waiting, without writing anything.</summary>
    public async Task<IReadOnlyList<BankOutcome>?> DryRunAsync(BankStatementFile file, CancellationToken cancellation)
    {
        if (await AskAsync(new ReadBankBook(), cancellation) is not { } reply)
            return null;
        var open = await OpenItemsAsync(reply.Book, file.Currency, cancellation);
        var live = new HashSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var outcomes = new List<BankOutcome>();
        foreach (var t in file.Credits)
        {
            if (reply.Book.Entries.ContainsKey(t.BankReference) || !seen.Add(t.BankReference))
            {
                outcomes.Add(new BankOutcome(t, Repeated, null));
                continue;
            }
            var proposal = await MatchAsync(t, open, live, reply.Book, cancellation);
            var posts = Confident(proposal);
            if (posts)
                Take(open, proposal!);
            outcomes.Add(new BankOutcome(t, posts ? WouldPost : proposal is null ? WouldWait : WouldPropose, proposal));
        }
        return outcomes;
    }

    /// <summary>What the rules propose for a transaction waiting in the queue (never posted by itself).</summary>
    public async Task<IReadOnlyDictionary<string, MatchProposal>> ProposalsAsync(BankBook book, IReadOnlyList<BankEntry> entries, CancellationToken cancellation)
    {
        var proposals = new Dictionary<string, MatchProposal>(StringComparer.Ordinal);
        foreach (var currency in entries.Where(e => e.Status == BankStatuses.Unmatched).GroupBy(e => e.Transaction.Currency))
        {
            var open = await OpenItemsAsync(book, currency.Key, cancellation);
            var live = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in currency)
                if (await MatchAsync(entry.Transaction with { Amount = entry.Remaining }, open, live, book, cancellation) is { } p)
                    proposals[entry.Transaction.BankReference] = p;
        }
        return proposals;
    }

    /// <summary>A person's match (or split): recorded, then posted.</summary>
    public async Task<BankReply?> MatchAsync(string bankReference, IReadOnlyList<BankPartRequest> parts, string? note, CommandContext context,
        CancellationToken cancellation)
    {
        var reply = await AskAsync(new BankRequest(new DecideBankMatch(bankReference, parts, BankBook.ManualRule, 1m, note, Manual: true), context.Actor), cancellation);
        if (reply is null || reply.Rejection is not null)
            return reply;
        return await ProcessAsync(reply.Book, [bankReference], context, cancellation) ?? reply;
    }

    /// <summary>
    /// Decides the undecided transactions the rules are confident of, and posts every pending payment among them.
    /// Null when the book stopped answering (what is recorded stays; the next import or match goes on from there).
    /// </summary>
    private async Task<BankReply?> ProcessAsync(BankBook book, IReadOnlyList<string> references, CommandContext context, CancellationToken cancellation)
    {
        BankReply? last = null;
        var open = new Dictionary<string, List<OpenItem>>(StringComparer.Ordinal);
        var live = new HashSet<string>(StringComparer.Ordinal);
        foreach (var reference in references)
        {
            var entry = book.Entries[reference];
            if (entry.Parts.Count == 0 && entry.IgnoredReason is null)
            {
                var currency = entry.Transaction.Currency;
                if (!open.TryGetValue(currency, out var items))
                    open[currency] = items = await OpenItemsAsync(book, currency, cancellation);
                var proposal = await MatchAsync(entry.Transaction, items, live, book, cancellation);
                if (Confident(proposal))
                {
                    var part = new BankPartRequest(proposal!.AccountId, entry.Transaction.Amount,
                        [.. proposal.Allocations.Select(a => new RemittanceLine(a.InvoiceNumber, a.Line, a.Amount))]);
                    if (await AskAsync(new BankRequest(new DecideBankMatch(reference, [part], proposal.Rule, proposal.Confidence, proposal.Note, Manual: false),
                            context.Actor), cancellation) is not { } decided)
                        return null;
                    (last, book) = (decided, decided.Book);
                    Take(items, proposal);
                }
            }
            foreach (var pending in book.Entries[reference].Pending.ToList())
            {
                var outcome = await PostAsync(book.Entries[reference], pending, context, cancellation);
                if (outcome is null)
                    continue; // the account did not answer: the part stays pending for the next attempt
                if (await AskAsync(new BankRequest(outcome, context.Actor), cancellation) is not { } recorded)
                    return null;
                (last, book) = (recorded, recorded.Book);
            }
        }
        return last;
    }

    /// <summary>
    /// The rules over the read model's lines; the customer they point to then has its lines read from its account (the
    /// read model may not have the latest payments yet), and the rules run again until the customer they choose is one
    /// read live. <paramref name="live"/>: the accounts whose lines in <paramref name="items"/> are already live.
    /// </summary>
    private async Task<MatchProposal?> MatchAsync(BankTransaction t, List<OpenItem> items, HashSet<string> live, BankBook book, CancellationToken cancellation)
    {
        var tolerance = settings.ToleranceFor(t.Currency);
        for (var round = 0; ; round++)
        {
            var proposal = BankMatching.Match(t, items, book.PayerAccounts, tolerance);
            if (proposal is null || live.Contains(proposal.AccountId) || round == 3)
                return proposal;
            live.Add(proposal.AccountId);
            if (await LiveLinesAsync(proposal.AccountId, t.Currency, book, cancellation) is not { } lines)
                return proposal; // the account did not answer: it has the last word when the payment is posted
            items.RemoveAll(i => i.AccountId == proposal.AccountId);
            items.AddRange(lines);
        }
    }

    /// <summary>An account's open lines as the account itself holds them, less what the book has decided and not yet posted to it.</summary>
    private async Task<List<OpenItem>?> LiveLinesAsync(string accountId, string currency, BankBook book, CancellationToken cancellation)
    {
        try
        {
            var answer = await node.AccountRegion.Ask<object>(new AccountEnvelope(accountId, new ReadAccount(AccountReadKind.Invoices)), api.AskTimeout, cancellation);
            if (answer is not AccountRead read)
                return null;
            if (!read.Account.Exists || read.Account.Currency != currency)
                return [];
            var lines = read.Invoices.SelectMany(i => i.Lines.Where(l => l.Open > 0m).Select(l => new OpenItem(accountId, i.InvoiceNumber, l.Line, l.DueDate, l.Open)))
                .ToList();
            foreach (var pending in book.Entries.Values.SelectMany(e => e.Pending).Where(p => p.AccountId == accountId))
                foreach (var a in pending.Allocations)
                    Take(lines, accountId, a.InvoiceNumber, a.Line, a.Amount);
            return lines;
        }
        catch (AskTimeoutException)
        {
            return null;
        }
    }

    private bool Confident(MatchProposal? proposal) =>
        proposal is { Ambiguous: false } && proposal.Confidence >= settings.AutoPostConfidence;

    /// <summary>Posts one part as a payment; what the account answered, or null when it did not answer.</summary>
    private async Task<RecordBankPosting?> PostAsync(BankEntry entry, BankPaymentPart part, CommandContext context, CancellationToken cancellation)
    {
        var command = new ReceivePayment(part.PaymentReference, part.Amount, entry.Transaction.BookingDate,
            part.Allocations.Count == 0 ? null : part.Allocations);
        object? answer;
        try
        {
            answer = await node.AccountRegion.Ask<object>(new AccountEnvelope(part.AccountId, new Execute(command, context)), api.AskTimeout, cancellation);
        }
        catch (AskTimeoutException)
        {
            answer = null;
        }
        switch (answer)
        {
            case CommandOutcome { Rejection: { } rejection }:
                logger.LogInformation("Bank transaction {BankReference}: account {AccountId} refused payment {PaymentReference}: {Code}: {Reason}",
                    entry.Transaction.BankReference, part.AccountId, part.PaymentReference, rejection.Code, rejection.Message);
                return new RecordBankPosting(entry.Transaction.BankReference, part.PaymentReference, rejection.Code, rejection.Message);
            case CommandOutcome:
                return new RecordBankPosting(entry.Transaction.BankReference, part.PaymentReference, null, null);
            default:
                logger.LogWarning("Bank transaction {BankReference}: account {AccountId} did not take payment {PaymentReference} now ({Answer}); it stays pending",
                    entry.Transaction.BankReference, part.AccountId, part.PaymentReference, answer?.GetType().Name ?? "no answer in time");
                return null;
        }
    }

    /// <summary>
    /// The customers' open lines in the currency, from the aging read model, less what the book has decided and not yet
    /// posted (the read model cannot know it yet). The accounts have the last word: an allocation to a line no longer
    /// open is refused there and the transaction goes back to the queue.
    /// </summary>
    private async Task<List<OpenItem>> OpenItemsAsync(BankBook book, string currency, CancellationToken cancellation)
    {
        var lines = await aging.OpenLinesAsync(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime.AddDays(1)), AgingBuckets.Default,
            new AgingQueries.Filter(Currency: currency), cancellation);
        var items = lines.Select(l => new OpenItem(l.AccountId, l.InvoiceNumber, l.Line, l.DueDate, l.Open)).ToList();
        foreach (var pending in book.Entries.Values.Where(e => e.Transaction.Currency == currency).SelectMany(e => e.Pending))
            foreach (var a in pending.Allocations)
                Take(items, pending.AccountId, a.InvoiceNumber, a.Line, a.Amount);
        return items;
    }

    private static void Take(List<OpenItem> items, MatchProposal proposal)
    {
        foreach (var (invoice, line, amount) in proposal.Allocations)
            Take(items, proposal.AccountId, invoice, line, amount);
    }

    private static void Take(List<OpenItem> items, string accountId, string invoice, int? line, decimal amount)
    {
        for (var i = 0; i < items.Count && amount > 0m; i++)
        {
            var item = items[i];
            if (item.AccountId != accountId || item.InvoiceNumber != invoice || (line is { } l && item.Line != l))
                continue;
            var part = Math.Min(item.Open, amount);
            items[i] = item with { Open = item.Open - part };
            amount -= part;
        }
        items.RemoveAll(i => i.Open <= 0m);
    }
}
