using System.Security.Cryptography;
using System.Text;
using CreditActors.Domain.Accounts;

namespace CreditActors.Persistence.PersonalData;

/// <summary>
/// Encrypts an account's personal data (contact, phone, email, address, tax id; the billing email, where notices and
/// statements were sent, who replied to a statement) in what is stored,
/// with AES-256-GCM under the account's own key: "pii:v1:{accountId}:{base64(nonce|ciphertext|tag)}", the account id
/// bound as associated data. Reading decrypts, or gives <see cref="Erased"/> once the key is destroyed. Amounts, dates,
/// names and everything else stay as they are, so the ledger, its postings and the hash chain are untouched by erasure.
/// </summary>
public sealed class PersonalDataProtection(PersonalDataKeys? keys)
{
    public const string Prefix = "pii:v1:";

    /// <summary>What a personal field reads as once its key is destroyed.</summary>
    public const string Erased = "[erased]";

    /// <summary>No key store: fields are written and read as they are (the benchmark harness's raw baselines, tools with no store).</summary>
    public static readonly PersonalDataProtection None = new(null);

    /// <summary>Destroys the account's key: what was sealed with it reads as erased from now on, everywhere.</summary>
    public void Destroy(string accountId) => keys?.Destroy(accountId);

    /// <param name="create">Make the account's key if it has none (the account actor, before it writes). A snapshot never makes
    /// one: it is serialized inside the store's own write, where a second writer would wait on the first; an account with
    /// no key has only events written in clear (before sealing existed), and its snapshot keeps them as they are.</param>
    public string? Seal(string accountId, string? value, bool create = true)
    {
        if (keys is null || string.IsNullOrEmpty(value) || value.StartsWith(Prefix, StringComparison.Ordinal) || value == Erased)
            return value;
        if (keys.KeyFor(accountId, create) is not { } key)
            return create ? throw new CryptographicException($"no key for account {accountId}") : value;
        var plain = Encoding.UTF8.GetBytes(value);
        var sealed_ = new byte[12 + plain.Length + 16];
        RandomNumberGenerator.Fill(sealed_.AsSpan(0, 12));
        using var aes = new AesGcm(key, 16);
        aes.Encrypt(sealed_.AsSpan(0, 12), plain, sealed_.AsSpan(12, plain.Length), sealed_.AsSpan(12 + plain.Length), Encoding.UTF8.GetBytes(accountId));
        return $"{Prefix}{accountId}:{Convert.ToBase64String(sealed_)}";
    }

    public string? Open(string? value)
    {
        if (value is null || !value.StartsWith(Prefix, StringComparison.Ordinal))
            return value;
        var rest = value.AsSpan(Prefix.Length);
        var colon = rest.LastIndexOf(':');
        if (colon <= 0 || keys is null)
            return Erased;
        var accountId = rest[..colon].ToString();
        if (keys.KeyFor(accountId, create: false) is not { } key)
            return Erased;
        try
        {
            var sealed_ = Convert.FromBase64String(rest[(colon + 1)..].ToString());
            var plain = new byte[sealed_.Length - 28];
            using var aes = new AesGcm(key, 16);
            aes.Decrypt(sealed_.AsSpan(0, 12), sealed_.AsSpan(12, plain.Length), sealed_.AsSpan(12 + plain.Length), plain, Encoding.UTF8.GetBytes(accountId));
            return Encoding.UTF8.GetString(plain);
        }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException)
        {
            return Erased; // encrypted under a key since destroyed (and replaced)
        }
    }

    public Profile Seal(string accountId, Profile p) => p with
    {
        Contact = Seal(accountId, p.Contact), Phone = Seal(accountId, p.Phone), Email = Seal(accountId, p.Email),
        Address = Seal(accountId, p.Address), TaxId = Seal(accountId, p.TaxId),
    };

    public Profile Open(Profile p) => p with
    {
        Contact = Open(p.Contact), Phone = Open(p.Phone), Email = Open(p.Email), Address = Open(p.Address), TaxId = Open(p.TaxId),
    };

    /// <summary>Whether an event carries personal fields at all (most do not: holds, invoices, payments).</summary>
    public static bool CarriesPersonalData(AccountEvent e) =>
        e is AccountOpened or ProfileUpdated or ContactPreferencesSet or DunningNoticeSent or StatementSent or BalanceConfirmed or BalanceDisputed;

    /// <summary>The event as it is stored: its personal fields sealed.</summary>
    public AccountEvent Protect(string accountId, AccountEvent e) => keys is null ? e : e switch
    {
        AccountOpened o => o with { Profile = Seal(accountId, o.Profile) },
        ProfileUpdated u => u with { Profile = Seal(accountId, u.Profile) },
        ContactPreferencesSet c => c with { Email = Seal(accountId, c.Email) },
        DunningNoticeSent d => d with { Recipient = Seal(accountId, d.Recipient)! },
        StatementSent d => d with { Recipient = Seal(accountId, d.Recipient)! },
        BalanceConfirmed b => b with { Respondent = Seal(accountId, b.Respondent)! },
        BalanceDisputed b => b with { Respondent = Seal(accountId, b.Respondent)! },
        _ => e,
    };

    /// <summary>The event as it is read: its personal fields opened (or erased).</summary>
    public AccountEvent Reveal(AccountEvent e) => e switch
    {
        AccountOpened o => o with { Profile = Open(o.Profile) },
        ProfileUpdated u => u with { Profile = Open(u.Profile) },
        ContactPreferencesSet c => c with { Email = Open(c.Email) },
        DunningNoticeSent d => d with { Recipient = Open(d.Recipient)! },
        StatementSent d => d with { Recipient = Open(d.Recipient)! },
        BalanceConfirmed b => b with { Respondent = Open(b.Respondent)! },
        BalanceDisputed b => b with { Respondent = Open(b.Respondent)! },
        _ => e,
    };
}
