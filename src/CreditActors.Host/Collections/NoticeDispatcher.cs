using Akka.Actor;
using Akka.Event;
using CreditActors.Actors.Accounts;
using CreditActors.Domain.Accounts;
using CreditActors.Domain.Collections;
using CreditActors.Projections.Collections;

namespace CreditActors.Host.Collections;

/// <summary>
/// Delivers dunning notices from the outbox, once in the cluster (a singleton on the nodes that host accounts). Every
/// poll-interval it takes the notices whose attempt is due, renders each in its account's language, sends it by its channel,
/// and has the account record the attempt's outcome: <see cref="DunningNoticeSent"/>, or <see cref="DunningDeliveryFailed"/>
/// with the next attempt's time (doubling back-off), final after max-attempts. A notice is delivered at least once: one
/// written just before a crash is still pending in the outbox; one sent just before a crash, before its outcome was
/// recorded, is sent again.
/// </summary>
public sealed class NoticeDispatcher : ReceiveActor, IWithTimers
{
    private const string TickKey = "poll";

    /// <summary>Notices being sent now, and attempts recorded that the outbox has not caught up with, by account and notice.</summary>
    private readonly Dictionary<(string Account, string Notice), int> _claimed = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private bool _polling;

    public NoticeDispatcher(Dependencies dependencies)
    {
        var settings = dependencies.Settings;
        Receive<Tick>(_ =>
        {
            if (_polling)
                return;
            _polling = true;
            dependencies.Outbox.DueAsync(dependencies.Clock.GetUtcNow(), settings.Parallelism * 4)
                .PipeTo(Self, success: rows => new Due(rows), failure: e => new PollFailed(e));
        });
        Receive<PollFailed>(failed =>
        {
            _polling = false;
            _log.Warning("The notice outbox could not be read: {0}", failed.Cause.Message);
        });
        Receive<Due>(due =>
        {
            _polling = false;
            // An attempt recorded is forgotten once the outbox shows it (or shows the notice done).
            foreach (var key in _claimed.Where(c => c.Value > 0 && !due.Rows.Any(r => (r.AccountId, r.NoticeId) == c.Key && r.Attempts < c.Value))
                .Select(c => c.Key).ToList())
                _claimed.Remove(key);
            foreach (var row in due.Rows)
            {
                if (_claimed.Count(c => c.Value == 0) >= settings.Parallelism)
                    break;
                if (_claimed.ContainsKey((row.AccountId, row.NoticeId)))
                    continue;
                _claimed[(row.AccountId, row.NoticeId)] = 0;
                var attempt = row.Attempts + 1;
                DeliverAsync(dependencies, row, attempt).PipeTo(Self,
                    success: recorded => new Attempted(row.AccountId, row.NoticeId, attempt, recorded),
                    failure: e => new Attempted(row.AccountId, row.NoticeId, attempt, false, e.Message));
            }
        });
        Receive<Attempted>(done =>
        {
            if (done.Recorded)
                _claimed[(done.AccountId, done.NoticeId)] = done.Attempt;
            else
            {
                // Not recorded (the account did not answer, or the notice is no longer owed): tried again at the next poll.
                _claimed.Remove((done.AccountId, done.NoticeId));
                if (done.Problem is not null)
                    _log.Warning("Notice {0} of account {1}: attempt {2} not recorded: {3}", done.NoticeId, done.AccountId, done.Attempt, done.Problem);
            }
        });
        Timers.StartPeriodicTimer(TickKey, Tick.Instance, settings.PollInterval);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(Dependencies dependencies) => Akka.Actor.Props.Create(() => new NoticeDispatcher(dependencies));

    /// <summary>What the dispatcher works with: the outbox, the accounts and their journal, the renderer and the channels.</summary>
    public sealed record Dependencies(
        DeliverySettings Settings,
        NoticeOutboxQueries Outbox,
        IActorRef Accounts,
        Func<string, Task<List<AccountEvent>>> AccountEvents,
        NoticeRenderer Renderer,
        SmtpNoticeSender Email,
        WebhookNoticeSender Webhook,
        LetterNoticeSender Letter,
        Statements.StatementFormats Statements,
        Statements.ConfirmationTokens Tokens,
        string ConfirmationBaseUrl,
        int ConfirmationValidDays,
        TimeProvider Clock);

    /// <summary>One attempt: true when its outcome was recorded in the account.</summary>
    private static async Task<bool> DeliverAsync(Dependencies d, OutboxRow row, int attempt)
    {
        var events = await d.AccountEvents(row.AccountId);
        var state = CreditAccount.Replay(row.AccountId, events);
        // Delivered already, given up, or this attempt's outcome recorded: the outbox is behind the account; nothing to do.
        if (!state.Collections.Deliveries.TryGetValue(row.NoticeId, out var owed) || owed.Status != DeliveryStatus.Pending || owed.Attempts >= attempt)
            return false;
        DeliveryResult result;
        try
        {
            using var timeout = new CancellationTokenSource(d.Settings.AttemptTimeout * 2);
            result = row.Kind == "statement"
                ? await SendStatementAsync(d, row.AccountId, events, state, row.NoticeId, timeout.Token)
                : await SendNoticeAsync(d, row, attempt, events, state, timeout.Token);
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
            result = DeliveryResult.Failed($"{e.GetType().Name}: {e.Message}");
        }
        var final = !result.Delivered && attempt >= d.Settings.MaxAttempts;
        DateTimeOffset? next = result.Delivered || final ? null : d.Clock.GetUtcNow() + d.Settings.BackoffAfter(attempt);
        var command = new RecordDeliveryOutcome(row.NoticeId, attempt, result.Delivered, result.Recipient, result.MessageId, result.Error, final, next);
        var reply = await d.Accounts.Ask<object>(
            new AccountEnvelope(row.AccountId, new Execute(command, new CommandContext("notice-outbox", $"{row.NoticeId}/{attempt}"))),
            TimeSpan.FromSeconds(30));
        return reply is CommandOutcome { Rejection: null };
    }

    private static async Task<DeliveryResult> SendNoticeAsync(
        Dependencies d, OutboxRow row, int attempt, IReadOnlyList<AccountEvent> events, AccountState state, CancellationToken cancellation)
    {
        var notice = events.OfType<DunningNoticeIssued>().Last(n => n.NoticeId == row.NoticeId);
        var language = state.Collections.Language ?? d.Settings.DefaultLanguage;
        var outgoing = new OutgoingNotice(notice, row.AccountId, state.CurrencyCode, state.Profile, state.Collections.BillingEmail,
            d.Renderer.Render(notice, row.AccountId, state.CurrencyCode, state.Profile, language));
        return notice.Channel switch
        {
            NoticeChannel.Email => await d.Email.SendAsync(outgoing, cancellation),
            NoticeChannel.Webhook => await d.Webhook.SendAsync(outgoing, attempt, cancellation),
            _ => await d.Letter.SendAsync(outgoing, cancellation),
        };
    }

    /// <summary>
    /// A statement goes out as it was issued: drawn again from the journal as known at the instant it was drawn, and sent only
    /// when its content hash is the one recorded (the page as the body, the workbook attached).
    /// </summary>
    private static async Task<DeliveryResult> SendStatementAsync(
        Dependencies d, string accountId, List<AccountEvent> events, AccountState state, string statementId, CancellationToken cancellation)
    {
        var issued = events.OfType<StatementIssued>().Last(s => s.StatementId == statementId);
        var statement = Domain.Statements.StatementOfAccount.Draw(accountId, events, issued.From, issued.To, issued.DrawnAt, Domain.Aging.AgingBuckets.Default);
        if (statement.ContentHash != issued.ContentHash)
            return DeliveryResult.Failed($"statement {statementId} drawn again does not match the one issued (content hash {statement.ContentHash})");
        var words = Statements.StatementFormats.Languages[issued.Language];
        var subject = $"{words.Title} {accountId} {issued.From:yyyy-MM-dd} – {issued.To:yyyy-MM-dd}";
        var file = ($"{statementId}.{accountId}.xlsx", Statements.StatementFormats.XlsxType, Statements.StatementFormats.Xlsx(statement, issued.Language));
        var html = d.Statements.Html(statement, issued.Language);
        if (Apis.ConfirmationsApi.Link(issued, accountId, d.Tokens, d.ConfirmationBaseUrl, d.ConfirmationValidDays) is { } link)
        {
            // The link goes first, where the reader sees it: to confirm the balance, or give theirs.
            var ask = issued.Language == "zh" ? "请点击以下链接确认余额或告知贵司余额：" : "Please confirm the balance, or give yours, at:";
            html = html.Replace("<body>", $"<body>\n<p>{ask} <a href=\"{link}\">{link}</a></p>", StringComparison.Ordinal);
        }
        return await d.Email.SendMailAsync(new SmtpNoticeSender.Mail(accountId, statementId, state.Collections.BillingEmail ?? state.Profile.Email,
            state.Profile.Contact ?? state.Profile.Name, subject, html, issued.Language, file), cancellation);
    }

    private sealed class Tick
    {
        public static readonly Tick Instance = new();
    }

    private sealed record Due(IReadOnlyList<OutboxRow> Rows);

    private sealed record PollFailed(Exception Cause);

    private sealed record Attempted(string AccountId, string NoticeId, int Attempt, bool Recorded, string? Problem = null);
}
