using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CreditActors.Host.Statements;

/// <summary>What a confirmation link grants: a reply to one statement of one account, with these figures, until it expires.</summary>
public sealed record ConfirmationClaims(string AccountId, string StatementId, string ContentHash, DateTimeOffset ExpiresAt);

/// <summary>
/// The signed, expiring tokens of balance-confirmation links: the claims, then an HMAC-SHA256 of them under the configured
/// secret, both base64url. No API key is needed to use one, and one is good for its statement alone. The secret comes from
/// CREDITACTORS_CONFIRMATION_SECRET, or is made once and kept in the data directory (confirmation.key) for the embedded
/// service; it is never logged.
/// </summary>
public sealed class ConfirmationTokens(byte[] key)
{
    public static ConfirmationTokens From(string dataDirectory)
    {
        if (Environment.GetEnvironmentVariable("CREDITACTORS_CONFIRMATION_SECRET") is { Length: >= 16 } secret)
            return new ConfirmationTokens(Encoding.UTF8.GetBytes(secret));
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, "confirmation.key");
        if (!File.Exists(path))
        {
            try
            {
                // Written to a file of its own and moved into place: a reader never sees half a key, and of two writers one wins.
                var part = path + "." + Guid.NewGuid().ToString("N");
                File.WriteAllBytes(part, RandomNumberGenerator.GetBytes(32));
                if (!OperatingSystem.IsWindows())
                    File.SetUnixFileMode(part, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                File.Move(part, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another part of the service made it first.
            }
        }
        return new ConfirmationTokens(File.ReadAllBytes(path));
    }

    public string Issue(ConfirmationClaims claims)
    {
        var payload = Encoding.UTF8.GetBytes(string.Join('\n', claims.AccountId, claims.StatementId, claims.ContentHash,
            claims.ExpiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
        return Base64Url(payload) + "." + Base64Url(HMACSHA256.HashData(key, payload));
    }

    /// <summary>The claims of a token, or why it is refused: "invalid" (malformed or altered) or "expired".</summary>
    public (ConfirmationClaims? Claims, string? Problem) Read(string token, DateTimeOffset now)
    {
        var parts = token.Split('.');
        if (parts.Length != 2 || FromBase64Url(parts[0]) is not { } payload || FromBase64Url(parts[1]) is not { } signature
            || !CryptographicOperations.FixedTimeEquals(signature, HMACSHA256.HashData(key, payload)))
            return (null, "invalid");
        var fields = Encoding.UTF8.GetString(payload).Split('\n');
        if (fields.Length != 4 || !long.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return (null, "invalid");
        var claims = new ConfirmationClaims(fields[0], fields[1], fields[2], DateTimeOffset.FromUnixTimeSeconds(seconds));
        return claims.ExpiresAt <= now ? (null, "expired") : (claims, null);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[]? FromBase64Url(string text)
    {
        if (text.Length == 0 || text.Length > 4096)
            return null;
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - padded.Length % 4) % 4);
        try
        {
            return Convert.FromBase64String(padded);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
