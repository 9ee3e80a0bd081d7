using CreditActors.Domain.Accounts;

namespace CreditActors.Host.Http;

/// <summary>
/// Who caused a request's events and the correlation id that ties them together. Until API keys exist, the actor is
/// what the caller names in X-Actor (or "anonymous"); the correlation id comes from X-Correlation-Id or is made here.
/// </summary>
public static class Caller
{
    public const string ActorHeader = "X-Actor";
    public const string CorrelationHeader = "X-Correlation-Id";

    public static (CommandContext? Context, IResult? Problem) From(HttpContext http)
    {
        var actor = http.Request.Headers[ActorHeader].ToString();
        var correlation = http.Request.Headers[CorrelationHeader].ToString();
        if (actor.Length > 100 || actor.Any(char.IsControl))
            return (null, Problems.Invalid(ActorHeader, "must be at most 100 printable characters"));
        if (correlation.Length > 100 || correlation.Any(char.IsControl))
            return (null, Problems.Invalid(CorrelationHeader, "must be at most 100 printable characters"));
        if (correlation.Length == 0)
            correlation = http.TraceIdentifier;
        http.Response.Headers[CorrelationHeader] = correlation;
        return (new CommandContext(actor.Length == 0 ? "anonymous" : actor, correlation), null);
    }
}
