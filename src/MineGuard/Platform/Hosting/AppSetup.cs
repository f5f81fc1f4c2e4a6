using System.Reflection;
using Microsoft.AspNetCore.HttpOverrides;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Web;

namespace MineGuard.Platform.Hosting;

public static class AppSetup
{
    private static readonly Type[] Features = typeof(AppSetup).Assembly.GetTypes()
        .Where(t => !t.IsInterface && typeof(IFeature).IsAssignableFrom(t))
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .ToArray();

    public static WebApplicationBuilder AddMineGuard(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var config = builder.Configuration;
        // First: hosted services start in order, and the schema must exist before anything reads it (the key ring does).
        services.AddHostedService<DatabaseInitializer>();
        services.AddHostedService<StartupBanner>();
        ConsoleLogFormat.Configure(services);
        services.AddSingleton(TimeProvider.System);
        services.AddMineGuardDatabase();
        services.AddMineGuardIdentity();
        // Key ring in the database, its secrets encrypted with a key file outside it (DataProtectionSetup).
        services.AddMineGuardDataProtection();
        services.AddMineGuardProblems();
        services.AddMineGuardApiDocument();
        services.AddSingleton<RateLimits>();
        // Who answers for a place (issue 12): the one routing service every feature asks.
        services.AddScoped<People.Responsibility>();
        services.AddSingleton<People.IdNumberProtection>();
        // Chinese text goes out as UTF-8, not as &#x…; entities (a third of the page weight on a slow phone).
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddRazorPages(o => o.RootDirectory = "/Features").AddMvcOptions(o => o.ModelBindingMessageProvider.UseChinese());
        services.AddAntiforgery(o => o.Cookie.Name = "mineguard-csrf");
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only the configured proxies are believed: the framework's default also trusts loopback, which lets any
            // local process (or a proxy that passes the header through) forge X-Forwarded-For.
            o.KnownIPNetworks.Clear();
            o.KnownProxies.Clear();
            foreach (var proxy in config.GetSection("ReverseProxies").Get<string[]>() ?? [])
            {
                if (proxy.Contains('/', StringComparison.Ordinal)) o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(proxy));
                else o.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
            }
        });
        foreach (var feature in Features) Invoke(feature, nameof(IFeature.AddServices), services, config);
        return builder;
    }

    public static WebApplication UseMineGuard(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UsePersonErrorPages();
        app.UseSecurityHeaders(app.Configuration);
        app.UseStaticFiles();
        app.UseRouting();
        app.UseRequestBodyLimits();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapHealthChecks("/healthz").AllowAnonymous();
        app.MapRazorPages();
        // Every feature's endpoints get the same input check (lengths, finite numbers: Platform/Web/InputLimits).
        var features = app.MapGroup("").AddEndpointFilterFactory(InputLimits.EndpointFilter);
        foreach (var feature in Features) Invoke(feature, nameof(IFeature.Map), features);
        app.MapApiDocument();
        return app;
    }

    private static void Invoke(Type feature, string method, params object[] args)
    {
        // A feature that does not declare the method keeps the interface's empty default.
        feature.GetMethod(method, BindingFlags.Public | BindingFlags.Static)?.Invoke(null, args);
    }
}
