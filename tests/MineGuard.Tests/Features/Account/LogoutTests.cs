using System.Net;
using MineGuard.Features.Demo;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Account;

/// <summary>Logging out ends the session on the server: a copy of the cookie taken before is refused at once.</summary>
public sealed class LogoutTests
{
    [Theory, OnSqlite, OnPostgres]
    public async Task A_copied_cookie_is_refused_after_log_out(string provider)
    {
        var app = await TestApp.Shared(provider);
        var browser = app.Anonymous();
        var login = await TestApp.PostLoginAsync(browser, "sx-office", DemoData.Password);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("mineguard=", StringComparison.Ordinal)).Split(';')[0];

        // The copy works while the session lives (another browser, the cookie pasted in).
        var thief = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        thief.DefaultRequestHeaders.Add("Cookie", cookie);
        Assert.Equal(HttpStatusCode.OK, (await thief.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await thief.GetAsync("/")).StatusCode);

        var token = await TestApp.AntiForgeryTokenAsync(browser, "/");
        var logout = await browser.PostAsync("/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);

        // At once, not within a minute: the API answers 401 and the pages send it to the log-in form.
        Assert.Equal(HttpStatusCode.Unauthorized, (await thief.GetAsync("/api/me")).StatusCode);
        var page = await thief.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/login", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        // Other sessions of the same user go on (logging out of the office PC does not end the field app's log-in).
        var other = await app.LoginAsync("sx-office");
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/me")).StatusCode);
    }
}
