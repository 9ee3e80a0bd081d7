using System.CommandLine;
using System.Globalization;
using CreditActors.Cli;

// creditactors: the auditor's command line. Works on the journal directly (a SQLite file or a PostgreSQL database),
// with no service running; reads only, except `seal`, which writes to the chain and seal tables and never to the journal.
var sqlite = new Option<FileInfo?>("--sqlite")
{
    Description = "The journal's SQLite file (creditactors.db in the service's data directory).", Recursive = true,
};
var postgres = new Option<string?>("--postgres")
{
    Description = "A PostgreSQL connection string to the journal's database (or set CREDITACTORS_POSTGRES).", Recursive = true,
};
var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress on standard error.", Recursive = true };

var root = new RootCommand("""
    creditactors: verify, replay and export a CreditActors journal without the service.

    Name the journal with --sqlite FILE or --postgres CONNECTION-STRING. Every command reads only, except seal.
    Exit codes: 0 done (verify: clean); 1 verify found a broken link or a seal that no longer matches;
    2 the command line is wrong; 3 the journal cannot be opened or read; 4 the account is not in the journal.
    """);
root.Options.Add(sqlite);
root.Options.Add(postgres);
root.Options.Add(quiet);

Commands.Source Source(ParseResult result) => new(result.GetValue(sqlite), result.GetValue(postgres) ?? Environment.GetEnvironmentVariable("CREDITACTORS_POSTGRES"),
    result.GetValue(quiet));

// verify
var incremental = new Option<bool>("--incremental") { Description = "Check only the events after the last seal (after checking that seal); the default is in full." };
var held = new Option<FileInfo?>("--seal") { Description = "A seal file kept outside (seal-NNNNNNNN.json): the seal table must still hold its root." };
var json = new Option<bool>("--json") { Description = "The report as JSON on standard output." };
var verify = new Command("verify", "Recompute every stream's hash chain from the journal and check the seals; names the first broken link of each stream.");
verify.Options.Add(incremental);
verify.Options.Add(held);
verify.Options.Add(json);
verify.SetAction((result, cancellation) => Commands.Run(() => Commands.VerifyAsync(Source(result), !result.GetValue(incremental), result.GetValue(held),
    result.GetValue(json), cancellation)));
root.Subcommands.Add(verify);

// seal
var seal = new Command("seal", "Chain what is written and write a seal now (the Merkle root over every stream's head); prints the seal as kept outside.");
seal.Options.Add(new Option<bool>("--json") { Description = "Ignored: the seal is always printed as JSON." });
seal.SetAction((result, cancellation) => Commands.Run(() => Commands.SealAsync(Source(result), cancellation)));
root.Subcommands.Add(seal);

// account show
var accountId = new Argument<string>("account-id") { Description = "The account's id, as in the API." };
var asOf = new Option<string?>("--as-of") { Description = "The date (YYYY-MM-DD): events effective on or before it. Default: today (UTC)." };
var knownAt = new Option<string?>("--known-at") { Description = "The instant (ISO 8601): only events recorded by then, as the ledger knew it." };
var show = new Command("show", "The account as of a date and as known at an instant: figures, open invoices, active holds (JSON).");
show.Arguments.Add(accountId);
show.Options.Add(asOf);
show.Options.Add(knownAt);
show.SetAction((result, cancellation) => Commands.Run(() => Commands.ShowAsync(Source(result), result.GetValue(accountId)!,
    Commands.Date(result.GetValue(asOf), "--as-of"), Commands.Instant(result.GetValue(knownAt)), cancellation)));
var account = new Command("account", "Read one account from the journal.");
account.Subcommands.Add(show);
root.Subcommands.Add(account);

// export
var format = new Option<string>("--format") { Description = "csv, xlsx (needs --output) or jsonl.", DefaultValueFactory = _ => "csv" };
format.AcceptOnlyFromAmong("csv", "xlsx", "jsonl");
var output = new Option<FileInfo?>("--output", "-o") { Description = "Write to this file instead of standard output." };
var from = new Option<string?>("--from") { Description = "The first effective date (YYYY-MM-DD)." };
var to = new Option<string?>("--to") { Description = "The last effective date (YYYY-MM-DD). Default: today (UTC)." };
var chart = new Option<string>("--chart") { Description = "The chart of accounts: cn (企业会计准则) or generic.", DefaultValueFactory = _ => "cn" };
chart.AcceptOnlyFromAmong("cn", "generic");
var onlyAccount = new Option<string?>("--account") { Description = "Only this account's events." };
var buckets = new Option<string?>("--buckets") { Description = "Aging bucket boundaries in days, such as 30,60,90,180 (the default)." };

var export = new Command("export", "Export from the journal, streamed: events, postings, the trial balance, the aging.");
var events = new Command("events", "Every account event (or one account's, or those effective in a date range): CSV or JSON Lines.");
events.Options.Add(format);
events.Options.Add(output);
events.Options.Add(onlyAccount);
events.Options.Add(from);
events.Options.Add(to);
events.SetAction((result, cancellation) => Commands.Run(() => Commands.ExportEventsAsync(Source(result), result.GetValue(format)!, result.GetValue(output),
    result.GetValue(onlyAccount), Commands.Date(result.GetValue(from), "--from"), Commands.Date(result.GetValue(to), "--to"), cancellation)));
var postings = new Command("postings", "The postings of every money event in a period, with the chart's account codes.");
foreach (var option in new Option[] { format, output, from, to, chart })
    postings.Options.Add(option);
postings.SetAction((result, cancellation) => Commands.Run(() => Commands.ExportPostingsAsync(Source(result), result.GetValue(format)!, result.GetValue(output),
    Commands.Date(result.GetValue(from), "--from"), Commands.Date(result.GetValue(to), "--to"), result.GetValue(chart)!, cancellation)));
var trialBalance = new Command("trial-balance", "The trial balance as of a date across all accounts, with the receivable control total checked.");
foreach (var option in new Option[] { format, output, asOf, knownAt, chart })
    trialBalance.Options.Add(option);
trialBalance.SetAction((result, cancellation) => Commands.Run(() => Commands.ExportTrialBalanceAsync(Source(result), result.GetValue(format)!,
    result.GetValue(output), Commands.Date(result.GetValue(asOf), "--as-of"), Commands.Instant(result.GetValue(knownAt)), result.GetValue(chart)!, cancellation)));
var aging = new Command("aging", "Every open line as of a date with its days past due and bucket (账龄), replayed account by account.");
foreach (var option in new Option[] { format, output, asOf, knownAt, buckets })
    aging.Options.Add(option);
aging.SetAction((result, cancellation) => Commands.Run(() => Commands.ExportAgingAsync(Source(result), result.GetValue(format)!, result.GetValue(output),
    Commands.Date(result.GetValue(asOf), "--as-of"), Commands.Instant(result.GetValue(knownAt)), result.GetValue(buckets), cancellation)));
foreach (var command in new[] { events, postings, trialBalance, aging })
    export.Subcommands.Add(command);
root.Subcommands.Add(export);

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0 && parsed.Action is not System.CommandLine.Help.HelpAction)
{
    foreach (var error in parsed.Errors)
        await Console.Error.WriteLineAsync(error.Message);
    await Console.Error.WriteLineAsync("Try creditactors --help.");
    return ExitCodes.Usage;
}
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
return await parsed.InvokeAsync();
