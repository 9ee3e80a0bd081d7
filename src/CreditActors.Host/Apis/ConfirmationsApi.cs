using System.Globalization;
using System.Text.Json;
using Akka.Actor;
using CreditActors.Actors.Accounts;
using CreditActors.Domain.Accounts;
using CreditActors.Domain.Money;
using CreditActors.Host.Cluster;
using CreditActors.Host.Http;
using CreditActors.Host.OpenApi;
using CreditActors.Host.Statements;
using Fluid;

namespace CreditActors.Host.Apis;

/// <summary>A reply to a statement's balance confirmation, as JSON (a browser's form sends the same fields).</summary>
public sealed record ConfirmationReplyRequest(
    string? Answer, decimal? TheirBalance = null, IReadOnlyList<DifferenceItemRequestBody>? Items = null, string? Respondent = null, string? Comment = null);

public sealed record DifferenceItemRequestBody(string? Document, decimal? Amount, string? Note);

/// <summary>What a confirmation link shows: the statement's closing balance, what it asks, and whether it was answered.</summary>
public sealed record ConfirmationView(
    string AccountId, string StatementId, string Customer, DateOnly From, DateOnly To, decimal ClosingBalance, string Currency, string Variant,
    DateTimeOffset ExpiresAt, string? Reply, decimal? TheirBalance, decimal? Difference);

/// <summary>
/// The customer's side of balance confirmation (对账确认): a signed, expiring link per statement, used without an API key,
/// that shows the closing balance and takes the reply (agree, or their balance and the items they see differently).
/// </summary>
public static class ConfirmationsApi
{
    private static readonly FluidParser Parser = new();
    private static readonly TemplateOptions Options = CreateOptions();
    private static readonly Dictionary<string, IFluidTemplate> Pages = StatementFormats.Languages.Keys.ToDictionary(l => l, l =>
    {
        using var stream = typeof(ConfirmationsApi).Assembly.GetManifestResourceStream($"notice-template.confirm.{l}.liquid")!;
        using var reader = new StreamReader(stream);
        return Parser.Parse(reader.ReadToEnd());
    });

    private static readonly Dictionary<string, Dictionary<string, string>> Words = new()
    {
        ["en"] = new()
        {
            ["title"] = "Balance confirmation", ["closing"] = "Closing balance per our books", ["agree"] = "I confirm this balance",
            ["disagree"] = "Our balance is different", ["theirBalance"] = "Your balance", ["items"] = "Items you see differently (one per line: document; amount; note)",
            ["itemExample"] = "paid on 30 November", ["respondent"] = "Your name", ["comment"] = "Comment", ["send"] = "Send",
            ["confirmation"] = "Please confirm the balance or tell us yours.", ["request"] = "Please tell us the balance per your books.",
            ["notification"] = "Reply only if your balance is different.", ["thanks"] = "Thank you: your reply is recorded.",
            ["answered"] = "This statement has been answered. Thank you.",
        },
        ["zh"] = new()
        {
            ["title"] = "往来余额询证", ["closing"] = "我司账面期末余额", ["agree"] = "确认此余额无误", ["disagree"] = "我司余额不符",
            ["theirBalance"] = "贵司账面余额", ["items"] = "存在差异的项目（每行一项：单据号; 金额; 说明）", ["itemExample"] = "已于11月30日付款",
            ["respondent"] = "回复人姓名", ["comment"] = "备注", ["send"] = "提交",
            ["confirmation"] = "请确认上述余额，如有不符请告知贵司余额。", ["request"] = "请告知贵司账面余额。",
            ["notification"] = "如余额不符，请回复；相符则无需回复。", ["thanks"] = "感谢回复，已记录。", ["answered"] = "本对账单已回复，谢谢。",
        },
    };

    private static TemplateOptions CreateOptions()
    {
        var options = new TemplateOptions();
        options.MemberAccessStrategy.MemberNameStrategy = MemberNameStrategies.CamelCase;
        options.MemberAccessStrategy.Register<PageModel>();
        return options;
    }

    public sealed record PageModel(
        IReadOnlyDictionary<string, string> W, string AccountId, string Customer, string From, string To, string Closing, string Currency, string Variant,
        string Ask, string? Message);

    public static void MapConfirmationsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/confirmations/{token}", ShowAsync).AllowAnonymous().WithTags("Statements")
            .Describe("getConfirmation", "What a confirmation link shows (no API key: the signed link is the permission); Accept: text/html for the page")
            .WithContract(new ContractMetadata(Html: true, SignedLink: true)).Produces<ConfirmationView>();
        app.MapPost("/confirmations/{token}", ReplyAsync).AllowAnonymous().WithTags("Statements")
            .Describe("replyToConfirmation", "The customer's reply: agree, or their balance and the items they see differently; once per statement")
            .WithContract(new ContractMetadata(Html: true, SignedLink: true))
            .Accepts<ConfirmationReplyRequest>("application/json", "application/x-www-form-urlencoded").Produces<ConfirmationView>();
    }

    /// <summary>The link of a statement's confirmation, or null when it asks for none.</summary>
    public static string? Link(StatementIssued issued, string accountId, ConfirmationTokens tokens, string baseUrl, int validDays) =>
        issued.Confirmation is null ? null
            : $"{baseUrl.TrimEnd('/')}/confirmations/{tokens.Issue(new ConfirmationClaims(accountId, issued.StatementId, issued.ContentHash, issued.DrawnAt.AddDays(validDays)))}";

    private static async Task<(ConfirmationClaims? Claims, List<AccountEvent>? Events, StatementIssued? Issued, IResult? Problem)> OpenAsync(
        string token, AkkaNode node, ConfirmationTokens tokens, TimeProvider clock)
    {
        var (claims, refused) = tokens.Read(token, clock.GetUtcNow());
        if (refused == "expired")
            return (null, null, null, Problems.Create(410, "token_expired", "The link has expired", "Ask us for a new statement: this link is no longer valid", "token"));
        if (claims is null)
            // Not found, rather than forbidden: a link that does not verify tells nothing of what exists.
            return (null, null, null, Problems.Create(404, "token_invalid", "The link is not valid", "The link was altered or is incomplete", "token"));
        var events = await node.AccountEventsAsync(claims.AccountId);
        var issued = events.OfType<StatementIssued>().LastOrDefault(s => s.StatementId == claims.StatementId && s.ContentHash == claims.ContentHash);
        return issued?.Confirmation is null
            ? (null, null, null, Problems.NotFound("statement_not_found", "The statement of this link does not ask for a confirmation"))
            : (claims, events, issued, null);
    }

    private static ConfirmationView View(ConfirmationClaims claims, IReadOnlyList<AccountEvent> events, StatementIssued issued)
    {
        var state = CreditAccount.Replay(claims.AccountId, events);
        var confirmed = events.OfType<BalanceConfirmed>().LastOrDefault(c => c.StatementId == issued.StatementId);
        var disputed = events.OfType<BalanceDisputed>().LastOrDefault(d => d.StatementId == issued.StatementId);
        return new ConfirmationView(claims.AccountId, issued.StatementId, state.Profile.Name, issued.From, issued.To, issued.ClosingBalance, state.CurrencyCode,
            issued.Confirmation!, claims.ExpiresAt, confirmed is not null ? "confirmed" : disputed is not null ? "disputed" : null, disputed?.TheirBalance,
            disputed?.Difference);
    }

    private static IResult Page(ConfirmationView view, string language, string? message)
    {
        var digits = Currency.Find(view.Currency).MinorDigits;
        var words = Words[language];
        var model = new PageModel(words, view.AccountId, view.Customer, view.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            view.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), view.ClosingBalance.ToString("N" + digits, CultureInfo.InvariantCulture),
            view.Currency, view.Variant, words[view.Variant], message);
        return Results.Content(Pages[language].Render(new TemplateContext(model, Options), Http.Html.Encoder), "text/html; charset=utf-8");
    }

    private static bool WantsHtml(HttpContext http) =>
        http.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase) || http.Request.HasFormContentType;

    private static async Task<IResult> ShowAsync(string token, HttpContext http, AkkaNode node, ConfirmationTokens tokens, TimeProvider clock)
    {
        var (claims, events, issued, problem) = await OpenAsync(token, node, tokens, clock);
        if (problem is not null)
            return problem;
        var view = View(claims!, events!, issued!);
        return WantsHtml(http) ? Page(view, issued!.Language, view.Reply is null ? null : Words[issued!.Language]["answered"]) : Results.Ok(view);
    }

    private static async Task<IResult> ReplyAsync(string token, HttpContext http, AkkaNode node, ConfirmationTokens tokens, TimeProvider clock, ApiSettings settings)
    {
        var (claims, events, issued, problem) = await OpenAsync(token, node, tokens, clock);
        if (problem is not null)
            return problem;
        ConfirmationReplyRequest? body;
        if (http.Request.HasFormContentType)
        {
            var form = await http.Request.ReadFormAsync();
            (body, problem) = FromForm(form);
        }
        else
            (body, problem) = await JsonBody.ReadAsync<ConfirmationReplyRequest>(http.Request);
        if (problem is not null)
            return problem;
        if (body!.Answer is not ("agree" or "disagree"))
            return Problems.Invalid("answer", "answer must be agree or disagree");
        var items = body.Items?.Select((item, i) => new DifferenceItem(item?.Document ?? "", item?.Amount ?? 0m, item?.Note)).ToList();
        var command = new ReplyToStatement(issued!.StatementId, issued.ContentHash, body.Answer == "agree", body.TheirBalance, items,
            body.Respondent ?? "", body.Comment);
        object reply;
        try
        {
            reply = await node.AccountRegion.Ask<object>(new AccountEnvelope(claims!.AccountId,
                new Execute(command, new CommandContext("customer", http.TraceIdentifier))), settings.AskTimeout);
        }
        catch (AskTimeoutException)
        {
            return Problems.Unavailable("the account did not answer in time; send the reply again");
        }
        if (reply is not CommandOutcome outcome)
            return Problems.Unavailable("the reply was not recorded; send it again");
        if (outcome.Rejection is { } rejection)
            return Problems.From(rejection);
        var view = View(claims, await node.AccountEventsAsync(claims.AccountId), issued);
        return WantsHtml(http) ? Page(view, issued.Language, Words[issued.Language]["thanks"]) : Results.Ok(view);
    }

    /// <summary>A browser's form: the items one per line as "document; amount; note".</summary>
    private static (ConfirmationReplyRequest? Body, IResult? Problem) FromForm(IFormCollection form)
    {
        decimal? balance = null;
        if (form["theirBalance"].ToString() is { Length: > 0 } text)
        {
            if (!decimal.TryParse(text.Replace(",", "", StringComparison.Ordinal), NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed))
                return (null, Problems.Invalid("theirBalance", "theirBalance must be a number such as 7500.00"));
            balance = parsed;
        }
        var items = new List<DifferenceItemRequestBody>();
        var lines = form["items"].ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var i = 0; i < lines.Length; i++)
        {
            var parts = lines[i].Split(';', 3, StringSplitOptions.TrimEntries);
            if (parts.Length < 2 || !decimal.TryParse(parts[1], NumberStyles.Number, CultureInfo.InvariantCulture, out var amount))
                return (null, Problems.Invalid($"items[{i}]", "each item is a line: document; amount; note"));
            items.Add(new DifferenceItemRequestBody(parts[0], amount, parts.Length > 2 ? parts[2] : null));
        }
        return (new ConfirmationReplyRequest(form["answer"].ToString(), balance, items, form["respondent"].ToString(), form["comment"].ToString()), null);
    }
}
