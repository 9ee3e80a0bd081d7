using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Akka.Actor;
using Akka.Event;
using Akka.Configuration;
using CreditActors.Persistence.Audit;

namespace CreditActors.Host.Audit;

/// <summary>credit-actors.audit in akka.hocon.</summary>
public sealed record AuditSettings(TimeSpan ChainInterval, int ChainBatch, TimeSpan GapWait, TimeSpan SealInterval, string ExportDirectory, string ExportUrl)
{
    public static AuditSettings From(Config config, string dataDirectory)
    {
        var a = config.GetConfig("credit-actors.audit") ?? throw new InvalidOperationException("akka.hocon has no credit-actors.audit section");
        var directory = a.GetString("seal.export-directory", "");
        var url = a.GetString("seal.export-url", "");
        if (url.Length > 0 && !Uri.TryCreate(url, UriKind.Absolute, out _))
            throw new InvalidOperationException($"credit-actors.audit.seal.export-url: '{url}' is not an absolute URL");
        return new AuditSettings(a.GetTimeSpan("chain.interval"), a.GetInt("chain.batch"), a.GetTimeSpan("chain.gap-wait"), a.GetTimeSpan("seal.interval"),
            directory.Length > 0 ? directory : Path.Combine(dataDirectory, "seals"), url);
    }
}

/// <summary>Seal now (a person asked). Replies <see cref="Sealed"/>.</summary>
public sealed record SealNow(string By);

public sealed record Sealed(JournalSeal? Seal, string? Error);

/// <summary>
/// The one chain keeper of the cluster (a singleton): follows the journal, chaining each stream's new events, and seals
/// every seal-interval (the first seal of a journal that had no chain is the migration seal). Each seal is exported to a
/// file in export-directory and, when configured, posted to export-url, so that a party outside holds it.
/// </summary>
public sealed class ChainKeeper : ReceiveActor, IWithTimers
{
    private readonly JournalChain _chain;
    private readonly AuditSettings _settings;
    private readonly TimeProvider _clock;
    private readonly HttpClient _http;
    private readonly Akka.Event.ILoggingAdapter _log = Akka.Event.Logging.GetLogger(Context);
    private bool _migration;
    private DateTimeOffset _nextSeal;

    public ITimerScheduler Timers { get; set; } = null!;

    public ChainKeeper(JournalDatabase database, AuditSettings settings, TimeProvider clock, HttpClient http)
    {
        _chain = new JournalChain(database);
        _settings = settings;
        _clock = clock;
        _http = http;
        ReceiveAsync<Start>(async _ =>
        {
            await _chain.EnsureSchemaAsync();
            var seals = await _chain.SealsAsync();
            // A journal with events and no chain yet was written before the chain existed: it is chained and sealed at once.
            _migration = seals.Count == 0 && await _chain.ProgressAsync() == 0 && await _chain.HasEventsAsync();
            _nextSeal = seals.Count > 0 ? seals[^1].SealedAt + _settings.SealInterval
                : _migration ? _clock.GetUtcNow() : _clock.GetUtcNow() + _settings.SealInterval;
            Timers.StartPeriodicTimer("tick", Tick.Instance, _settings.ChainInterval);
        });
        ReceiveAsync<Tick>(async _ =>
        {
            try
            {
                while ((await _chain.ChainAsync(_settings.ChainBatch, _settings.GapWait, _clock.GetUtcNow())).More)
                {
                }
                if (_clock.GetUtcNow() >= _nextSeal)
                    await SealAsync("periodic");
            }
            catch (Exception e) when (e is System.Data.Common.DbException or IOException or HttpRequestException or InvalidOperationException)
            {
                _log.Warning("Chaining the journal failed ({0}); trying again at the next tick", e.Message);
            }
        });
        ReceiveAsync<SealNow>(async request =>
        {
            var replyTo = Sender;
            try
            {
                var seal = await SealAsync("manual");
                _log.Info("Seal {0} made at the request of {1}", seal.SealId, request.By);
                replyTo.Tell(new Sealed(seal, null));
            }
            catch (Exception e) when (e is System.Data.Common.DbException or IOException or HttpRequestException or InvalidOperationException)
            {
                replyTo.Tell(new Sealed(null, e.Message));
            }
        });
    }

    protected override void PreStart() => Self.Tell(Start.Instance);

    private async Task<JournalSeal> SealAsync(string kind)
    {
        var seal = await _chain.SealAsync(_migration ? "migration" : kind, _settings.GapWait, _clock.GetUtcNow());
        _migration = false;
        _nextSeal = seal.SealedAt + _settings.SealInterval;
        Directory.CreateDirectory(_settings.ExportDirectory);
        var json = JsonSerializer.Serialize(SealFile.From(seal), SealFile.Options);
        await File.WriteAllTextAsync(Path.Combine(_settings.ExportDirectory, SealFile.NameOf(seal.SealId)), json);
        if (_settings.ExportUrl.Length > 0)
            (await _http.PostAsync(_settings.ExportUrl, new StringContent(json, System.Text.Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        _log.Info("Sealed the journal: seal {0} ({1}), {2} streams, {3} events, root {4}", seal.SealId, seal.Kind, seal.Streams, seal.Events, seal.Root);
        return seal;
    }

    public static Props Props(JournalDatabase database, AuditSettings settings, TimeProvider clock, HttpClient http) =>
        Akka.Actor.Props.Create(() => new ChainKeeper(database, settings, clock, http));

    private sealed class Start
    {
        public static readonly Start Instance = new();
    }

    private sealed class Tick
    {
        public static readonly Tick Instance = new();
    }
}

/// <summary>A seal as exported: what an outside party keeps, and what verify --seal reads back.</summary>
public sealed record SealFile(string Format, long SealId, DateTimeOffset SealedAt, string Kind, long HighestOrdering, long Streams, long Events, string Root,
    string? PreviousRoot)
{
    public const string FormatName = "creditactors-journal-seal/1";

    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static SealFile From(JournalSeal s) => new(FormatName, s.SealId, s.SealedAt, s.Kind, s.HighestOrdering, s.Streams, s.Events, s.Root, s.PreviousRoot);

    public static string NameOf(long sealId) => $"seal-{sealId.ToString("D8", CultureInfo.InvariantCulture)}.json";
}
