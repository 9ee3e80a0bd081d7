using System.Reflection;

namespace CreditActors.Host.Apis;

/// <summary>
/// The web console at /console: static pages embedded in the host (no separate server, no CDN), which call the API with
/// the key the person signs in with. The pages themselves hold no data, so they are served without a key.
/// </summary>
public static class ConsoleEndpoints
{
    private static readonly Assembly Host = typeof(ConsoleEndpoints).Assembly;

    private static readonly Dictionary<string, string> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8", [".js"] = "text/javascript; charset=utf-8", [".css"] = "text/css; charset=utf-8",
        [".txt"] = "text/plain; charset=utf-8", [".png"] = "image/png", [".svg"] = "image/svg+xml",
    };

    public static void MapConsole(this IEndpointRouteBuilder app)
    {
        app.MapGet("/console", () => File("index.html")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/console/{**path}", (string path) => File(path)).AllowAnonymous().ExcludeFromDescription();
    }

    private static IResult File(string path)
    {
        if (path.Length == 0)
            path = "index.html";
        var stream = path.Contains("..", StringComparison.Ordinal) ? null : Host.GetManifestResourceStream("console/" + path);
        if (stream is null || !Types.TryGetValue(Path.GetExtension(path), out var type))
        {
            stream?.Dispose();
            return Http.Problems.NotFound("not_found", $"The console has no file {path}");
        }
        return Results.Stream(stream, type);
    }
}
