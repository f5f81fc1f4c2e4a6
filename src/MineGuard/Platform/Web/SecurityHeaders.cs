namespace MineGuard.Platform.Web;

public static class SecurityHeaders
{
    /// <summary>The policy with one response's inline scripts allowed by their nonce (the API reference page).</summary>
    public static string WithScriptNonce(string csp, string nonce) =>
        csp.Replace("script-src 'self'", $"script-src 'self' 'nonce-{nonce}'", StringComparison.Ordinal);

    /// <summary>Secure defaults for every response; the map tile host (if configured) is the only outside source allowed.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app, IConfiguration config)
    {
        var tileHosts = config["Map:TileUrl"] is { Length: > 0 } url && Uri.TryCreate(url.Replace("{s}", "t0"), UriKind.Absolute, out var uri)
            ? $" {uri.Scheme}://*.{string.Join('.', uri.Host.Split('.').Skip(1))} {uri.Scheme}://{uri.Host}"
            : "";
        var csp = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
                  $"img-src 'self' data: blob:{tileHosts}; connect-src 'self'; font-src 'self'; " +
                  "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
        return app.Use(async (ctx, next) =>
        {
            var h = ctx.Response.Headers;
            h.XContentTypeOptions = "nosniff";
            h.XFrameOptions = "DENY";
            h["Referrer-Policy"] = "no-referrer";
            h["Permissions-Policy"] = "geolocation=(self), camera=(self), microphone=()";
            h["Cross-Origin-Opener-Policy"] = "same-origin";
            h.ContentSecurityPolicy = csp;
            await next();
        });
    }
}
