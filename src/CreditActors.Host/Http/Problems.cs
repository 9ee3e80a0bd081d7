using CreditActors.Domain.Accounts;

namespace CreditActors.Host.Http;

/// <summary>RFC 7807 problem details for every error the API gives: a code, the field at fault and the reason.</summary>
public static class Problems
{
    public static IResult Invalid(string field, string reason) =>
        Create(StatusCodes.Status400BadRequest, "invalid", "The request is invalid", reason, field);

    public static IResult Unavailable(string reason) =>
        Create(StatusCodes.Status503ServiceUnavailable, "unavailable", "The service cannot answer now", reason, null);

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
            _ => (StatusCodes.Status422UnprocessableEntity, "Credit declined"),
        };
        var extensions = new Dictionary<string, object?>();
        if (rejection.Kind == RejectionKind.Declined)
        {
            extensions["decision"] = "declined";
            extensions["reasons"] = rejection.Reasons ?? [];
        }
        return Create(status, rejection.Code, title, rejection.Message, rejection.Field, extensions);
    }

    private static IResult Create(int status, string code, string title, string detail, string? field,
        Dictionary<string, object?>? extensions = null)
    {
        extensions ??= [];
        extensions["code"] = code;
        if (field is not null)
        {
            extensions["field"] = field;
            extensions["errors"] = new Dictionary<string, string[]> { [field] = [detail] };
        }
        return Results.Problem(detail: detail, statusCode: status, title: title,
            type: $"https://creditactors.example/problems/{code.Replace('_', '-')}", extensions: extensions);
    }
}
