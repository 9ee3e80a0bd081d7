using System.Diagnostics;
using System.Net.Sockets;
using MimeKit;

namespace CreditActors.Host.Tests.Support;

/// <summary>
/// A real SMTP server for delivery tests: Debian's aiosmtpd (python3-aiosmtpd, installed by ops/test.sh), listening on
/// 127.0.0.1 and keeping every message it accepts in a Maildir that the test reads. It can be stopped and started again on
/// the same port, to play a mail server that goes down and comes back.
/// </summary>
public sealed class SmtpServer : IDisposable
{
    private const string Python = "/usr/bin/python3";
    private readonly string _maildir = Path.Combine(Path.GetTempPath(), "smtp-" + Guid.NewGuid().ToString("N"));
    private Process? _process;

    public SmtpServer() => Port = NodeProcess.FreePort();

    public int Port { get; }

    public static bool Available => File.Exists(Python)
        && Process.Start(new ProcessStartInfo(Python, "-c \"import aiosmtpd\"") { RedirectStandardError = true })!.WaitForExit(10_000) is var exited
        && exited;

    public async Task StartAsync()
    {
        var info = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{Port}", "-c", "aiosmtpd.handlers.Mailbox", _maildir })
            info.ArgumentList.Add(argument);
        _process = Process.Start(info) ?? throw new InvalidOperationException("aiosmtpd did not start");
        // Bounded: the server listens within a few seconds or the test fails.
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException)
            {
                if (_process.HasExited)
                    throw new InvalidOperationException($"aiosmtpd exited: {await _process.StandardError.ReadToEndAsync()}");
                await Task.Delay(100);
            }
        }
        throw new InvalidOperationException($"aiosmtpd is not listening on 127.0.0.1:{Port}");
    }

    public void Stop()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        _process?.Dispose();
        _process = null;
    }

    /// <summary>Every message received so far, parsed.</summary>
    public IReadOnlyList<MimeMessage> Messages()
    {
        var folder = Path.Combine(_maildir, "new");
        return Directory.Exists(folder)
            ? [.. Directory.GetFiles(folder).Order(StringComparer.Ordinal).Select(f => MimeMessage.Load(f))]
            : [];
    }

    /// <summary>Waits (bounded: 30 s) until at least <paramref name="count"/> messages have arrived.</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForAsync(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var messages = Messages();
            if (messages.Count >= count)
                return messages;
            await Task.Delay(100);
        }
        throw new TimeoutException($"{Messages().Count} messages arrived, not {count}");
    }

    public void Dispose()
    {
        Stop();
        if (Directory.Exists(_maildir))
            Directory.Delete(_maildir, recursive: true);
    }
}
