namespace CreditActors.Host.Http;

/// <summary>
/// The API's bounds, read once at start from the host configuration. Their defaults are stated once, in appsettings.json
/// (with what each does); a setting missing from every source stops the start with its name.
/// </summary>
public sealed record ApiSettings(TimeSpan AskTimeout, int MaximumEventsPerPage, int MaximumConcurrentRequests, int RequestsPerSecondPerKey)
{
    public static ApiSettings From(IConfiguration configuration) => new(
        TimeSpan.FromSeconds(Setting.Required<int>(configuration, "Api:AskTimeoutSeconds")),
        Setting.Required<int>(configuration, "Api:MaximumEventsPerPage"),
        Setting.Required<int>(configuration, "Api:MaximumConcurrentRequests"),
        Setting.Required<int>(configuration, "Auth:RequestsPerSecondPerKey"));
}

/// <summary>Reads one setting of the host configuration, or says which is missing or malformed.</summary>
public static class Setting
{
    public static T Required<T>(IConfiguration configuration, string key)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
            throw new InvalidOperationException($"The setting {key} is missing (appsettings.json states its default)");
        try
        {
            return configuration.GetValue<T>(key)!;
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"The setting {key} = '{text}' is not a {typeof(T).Name}", e);
        }
    }

    public static string Optional(IConfiguration configuration, string key) => configuration[key] ?? "";
}
