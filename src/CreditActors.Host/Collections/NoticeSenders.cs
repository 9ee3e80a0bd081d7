using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CreditActors.Domain.Accounts;
using CreditActors.Domain.Collections;
using MailKit.Net.Smtp;
using MimeKit;

namespace CreditActors.Host.Collections;

/// <summary>What one delivery attempt came to: delivered (to whom, with the transport's id), or why not.</summary>
public sealed record DeliveryResult(bool Delivered, string? Recipient, string? MessageId, string? Error)
{
    public static DeliveryResult Sent(string recipient, string? messageId) => new(true, recipient, messageId, null);
    public static DeliveryResult Failed(string error) => new(false, null, null, error);
}

/// <summary>A notice ready to go: the event, its account's id, profile and currency, and its rendering.</summary>
public sealed record OutgoingNotice(DunningNoticeIssued Notice, string AccountId, string Currency, Profile Profile, string? BillingEmail, RenderedNotice Rendered);

/// <summary>Sends notices by email over SMTP (MailKit), to the account's billing email or the profile's.</summary>
public sealed class SmtpNoticeSender(DeliverySettings settings)
{
    public Task<DeliveryResult> SendAsync(OutgoingNotice outgoing, CancellationToken cancellation) =>
        SendMailAsync(new Mail(outgoing.AccountId, outgoing.Notice.NoticeId, outgoing.BillingEmail ?? outgoing.Profile.Email,
            outgoing.Profile.Contact ?? outgoing.Profile.Name, outgoing.Rendered.Subject, outgoing.Rendered.Html, outgoing.Rendered.Language, null), cancellation);

    /// <summary>A message to send: what it is about (account and document), to whom, what it says, in which language, and an attachment.</summary>
    public sealed record Mail(
        string AccountId, string DocumentId, string? To, string ToName, string Subject, string Html, string Language,
        (string FileName, string ContentType, byte[] Content)? Attachment);

    public async Task<DeliveryResult> SendMailAsync(Mail mail, CancellationToken cancellation)
    {
        if (string.IsNullOrWhiteSpace(settings.SmtpHost))
            return DeliveryResult.Failed("no SMTP server configured (credit-actors.collections.delivery.smtp.host)");
        if (string.IsNullOrWhiteSpace(mail.To) || !MailboxAddress.TryParse(mail.To, out var recipient))
            return DeliveryResult.Failed("the account has no valid billing email (set it with PUT /accounts/{id}/contact-preferences or the profile)");
        if (!MailboxAddress.TryParse(settings.SmtpFrom, out var from))
            return DeliveryResult.Failed("credit-actors.collections.delivery.smtp.from is not a valid address");

        var messageId = $"{mail.DocumentId}.{mail.AccountId}@creditactors";
        var message = new MimeMessage { Subject = mail.Subject, MessageId = messageId };
        message.From.Add(from);
        recipient.Name ??= mail.ToName;
        message.To.Add(recipient);
        message.Headers.Add("X-CreditActors-Document", mail.DocumentId);
        var builder = new BodyBuilder { HtmlBody = mail.Html };
        if (mail.Attachment is { } file)
            builder.Attachments.Add(file.FileName, file.Content, ContentType.Parse(file.ContentType));
        var body = builder.ToMessageBody();
        // The language of the content, on the part that holds it (RFC 3282).
        (body is Multipart multipart ? multipart[0] : body).Headers.Add(HeaderId.ContentLanguage, mail.Language == "zh" ? "zh-CN" : "en");
        message.Body = body;
        try
        {
            using var client = new SmtpClient { Timeout = (int)settings.AttemptTimeout.TotalMilliseconds };
            await client.ConnectAsync(settings.SmtpHost, settings.SmtpPort, settings.SmtpSecurity, cancellation);
            if (!string.IsNullOrEmpty(settings.SmtpUser))
                await client.AuthenticateAsync(settings.SmtpUser, settings.SmtpPassword ?? "", cancellation);
            await client.SendAsync(message, cancellation);
            await client.DisconnectAsync(quit: true, cancellation);
            return DeliveryResult.Sent(recipient.Address, $"<{messageId}>");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellation.IsCancellationRequested)
        {
            // The message says what failed (refused, timed out, rejected); it never holds the password.
            return DeliveryResult.Failed($"SMTP {settings.SmtpHost}:{settings.SmtpPort}: {e.GetType().Name}: {e.Message}");
        }
    }
}

/// <summary>
/// Posts notices as JSON to the configured webhook (the customer's ERP or CRM, or an integration hub), signed with
/// HMAC-SHA256 over the body: header X-CreditActors-Signature: sha256=&lt;hex&gt;. Any 2xx answer is a delivery.
/// </summary>
public sealed class WebhookNoticeSender(DeliverySettings settings, HttpClient http)
{
    public const string SignatureHeader = "X-CreditActors-Signature";

    public static string Signature(string secret, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public async Task<DeliveryResult> SendAsync(OutgoingNotice outgoing, int attempt, CancellationToken cancellation)
    {
        if (!Uri.TryCreate(settings.WebhookUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            return DeliveryResult.Failed("no webhook configured (credit-actors.collections.delivery.webhook.url)");
        var n = outgoing.Notice;
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            type = "dunning-notice",
            accountId = outgoing.AccountId,
            customer = outgoing.Profile.Name,
            noticeId = n.NoticeId,
            date = n.Meta.EffectiveDate,
            level = n.Level,
            levelName = n.LevelName,
            currency = outgoing.Currency,
            lines = n.Lines.Select(l => new { l.InvoiceNumber, l.Line, l.DueDate, l.DaysPastDue, l.Open }),
            total = n.Total,
            fee = n.Fee,
            interest = n.Interest,
            outstandingCharges = n.OutstandingCharges,
            amountDue = n.Total + n.OutstandingCharges + n.Fee + n.Interest,
            language = outgoing.Rendered.Language,
            subject = outgoing.Rendered.Subject,
            html = outgoing.Rendered.Html,
        }, JsonSerializerOptions.Web);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-CreditActors-Notice", n.NoticeId);
        request.Headers.Add("X-CreditActors-Delivery", $"{outgoing.AccountId}/{n.NoticeId}/{attempt}");
        if (!string.IsNullOrEmpty(settings.WebhookSecret))
            request.Headers.Add(SignatureHeader, Signature(settings.WebhookSecret, body));
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            timeout.CancelAfter(settings.AttemptTimeout);
            using var response = await http.SendAsync(request, timeout.Token);
            return response.IsSuccessStatusCode
                ? DeliveryResult.Sent(url.GetLeftPart(UriPartial.Path), response.Headers.TryGetValues("X-Request-Id", out var ids) ? ids.FirstOrDefault() : null)
                : DeliveryResult.Failed($"webhook {url.GetLeftPart(UriPartial.Path)} answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellation.IsCancellationRequested)
        {
            return DeliveryResult.Failed($"webhook {url.GetLeftPart(UriPartial.Path)}: {e.GetType().Name}: {e.Message}");
        }
    }
}

/// <summary>Letters are rendered as printable HTML files for the print room: one per notice, named by account and notice.</summary>
public sealed class LetterNoticeSender(DeliverySettings settings)
{
    public async Task<DeliveryResult> SendAsync(OutgoingNotice outgoing, CancellationToken cancellation)
    {
        try
        {
            Directory.CreateDirectory(settings.LetterDirectory);
            var name = $"{outgoing.AccountId}.{outgoing.Notice.NoticeId}.html";
            var path = Path.Combine(settings.LetterDirectory, name);
            // Written whole, then moved into place: the print room never picks up half a letter.
            await File.WriteAllTextAsync(path + ".part", outgoing.Rendered.Html, Encoding.UTF8, cancellation);
            File.Move(path + ".part", path, overwrite: true);
            return DeliveryResult.Sent(outgoing.Profile.Address ?? outgoing.Profile.Name, name);
        }
        catch (IOException e)
        {
            return DeliveryResult.Failed($"letter: {e.Message}");
        }
    }
}
