using CreditActors.Domain.Accounts;

namespace CreditActors.Host.Http;

/// <summary>RFC 7807 problem details for every error the API gives: a code, the field at fault and the reason.</summary>
public static class Problems
{
    public static IResult Invalid(string field, string reason) =>
        Create(StatusCodes.Status400BadRequest, "invalid", "The request is invalid", reason, field);

    /// <summary>503 with Retry-After: the condition (a busy account, a journal outage) is expected to pass within seconds.</summary>
    public static IResult Unavailable(string reason, int retryAfterSeconds = 1) =>
        new RetryAfter(Create(StatusCodes.Status503ServiceUnavailable, "unavailable", "The service cannot answer now", reason, null), retryAfterSeconds);

    private sealed class RetryAfter(IResult problem, int seconds) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return problem.ExecuteAsync(httpContext);
        }
    }

    /// <summary>A defect on our side: the request was not carried out and nothing was written.</summary>
    public static IResult Internal(string reason) =>
        Create(StatusCodes.Status500InternalServerError, "internal_error", "The service failed to carry out the request",
            $"{reason}; nothing was recorded", null);

    public static IResult Unauthorized(string reason) =>
        Create(StatusCodes.Status401Unauthorized, "unauthorized", "An API key is required", reason, "Authorization");

    public static IResult Forbidden(string reason) =>
        Create(StatusCodes.Status403Forbidden, "forbidden", "Not allowed for this key", reason, null);

    public static IResult TooManyRequests(int retryAfterSeconds) =>
        Create(StatusCodes.Status429TooManyRequests, "rate_limited", "Too many requests",
            $"this key's request rate is exceeded; retry after {retryAfterSeconds} s", null);

    public static IResult TooLarge(long limitBytes) =>
        Create(StatusCodes.Status413PayloadTooLarge, "body_too_large", "The request body is too large",
            $"the body must be at most {limitBytes} bytes", "body");

    public static IResult UnsupportedMediaType() =>
        Create(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", "The body must be JSON",
            "send Content-Type: application/json", "body");

    public static IResult NotFound(string code, string detail) =>
        Create(StatusCodes.Status404NotFound, code, "Not found", detail, null);

    public static IResult From(Rejection rejection)
    {
        var (status, title) = rejection.Kind switch
        {
            RejectionKind.Invalid => (StatusCodes.Status400BadRequest, "The request is invalid"),
            RejectionKind.NotFound => (StatusCodes.Status404NotFound, "Not found"),
            RejectionKind.Conflict => (StatusCodes.Status409Conflict, "The request conflicts with the account's state"),
            RejectionKind.Forbidden => (StatusCodes.Status403Forbidden, "Not allowed for this caller"),
            RejectionKind.Declined => (StatusCodes.Status422UnprocessableEntity, "Credit declined"),
            _ => throw new ArgumentOutOfRangeException(nameof(rejection), rejection.Kind, "a rejection kind without an HTTP status"),
        };
        var extensions = new Dictionary<string, object?>();
        if (rejection.Kind == RejectionKind.Declined)
        {
            extensions["decision"] = "declined";
            extensions["reasons"] = rejection.Reasons ?? [];
        }
        return Create(status, rejection.Code, title, rejection.Message, rejection.Field, extensions);
    }

    public const string TypeBase = "https://creditactors.example/problems/";

    public static IResult Create(int status, string code, string title, string detail, string? field,
        Dictionary<string, object?>? extensions = null)
    {
        extensions ??= [];
        extensions["code"] = code;
        if (field is not null)
            extensions["field"] = field;
        extensions["errors"] = field is null ? new Dictionary<string, string[]>() : new Dictionary<string, string[]> { [field] = [detail] };
        return Results.Problem(detail: detail, statusCode: status, title: title, type: TypeFor(code), extensions: extensions);
    }

    private static string TypeFor(string code) => TypeBase + code.Replace('_', '-');

    /// <summary>
    /// Gives the framework's own problems (no route, wrong method, wrong content type, a failed binding, an exception)
    /// the members ours carry: a code, a type under ours, a detail and an empty or filled errors map.
    /// </summary>
    public static void Complete(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Extensions.ContainsKey("code"))
            return;
        var status = problem.Status ?? context.HttpContext.Response.StatusCode;
        var (code, detail) = status switch
        {
            StatusCodes.Status400BadRequest => ("invalid", "the request could not be read"),
            StatusCodes.Status404NotFound => ("not_found", $"no resource at {context.HttpContext.Request.Path}"),
            StatusCodes.Status405MethodNotAllowed => ("method_not_allowed",
                $"{context.HttpContext.Request.Method} is not allowed on {context.HttpContext.Request.Path}"),
            StatusCodes.Status413PayloadTooLarge => ("body_too_large", $"the body must be at most {JsonBody.MaximumBytes} bytes"),
            StatusCodes.Status414UriTooLong => ("uri_too_long", "the request target is too long"),
            StatusCodes.Status415UnsupportedMediaType => ("unsupported_media_type", "send Content-Type: application/json"),
            >= 500 => ("internal_error", "the service failed to carry out the request"),
            _ => ("error", problem.Title ?? "the request failed"),
        };
        problem.Status = status;
        problem.Type = TypeFor(code);
        problem.Detail ??= detail;
        problem.Extensions["code"] = code;
        var field = status switch
        {
            StatusCodes.Status413PayloadTooLarge or StatusCodes.Status415UnsupportedMediaType => "body",
            _ => null,
        };
        if (field is not null)
            problem.Extensions["field"] = field;
        problem.Extensions["errors"] = field is null ? new Dictionary<string, string[]>() : new Dictionary<string, string[]> { [field] = [problem.Detail] };
    }
}