using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using CreditActors.Host.Tests.Support;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace CreditActors.Host.Tests;

// The console in a real headless Chromium (Debian's chromium and chromium-driver, installed by ops/test.sh): a credit
// manager signs in with a key, sees the portfolio, watches an alert arrive live after a write over the API and
// acknowledges it, approves a limit request another person made (and the maker cannot approve their own), switches the
// aging to an earlier date and sees the figures change, and downloads the CSV. Each step saves a screenshot.
public sealed class ConsoleTests : IAsyncLifetime
{
    private static readonly (string Name, string Key, string Roles)[] People =
    [
        ("wang.fang", "key-wang-fang", "credit-manager"), ("li.na", "key-li-na", "credit-manager"), ("ops", "key-ops", "admin"),
    ];

    private readonly SqliteStore _store = new();
    private readonly string _shots = Path.Combine(AppContext.BaseDirectory, "screenshots", "console");
    private readonly string _downloads = Path.Combine(Path.GetTempPath(), "creditactors-console-" + Guid.NewGuid().ToString("N"));
    private RunningHost _host = null!;
    private ChromeDriver _browser = null!;

    public async Task InitializeAsync()
    {
        var keys = People.SelectMany((p, i) => new[]
        {
            $"--Auth:Keys:{i}:Name={p.Name}", $"--Auth:Keys:{i}:Sha256={Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(p.Key)))}",
            $"--Auth:Keys:{i}:Roles={p.Roles}",
        });
        _host = await RunningHost.StartAsync(await _store.NewStoreAsync(), [.. keys]);
        Directory.CreateDirectory(_shots);
        Directory.CreateDirectory(_downloads);
        var options = new ChromeOptions { BinaryLocation = "/usr/bin/chromium" };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000", "--lang=en-US");
        options.AddUserProfilePreference("download.default_directory", _downloads);
        options.AddUserProfilePreference("download.prompt_for_download", false);
        var service = ChromeDriverService.CreateDefaultService("/usr/bin", "chromedriver");
        service.HideCommandPromptWindow = true;
        _browser = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        _browser?.Quit();
        _browser?.Dispose();
        await _host.DisposeAsync();
        _store.Dispose();
        TempDirectory.Delete(_downloads);
    }

    private void Shot(string name) => _browser.GetScreenshot().SaveAsFile(Path.Combine(_shots, name + ".png"));

    private IWebElement Wait(By by, int seconds = 20) => Until(d => d.FindElements(by).FirstOrDefault(e => e.Displayed), seconds);

    /// <summary>Waits, bounded, until the condition holds; a page redrawn under the test is looked at again.</summary>
    private T Until<T>(Func<IWebDriver, T?> condition, int seconds = 10)
    {
        var wait = new WebDriverWait(_browser, TimeSpan.FromSeconds(seconds));
        wait.IgnoreExceptionTypes(typeof(StaleElementReferenceException), typeof(NoSuchElementException));
        return wait.Until(d => condition(d))!;
    }

    private void SignIn(string key)
    {
        _browser.Navigate().GoToUrl(new Uri(_host.Client.BaseAddress!, "/console"));
        Wait(By.Id("key")).SendKeys(key);
        _browser.FindElement(By.CssSelector("#signin button[type=submit]")).Click();
        Wait(By.Id("nav-portfolio"));
    }

    [Fact]
    public async Task a_credit_manager_manages_credit_in_the_browser()
    {
        try
        {
            await StepsAsync();
        }
        catch
        {
            Shot("failed");
            throw;
        }
    }

    private async Task StepsAsync()
    {
        var ops = _host.WithKey("key-ops");
        async Task Post(HttpClient client, string path, object body, HttpStatusCode expected = HttpStatusCode.Created)
        {
            var response = await client.PostAsJsonAsync(path, body);
            Assert.True(response.StatusCode == expected, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        await Post(ops, "/accounts", new { accountId = "WEB-1", name = "Suzhou Silk", currency = "CNY", creditLimit = 10_000m, paymentTermsDays = 30 });
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await Post(ops, "/accounts/WEB-1/invoices", new { invoiceNumber = "INV-1", amount = 2_000m, issueDate = today.AddDays(-5).ToString("yyyy-MM-dd") });
        // li.na asks for a limit that needs a second person.
        var asked = await _host.WithKey("key-li-na").PutAsJsonAsync("/accounts/WEB-1/credit-limit", new { creditLimit = 200_000m, reason = "new distribution contract" });
        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        await Post(ops, "/accounts", new { accountId = "WEB-2", name = "Wuxi Looms", currency = "CNY", creditLimit = 10_000m, paymentTermsDays = 30 });
        // li.na also proposes a new version of the rating policy, which needs a second person to come into force.
        var policy = Domain.Rating.RatingPolicyDocument.Write(Domain.Rating.RatingPolicyDocument.Standard with { Version = 2, Description = "Payment behaviour weighs more" });
        var proposed = await _host.WithKey("key-li-na").PostAsync("/rating-policies",
            new StringContent($$"""{"policy":{{policy}},"reason":"two years of data"}""", Encoding.UTF8, "application/json"));
        Assert.True(proposed.StatusCode is HttpStatusCode.Created or HttpStatusCode.Accepted, await proposed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Accepted, (await _host.WithKey("key-li-na").PutAsJsonAsync("/accounts/WEB-2/credit-limit",
            new { creditLimit = 300_000m, reason = "group guarantee" })).StatusCode);

        // Sign in, the portfolio.
        SignIn("key-wang-fang");
        Assert.Contains("wang.fang", _browser.FindElement(By.Id("who")).Text);
        Assert.Equal("2", Wait(By.Id("portfolio-CNY-accounts")).Text);
        Shot("1-portfolio");

        // An alert arrives live after a write over the API, and is acknowledged.
        _browser.FindElement(By.Id("nav-alerts")).Click();
        Wait(By.Id("alerts-live"));
        await Task.Delay(500);
        await Post(ops, "/accounts/WEB-1/holds", new { holdId = "SO-1", amount = 7_000m });
        var alert = Wait(By.CssSelector("tr[data-kind=LimitUtilizationHigh]"), 30);
        Shot("2-alert-live");
        // Filtered by an account that has none: the list empties; by the right one: the alert is back.
        _browser.FindElement(By.Id("alerts-account")).SendKeys("WEB-2");
        _browser.FindElement(By.CssSelector("#alerts-filter button[type=submit]")).Click();
        Until(d => d.FindElements(By.CssSelector("tr[data-kind=LimitUtilizationHigh]")).Count == 0);
        _browser.FindElement(By.Id("alerts-account")).Clear();
        _browser.FindElement(By.Id("alerts-account")).SendKeys("WEB-1");
        _browser.FindElement(By.CssSelector("#alerts-filter button[type=submit]")).Click();
        alert = Wait(By.CssSelector("tr[data-kind=LimitUtilizationHigh]"));
        alert.FindElement(By.CssSelector("button[data-ack]")).Click();
        Until(d => d.FindElement(By.CssSelector("tr[data-kind=LimitUtilizationHigh]")).Text.Contains("wang.fang", StringComparison.Ordinal));
        Shot("3-alert-acknowledged");

        // The approval: li.na cannot approve her own request; wang.fang does.
        _browser.FindElement(By.Id("nav-approvals")).Click();
        Wait(By.CssSelector("button[data-decide=approve][data-account='WEB-1']")).Click();
        Until(d => d.FindElement(By.CssSelector("#approvals")).Text.Contains("Decided", StringComparison.Ordinal));
        var policyRow = Wait(By.CssSelector("button[data-policy=approve]"));
        policyRow.Click();
        Until(d => d.FindElement(By.Id("policies")).Text.Contains("Decided", StringComparison.Ordinal));
        Shot("4-approved");
        Assert.Contains("\"version\":2", await (await ops.GetAsync("/rating-policies/active")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var account = await (await ops.GetAsync("/accounts/WEB-1")).Content.ReadAsStringAsync();
        Assert.Contains("\"creditLimit\":200000", account, StringComparison.Ordinal);
        // The maker tries to approve her own request: the service refuses, the page says so, nothing changes.
        _browser.FindElement(By.Id("signout")).Click();
        SignIn("key-li-na");
        _browser.FindElement(By.Id("nav-approvals")).Click();
        Wait(By.CssSelector("button[data-decide=approve][data-account='WEB-2']")).Click();
        Until(d => d.FindElement(By.Id("approvals-error")).Text.Length > 0 ? d.FindElement(By.Id("approvals-error")).Text : null);
        Shot("4b-maker-refused");
        Assert.Contains("\"creditLimit\":10000", await (await ops.GetAsync("/accounts/WEB-2")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        _browser.FindElement(By.Id("signout")).Click();
        SignIn("key-wang-fang");

        // The aging today, then as of a date before the invoice: the figures change.
        _browser.FindElement(By.Id("nav-aging")).Click();
        Assert.Equal("2,000", Wait(By.Id("aging-total-CNY")).Text);
        Shot("5-aging-today");
        var asOf = _browser.FindElement(By.Id("aging-asof"));
        ((IJavaScriptExecutor)_browser).ExecuteScript("arguments[0].value = arguments[1];", asOf, today.AddDays(-10).ToString("yyyy-MM-dd"));
        _browser.FindElement(By.CssSelector("#aging-form button[type=submit]")).Click();
        Until(d => d.FindElements(By.Id("aging-total-CNY")).Count == 0);
        Shot("6-aging-earlier");
        ((IJavaScriptExecutor)_browser).ExecuteScript("arguments[0].value = '';", asOf);
        _browser.FindElement(By.CssSelector("#aging-form button[type=submit]")).Click();
        Wait(By.Id("aging-total-CNY"));

        // The account, from its row: profile, limit history, open items and the timeline of who did what and why.
        _browser.FindElement(By.CssSelector("#aging-table a[href='#account/WEB-1']")).Click();
        Assert.Contains("Suzhou Silk", Wait(By.Id("account-title")).Text);
        Assert.Equal("200,000", _browser.FindElement(By.Id("account-limit")).Text);
        var timeline = _browser.FindElement(By.Id("timeline")).Text;
        Assert.Contains("CreditLimitChangeApproved", timeline, StringComparison.Ordinal);
        Assert.Contains("wang.fang", timeline, StringComparison.Ordinal);
        Assert.Contains("new distribution contract", timeline, StringComparison.Ordinal);
        Shot("6b-account");
        // The collections worklist and the reconciliation queue answer (nothing to chase, nothing waiting).
        _browser.FindElement(By.Id("nav-worklist")).Click();
        Wait(By.CssSelector("#worklist table"));
        _browser.FindElement(By.Id("nav-reconciliation")).Click();
        Wait(By.CssSelector("#bank-queue table"));
        Wait(By.CssSelector("#reconciliation table"));
        Assert.DoesNotContain(_browser.FindElements(By.CssSelector(".page:not([hidden]) .error")), e => e.Text.Length > 0);
        Shot("6c-reconciliation");
        _browser.FindElement(By.Id("nav-aging")).Click();
        Wait(By.Id("aging-total-CNY"));

        // The CSV download.
        _browser.FindElement(By.Id("aging-csv")).Click();
        string? csv = null;
        for (var attempt = 0; attempt < 100 && csv is null; attempt++, await Task.Delay(100))
            csv = Directory.GetFiles(_downloads, "aging-*.csv").FirstOrDefault(f => new FileInfo(f).Length > 0);
        Assert.NotNull(csv);
        Assert.Contains("WEB-1", await File.ReadAllTextAsync(csv!), StringComparison.Ordinal);
        _browser.FindElement(By.Id("aging-xlsx")).Click();
        string? xlsx = null;
        for (var attempt = 0; attempt < 100 && xlsx is null; attempt++, await Task.Delay(100))
            xlsx = Directory.GetFiles(_downloads, "aging-*.xlsx").FirstOrDefault(f => new FileInfo(f).Length > 0);
        Assert.NotNull(xlsx);
        await Task.Delay(300);
        var rows = MiniExcelLibs.MiniExcel.Query(xlsx!, useHeaderRow: true, sheetName: "Accounts").Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(2_000m, Convert.ToDecimal(rows.Single(r => (string)r["Account"] == "WEB-1")["Total"]));

        // Chinese.
        _browser.FindElement(By.Id("lang")).Click();
        Assert.Equal("账龄", Wait(By.Id("nav-aging")).Text);
        Shot("7-chinese");
    }
}
