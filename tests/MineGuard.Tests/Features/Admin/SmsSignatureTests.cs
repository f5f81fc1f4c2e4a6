using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Platform.Notifications;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Admin;

/// <summary>SMS are signed with the county office's Chinese name, or with the configured Sms:Signature.</summary>
public sealed class SmsSignatureTests
{
    private static async Task<string> SendAsync(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> app, string division, string marker)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<MineGuard.Data.AppDbContext>();
        db.CurrentUser.ActAsSystem("test");
        var user = await db.Users.SingleAsync(u => u.UserName == "sx-office");
        db.Person(user, division, "签名测试", marker, null, "test", null, sms: true);
        await db.SaveChangesAsync();
        return (await db.Set<SmsMessage>().AsNoTracking().SingleAsync(s => s.Text.Contains(marker))).Text;
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task An_sms_is_signed_with_the_county_office_of_its_division_and_shown_so_in_the_outbox(string provider)
    {
        var app = await TestApp.Shared(provider);
        var marker = Guid.NewGuid().ToString("N")[..10];
        var text = await SendAsync(app, "410325400G001", marker);
        Assert.StartsWith("【嵩县打非办】签名测试：", text, StringComparison.Ordinal);
        Assert.DoesNotContain("MineGuard", text, StringComparison.Ordinal);

        var outbox = new HtmlParser().ParseDocument(await (await app.LoginAsync("sx-office")).GetStringAsync("/sms-outbox"));
        Assert.Contains($"【嵩县打非办】签名测试：{marker}", outbox.Body!.TextContent, StringComparison.Ordinal);
    }

    [Theory, OnSqlite]
    public async Task The_configured_signature_wins(string provider)
    {
        var app = await TestApp.Shared(provider);
        await using var signed = app.WithWebHostBuilder(b => b.UseSetting("Sms:Signature", "【某县矿山打非办】"));
        var text = await SendAsync(signed, "431281101", Guid.NewGuid().ToString("N")[..10]);
        Assert.StartsWith("【某县矿山打非办】签名测试：", text, StringComparison.Ordinal);
    }
}
