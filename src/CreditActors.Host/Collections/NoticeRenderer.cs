using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Encodings.Web;
using CreditActors.Domain.Accounts;
using CreditActors.Domain.Money;
using CreditActors.Host.Http;
using Fluid;

namespace CreditActors.Host.Collections;

/// <summary>A notice as it reads: the subject, the title, and the whole printable HTML page.</summary>
public sealed record RenderedNotice(string Language, string Subject, string Title, string Html);

/// <summary>
/// Renders a dunning notice from its Liquid templates (embedded, one per template version and language, plus a layout per
/// language): the template gives the subject, the title and the opening; the layout lists the lines and the amounts. Amounts
/// are formatted here, from decimals (never through a float), with the currency's minor digits.
/// </summary>
public sealed class NoticeRenderer
{
    private static readonly FluidParser Parser = new();
    private static readonly TemplateOptions Options = CreateOptions();
    private readonly ConcurrentDictionary<string, IFluidTemplate> _templates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Front> _fronts = new(StringComparer.Ordinal);

    public static readonly IReadOnlyList<string> Languages = ["zh", "en"];

    /// <summary>A template parsed once: its subject, its title and its opening.</summary>
    private sealed record Front(IFluidTemplate Subject, IFluidTemplate Title, IFluidTemplate Body);

    private static TemplateOptions CreateOptions()
    {
        var options = new TemplateOptions();
        options.MemberAccessStrategy.MemberNameStrategy = MemberNameStrategies.CamelCase;
        options.MemberAccessStrategy.Register<NoticeModel>();
        options.MemberAccessStrategy.Register<CustomerModel>();
        options.MemberAccessStrategy.Register<LineModel>();
        return options;
    }

    public sealed record CustomerModel(string AccountId, string Name, string? Contact, string? Address);

    public sealed record LineModel(string InvoiceNumber, int Line, string DueDate, int DaysPastDue, int DaysUntilDue, string Open);

    public sealed record NoticeModel(
        string NoticeId, string Date, string LevelName, string Currency, CustomerModel Customer, IReadOnlyList<LineModel> Lines, string Total,
        string Fee, string Interest, string OutstandingCharges, string AmountDue, bool HasFee, bool HasInterest, bool HasCharges)
    {
        public string Subject { get; init; } = "";
        public string Title { get; init; } = "";
        public string Intro { get; init; } = "";
    }

    /// <summary>Renders the notice in the language given (zh or en).</summary>
    public RenderedNotice Render(DunningNoticeIssued notice, string accountId, string currencyCode, Profile profile, string language)
    {
        var currency = Currency.Find(currencyCode);
        var culture = CultureInfo.InvariantCulture;
        string Money(decimal amount) => amount.ToString("N" + currency.MinorDigits.ToString(culture), culture);
        var date = notice.Meta.EffectiveDate.ToString(language == "zh" ? "yyyy年M月d日" : "d MMMM yyyy", culture);
        var model = new NoticeModel(notice.NoticeId, date, notice.LevelName, currencyCode,
            new CustomerModel(accountId, profile.Name, profile.Contact, profile.Address),
            [.. notice.Lines.Select(l => new LineModel(l.InvoiceNumber, l.Line, l.DueDate.ToString("yyyy-MM-dd", culture), l.DaysPastDue,
                Math.Max(0, -l.DaysPastDue), Money(l.Open)))],
            Money(notice.Total), Money(notice.Fee), Money(notice.Interest), Money(notice.OutstandingCharges),
            Money(notice.Total + notice.OutstandingCharges + notice.Fee + notice.Interest),
            notice.Fee > 0m, notice.Interest > 0m, notice.OutstandingCharges > 0m);

        var front = _fronts.GetOrAdd($"{notice.Template}.{language}", name => FrontOf(Source(name)));
        var subject = Plain(front.Subject, model);
        var title = Plain(front.Title, model);
        var intro = front.Body.Render(new TemplateContext(model, Options), Html.Encoder);
        // The opening is HTML the templates wrote (its values encoded): the layout takes it raw; everything else it encodes.
        var page = Template($"notice.{language}").Render(new TemplateContext(model with { Subject = subject, Title = title, Intro = intro }, Options),
            Html.Encoder);
        return new RenderedNotice(language, subject, title, page);
    }

    /// <summary>Whether a template of this name exists in every language.</summary>
    public static bool Exists(string template) =>
        Languages.All(language => typeof(NoticeRenderer).Assembly.GetManifestResourceInfo($"notice-template.{template}.{language}.liquid") is not null);

    private static string Plain(IFluidTemplate template, NoticeModel model) =>
        template.Render(new TemplateContext(model, Options), NullEncoder.Default).Trim();

    private static Front FrontOf(string source)
    {
        var lines = source.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        string Header(string name) => lines.TakeWhile(l => l.Length > 0).FirstOrDefault(l => l.StartsWith(name + ": ", StringComparison.Ordinal))?[(name.Length + 2)..]
            ?? throw new InvalidOperationException($"A notice template lacks its {name} line");
        var body = string.Join('\n', lines.SkipWhile(l => l.Length > 0).Skip(1));
        return new Front(Parse(Header("Subject")), Parse(Header("Title")), Parse(body));
    }

    private IFluidTemplate Template(string name) => _templates.GetOrAdd(name, n => Parse(Source(n)));

    private static IFluidTemplate Parse(string source) =>
        Parser.TryParse(source, out var template, out var error) ? template : throw new InvalidOperationException($"A notice template does not parse: {error}");

    private static string Source(string name)
    {
        using var stream = typeof(NoticeRenderer).Assembly.GetManifestResourceStream($"notice-template.{name}.liquid")
            ?? throw new InvalidOperationException($"No notice template {name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
