using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.BrowserTests;

/// <summary>Skips a browser test when Debian's Chromium is not installed (CI installs it).</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public const string Chromium = "/usr/bin/chromium";

    public BrowserFactAttribute()
    {
        if (!File.Exists(Chromium)) Skip = "Chromium not installed at /usr/bin/chromium (apt-get install chromium fonts-noto-cjk)";
    }

    /// <summary>The test prints a PDF: skipped without a Chinese TrueType font for the server (apt-get install fonts-droid-fallback).</summary>
    public bool NeedsPdfFont { get; set; }

    public override string? Skip
    {
        get => base.Skip ?? (NeedsPdfFont && !MineGuard.Platform.Pdf.PdfFonts.KnownPaths.Any(File.Exists)
            ? "no Chinese TrueType font for PDFs (apt-get install fonts-droid-fallback)" : null);
        set => base.Skip = value;
    }
}

/// <summary>The real app on Kestrel at 127.0.0.1 (random port) with demo data on a fresh SQLite file, and a headless Chromium.</summary>
public class BrowserApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    private string connectionString = "";
    private Func<Task> drop = () => Task.CompletedTask;
    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;

    public string BaseUrl { get; private set; } = "";

    public static string Artifacts
    {
        get
        {
            var dir = Path.Combine(AppContext.BaseDirectory, "artifacts");
            Directory.CreateDirectory(dir);
            return dir;
        }
    }

    public async Task InitializeAsync()
    {
        if (!File.Exists(BrowserFactAttribute.Chromium)) return;
        (connectionString, drop) = await Databases.CreateAsync(Databases.Sqlite);
        UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
        StartServer();
        BaseUrl = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        // Assertions poll for 15 s rather than 5 s, for the same reason as NewContextAsync's minute.
        Assertions.SetDefaultExpectTimeout(15_000);
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = BrowserFactAttribute.Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                // The field app's camera: a synthetic video source, no permission prompt.
                "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"],
        });
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["ConnectionStrings:Sqlite"] = connectionString,
            ["Demo:Enabled"] = "true",
            ["Database:StrictQueries"] = "true",
        }).AddInMemoryCollection(Settings));
        // The server's errors go to the run's error log like the API tests' (.ci/run prints it when the run fails): a
        // browser test that sees only a page that did not come sees the exception behind it there.
        if (ErrorLog.Enabled)
            builder.ConfigureLogging(logging => logging.AddProvider(new ErrorLog("sqlite", $"browser {GetType().Name}")));
    }

    /// <summary>Configuration a fixture adds for its tests (e.g. an offline tile package: <see cref="TiledBrowserApp"/>).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings => [];

    public async Task<IPage> NewPageAsync()
    {
        var context = await NewContextAsync(new() { Locale = "zh-CN", ViewportSize = new() { Width = 1280, Height = 800 } });
        return await context.NewPageAsync();
    }

    /// <summary>
    /// Every test's browser context: actions and navigations wait up to a minute, not Playwright's 30 s, because CI's
    /// machine runs both test assemblies and two database engines at once and a page can take that long to settle there.
    /// </summary>
    public async Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions options)
    {
        var context = await Browser.NewContextAsync(options);
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(60_000);
        return context;
    }

    /// <summary>
    /// Logs in through the log-in page and waits for the page it lands on: until its document is parsed, not until its
    /// "load" event. Twice in CI (two suites and two engines on two cores) the URL had already left the log-in page and the
    /// network was idle, yet "load" did not come within the minute; the tests go on through locators, which wait for what
    /// they need.
    /// </summary>
    public async Task LoginAsync(IPage page, string userName)
    {
        await page.GotoAsync(BaseUrl + "/");
        await page.GetByLabel("用户名").FillAsync(userName);
        await page.GetByLabel("密码").FillAsync(MineGuard.Features.Demo.DemoData.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await page.WaitForURLAsync(u => !u.Contains("/login", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        playwright?.Dispose();
        await DisposeAsync();
        await drop();
    }
}
