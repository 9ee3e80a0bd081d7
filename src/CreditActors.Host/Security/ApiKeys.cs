using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using CreditActors.Host.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CreditActors.Host.Security;

/// <summary>One configured API key: a name (recorded as the actor of its events), the SHA-256 of the key, and roles.</summary>
public sealed record ApiKey(string Name, byte[] Sha256, IReadOnlyList<string> Roles);

/// <summary>
/// The keys from configuration (Auth:Keys:N:Name, :Sha256 as 64 hex digits, :Roles comma-separated). Only hashes
/// are configured, so a leaked configuration file leaks no key. With no keys the service is in development mode.
/// </summary>
public sealed class ApiKeyRegistry
{
    private readonly List<ApiKey> _keys;

    public ApiKeyRegistry(IConfiguration configuration)
    {
        var keys = new List<ApiKey>();
        foreach (var section in configuration.GetSection("Auth:Keys").GetChildren())
        {
            var name = section["Name"];
            var hash = section["Sha256"];
            var roles = (section["Roles"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (string.IsNullOrWhiteSpace(name) || hash is not { Length: 64 } || roles.Length == 0)
                throw new InvalidOperationException($"Auth:Keys:{section.Key} needs a Name, a Sha256 of 64 hex digits and Roles");
            var unknown = roles.Except(Security.Roles.All).ToList();
            if (unknown.Count > 0)
                throw new InvalidOperationException($"Auth:Keys:{section.Key} ({name}) has unknown roles: {string.Join(", ", unknown)}");
            keys.Add(new ApiKey(name, Convert.FromHexString(hash), roles));
        }
        if (keys.GroupBy(k => k.Name).Any(g => g.Count() > 1))
            throw new InvalidOperationException("Auth:Keys: every key needs a name of its own");
        _keys = keys;
    }

    public bool DevelopmentMode => _keys.Count == 0;

    public IReadOnlyList<ApiKey> Keys => _keys;

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The key matching the presented secret; every configured hash is compared in constant time.</summary>
    public ApiKey? Find(string presented)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        ApiKey? match = null;
        foreach (var key in _keys)
            if (CryptographicOperations.FixedTimeEquals(hash, key.Sha256))
                match = key;
        return match;
    }
}

/// <summary>
/// Authenticates "Authorization: Bearer &lt;key&gt;". In development mode (no keys configured) every request is
/// let in with every role, under the name the caller gives in X-Actor (or "development").
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyRegistry registry)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (registry.DevelopmentMode)
        {
            var actor = Request.Headers[Caller.ActorHeader].ToString();
            return Task.FromResult(Success(actor.Length is > 0 and <= 100 ? actor : "development", Roles.All));
        }
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
            return Task.FromResult(AuthenticateResult.NoResult());
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return Task.FromResult(AuthenticateResult.Fail("The Authorization header must be: Bearer <key>"));
        var key = registry.Find(header["Bearer ".Length..].Trim());
        return Task.FromResult(key is null ? AuthenticateResult.Fail("Unknown API key") : Success(key.Name, key.Roles));
    }

    private static AuthenticateResult Success(string name, IEnumerable<string> roles)
    {
        var claims = roles.Select(r => new Claim(ClaimTypes.Role, r)).Prepend(new Claim(ClaimTypes.Name, name));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        await Problems.Unauthorized("send a valid API key as Authorization: Bearer <key>").ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        await Problems.Forbidden($"{Context.User.Identity?.Name} may not {Request.Method} {Request.Path}").ExecuteAsync(Context);
}
