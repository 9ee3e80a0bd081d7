using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CreditActors.Domain.Accounts;
using CreditActors.Domain.Aging;
using CreditActors.Domain.Ledger;
using CreditActors.Persistence;
using CreditActors.Persistence.Audit;
using MiniExcelLibs;

namespace CreditActors.Cli;

/// <summary>What each command does. Results go to standard output (or --output), progress and errors to standard error.</summary>
public static class Commands
{
    public sealed record Source(FileInfo? Sqlite, string? Postgres, bool Quiet)
    {
        public JournalDatabase Database(bool readOnly)
        {
            if ((Sqlite is null) == (Postgres is null))
                throw new CliException(ExitCodes.Usage, "name the journal with exactly one of --sqlite FILE and --postgres CONNECTION-STRING");
            if (Sqlite is { Exists: false })
                throw new CliException(ExitCodes.Unreadable, $"{Sqlite.FullName} does not exist");
            return Sqlite is not null ? JournalDatabase.SqliteFile(Sqlite.FullName, readOnly) : JournalDatabase.PostgreSql(Postgres!, readOnly);
        }

        public IProgress<long> Progress(string what) => new Reporter(Quiet, what);
    }

    private sealed class Reporter(bool quiet, string what) : IProgress<long>
    {
        private DateTime _last = DateTime.MinValue;

        public void Report(long value)
        {
            if (quiet || (DateTime.UtcNow - _last).TotalSeconds < 1)
                return;
            _last = DateTime.UtcNow;
            Console.Error.WriteLine($"{what}: {value:N0}");
        }
    }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonSerializerOptions Line = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Runs a command, turning what went wrong into its exit code and a message.</summary>
    public static async Task<int> Run(Func<Task<int>> command)
    {
        try
        {
            return await command();
        }
        catch (CliException e)
        {
            await Console.Error.WriteLineAsync($"creditactors: {e.Message}");
            return e.ExitCode;
        }
        catch (System.Data.Common.DbException e)
        {
            await Console.Error.WriteLineAsync($"creditactors: the journal cannot be read: {e.Message}");
            return ExitCodes.Unreadable;
        }
    }

    public static DateOnly? Date(string? text, string option) =>
        text is null ? null
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date
        : throw new CliException(ExitCodes.Usage, $"{option} must be a date as YYYY-MM-DD, not '{text}'");

    public static DateTimeOffset? Instant(string? text) =>
        text is null ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant) ? instant
        : throw new CliException(ExitCodes.Usage, $"--known-at must be an ISO 8601 instant such as 2026-12-31T23:59:59Z, not '{text}'");

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    public static async Task<int> VerifyAsync(Source source, bool full, FileInfo? sealFile, bool json, CancellationToken cancellation)
    {
        var database = source.Database(readOnly: true);
        ExportedSeal? held = null;
        if (sealFile is not null)
        {
            if (!sealFile.Exists)
                throw new CliException(ExitCodes.Usage, $"{sealFile.FullName} does not exist");
            try
            {
                held = JsonSerializer.Deserialize<ExportedSeal>(await File.ReadAllTextAsync(sealFile.FullName, cancellation), Line)
                    ?? throw new CliException(ExitCodes.Usage, $"{sealFile.Name} holds no seal");
            }
            catch (JsonException e)
            {
                throw new CliException(ExitCodes.Usage, $"{sealFile.Name} is not a seal file: {e.Message}");
            }
        }
        await using (await new JournalSource(database).OpenAsync(cancellation))
        {
        }
        var report = await JournalVerifier.VerifyAsync(database, full, held, source.Progress("events verified"), cancellation);
        if (json)
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                report.Mode, report.Clean, report.Streams, report.Events, report.Unchained, seconds = Math.Round(report.Elapsed.TotalSeconds, 3),
                breaks = report.Breaks, seals = report.Seals,
            }, Json));
        else
        {
            Console.WriteLine($"{(report.Clean ? "CLEAN" : "TAMPERED")}: {report.Mode} verify of {report.Streams:N0} streams, {report.Events:N0} events in {report.Elapsed.TotalSeconds:N1} s");
            if (report.Unchained > 0)
                Console.WriteLine($"  {report.Unchained:N0} events at the end of their streams are not chained yet (written after the chain keeper last ran)");
            foreach (var b in report.Breaks)
                Console.WriteLine($"  BROKEN {b.PersistenceId} at {b.SequenceNumber}: {b.Kind}: {b.Detail}");
            foreach (var s in report.Seals)
                Console.WriteLine($"  {(s.Matches ? "seal ok" : "SEAL MISMATCH")}: {s.Detail}");
            if (report.Seals.Count == 0)
                Console.WriteLine("  no seal yet: nothing outside vouches for the chain; run `creditactors seal` or let the service seal");
        }
        return report.Clean ? ExitCodes.Ok : ExitCodes.Tampered;
    }

    public static async Task<int> SealAsync(Source source, CancellationToken cancellation)
    {
        var database = source.Database(readOnly: false);
        await using (await new JournalSource(database).OpenAsync(cancellation))
        {
        }
        var chain = new JournalChain(database);
        await chain.EnsureSchemaAsync(cancellation);
        var first = (await chain.SealsAsync(cancellation)).Count == 0 && await chain.ProgressAsync(cancellation) == 0;
        await chain.ChainAllAsync(TimeSpan.Zero, DateTimeOffset.UtcNow, source.Progress("events chained"), cancellation);
        var seal = await chain.SealAsync(first ? "migration" : "manual", TimeSpan.Zero, DateTimeOffset.UtcNow, cancellation);
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            format = "creditactors-journal-seal/1", seal.SealId, seal.SealedAt, seal.Kind, seal.HighestOrdering, seal.Streams, seal.Events, seal.Root,
            seal.PreviousRoot,
        }, Json));
        return ExitCodes.Ok;
    }

    public static async Task<int> ShowAsync(Source source, string accountId, DateOnly? asOf, DateTimeOffset? knownAt, CancellationToken cancellation)
    {
        if (!Identifiers.IsValid(accountId))
            throw new CliException(ExitCodes.Usage, $"account-id {Identifiers.Rule}");
        var journal = new JournalSource(source.Database(readOnly: true));
        var events = new List<AccountEvent>();
        await foreach (var (_, _, e) in journal.EventsAsync(accountId, byAccount: true, cancellation))
            events.Add(e);
        if (events.Count == 0)
            throw new CliException(ExitCodes.NotFound, $"account {accountId} is not in the journal");
        var date = asOf ?? Today;
        var s = CreditAccount.ReplayAsOf(accountId, events, date, knownAt);
        if (!s.IsOpened)
            throw new CliException(ExitCodes.NotFound, $"account {accountId} did not exist yet on {date:yyyy-MM-dd}");
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            accountId, asOf = date, knownAt, version = s.Version, currency = s.CurrencyCode, status = s.Status.ToString(), name = s.Profile.Name,
            creditLimit = s.CreditLimit, receivables = s.Receivables, holds = s.HeldAmount, exposure = s.Exposure, availableCredit = s.AvailableCredit,
            unappliedCash = s.UnappliedCash, paymentTermsDays = s.PaymentTermsDays,
            openInvoices = s.Invoices.Values.Where(i => i.Open > 0m).Select(i => new
            {
                i.InvoiceNumber, i.IssueDate, i.DueDate, i.Amount, i.Open,
                lines = i.Lines.Where(l => l.Open > 0m).Select(l => new { l.Line, l.DueDate, l.Amount, l.Open }),
            }),
            activeHolds = s.ActiveHolds.Select(h => new { h.HoldId, h.Amount, h.ExpiresAt, h.OrderReference }),
        }, Json));
        return ExitCodes.Ok;
    }

    /// <summary>Where an export goes: a file, or standard output (never for xlsx, which is not text).</summary>
    private static Stream Target(string format, FileInfo? output)
    {
        if (format == "xlsx" && output is null)
            throw new CliException(ExitCodes.Usage, "--format xlsx needs --output FILE.xlsx");
        return output is null ? Console.OpenStandardOutput() : File.Create(output.FullName);
    }

    /// <summary>Writes rows as CSV (a header of the keys), JSON Lines, or an xlsx sheet, streamed.</summary>
    private static async Task WriteAsync(string format, FileInfo? output, string sheet, IAsyncEnumerable<Dictionary<string, object?>> rows,
        CancellationToken cancellation)
    {
        await using var stream = Target(format, output);
        if (format == "xlsx")
        {
            var all = new List<Dictionary<string, object?>>();
            await foreach (var row in rows.WithCancellation(cancellation))
                all.Add(row);
            await MiniExcel.SaveAsAsync(stream, all, sheetName: sheet, cancellationToken: cancellation);
            return;
        }
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false));
        var header = false;
        await foreach (var row in rows.WithCancellation(cancellation))
        {
            if (format == "jsonl")
            {
                await writer.WriteLineAsync(JsonSerializer.Serialize(row, Line));
                continue;
            }
            if (!header)
            {
                await writer.WriteLineAsync(string.Join(",", row.Keys.Select(Csv)));
                header = true;
            }
            await writer.WriteLineAsync(string.Join(",", row.Values.Select(v => Csv(Text(v)))));
        }
    }

    private static string Text(object? value) => value switch
    {
        null => "",
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Csv(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static Task<int> ExportEventsAsync(Source source, string format, FileInfo? output, string? accountId, DateOnly? from, DateOnly? to,
        CancellationToken cancellation)
    {
        if (accountId is not null && !Identifiers.IsValid(accountId))
            throw new CliException(ExitCodes.Usage, $"--account {Identifiers.Rule}");
        var journal = new JournalSource(source.Database(readOnly: true));
        var progress = source.Progress("events exported");
        async IAsyncEnumerable<Dictionary<string, object?>> Rows()
        {
            long count = 0;
            await foreach (var (id, version, e) in journal.EventsAsync(accountId, byAccount: false, cancellation))
            {
                if ((from is { } f && e.Meta.EffectiveDate < f) || (to is { } t && e.Meta.EffectiveDate > t))
                    continue;
                var data = JsonSerializer.SerializeToNode(e, e.GetType(), JournalJson.Options)!.AsObject();
                data.Remove("meta");
                progress.Report(++count);
                yield return new Dictionary<string, object?>
                {
                    ["accountId"] = id, ["version"] = version, ["type"] = EventCatalog.ForType(e.GetType()).Name, ["effectiveDate"] = e.Meta.EffectiveDate,
                    ["recordedAt"] = e.Meta.RecordedAt, ["actor"] = e.Meta.Actor, ["correlationId"] = e.Meta.CorrelationId,
                    ["data"] = format == "jsonl" ? data : data.ToJsonString(),
                };
            }
        }
        return Done(WriteAsync(format, output, "Events", Rows(), cancellation));
    }

    private static async Task<int> Done(Task work)
    {
        await work;
        return ExitCodes.Ok;
    }

    private static Chart ChartOf(string id) => Chart.All.Single(c => c.Id == id);

    public static Task<int> ExportPostingsAsync(Source source, string format, FileInfo? output, DateOnly? from, DateOnly? to, string chart,
        CancellationToken cancellation)
    {
        var journal = new JournalSource(source.Database(readOnly: true));
        var ledger = new GeneralLedger(ChartOf(chart), from, to ?? Today, null);
        async IAsyncEnumerable<Dictionary<string, object?>> Rows()
        {
            await foreach (var (id, _, e) in journal.EventsAsync(null, byAccount: false, cancellation))
                foreach (var l in ledger.Apply(id, e))
                    yield return new Dictionary<string, object?>
                    {
                        ["date"] = l.Date, ["document"] = l.Document, ["customer"] = l.Customer, ["account"] = l.Code, ["accountName"] = l.AccountName,
                        ["debit"] = l.Debit, ["credit"] = l.Credit, ["currency"] = l.Currency,
                    };
        }
        return Done(WriteAsync(format, output, "Postings", Rows(), cancellation));
    }

    public static async Task<int> ExportTrialBalanceAsync(Source source, string format, FileInfo? output, DateOnly? asOf, DateTimeOffset? knownAt, string chart,
        CancellationToken cancellation)
    {
        var journal = new JournalSource(source.Database(readOnly: true));
        var ledger = new GeneralLedger(ChartOf(chart), null, asOf ?? Today, knownAt);
        var progress = source.Progress("events read");
        long count = 0;
        await foreach (var (id, _, e) in journal.EventsAsync(null, byAccount: false, cancellation))
        {
            foreach (var _ in ledger.Apply(id, e))
            {
            }
            progress.Report(++count);
        }
        var report = ledger.TrialBalance();
        async IAsyncEnumerable<Dictionary<string, object?>> Rows()
        {
            foreach (var l in report.Lines)
                yield return new Dictionary<string, object?>
                {
                    ["currency"] = l.Currency, ["account"] = l.Code, ["accountName"] = l.AccountName, ["debit"] = l.Debit, ["credit"] = l.Credit, ["balance"] = l.Balance,
                };
            await Task.CompletedTask;
        }
        await WriteAsync(format, output, "Trial balance", Rows(), cancellation);
        foreach (var c in report.Controls)
            await Console.Error.WriteLineAsync(
                $"{c.Currency}: receivable control {c.ReceivableControl} {(c.Agrees ? "=" : "≠")} {c.CustomerBalances} the {c.Customers} customers' balances; trial balance sums to {c.TrialBalanceSum}");
        return report.Controls.All(c => c.Agrees) ? ExitCodes.Ok : ExitCodes.Tampered;
    }

    public static Task<int> ExportAgingAsync(Source source, string format, FileInfo? output, DateOnly? asOf, DateTimeOffset? knownAt, string? bucketText,
        CancellationToken cancellation)
    {
        var buckets = bucketText is null ? AgingBuckets.Default
            : AgingBuckets.Parse(bucketText) ?? throw new CliException(ExitCodes.Usage, "--buckets must be increasing day counts such as 30,60,90,180");
        var journal = new JournalSource(source.Database(readOnly: true));
        var date = asOf ?? Today;
        var labels = buckets.Labels;
        async IAsyncEnumerable<Dictionary<string, object?>> Rows()
        {
            await foreach (var (id, events) in journal.AccountsAsync(cancellation))
            {
                var currency = events.OfType<AccountOpened>().FirstOrDefault()?.Currency ?? "";
                foreach (var line in AgingCalculator.FromEvents(id, events, date, buckets, knownAt))
                    yield return new Dictionary<string, object?>
                    {
                        ["accountId"] = line.AccountId, ["invoiceNumber"] = line.InvoiceNumber, ["line"] = line.Line, ["currency"] = currency,
                        ["dueDate"] = line.DueDate, ["daysPastDue"] = line.DaysPastDue, ["bucket"] = labels[line.Bucket], ["open"] = line.Open,
                    };
            }
        }
        return Done(WriteAsync(format, output, "Aging", Rows(), cancellation));
    }
}
