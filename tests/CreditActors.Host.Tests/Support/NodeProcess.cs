using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CreditActors.Host.Tests.Support;

/// <summary>One CreditActors node as a separate process (the built host), on 127.0.0.1 ports of its own.</summary>
public sealed class NodeProcess : IDisposable
{
    private readonly string[] _arguments;
    private readonly string _logFile;
    private Process? _process;
    private StreamWriter? _log;

    public NodeProcess(string name, int httpPort, int remotingPort, string seedNode, IEnumerable<string> extraArguments, string logDirectory)
    {
        Name = name;
        HttpPort = httpPort;
        RemotingPort = remotingPort;
        _logFile = Path.Combine(logDirectory, $"{name}.log");
        _arguments = HostArguments.WithoutScheduledRuns(
        [
            "CreditActors.Host.dll",
            $"--urls=http://127.0.0.1:{httpPort}",
            "--Cluster:Hostname=127.0.0.1",
            $"--Cluster:Port={remotingPort}",
            $"--Cluster:SeedNodes={seedNode}",
            "--Logging:MinimumLevel=Warning",
            .. extraArguments,
        ]);
    }

    public string Name { get; }

    public int HttpPort { get; }

    public int RemotingPort { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort}");

    public bool IsRunning => _process is { HasExited: false };

    public static string Address(int remotingPort) => $"akka.tcp://credit-actors@127.0.0.1:{remotingPort}";

    public static int FreePort() => FreePorts(1)[0];

    /// <summary>
    /// Ports free on 127.0.0.1 now, all different: each is held until all are found, so that one port released by the search
    /// is not handed out again for a second use (a node's HTTP port once came back as another node's remoting port).
    /// </summary>
    public static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            foreach (var listener in listeners)
                listener.Start();
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var listener in listeners)
                listener.Dispose();
        }
    }

    public void Start()
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in _arguments)
            info.ArgumentList.Add(argument);
        _log?.Dispose();
        var log = _log = new StreamWriter(_logFile, append: true) { AutoFlush = true };
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
            return;
        lock (log)
        {
            try { log.WriteLine(line); } catch (ObjectDisposedException) { }
        }
    }

    /// <summary>SIGKILL: the node dies at once, mid-write, with no chance to leave the cluster.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
    }

    /// <summary>SIGTERM: the node leaves the cluster and hands its shards over; killed if it takes over 30 s.</summary>
    public void Stop()
    {
        if (_process is not { HasExited: false } process)
            return;
        using (var term = Process.Start("kill", $"-TERM {process.Id}"))
            term.WaitForExit(5_000);
        if (!process.WaitForExit(30_000))
            Kill();
    }

    public string Log() => File.Exists(_logFile) ? string.Join('\n', File.ReadLines(_logFile).TakeLast(40)) : "";

    public void Dispose()
    {
        Stop();
        _process?.Dispose();
        _log?.Dispose();
    }
}
