using Akka.Configuration;
using MailKit.Security;

namespace CreditActors.Host.Collections;

/// <summary>credit-actors.collections.delivery in akka.hocon; the secrets come from the environment and are never logged.</summary>
public sealed record DeliverySettings(
    bool Enabled,
    TimeSpan PollInterval,
    int Parallelism,
    int MaxAttempts,
    TimeSpan FirstBackoff,
    TimeSpan MaxBackoff,
    TimeSpan AttemptTimeout,
    string DefaultLanguage,
    string SmtpHost,
    int SmtpPort,
    SecureSocketOptions SmtpSecurity,
    string SmtpFrom,
    string SmtpUser,
    string WebhookUrl,
    string LetterDirectory)
{
    /// <summary>Read from the environment only (CREDITACTORS_SMTP_PASSWORD).</summary>
    public string? SmtpPassword { get; init; }

    /// <summary>Read from the environment only (CREDITACTORS_WEBHOOK_SECRET).</summary>
    public string? WebhookSecret { get; init; }

    /// <summary>The wait after the failed attempt <paramref name="attempt"/> (1, 2, …): doubling from the first back-off, capped.</summary>
    public TimeSpan BackoffAfter(int attempt)
    {
        var wait = FirstBackoff * Math.Pow(2, Math.Min(attempt - 1, 30));
        return wait > MaxBackoff ? MaxBackoff : wait;
    }

    public static DeliverySettings From(Config config, string journalDirectory)
    {
        var d = config.GetConfig("credit-actors.collections.delivery")
            ?? throw new InvalidOperationException("akka.hocon has no credit-actors.collections.delivery section");
        var security = d.GetString("smtp.security", "starttls") switch
        {
            "none" => SecureSocketOptions.None,
            "starttls" => SecureSocketOptions.StartTlsWhenAvailable,
            "tls" => SecureSocketOptions.SslOnConnect,
            var other => throw new InvalidOperationException($"credit-actors.collections.delivery.smtp.security: {other} is not none, starttls or tls"),
        };
        var letters = d.GetString("letter-directory", "");
        var settings = new DeliverySettings(
            d.GetBoolean("enabled", true), d.GetTimeSpan("poll-interval"), d.GetInt("parallelism"), d.GetInt("max-attempts"),
            d.GetTimeSpan("first-backoff"), d.GetTimeSpan("max-backoff"), d.GetTimeSpan("attempt-timeout"), d.GetString("default-language", "zh"),
            d.GetString("smtp.host", ""), d.GetInt("smtp.port", 25), security, d.GetString("smtp.from", ""), d.GetString("smtp.user", ""),
            d.GetString("webhook.url", ""), string.IsNullOrWhiteSpace(letters) ? Path.Combine(journalDirectory, "letters") : letters)
        {
            SmtpPassword = Environment.GetEnvironmentVariable("CREDITACTORS_SMTP_PASSWORD"),
            WebhookSecret = Environment.GetEnvironmentVariable("CREDITACTORS_WEBHOOK_SECRET"),
        };
        if (settings.MaxAttempts < 1 || settings.Parallelism < 1 || settings.PollInterval <= TimeSpan.Zero || settings.FirstBackoff <= TimeSpan.Zero)
            throw new InvalidOperationException("credit-actors.collections.delivery: attempts, parallelism, poll interval and back-off must be positive");
        if (settings.DefaultLanguage is not ("zh" or "en"))
            throw new InvalidOperationException("credit-actors.collections.delivery.default-language must be zh or en");
        return settings;
    }
}
