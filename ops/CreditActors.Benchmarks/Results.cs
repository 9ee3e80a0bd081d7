using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CreditActors.Benchmarks;

/// <summary>
/// One figure of the service beside its baseline from the same run. <see cref="Ratio"/> is subject over baseline in
/// the unit given; the target says which way is better.
/// </summary>
public sealed record Measurement(
    string Name,
    string Store,
    string Subject,
    double SubjectValue,
    string Baseline,
    double BaselineValue,
    string Unit,
    string Target,
    bool Met,
    IReadOnlyDictionary<string, string> Details)
{
    public double Ratio => BaselineValue == 0 ? 0 : SubjectValue / BaselineValue;
}

/// <summary>The results of a run, written as JSON and as a markdown table.</summary>
public sealed class Results(string mode)
{
    private static readonly JsonSerializerOptions ResultJson =
        new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    private readonly List<Measurement> _measurements = [];

    public IReadOnlyList<Measurement> Measurements => _measurements;

    public void Add(Measurement measurement)
    {
        _measurements.Add(measurement);
        Console.WriteLine($"  {measurement.Name} [{measurement.Store}]: {Format(measurement.SubjectValue)} vs {Format(measurement.BaselineValue)} {measurement.Unit} " +
            $"(ratio {measurement.Ratio.ToString("0.000", CultureInfo.InvariantCulture)}; target {measurement.Target}: {(measurement.Met ? "met" : "MISSED")})");
    }

    public async Task WriteAsync(string directory, TimeSpan elapsed)
    {
        Directory.CreateDirectory(directory);
        var run = new
        {
            mode,
            startedAt = DateTimeOffset.UtcNow - elapsed,
            elapsedSeconds = Math.Round(elapsed.TotalSeconds, 1),
            machine = new { Environment.ProcessorCount, os = Environment.OSVersion.ToString(), runtime = Environment.Version.ToString() },
            measurements = _measurements.Select(m => new
            {
                m.Name, m.Store, m.Subject, m.SubjectValue, m.Baseline, m.BaselineValue, m.Unit, ratio = Math.Round(m.Ratio, 4), m.Target, m.Met, m.Details,
            }),
        };
        var json = JsonSerializer.Serialize(run, ResultJson);
        await File.WriteAllTextAsync(Path.Combine(directory, $"results-{mode}.json"), json);
        await File.WriteAllTextAsync(Path.Combine(directory, $"results-{mode}.md"), Markdown(elapsed));
    }

    public string Markdown(TimeSpan elapsed)
    {
        var text = new StringBuilder();
        text.AppendLine($"Mode `{mode}`, {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTimeOffset.UtcNow:yyyy-MM-dd}, {elapsed.TotalSeconds:0} s.");
        text.AppendLine();
        text.AppendLine("| Figure | Store | Service | Baseline | Ratio | Target | Met |");
        text.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var m in _measurements)
            text.AppendLine($"| {m.Name} | {m.Store} | {m.Subject}: {Format(m.SubjectValue)} {m.Unit} | {m.Baseline}: {Format(m.BaselineValue)} {m.Unit} | {m.Ratio.ToString("0.000", CultureInfo.InvariantCulture)} | {m.Target} | {(m.Met ? "yes" : "**no**")} |");
        text.AppendLine();
        foreach (var m in _measurements.Where(m => m.Details.Count > 0))
            text.AppendLine($"- {m.Name} [{m.Store}]: " + string.Join("; ", m.Details.Select(d => $"{d.Key} {d.Value}")));
        return text.ToString();
    }

    public static string Format(double value) => value switch
    {
        >= 100 => value.ToString("#,0", CultureInfo.InvariantCulture),
        >= 1 => value.ToString("0.0#", CultureInfo.InvariantCulture),
        _ => value.ToString("0.0###", CultureInfo.InvariantCulture),
    };
}
