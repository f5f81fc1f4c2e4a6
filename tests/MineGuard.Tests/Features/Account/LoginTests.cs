using System.Net;
using AngleSharp.Html.Parser;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Account;

public sealed class LoginTests
{
    [Theory, OnSqlite, OnPostgres]
    public async Task Login_page_is_Chinese_and_protected_pages_send_you_there(string provider)
    {
        var app = await TestApp.Shared(provider);
        var client = app.Anonymous();
        var home = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.StartsWith("/login", home.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        var html = await client.GetStringAsync("/login");
        var doc = new HtmlParser().ParseDocument(html);
        Assert.Equal("zh-CN", doc.DocumentElement.GetAttribute("lang"));
        Assert.Contains("登录", doc.Title, StringComparison.Ordinal);
        Assert.NotNull(doc.QuerySelector("input[name=UserName]"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Wrong_password_gets_a_Chinese_message_and_never_locks_the_account(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var client = app.Anonymous();
        var empty = await TestApp.PostLoginAsync(client, "", "");
        var doc = new HtmlParser().ParseDocument(await empty.Content.ReadAsStringAsync());
        Assert.Equal("请输入用户名", doc.QuerySelector("[data-valmsg-for=UserName]")?.TextContent);

        for (var i = 0; i < 5; i++)
        {
            var wrong = await TestApp.PostLoginAsync(client, "hj-office", "not-the-password-1");
            Assert.Contains("用户名或密码不正确", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        // No lock-out (anyone could lock out the office): after the source's short wait the right password works.
        app.Clock.Advance(TimeSpan.FromSeconds(3));
        var right = await TestApp.PostLoginAsync(client, "hj-office", MineGuard.Features.Demo.DemoData.Password);
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);

        var failures = await app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions
            .CountAsync(db.AuditRecords, a => a.Action == "login-failed"));
        Assert.Equal(5, failures);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Forms_without_the_anti_forgery_token_are_refused(string provider)
    {
        var app = await TestApp.Shared(provider);
        var client = app.Anonymous();
        var response = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = "sx-admin", ["Password"] = MineGuard.Features.Demo.DemoData.Password,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie") && response.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("mineguard=", StringComparison.Ordinal)));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Responses_carry_secure_headers_and_the_cookie_is_http_only(string provider)
    {
        var app = await TestApp.Shared(provider);
        var client = app.Anonymous();
        var login = await TestApp.PostLoginAsync(client, "sx-office", MineGuard.Features.Demo.DemoData.Password);
        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("mineguard=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);

        var page = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("frame-ancestors 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Dashboard_shows_the_users_jurisdiction_in_Chinese(string provider)
    {
        var app = await TestApp.Shared(provider);
        var client = await app.LoginAsync("hj-patrol");
        var doc = new HtmlParser().ParseDocument(await client.GetStringAsync("/"));
        Assert.Contains("黔城镇 工作台", doc.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("湖南省 / 怀化市 / 洪江市 / 黔城镇", doc.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal("431281101", doc.QuerySelector("#map")!.GetAttribute("data-division"));
        Assert.NotNull(doc.QuerySelector(".demo-banner"));
        // Patrol members have no admin menu.
        Assert.Null(doc.QuerySelector("a[href='/admin/users']"));
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/admin/users")).StatusCode);
    }
}
