using System.Data.Common;
using CreditActors.Domain.Accounts;
using CreditActors.Domain.Money;
using CreditActors.Projections.Runtime;
using Dapper;

namespace CreditActors.Projections.Aging;

/// <summary>
/// The receivables read model: every installment line with each settlement and its effective date (so aging can be
/// answered as of any date), and per-account figures (limit, receivables, holds) for the portfolio.
/// </summary>
public sealed class AgingProjection(int accountCacheSize) : IProjection
{
    public const string ProjectionName = "aging";

    public string Name => ProjectionName;

    public IReadOnlyList<string> Tables => ["aging_lines", "aging_settlements", "account_figures"];

    public async Task ApplyAsync(DbConnection connection, DbTransaction transaction, ProjectedEvent projected)
    {
        var (accountId, sequenceNr, _, e) = projected;
        var now = ProjectionWriter.Instant(e.Meta.RecordedAt);
        switch (e)
        {
            case AccountOpened o:
                await connection.ExecuteAsync("""
                    INSERT INTO account_figures (account_id, currency, minor_digits, tier, status, credit_limit_minor, receivables_minor,
                        holds_minor, updated_at)
                    VALUES (@accountId, @currency, @digits, @tier, 'active', @limit, 0, 0, @now)
                    """, new { accountId, currency = o.Currency, digits = Currency.Find(o.Currency).MinorDigits, tier = Tier(o.Profile.Tier),
                        limit = Minor.From(o.CreditLimit, Currency.Find(o.Currency).MinorDigits), now }, transaction);
                break;
            case ProfileUpdated p:
                await Update(connection, transaction, accountId, "tier = @tier", new { tier = Tier(p.Profile.Tier) }, now);
                break;
            case CreditLimitChanged c:
                var limit = await ToMinor(connection, transaction, accountId, c.NewLimit);
                await Update(connection, transaction, accountId, "credit_limit_minor = @limit", new { limit }, now);
                break;
            case AccountBlocked or AccountUnblocked or AccountClosed:
                var status = e switch { AccountBlocked => "blocked", AccountClosed => "closed", _ => "active" };
                await Update(connection, transaction, accountId, "status = @status", new { status }, now);
                break;
            case CreditHoldPlaced h:
                await AddHolds(connection, transaction, accountId, h.Amount, now);
                break;
            case CreditHoldCaptured h:
                await AddHolds(connection, transaction, accountId, -(h.CapturedAmount + h.ReleasedAmount), now);
                break;
            case CreditHoldReleased h:
                await AddHolds(connection, transaction, accountId, -h.Amount, now);
                break;
            case CreditHoldExpired h:
                await AddHolds(connection, transaction, accountId, -h.Amount, now);
                break;
            case InvoiceIssued i:
                var digits = await Digits(connection, transaction, accountId);
                foreach (var line in i.Lines)
                    await connection.ExecuteAsync("""
                        INSERT INTO aging_lines (account_id, invoice_number, line, currency, issue_date, due_date, amount_minor, recorded_at, open_minor)
                        SELECT @accountId, @invoice, @line, currency, @issue, @due, @amount, @now, @amount FROM account_figures WHERE account_id = @accountId
                        """, new { accountId, invoice = i.InvoiceNumber, line = line.Line, issue = ProjectionWriter.Date(i.IssueDate),
                            due = ProjectionWriter.Date(line.DueDate), amount = Minor.From(line.Amount, digits), now }, transaction);
                await AddReceivables(connection, transaction, accountId, Minor.From(i.Amount, digits), now);
                break;
            case PaymentAllocated p:
                await Settle(connection, transaction, accountId, sequenceNr, e, "payment", p.Allocations.Select(a => (a.InvoiceNumber, a.Line, a.Amount)));
                break;
            case CreditNoteIssued n:
                await Settle(connection, transaction, accountId, sequenceNr, e, "credit-note", n.Lines.Select(l => (n.InvoiceNumber, l.Line, l.Amount)));
                break;
            case EarlyPaymentDiscountGranted d:
                await Settle(connection, transaction, accountId, sequenceNr, e, "discount", d.Lines.Select(l => (d.InvoiceNumber, l.Line, l.Amount)));
                break;
            case InvoiceLineWrittenOff w:
                await Settle(connection, transaction, accountId, sequenceNr, e, "write-off", [(w.InvoiceNumber, w.Line, w.Amount)]);
                break;
            // A limit moves only when CreditLimitChanged is written; cash received counts when it is allocated.
            case CreditLimitChangeRequested or CreditLimitChangeApproved or CreditLimitChangeRejected or PaymentReceived:
                break;
            default:
                throw new UnknownEventException(nameof(AgingProjection), e);
        }
    }

    private static string Tier(Tier tier) => tier.ToString().ToLowerInvariant();

    private async Task Settle(DbConnection connection, DbTransaction transaction, string accountId, long sequenceNr, AccountEvent e,
        string kind, IEnumerable<(string Invoice, int Line, decimal Amount)> parts)
    {
        var digits = await Digits(connection, transaction, accountId);
        var total = 0L;
        var part = 0;
        foreach (var (invoice, line, amount) in parts)
        {
            var minor = Minor.From(amount, digits);
            total += minor;
            await connection.ExecuteAsync("""
                INSERT INTO aging_settlements (account_id, sequence_nr, part, invoice_number, line, effective_date, recorded_at, amount_minor, kind)
                VALUES (@accountId, @sequenceNr, @part, @invoice, @line, @effective, @recorded, @minor, @kind)
                """, new { accountId, sequenceNr, part = part++, invoice, line, effective = ProjectionWriter.Date(e.Meta.EffectiveDate),
                    recorded = ProjectionWriter.Instant(e.Meta.RecordedAt), minor, kind }, transaction);
            await connection.ExecuteAsync("""
                UPDATE aging_lines SET open_minor = open_minor - @minor WHERE account_id = @accountId AND invoice_number = @invoice AND line = @line
                """, new { accountId, invoice, line, minor }, transaction);
        }
        await AddReceivables(connection, transaction, accountId, -total, ProjectionWriter.Instant(e.Meta.RecordedAt));
    }

    private static Task AddReceivables(DbConnection connection, DbTransaction transaction, string accountId, long minor, string now) =>
        Update(connection, transaction, accountId, "receivables_minor = receivables_minor + @minor", new { minor }, now);

    private async Task AddHolds(DbConnection connection, DbTransaction transaction, string accountId, decimal amount, string now) =>
        await Update(connection, transaction, accountId, "holds_minor = holds_minor + @minor",
            new { minor = await ToMinor(connection, transaction, accountId, amount) }, now);

    private async Task<long> ToMinor(DbConnection connection, DbTransaction transaction, string accountId, decimal amount) =>
        Minor.From(amount, await Digits(connection, transaction, accountId));

    // An account's currency never changes, so its minor digits are read once (the rows are written only by this projection).
    private readonly AccountCache<int> _digits = new(accountCacheSize);

    private async Task<int> Digits(DbConnection connection, DbTransaction transaction, string accountId)
    {
        if (_digits.TryGetValue(accountId, out var known))
            return known;
        var digits = await connection.ExecuteScalarAsync<int?>("SELECT minor_digits FROM account_figures WHERE account_id = @accountId", new { accountId },
            transaction)
            ?? throw new InvalidOperationException($"The aging read model has no account {accountId}; it must be rebuilt");
        _digits.Set(accountId, digits);
        return digits;
    }

    public void Reset() => _digits.Clear();

    private static async Task Update(DbConnection connection, DbTransaction transaction, string accountId, string set, object values, string now)
    {
        var parameters = new DynamicParameters(values);
        parameters.Add("accountId", accountId);
        parameters.Add("now", now);
        var rows = await connection.ExecuteAsync($"UPDATE account_figures SET {set}, updated_at = @now WHERE account_id = @accountId", parameters, transaction);
        if (rows != 1)
            throw new InvalidOperationException($"The aging read model has no account {accountId}; it must be rebuilt");
    }
}
