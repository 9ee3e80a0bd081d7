namespace CreditActors.Persistence;

public enum StorageProvider { Sqlite, PostgreSql }

/// <summary>
/// Where the journal and snapshots live. SQLite (a file under <see cref="DataDirectory"/>) is the embedded default;
/// PostgreSQL takes <see cref="ConnectionString"/>.
/// </summary>
public sealed record StorageSettings(StorageProvider Provider, string DataDirectory, string? ConnectionString)
{
    public const string SqliteFileName = "creditactors.db";

    /// <summary>On SQLite the read models have a file of their own: SQLite has one writer per file, and the journal's must not wait on them.</summary>
    public const string ReadModelFileName = "readmodels.db";

    public static StorageSettings Sqlite(string dataDirectory) => new(StorageProvider.Sqlite, dataDirectory, null);

    public string SqliteFilePath => Path.Combine(Path.GetFullPath(DataDirectory), SqliteFileName);

    public string ReadModelFilePath => Path.Combine(Path.GetFullPath(DataDirectory), ReadModelFileName);

    /// <summary>Where the read models live: their own SQLite file, or the journal's PostgreSQL database.</summary>
    public string ReadModelConnectionString => Provider == StorageProvider.Sqlite
        ? $"Data Source={ReadModelFilePath};Pooling=True;Default Timeout=30"
        : EffectiveConnectionString;

    /// <summary>The connection string handed to the journal; secrets in it are never logged.</summary>
    public string EffectiveConnectionString => Provider switch
    {
        StorageProvider.Sqlite => $"Data Source={SqliteFilePath};Pooling=True;Default Timeout=30",
        _ => ConnectionString is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException("Storage:ConnectionString is required when Storage:Provider is PostgreSql"),
    };

    /// <summary>The linq2db provider name.</summary>
    public string ProviderName => Provider == StorageProvider.Sqlite ? "SQLite.MS" : "PostgreSQL.15";

    /// <summary>Where the data is, for the log: the file for SQLite, host and database for PostgreSQL, never a password.</summary>
    public string Describe() => Provider == StorageProvider.Sqlite
        ? $"SQLite file {SqliteFilePath}"
        : "PostgreSQL " + string.Join(";", (ConnectionString ?? "").Split(';')
            .Where(p => p.Split('=')[0].Trim().ToLowerInvariant() is "host" or "server" or "port" or "database"));
}
