using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using CreditActors.Domain.Money;
using CreditActors.Domain.Statements;
using CreditActors.Host.Http;
using Fluid;
using MiniExcelLibs;

namespace CreditActors.Host.Statements;

/// <summary>
/// A statement of account as CSV, as an Excel workbook (MiniExcel) and as a printable HTML page (a Liquid template), in
/// Chinese or English. Amounts are written from decimals: CSV and HTML as text with the currency's minor digits, the
/// workbook as numbers.
/// </summary>
public sealed class StatementFormats
{
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private static readonly FluidParser Parser = new();
    private static readonly TemplateOptions Options = CreateOptions();
    private readonly Dictionary<string, IFluidTemplate> _pages = Load();

    /// <summary>The words of the statement in each language.</summary>
    public sealed record Words(
        string Title, string Account, string Customer, string Currency, string Period, string KnownAt, string Opening, string Closing, string Unapplied,
        string Owed, string Date, string Kind, string Document, string Reference, string Description, string Debit, string Credit, string Balance,
        string Aging, string Bucket, string Amount, string Invoice, string Line, string DueDate, string DaysPastDue, string Open, string Totals,
        string Version, string Hash, IReadOnlyDictionary<string, string> Kinds, string Sheet, string AgingSheet, string SummarySheet);

    public static readonly IReadOnlyDictionary<string, Words> Languages = new Dictionary<string, Words>(StringComparer.Ordinal)
    {
        ["en"] = new("Statement of account", "Account", "Customer", "Currency", "Period", "As known at", "Opening balance", "Closing balance",
            "Unapplied cash", "Invoices and charges open", "Date", "Kind", "Document", "Reference", "Description", "Debit", "Credit", "Balance",
            "Aging at the end of the period", "Bucket", "Amount", "Invoice", "Line", "Due date", "Days past due", "Open", "Totals", "Account version",
            "Content hash",
            new Dictionary<string, string>
            {
                ["invoice"] = "Invoice", ["fee"] = "Late fee", ["interest"] = "Interest", ["payment"] = "Payment", ["allocation"] = "Payment applied",
                ["credit-note"] = "Credit note", ["discount"] = "Discount", ["write-off"] = "Write-off",
            }, "Statement", "Aging", "Summary"),
        ["zh"] = new("客户对账单", "客户账号", "客户名称", "币种", "对账期间", "截至记录时点", "期初余额", "期末余额", "未核销收款", "未结清发票及费用",
            "日期", "类型", "单据号", "关联单据", "摘要", "借方", "贷方", "余额", "期末账龄", "账龄区间", "金额", "发票号", "分期", "到期日", "逾期天数",
            "未付金额", "合计", "账户版本", "内容摘要值",
            new Dictionary<string, string>
            {
                ["invoice"] = "发票", ["fee"] = "滞纳金", ["interest"] = "逾期利息", ["payment"] = "收款", ["allocation"] = "收款核销",
                ["credit-note"] = "贷项通知单", ["discount"] = "现金折扣", ["write-off"] = "坏账核销",
            }, "对账单", "账龄", "汇总"),
    };

    private static TemplateOptions CreateOptions()
    {
        var options = new TemplateOptions();
        options.MemberAccessStrategy.MemberNameStrategy = MemberNameStrategies.CamelCase;
        options.MemberAccessStrategy.Register<PageModel>();
        options.MemberAccessStrategy.Register<RowModel>();
        options.MemberAccessStrategy.Register<AgingRowModel>();
        options.MemberAccessStrategy.Register<Words>();
        return options;
    }

    public sealed record RowModel(string Date, string Kind, string Document, string Reference, string Description, string Debit, string Credit, string Balance);

    public sealed record AgingRowModel(string Bucket, string Amount);

    public sealed record PageModel(
        Words Words, string AccountId, string Customer, string Currency, string From, string To, string? KnownAt, string Opening, string Closing,
        string Debits, string Credits, string Unapplied, string Receivables, IReadOnlyList<RowModel> Rows, IReadOnlyList<AgingRowModel> Aging,
        long Version, string Hash);

    private static Dictionary<string, IFluidTemplate> Load() => Languages.Keys.ToDictionary(language => language, language =>
    {
        using var stream = typeof(StatementFormats).Assembly.GetManifestResourceStream($"notice-template.statement.{language}.liquid")
            ?? throw new InvalidOperationException($"No statement template in {language}");
        using var reader = new StreamReader(stream);
        return Parser.TryParse(reader.ReadToEnd(), out var template, out var error)
            ? template
            : throw new InvalidOperationException($"The statement template ({language}) does not parse: {error}");
    }, StringComparer.Ordinal);

    private static Func<decimal, string> Money(Statement s)
    {
        var digits = Currency.Find(s.Currency).MinorDigits;
        return amount => amount.ToString("N" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    /// <summary>A movement's wording in the statement's language: the domain words it in English; Chinese is written here from its parts.</summary>
    public static string Describe(StatementMovement m, string language) => language != "zh" ? m.Description : m.Kind switch
    {
        "invoice" => $"发票 {m.Document}",
        "fee" => $"滞纳金（催款通知 {m.Reference}）",
        "interest" => m.Reference is null ? "逾期利息" : $"逾期利息（催款通知 {m.Reference}）",
        "payment" => $"收款 {m.Document}",
        "allocation" => $"收款 {m.Document} 核销至 {m.Reference}",
        "credit-note" => $"贷项通知单 {m.Document}（发票 {m.Reference}）",
        "discount" => $"现金折扣（发票 {m.Document}）",
        "write-off" => $"坏账核销 {m.Document}（发票 {m.Reference}）",
        _ => m.Description,
    };

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public string Html(Statement s, string language)
    {
        var w = Languages[language];
        var money = Money(s);
        var model = new PageModel(w, s.AccountId, s.CustomerName, s.Currency, Day(s.From), Day(s.To), s.KnownAt?.UtcDateTime.ToString("u", CultureInfo.InvariantCulture),
            money(s.OpeningBalance), money(s.ClosingBalance), money(s.TotalDebits), money(s.TotalCredits), money(s.UnappliedCash), money(s.Receivables),
            [.. s.Movements.Select(m => new RowModel(Day(m.Date), w.Kinds[m.Kind], m.Document, m.Reference ?? "", Describe(m, language),
                m.Debit == 0m ? "" : money(m.Debit), m.Credit == 0m ? "" : money(m.Credit), money(m.Balance)))],
            [.. s.Aging.Buckets.Select((b, i) => new AgingRowModel(b, money(s.Aging.Amounts[i])))], s.Version, s.ContentHash);
        return _pages[language].Render(new TemplateContext(model, Options), Http.Html.Encoder);
    }

    public static string Csv(Statement s, string language)
    {
        var w = Languages[language];
        static string Field(string value) =>
            value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        static string Number(decimal amount) => amount.ToString(CultureInfo.InvariantCulture);
        var csv = new StringBuilder();
        void Row(params string[] fields) => csv.Append(string.Join(',', fields.Select(Field))).Append('\n');
        Row(w.Date, w.Kind, w.Document, w.Reference, w.Description, w.Debit, w.Credit, w.Balance);
        Row(Day(s.From), "", "", "", w.Opening, "", "", Number(s.OpeningBalance));
        foreach (var m in s.Movements)
            Row(Day(m.Date), w.Kinds[m.Kind], m.Document, m.Reference ?? "", Describe(m, language), Number(m.Debit), Number(m.Credit), Number(m.Balance));
        Row(Day(s.To), "", "", "", w.Closing, Number(s.TotalDebits), Number(s.TotalCredits), Number(s.ClosingBalance));
        return csv.ToString();
    }

    public static byte[] Xlsx(Statement s, string language)
    {
        var w = Languages[language];
        var summary = new List<Dictionary<string, object?>>
        {
            Pair(w.Account, s.AccountId), Pair(w.Customer, s.CustomerName), Pair(w.Currency, s.Currency), Pair(w.Period, $"{Day(s.From)} – {Day(s.To)}"),
            Pair(w.KnownAt, s.KnownAt?.UtcDateTime.ToString("u", CultureInfo.InvariantCulture) ?? ""), Pair(w.Opening, s.OpeningBalance),
            Pair(w.Debit, s.TotalDebits), Pair(w.Credit, s.TotalCredits), Pair(w.Closing, s.ClosingBalance), Pair(w.Unapplied, s.UnappliedCash),
            Pair(w.Owed, s.Receivables), Pair(w.Version, s.Version), Pair(w.Hash, s.ContentHash),
        };
        Dictionary<string, object?> Pair(string name, object value) => new(StringComparer.Ordinal) { [w.Description] = name, [w.Amount] = value };
        Dictionary<string, object?> Movement(string date, string kind, string document, string reference, string description, decimal? debit,
            decimal? credit, decimal balance) => new(StringComparer.Ordinal)
            {
                [w.Date] = date, [w.Kind] = kind, [w.Document] = document, [w.Reference] = reference, [w.Description] = description,
                [w.Debit] = debit, [w.Credit] = credit, [w.Balance] = balance,
            };
        var movements = new List<Dictionary<string, object?>> { Movement(Day(s.From), "", "", "", w.Opening, null, null, s.OpeningBalance) };
        movements.AddRange(s.Movements.Select(m => Movement(Day(m.Date), w.Kinds[m.Kind], m.Document, m.Reference ?? "", Describe(m, language), m.Debit, m.Credit,
            m.Balance)));
        movements.Add(Movement(Day(s.To), "", "", "", w.Closing, s.TotalDebits, s.TotalCredits, s.ClosingBalance));
        var aging = s.Aging.Lines.Select(l => new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            [w.Invoice] = l.InvoiceNumber, [w.Line] = l.Line, [w.DueDate] = Day(l.DueDate), [w.DaysPastDue] = l.DaysPastDue,
            [w.Bucket] = s.Aging.Buckets[l.Bucket], [w.Open] = l.Open,
        }).ToList();
        var sheets = new Dictionary<string, object>
        {
            [w.SummarySheet] = summary,
            [w.Sheet] = movements,
            [w.AgingSheet] = aging,
        };
        using var stream = new MemoryStream();
        stream.SaveAs(sheets, excelType: ExcelType.XLSX);
        return stream.ToArray();
    }
}
