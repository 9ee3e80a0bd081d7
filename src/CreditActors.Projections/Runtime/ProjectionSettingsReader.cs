using Akka.Configuration;

namespace CreditActors.Projections.Runtime;

public static class ProjectionSettingsReader
{
    public static ProjectionSettings From(Config config)
    {
        var section = config.GetConfig("credit-actors.projections")
            ?? throw new InvalidOperationException("akka.hocon has no credit-actors.projections section");
        return new ProjectionSettings(
            section.GetInt("batch-size"),
            section.GetTimeSpan("batch-window"),
            section.GetTimeSpan("minimum-backoff"),
            section.GetTimeSpan("maximum-backoff"),
            section.GetTimeSpan("overdue-evaluation-period"),
            decimal.Parse(section.GetString("utilization-high-percent"), System.Globalization.CultureInfo.InvariantCulture),
            section.GetInt("account-cache-size"))
        {
            Role = section.GetString("role", "") is { Length: > 0 } role ? role : null,
        };
    }
}
