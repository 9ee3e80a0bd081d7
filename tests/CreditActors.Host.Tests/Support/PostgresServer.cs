using System.Diagnostics;
using Npgsql;

namespace CreditActors.Host.Tests.Support;

/// <summary>
/// A throwaway PostgreSQL server from the machine's own binaries: a temporary data directory, 127.0.0.1 and a free
/// port. As root it runs as the postgres user (initdb and postgres refuse root). Stopped and deleted on dispose.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    private readonly string _binDirectory;
    private readonly bool _asPostgresUser = Environment.UserName == "root";

    public PostgresServer()
    {
        _binDirectory = FindBinaries();
        DataDirectory = Path.Combine(Path.GetTempPath(), "creditactors-pg-" + Guid.NewGuid().ToString("N"));
        Port = NodeProcess.FreePort();
        Directory.CreateDirectory(DataDirectory);
        if (_asPostgresUser)
            Run("chown", $"-R postgres:postgres {DataDirectory}", asPostgres: false);
        Run(Path.Combine(_binDirectory, "initdb"), $"-D {DataDirectory} -U postgres --auth=trust -E UTF8 --no-locale", asPostgres: _asPostgresUser);
        Start();
    }

    public string DataDirectory { get; }

    public int Port { get; }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Database={database};Username=postgres;Pooling=true;Timeout=5;Command Timeout=10";

    /// <summary>Starts (or restarts) the server on the same directory and port.</summary>
    public void Start() =>
        // fsync off: a test database needs no crash durability, and it keeps the suite fast on a small machine.
        Run(Path.Combine(_binDirectory, "pg_ctl"),
            $"-D {DataDirectory} -l {DataDirectory}/server.log -o \"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={DataDirectory} -c fsync=off -c max_connections=200\" -w -t 60 start",
            asPostgres: _asPostgresUser);

    /// <summary>Stops the server at once (fast shutdown: open transactions are rolled back).</summary>
    public void Stop()
    {
        Run(Path.Combine(_binDirectory, "pg_ctl"), $"-D {DataDirectory} -m fast -w -t 60 stop", asPostgres: _asPostgresUser);
        NpgsqlConnection.ClearAllPools();
    }

    public async Task<string> CreateDatabaseAsync(string name)
    {
        // Unpooled: a pooled connection would not survive a restart of the server by the outage test.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString("postgres")) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public void Dispose()
    {
        try { Stop(); } catch (InvalidOperationException) { }
        NpgsqlConnection.ClearAllPools();
        TempDirectory.Delete(DataDirectory);
    }

    private static string FindBinaries()
    {
        var candidates = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).OrderDescending()
            : Enumerable.Empty<string>();
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            ?? throw new InvalidOperationException(
                "PostgreSQL server binaries (initdb, pg_ctl) were not found under /usr/lib/postgresql/*/bin. " +
                "Install them with: sudo apt-get install -y postgresql   (ops/test.sh does this on a fresh machine)");
    }

    private static void Run(string file, string arguments, bool asPostgres)
    {
        var info = asPostgres
            ? new ProcessStartInfo("runuser", $"-u postgres -- {file} {arguments}")
            : new ProcessStartInfo(file, arguments);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.WorkingDirectory = Path.GetTempPath();
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{Path.GetFileName(file)} did not finish in 90 s");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(file)} {arguments} failed ({process.ExitCode}): {output.Result} {error.Result}");
    }
}
