using System.Data.Common;
using System.Globalization;
using CreditActors.Domain.Accounts;
using CreditActors.Domain.Money;
using CreditActors.Projections.Runtime;
using Dapper;

namespace CreditActors.Projections.Collections;

/// <summary>
/// What the collector's worklist needs beside the aging lines: per account its collector, its last contact and next step,
/// its open promise and the promises it broke, its disputes and the amounts they hold, its last notice, and when its
/// profile and rating were last brought up to date (for review reminders). Amounts of money come from the aging lines.
/// </summary>
public sealed class WorklistProjection : IProjection
{
    public const string ProjectionName = "collections-worklist";

    public string Name => ProjectionName;

    public IReadOnlyList<string> Tables => ["collection_accounts", "collection_disputes", "statement_replies"];

    public async Task ApplyAsync(DbConnection connection, DbTransaction transaction, ProjectedEvent projected)
    {
        var (accountId, _, _, e) = projected;
        var at = ProjectionWriter.Instant(e.Meta.RecordedAt);
        var on = ProjectionWriter.Date(e.Meta.EffectiveDate);
        Task Set(string assignments, object? values = null, string? condition = null)
        {
            var parameters = new DynamicParameters(values);
            parameters.AddDynamicParams(new { accountId, at, on });
            return connection.ExecuteAsync(
                $"UPDATE collection_accounts SET {assignments}, updated_at = @at WHERE account_id = @accountId{(condition is null ? "" : " AND " + condition)}",
                parameters, transaction);
        }
        switch (e)
        {
            case AccountOpened o:
                await connection.ExecuteAsync("""
                    INSERT INTO collection_accounts (account_id, currency, closed, profile_on, broken_promises, updated_at)
                    VALUES (@accountId, @currency, 0, @on, 0, @at) ON CONFLICT (account_id) DO NOTHING
                    """, new { accountId, currency = o.Currency, on, at }, transaction);
                break;
            case ProfileUpdated:
                await Set("profile_on = @on");
                break;
            case RatingAssigned r:
                await Set("rated_on = @ratedOn", new { ratedOn = ProjectionWriter.Date(r.AsOf) });
                break;
            case AccountClosed:
                await Set("closed = 1");
                break;
            case CollectorAssigned c:
                await Set("collector = @collector", new { collector = c.Collector });
                break;
            case CollectionNoteAdded n:
                await Set("last_contact_on = @on, next_step_on = @next, next_step = @step", new
                {
                    next = n.NextStepDate is { } nextOn ? ProjectionWriter.Date(nextOn) : null,
                    step = n.NextStep ?? (n.NextStepDate is null ? null : n.Summary),
                });
                break;
            case PromiseToPayRecorded p:
                await Set("promise_id = @promise, promise_on = @promised, promise_amount = @amount", new
                {
                    promise = p.PromiseId, promised = ProjectionWriter.Date(p.PromisedDate), amount = p.Amount.ToString(CultureInfo.InvariantCulture),
                });
                break;
            case PromiseKept k:
                await Set("promise_id = NULL, promise_on = NULL, promise_amount = NULL", new { promise = k.PromiseId }, "promise_id = @promise");
                break;
            case PromiseBroken b:
                await Set("broken_promises = broken_promises + 1");
                await Set("promise_id = NULL, promise_on = NULL, promise_amount = NULL", new { promise = b.PromiseId }, "promise_id = @promise");
                break;
            case InvoiceDisputed d:
                var currency = await connection.QuerySingleAsync<string>(
                    "SELECT currency FROM collection_accounts WHERE account_id = @accountId", new { accountId }, transaction);
                await connection.ExecuteAsync("""
                    INSERT INTO collection_disputes (account_id, dispute_id, invoice_number, amount_minor, is_open, opened_on)
                    VALUES (@accountId, @disputeId, @invoice, @minor, 1, @on) ON CONFLICT (account_id, dispute_id) DO NOTHING
                    """, new
                    {
                        accountId, disputeId = d.DisputeId, invoice = d.InvoiceNumber, minor = Minor.From(d.Amount, Currency.Find(currency).MinorDigits), on,
                    }, transaction);
                break;
            case DisputeResolved r:
                await connection.ExecuteAsync(
                    "UPDATE collection_disputes SET is_open = 0, resolved_on = @on WHERE account_id = @accountId AND dispute_id = @disputeId",
                    new { accountId, disputeId = r.DisputeId, on }, transaction);
                break;
            case DunningNoticeIssued n:
                await Set("last_notice_on = @on, last_notice_level = @level", new { level = n.Level });
                break;
            case StatementIssued { Confirmation: { } variant } s:
                var currencyOf = await connection.QuerySingleAsync<string>(
                    "SELECT currency FROM collection_accounts WHERE account_id = @accountId", new { accountId }, transaction);
                await connection.ExecuteAsync("""
                    INSERT INTO statement_replies (account_id, statement_id, currency, period_from, period_to, closing, variant, issued_at)
                    VALUES (@accountId, @statementId, @currency, @from, @to, @closing, @variant, @at) ON CONFLICT (account_id, statement_id) DO NOTHING
                    """, new
                    {
                        accountId, statementId = s.StatementId, currency = currencyOf, from = ProjectionWriter.Date(s.From), to = ProjectionWriter.Date(s.To),
                        closing = s.ClosingBalance.ToString(CultureInfo.InvariantCulture), variant, at,
                    }, transaction);
                break;
            case BalanceConfirmed c:
                await connection.ExecuteAsync("""
                    UPDATE statement_replies SET reply = 'confirmed', respondent = @respondent, replied_at = @at
                    WHERE account_id = @accountId AND statement_id = @statementId
                    """, new { accountId, statementId = c.StatementId, respondent = c.Respondent, at }, transaction);
                break;
            case BalanceDisputed d:
                await connection.ExecuteAsync("""
                    UPDATE statement_replies SET reply = 'disputed', their_balance = @theirs, difference = @difference, items = @items,
                        respondent = @respondent, replied_at = @at, reconciliation = 'open'
                    WHERE account_id = @accountId AND statement_id = @statementId
                    """, new
                    {
                        accountId, statementId = d.StatementId, theirs = d.TheirBalance.ToString(CultureInfo.InvariantCulture),
                        difference = d.Difference.ToString(CultureInfo.InvariantCulture), items = d.Items.Count, respondent = d.Respondent, at,
                    }, transaction);
                break;
            case ReconciliationItemResolved r:
                await connection.ExecuteAsync("""
                    UPDATE statement_replies SET reconciliation = @resolution, resolution_reference = @reference, resolved_at = @at, resolved_by = @by
                    WHERE account_id = @accountId AND statement_id = @statementId
                    """, new { accountId, statementId = r.StatementId, resolution = r.Resolution, reference = r.Reference, at, by = r.Meta.Actor }, transaction);
                break;
            case ContactPreferencesSet p:
                await Set("monthly_statements = @monthly", new { monthly = p.MonthlyStatements ? 1 : 0 });
                break;
            // The rest changes nothing the worklist keeps: what is owed and how late comes from the aging lines.
            case CreditLimitChanged or CreditLimitChangeRequested or CreditLimitChangeApproved or CreditLimitChangeRejected or AccountBlocked
                or AccountUnblocked or CreditHoldPlaced or CreditHoldCaptured or CreditHoldReleased or CreditHoldExpired or InvoiceIssued
                or CreditNoteIssued or PaymentReceived or PaymentAllocated or EarlyPaymentDiscountGranted or InvoiceLineWrittenOff
                or ExternalRatingRecorded or LateFeeCharged or InterestCharged or StatementIssued or StatementSent or StatementDeliveryFailed or DunningNoticeSent or DunningDeliveryFailed or PersonalDataErased:
                break;
            default:
                throw new UnknownEventException(nameof(WorklistProjection), e);
        }
    }
}
