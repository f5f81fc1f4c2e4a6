using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using MineGuard.Features.Account.Pages;
using MineGuard.Features.Demo;
using MineGuard.Platform.Auth;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Tips.TipClient;

namespace MineGuard.Tests.Features.Account;

/// <summary>
/// Password guessing is slowed per source and per account, never locked; unknown and known names answer alike; the
/// caller's address is believed from X-Forwarded-For only when the request comes from a configured proxy.
/// </summary>
public sealed partial class LoginThrottleTests
{
    /// <summary>A browser at <paramref name="source"/> (behind the test's loopback proxy).</summary>
    private static HttpClient From(WebApplicationFactory<Program> app, string source)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        client.DefaultRequestHeaders.Add("X-Forwarded-For", source);
        return client;
    }

    private static async Task<(HttpStatusCode Status, string Html)> TryAsync(HttpClient client, string user, string password)
    {
        var response = await TestApp.PostLoginAsync(client, user, password);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task An_attackers_source_cannot_lock_out_the_user_from_another_source(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var attacker = From(app, NewSource());
        for (var i = 0; i < LoginGuard.SourceFree; i++)
        {
            var (status, html) = await TryAsync(attacker, "hj-office", "wrong-password-" + i);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Contains(LoginModel.Wrong, html, StringComparison.Ordinal);
        }
        for (var i = 0; i < 20; i++)
        {
            var (status, html) = await TryAsync(attacker, "hj-office", "wrong-password-x" + i);
            Assert.Equal(HttpStatusCode.TooManyRequests, status);
            Assert.Contains("登录尝试过于频繁", html, StringComparison.Ordinal);
        }
        // The attacker's source is not let in even with the right password while it waits.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await TryAsync(attacker, "hj-office", DemoData.Password)).Status);

        // The user, from their own desk, gets in at once: nothing is locked.
        var user = From(app, NewSource());
        Assert.Equal(HttpStatusCode.Redirect, (await TryAsync(user, "hj-office", DemoData.Password)).Status);
        var account = await app.WithDbAsync(db => db.Users.SingleAsync(u => u.UserName == "hj-office"));
        Assert.Null(account.LockoutEnd);
        Assert.Equal(0, account.AccessFailedCount);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_delay_grows_with_every_failure_and_ends(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var client = From(app, NewSource());
        for (var i = 0; i < LoginGuard.SourceFree; i++) await TryAsync(client, "sx-office", "wrong-password-" + i);
        var first = await TestApp.PostLoginAsync(client, "sx-office", "wrong-password-a");
        Assert.Equal(HttpStatusCode.TooManyRequests, first.StatusCode);
        var firstWait = int.Parse(first.Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture);
        app.Clock.Advance(TimeSpan.FromSeconds(firstWait * 2 + 1));
        // After the wait one attempt is checked again (a wrong one), and the next wait is longer.
        Assert.Equal(HttpStatusCode.OK, (await TryAsync(client, "sx-office", "wrong-password-b")).Status);
        var second = await TestApp.PostLoginAsync(client, "sx-office", "wrong-password-c");
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.True(int.Parse(second.Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture) > firstWait);
        // An hour later the source starts afresh, and the right password works.
        app.Clock.Advance(TimeSpan.FromMinutes(62));
        Assert.Equal(HttpStatusCode.Redirect, (await TryAsync(client, "sx-office", DemoData.Password)).Status);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Unknown_and_known_names_get_identical_answers(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var known = From(app, NewSource());
        var unknown = From(app, NewSource());
        for (var i = 0; i <= LoginGuard.SourceFree; i++)
        {
            var a = await TestApp.PostLoginAsync(known, "hj-police", "wrong-password-" + i);
            var b = await TestApp.PostLoginAsync(unknown, "hj-nobody", "wrong-password-" + i);
            Assert.Equal(a.StatusCode, b.StatusCode);
            Assert.Equal(a.Headers.RetryAfter?.ToString(), b.Headers.RetryAfter?.ToString());
            Assert.Equal(Normalize(await a.Content.ReadAsStringAsync(), "hj-police"), Normalize(await b.Content.ReadAsStringAsync(), "hj-nobody"));
        }
        // Both sides were counted and audited the same way.
        var audit = await app.WithDbAsync(db => db.AuditRecords.Where(r => r.Action == "login-failed").CountAsync());
        Assert.Equal(2 * LoginGuard.SourceFree, audit);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Guesses_spread_over_many_sources_slow_the_account_but_not_a_browser_it_logged_in_from(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var desk = From(app, NewSource());
        Assert.Equal(HttpStatusCode.Redirect, (await TryAsync(desk, "hj-patrol", DemoData.Password)).Status);
        for (var i = 0; i < LoginGuard.AccountFree; i++)
            Assert.Equal(HttpStatusCode.OK, (await TryAsync(From(app, NewSource()), "hj-patrol", "wrong-password-" + i)).Status);
        // A new browser at a new address now waits for this account…
        Assert.Equal(HttpStatusCode.TooManyRequests, (await TryAsync(From(app, NewSource()), "hj-patrol", DemoData.Password)).Status);
        // …but the browser the user logged in from before gets in (its signed device cookie).
        Assert.Equal(HttpStatusCode.Redirect, (await TryAsync(desk, "hj-patrol", DemoData.Password)).Status);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task X_Forwarded_For_is_believed_only_from_a_configured_proxy(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        // This deployment's proxy is elsewhere: a request from 127.0.0.1 is not a proxy's, so its header is ignored.
        await using var direct = app.WithWebHostBuilder(b => b.ConfigureAppConfiguration((_, c) =>
            c.AddInMemoryCollection(new Dictionary<string, string?> { ["ReverseProxies:0"] = "10.255.0.1" })));
        for (var i = 0; i < LoginGuard.SourceFree; i++)
            Assert.Equal(HttpStatusCode.OK, (await TryAsync(From(direct, NewSource()), "hj-leader", "wrong-password-" + i)).Status);
        // A forged new address per request does not make a new source: the caller is still throttled.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await TryAsync(From(direct, NewSource()), "hj-leader", "wrong-password-z")).Status);
        var recorded = await app.WithDbAsync(db => db.AuditRecords.Where(r => r.Action == "login-failed").Select(r => r.Address).Distinct().ToListAsync());
        Assert.DoesNotContain(recorded, a => a.StartsWith("10.", StringComparison.Ordinal));
        Assert.Single(recorded);

        // Behind the configured proxy (the test's default: 127.0.0.1), each forwarded address is its own source.
        for (var i = 0; i < LoginGuard.SourceFree + 2; i++)
            Assert.Equal(HttpStatusCode.OK, (await TryAsync(From(app, NewSource()), "hj-leader", "wrong-password-p" + i)).Status);
    }

    /// <summary>The page with the echoed user name and the per-request anti-forgery token taken out.</summary>
    private static string Normalize(string html, string userName) =>
        TokenValue().Replace(html.Replace(userName, "USER", StringComparison.Ordinal), "value=\"TOKEN\"");

    [GeneratedRegex("value=\"CfDJ8[^\"]+\"")]
    private static partial Regex TokenValue();
}
