using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;
using Serilog;
using Serilog.Events;

namespace CreditActors.Host.Logging;

/// <summary>Forwards Akka's log events to the host's Serilog logger (named in akka.hocon's akka.loggers).</summary>
public sealed class SerilogAkkaLogger : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    public SerilogAkkaLogger()
    {
        Receive<Error>(e => Write(LogEventLevel.Error, e));
        Receive<Warning>(e => Write(LogEventLevel.Warning, e));
        Receive<Info>(e => Write(LogEventLevel.Information, e));
        Receive<Debug>(e => Write(LogEventLevel.Debug, e));
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
    }

    private static void Write(LogEventLevel level, Akka.Event.LogEvent e)
    {
        var cause = (e as Error)?.Cause;
        Log.ForContext("SourceContext", "Akka")
            .ForContext("AkkaSource", e.LogSource)
            .Write(level, cause, "{AkkaSource}: {AkkaMessage}", e.LogSource, e.Message?.ToString());
    }
}
