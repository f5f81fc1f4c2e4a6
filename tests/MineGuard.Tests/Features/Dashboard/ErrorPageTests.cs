using System.Net;
using System.Net.Http.Headers;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Dashboard;

/// <summary>People in a browser get a Chinese page with the layout for a missing page; API clients keep ProblemDetails.</summary>
public sealed class ErrorPageTests
{
    private static HttpRequestMessage Get(string url, string accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd(accept);
        return request;
    }

    private const string Browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    [Theory, OnSqlite, OnPostgres]
    public async Task A_missing_page_is_a_Chinese_page_for_a_person_and_problem_json_for_the_api(string provider)
    {
        var app = await TestApp.Shared(provider);
        // Nobody logged in: every page asks for the log-in first, a missing one too.
        var anonymous = await app.Anonymous().SendAsync(Get("/no-such-page", Browser));
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Contains("/login?ReturnUrl=%2Fno-such-page", anonymous.Headers.Location?.OriginalString, StringComparison.Ordinal);

        var office = await app.LoginAsync("sx-office");
        var page = await office.SendAsync(Get("/no-such-page", Browser));
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<title>页面不存在 · 矿山打非治违平台</title>", html, StringComparison.Ordinal);
        Assert.Contains("返回首页", html, StringComparison.Ordinal);

        Assert.Contains("id=\"main-menu\"", html, StringComparison.Ordinal);

        // A record that does not exist, or is outside the scope, is "not found" the same way.
        var missing = await office.SendAsync(Get($"/adits/{Guid.NewGuid()}", Browser));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var body = await missing.Content.ReadAsStringAsync();
        Assert.Contains("页面不存在", body, StringComparison.Ordinal);

        // The API and callers that do not ask for HTML keep ProblemDetails.
        var api = await office.SendAsync(Get("/api/no-such-thing", Browser));
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        var json = await office.SendAsync(Get("/no-such-page", "application/json"));
        Assert.Equal(HttpStatusCode.NotFound, json.StatusCode);
        Assert.Equal("application/problem+json", json.Content.Headers.ContentType?.MediaType);
        Assert.Contains("未找到", await json.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_form_posted_to_a_missing_page_also_gets_the_Chinese_page(string provider)
    {
        var app = await TestApp.Shared(provider);
        var request = new HttpRequestMessage(HttpMethod.Post, "/no-such-form") { Content = new FormUrlEncodedContent([new("a", "b")]) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        var response = await (await app.LoginAsync("hj-office")).SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("页面不存在", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
