namespace MineGuard.Platform.Web;

/// <summary>
/// A person in a browser (a non-API path, asking for HTML) meets a missing page or a failure as a Chinese page with the
/// layout (/error); an API client keeps the ProblemDetails JSON written by ProblemSetup. Placed after the app-wide
/// handlers, so for a person's request these handle first.
/// </summary>
public static class PersonErrorPages
{
    public static bool IsPerson(HttpRequest request) =>
        !request.Path.StartsWithSegments("/api") && !request.Path.StartsWithSegments("/healthz")
        && request.Headers.Accept.Any(a => a is not null && a.Contains("text/html", StringComparison.OrdinalIgnoreCase));

    public static IApplicationBuilder UsePersonErrorPages(this IApplicationBuilder app) =>
        app.UseWhen(ctx => IsPerson(ctx.Request), person =>
        {
            person.UseExceptionHandler("/error");
            person.UseStatusCodePagesWithReExecute("/error", "?status={0}");
        });
}
