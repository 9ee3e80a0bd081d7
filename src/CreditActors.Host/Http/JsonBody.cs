using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace CreditActors.Host.Http;

/// <summary>
/// Reads a JSON request body into a request record, turning every way it can be wrong into a problem that names
/// the field: malformed JSON, a value of the wrong type, an unknown field, a body over the size limit.
/// </summary>
public static class JsonBody
{
    public const long MaximumBytes = 64 * 1024;

    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, bool optional = false)
        where T : class
    {
        if (request.ContentLength == 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count == 0))
            return optional ? (null, null) : (null, Problems.Invalid("body", "a JSON body is required"));
        if (request.ContentType is { } type && !type.Contains("json", StringComparison.OrdinalIgnoreCase))
            return (null, Problems.UnsupportedMediaType());
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, ApiJson.Options, request.HttpContext.RequestAborted);
            return value is null ? (null, Problems.Invalid("body", "the body must be a JSON object")) : (value, null);
        }
        catch (JsonException e)
        {
            var field = FieldOf(e.Path);
            return (null, Problems.Invalid(field, $"{field} {Reason(e)}"));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Problems.TooLarge(request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize ?? MaximumBytes));
        }
    }

    /// <summary>"$.installments[1].amount" becomes "installments[1].amount"; the root is "body".</summary>
    private static string FieldOf(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    private static string Reason(JsonException e)
    {
        var message = e.Message;
        if (message.Contains("could not be mapped", StringComparison.Ordinal))
            return "is not a known field";
        if (e.InnerException is FormatException or InvalidOperationException || message.Contains("could not be converted", StringComparison.Ordinal))
            return "has the wrong type or format (amounts are JSON numbers, dates YYYY-MM-DD, instants ISO 8601)";
        return "is not valid JSON";
    }
}
