namespace CreditActors.Host.Http;

/// <summary>Refuses a request target (path and query) longer than any the API needs, with a 414 problem document.</summary>
public static class RequestTarget
{
    /// <summary>Ids are at most 64 characters and queries a few parameters: 8 KiB is far above any real request.</summary>
    public const int MaximumLength = 8 * 1024;

    /// <summary>Kestrel's own limit on the request line; beyond it Kestrel answers 414 without a body.</summary>
    public const int KestrelLineLimit = 64 * 1024;

    public static IApplicationBuilder UseRequestTargetLimit(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            var length = (http.Request.Path.Value?.Length ?? 0) + (http.Request.QueryString.Value?.Length ?? 0);
            if (length > MaximumLength)
            {
                await Problems.Create(StatusCodes.Status414UriTooLong, "uri_too_long", "The request target is too long",
                    $"the path and query must be at most {MaximumLength} characters", null).ExecuteAsync(http);
                return;
            }
            await next(http);
        });
}
