using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using MineGuard.Features.Demo;
using MineGuard.Platform.Hosting;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Demo;

/// <summary>What a newcomer reads after `dotnet run`: the real addresses, every demo user, readable logs in a terminal.</summary>
public sealed class StartupBannerTests
{
    [Theory, OnSqlite, OnPostgres]
    public async Task The_banner_names_the_address_the_server_listens_on_and_every_demo_user_with_role_and_scope(string provider)
    {
        var app = await TestApp.Shared(provider);
        var banner = app.Services.GetServices<IHostedService>().OfType<StartupBanner>().Single();
        var lines = await banner.DemoLinesAsync(CancellationToken.None);
        var text = StartupBanner.Text(["http://0.0.0.0:6123"], lines);

        Assert.Contains("  http://0.0.0.0:6123", text, StringComparison.Ordinal);
        Assert.Contains("http://localhost:6123", text, StringComparison.Ordinal);
        Assert.DoesNotContain("5080", text, StringComparison.Ordinal);
        Assert.Contains(DemoData.Password, text, StringComparison.Ordinal);
        var users = MineGuard.Platform.Hosting.DemoLoader.AllUsers;
        Assert.Equal(users.Count, users.Select(u => u.UserName).Distinct().Count());
        Assert.Contains(users, u => u.UserName == "sx-head");
        Assert.Contains(users, u => u.UserName == "hj-enforcer");
        foreach (var user in MineGuard.Platform.Hosting.DemoLoader.AllUsers) Assert.Contains($"  {user.UserName} ", text, StringComparison.Ordinal);
        Assert.Contains(text.Split('\n'), l => l.Contains("hj-petitions", StringComparison.Ordinal) && l.Contains("部门人员", StringComparison.Ordinal)
            && l.Contains("洪江市（431281）", StringComparison.Ordinal) && l.Contains("洪江市信访局 胡梅", StringComparison.Ordinal));
        Assert.Contains(text.Split('\n'), l => l.Contains("sx-resp", StringComparison.Ordinal) && l.Contains("包保责任人", StringComparison.Ordinal)
            && l.Contains("陶村林场第一网格（410325400G001）", StringComparison.Ordinal));
    }

    [Fact]
    public void Console_logs_are_plain_text_in_a_terminal_and_json_when_redirected_unless_configured()
    {
        Assert.Equal(ConsoleFormatterNames.Simple, ConsoleLogFormat.Choose(null, outputRedirected: false));
        Assert.Equal(ConsoleFormatterNames.Json, ConsoleLogFormat.Choose(null, outputRedirected: true));
        Assert.Equal(ConsoleFormatterNames.Json, ConsoleLogFormat.Choose("json", outputRedirected: false));
        Assert.Equal(ConsoleFormatterNames.Simple, ConsoleLogFormat.Choose("simple", outputRedirected: true));
    }

    [Theory, OnSqlite]
    public async Task The_shipped_settings_leave_the_format_to_the_terminal_check(string provider)
    {
        var app = await TestApp.Shared(provider);
        var options = app.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue;
        Assert.Equal(ConsoleLogFormat.Choose(null, Console.IsOutputRedirected), options.FormatterName);
    }
}
