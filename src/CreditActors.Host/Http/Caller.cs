using CreditActors.Domain.Accounts;

namespace CreditActors.Host.Http;

/// <summary>
/// Who caused a request's events and the correlation id that ties them together. The actor is the API key's name
/// (in development mode, without keys: the X-Actor header or "development"); the correlation id comes from
/// X-Correlation-Id or is made here, and is echoed back.
/// </summary>
public static class Caller
{
    public const string ActorHeader = "X-Actor";
    public const string CorrelationHeader = "X-Correlation-Id";

    public static (CommandContext? Context, IResult? Problem) From(HttpContext http)
    {
        var actor = http.User.Identity?.Name ?? "";
        var correlation = http.Request.Headers[CorrelationHeader].ToString();
        if (actor.Length is 0 or > 100 || actor.Any(char.IsControl))
            return (null, Problems.Invalid(ActorHeader, "must be 1 to 100 printable characters"));
        if (correlation.Length > 100 || correlation.Any(char.IsControl))
            return (null, Problems.Invalid(CorrelationHeader, "must be at most 100 printable characters"));
        if (correlation.Length == 0)
            correlation = http.TraceIdentifier;
        http.Response.Headers[CorrelationHeader] = correlation;
        // The request's span carries it too, so that a trace and the events it wrote are found from each other.
        System.Diagnostics.Activity.Current?.SetTag(Telemetry.TelemetrySetup.CorrelationTag, correlation);
        return (new CommandContext(actor, correlation), null);
    }
}
