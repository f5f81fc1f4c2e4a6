using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Platform.Hosting;

/// <summary>
/// Once the server listens: the addresses it really listens on (from the server, so <c>--urls</c> and <c>Urls</c> are
/// honoured) and, with demo data on, every demo user with role and scope. Printed to stdout after the start-up logs.
/// </summary>
public sealed class StartupBanner(IServer server, IHostApplicationLifetime lifetime, IServiceScopeFactory scopes, IConfiguration config,
    ILogger<StartupBanner> log) : IHostedService
{
    public sealed record DemoLine(string UserName, string Role, string DisplayName, string Scope);

    public Task StartAsync(CancellationToken ct)
    {
        lifetime.ApplicationStarted.Register(() => _ = PrintAsync());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    private async Task PrintAsync()
    {
        try
        {
            var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
            if (addresses.Count == 0) return; // an in-memory test server: nobody to tell
            var demo = config.GetValue("Demo:Enabled", true) ? await DemoLinesAsync(lifetime.ApplicationStopping) : [];
            Console.Out.Write(Text(addresses, demo));
            await Console.Out.FlushAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Could not print the start-up banner");
        }
    }

    /// <summary>The demo users present in the database, with their role and scope in Chinese.</summary>
    public async Task<IReadOnlyList<DemoLine>> DemoLinesAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.CurrentUser.ActAsSystem("system:banner");
        var present = await db.Users.AsNoTracking().Where(u => u.IsDemo).Select(u => u.UserName!).ToListAsync(ct);
        var demo = DemoLoader.AllUsers.Where(u => present.Contains(u.UserName)).ToList();
        var codes = demo.Select(u => u.DivisionCode).Distinct().ToList();
        var names = await db.DivisionNamesAsync(codes, ct);
        return demo.Select(u => new DemoLine(u.UserName, Roles.Chinese(u.Role), u.DisplayName,
            $"{names.GetValueOrDefault(u.DivisionCode, u.DivisionCode)}（{u.DivisionCode}）")).ToList();
    }

    public static string Text(IReadOnlyList<string> addresses, IReadOnlyList<DemoLine> demo)
    {
        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine("矿山打非治违平台 MineGuard 已启动 / started. 请用浏览器打开 / open in a browser:");
        foreach (var address in addresses)
        {
            text.AppendLine($"  {address}");
            if (Uri.TryCreate(address.Replace("://+", "://localhost").Replace("://*", "://localhost"), UriKind.Absolute, out var uri)
                && (uri.Host is "0.0.0.0" or "[::]" || address.Contains("://+") || address.Contains("://*")))
                text.AppendLine($"    （所有网卡 / all interfaces：本机可用 / on this machine use {uri.Scheme}://localhost:{uri.Port}）");
        }
        if (demo.Count > 0)
        {
            text.AppendLine();
            text.AppendLine($"演示账号 / demo users — 密码 / password: {DemoLoader.Password}");
            var width = demo.Max(d => d.UserName.Length) + 2;
            foreach (var d in demo)
            {
                text.AppendLine($"  {d.UserName.PadRight(width)}{d.Role}｜范围 {d.Scope}｜{d.DisplayName}");
            }
        }
        text.AppendLine();
        return text.ToString();
    }
}
