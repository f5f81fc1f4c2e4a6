using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Platform.Auth;

/// <summary>No endpoint answers an anonymous caller with data, except the named public ones.</summary>
public sealed class EndpointAuthorizationTests
{
    // The only endpoints a person may reach without logging in: the log-in page itself, the health check, and
    // (from the tips issue on) the public tip portal under /report: the form (/report), the receipt page
    // (/report/receipt) and the optional map pin's settings (/report/map-config). Nothing else is public.
    // The error page (/error) is public too: a person who is not logged in may meet an error and must read it in Chinese.
    private static readonly string[] Public = ["/login", "/healthz", "/report", "/error"];

    private static bool IsPublic(string route) =>
        Public.Any(p => route == p || route.StartsWith(p + "/", StringComparison.Ordinal));

    [Theory, OnSqlite, OnPostgres]
    public async Task Every_endpoint_refuses_an_anonymous_caller(string provider)
    {
        var app = await TestApp.Shared(provider);
        var client = app.Anonymous();
        var endpoints = Endpoints(app).ToList();
        Assert.True(endpoints.Count >= 15, $"expected the app's endpoints, found {endpoints.Count}");

        var failures = new List<string>();
        foreach (var (method, route) in endpoints.Where(e => !IsPublic(e.Route)))
        {
            var request = new HttpRequestMessage(new HttpMethod(method), Fill(route));
            if (method is "POST" or "PUT" or "PATCH") request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
            var response = await client.SendAsync(request);
            var redirectedToLogin = response.StatusCode == HttpStatusCode.Redirect
                                    && response.Headers.Location?.OriginalString.Contains("/login", StringComparison.Ordinal) == true;
            // Razor Pages refuse an anonymous POST at the anti-forgery check (400) before authorization runs.
            var refused = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
                          || redirectedToLogin
                          || (response.StatusCode == HttpStatusCode.BadRequest && !route.StartsWith("/api", StringComparison.Ordinal));
            if (!refused) failures.Add($"{method} {route} -> {(int)response.StatusCode}");
        }
        Assert.True(failures.Count == 0, "Reachable without log-in:\n" + string.Join("\n", failures));
    }

    [Theory, OnSqlite]
    public async Task Every_endpoint_declares_its_authorization(string provider)
    {
        var app = await TestApp.Shared(provider);
        var sources = app.Services.GetRequiredService<EndpointDataSource>();
        var undeclared = sources.Endpoints.OfType<RouteEndpoint>()
            .Where(e => !IsPublic("/" + e.RoutePattern.RawText?.TrimStart('/')))
            .Where(e => e.Metadata.GetMetadata<IAuthorizeData>() is null)
            .Select(e => e.DisplayName)
            .ToList();
        // The fallback policy would still demand a log-in, but an endpoint without its own policy is a mistake.
        Assert.True(undeclared.Count == 0, "Endpoints without [Authorize]/RequireAuthorization:\n" + string.Join("\n", undeclared));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Health_check_is_public_and_reports_the_database(string provider)
    {
        var app = await TestApp.Shared(provider);
        var response = await app.Anonymous().GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    private static IEnumerable<(string Method, string Route)> Endpoints(TestApp app)
    {
        var sources = app.Services.GetRequiredService<EndpointDataSource>();
        foreach (var endpoint in sources.Endpoints.OfType<RouteEndpoint>())
        {
            var route = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST"];
            foreach (var method in methods) yield return (method, route);
        }
    }

    /// <summary>Fills route parameters with plausible values so the request reaches the endpoint.</summary>
    private static string Fill(string route) =>
        System.Text.RegularExpressions.Regex.Replace(route, @"\{([^}:=?]+)[^}]*\}", m =>
            m.Value.Contains(":guid", StringComparison.Ordinal) ? Guid.NewGuid().ToString()
            : m.Value.Contains(":int", StringComparison.Ordinal) || m.Value.Contains(":long", StringComparison.Ordinal) ? "1"
            : "410325");
}
