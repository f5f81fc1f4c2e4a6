using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;

namespace MineGuard.Tests.Platform.Web;

/// <summary>
/// Sends malformed input to every route of a running app, as a logged-in user, and reports every answer of 500 or more
/// (or a request that blew up in the server) with the route and the input. The routes come from the app's
/// <see cref="EndpointDataSource"/>, so a new endpoint or page is fuzzed without anyone listing it; the inputs are
/// built from each handler's parameters and body type (minimal APIs) or the page model's bound properties (pages), and
/// deterministic for a seed.
/// </summary>
public sealed partial class RouteFuzzer(IReadOnlyDictionary<string, List<Guid>> realIds, int seed)
{
    private static readonly Assembly Product = typeof(MineGuard.Platform.Web.InputLimits).Assembly;

    /// <summary>Values that broke parsers before: empty, not-a-number, beyond every range, overlong, odd characters.</summary>
    private static readonly string[] OddText =
    [
        "9999-12", "NaN", new string('长', 5000), "", "1e309", "9999-12-31T23:59:59Z", "-1", "\ud800", "0001-01", " ", "Infinity", "0",
        "99999999999999999999", "-1e309", "0001-01-01", "2026-02-30", "null", "[]", "{}", "'\"<>&;--", "%00\u0000", "4103259999999999999999",
    ];

    private static readonly string[] CommonQuery =
        ["month", "from", "to", "p", "page", "q", "division", "status", "kind", "sort", "ids", "township", "date", "year", "bbox", "zoom", "lat", "lon", "id", "part", "take"];

    private readonly Random random = new(seed);

    /// <summary>Requests sent so far.</summary>
    public int Sent { get; private set; }

    public sealed record Route(string Method, string Pattern, RouteEndpoint Endpoint);

    public sealed record Failure(string Method, string Url, string Input, int Status, string Detail)
    {
        public override string ToString() => $"{Method} {Cut(Url)} [{Cut(Input)}] -> {Status} {Detail}";
    }

    /// <summary>Every route and method of the app (pages without a method list are fuzzed with GET and POST).</summary>
    public static List<Route> Routes(EndpointDataSource source) =>
    [
        .. source.Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST"])
                .Select(m => new Route(m, "/" + (e.RoutePattern.RawText ?? "").TrimStart('/'), e)))
            // Logging out would end the fuzzing user's session; the rest of the app is fair game.
            .Where(r => !r.Pattern.Contains("logout", StringComparison.OrdinalIgnoreCase))
            .OrderBy(r => r.Pattern, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal),
    ];

    /// <summary>Runs every request for every route; <paramref name="variants"/> bounds the inputs per route and method.</summary>
    public async Task<List<Failure>> RunAsync(HttpClient client, string antiForgeryToken, IEnumerable<Route> routes, int variants)
    {
        var failures = new List<Failure>();
        foreach (var route in routes)
        {
            foreach (var (url, input, content, headers) in Requests(route, antiForgeryToken).Take(variants))
            {
                using var request = new HttpRequestMessage(new HttpMethod(route.Method), url) { Content = content };
                Sent++;
                foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
                try
                {
                    using var response = await client.SendAsync(request);
                    if ((int)response.StatusCode >= 500)
                    {
                        var body = await response.Content.ReadAsStringAsync();
                        failures.Add(new Failure(route.Method, url, input, (int)response.StatusCode, body[..Math.Min(200, body.Length)]));
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    failures.Add(new Failure(route.Method, url, input, 0, e.GetType().Name + ": " + e.Message));
                }
            }
        }
        return failures;
    }

    private IEnumerable<(string Url, string Input, HttpContent? Content, List<(string, string)> Headers)> Requests(Route route, string token)
    {
        var handler = route.Endpoint.Metadata.GetMetadata<MethodInfo>();
        var page = handler is null ? PageModelOf(route.Endpoint) : null;
        var query = QueryNames(handler, page);
        var hasBody = route.Method is "POST" or "PUT" or "PATCH" or "DELETE";
        var bodyType = handler?.GetParameters().FirstOrDefault(IsBody)?.ParameterType;
        var paths = Paths(route.Pattern).ToList();
        for (var v = 0; ; v++)
        {
            var path = paths[v % paths.Count];
            var odd = OddText[(v / 2) % OddText.Length];
            var q = v == 0 ? "" : "?" + string.Join("&", query.Select(n => $"{n}={Uri.EscapeDataString(v % 2 == 1 ? odd : Pick(OddText))}"));
            var headers = new List<(string, string)> { ("X-Device-Time", v % 4 == 1 ? Pick(["99999999999999999", "-5", "abc", "1e30"]) : "1793590800000") };
            if (!hasBody)
            {
                yield return (path + q, $"query {q}", null, headers);
                continue;
            }
            if (page is not null || route.Pattern.StartsWith("/report", StringComparison.Ordinal))
            {
                var (form, input, named) = Form(page, token, v);
                var url = path + (v % 2 == 0 ? "" : q);
                if (named is not null) url += (url.Contains('?') ? "&" : "?") + "handler=" + named;
                yield return (url, input, form, headers);
                continue;
            }
            // Odd variants are shaped like the handler's body type with extreme values; even ones are broken JSON.
            var (json, what) = (v % 2, v / 2 % 5) switch
            {
                (1, _) => bodyType is null ? ("{\"x\":" + Pick(["1e308", "\"NaN\"", "[]", "{}"]) + "}", "object") : (Json(bodyType, v, 0), "shaped"),
                (_, 0) => ("", "empty body"),
                (_, 1) => ("{", "malformed JSON"),
                (_, 2) => ("null", "null"),
                (_, 3) => ("[1,2]", "array"),
                _ => ("\"x\"", "string"),
            };
            yield return (path + (v % 2 == 0 ? "" : q), $"{what} {Cut(json)} {q}", new StringContent(json, Encoding.UTF8, "application/json"), headers);
        }
    }

    private static string Cut(string s) => s.Length <= 300 ? s : s[..300] + "…";

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    /// <summary>The route with its parameters filled: ids of real records of the table the route names, and a random one.</summary>
    private IEnumerable<string> Paths(string pattern)
    {
        var real = new List<string>();
        for (var k = 0; k < 3; k++)
        {
            var path = RouteParameter().Replace(pattern, m =>
            {
                var constraint = m.Groups[2].Value;
                if (constraint.Contains("guid", StringComparison.Ordinal))
                {
                    var ids = IdsFor(pattern[..m.Index]);
                    return k < ids.Count ? ids[k].ToString() : Guid.NewGuid().ToString();
                }
                if (constraint.Contains("int", StringComparison.Ordinal) || constraint.Contains("long", StringComparison.Ordinal))
                    return k switch { 0 => "1", 1 => "0", _ => "2147483647" };
                return k switch { 0 => "410325", 1 => Uri.EscapeDataString("x'\"<"), _ => "9999-12" };
            });
            real.Add(path.Replace("/{**", "/", StringComparison.Ordinal));
        }
        return real.Distinct();
    }

    /// <summary>Real ids of the table whose name the segment before the parameter is ("check-ins" → CheckIns).</summary>
    private List<Guid> IdsFor(string before)
    {
        var segment = before.TrimEnd('/').Split('/').LastOrDefault(s => s.Length > 0 && !s.StartsWith('{'))?.Replace("-", "", StringComparison.Ordinal).ToLowerInvariant() ?? "";
        if (segment.Length < 3) return [];
        var table = realIds.Keys.FirstOrDefault(t => t.Equals(segment, StringComparison.OrdinalIgnoreCase))
                    ?? realIds.Keys.FirstOrDefault(t => t.EndsWith(segment, StringComparison.OrdinalIgnoreCase))
                    ?? realIds.Keys.FirstOrDefault(t => t.StartsWith(segment.TrimEnd('s'), StringComparison.OrdinalIgnoreCase));
        return table is null ? [] : realIds[table];
    }

    [GeneratedRegex(@"\{\*{0,2}([^}:=?]+)([^}]*)\}")]
    private static partial Regex RouteParameter();

    private static bool IsBody(ParameterInfo p)
    {
        if (p.GetCustomAttribute<FromBodyAttribute>() is not null) return true;
        var t = Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType;
        return t.Namespace?.StartsWith("MineGuard", StringComparison.Ordinal) == true && t.IsClass && !t.Name.EndsWith("Context", StringComparison.Ordinal) && p.GetCustomAttributes().All(a => a is not IFromServiceMetadata and not AsParametersAttribute)
               && t.GetConstructors().Length > 0 && !t.Name.EndsWith("Commands", StringComparison.Ordinal) && !t.Name.EndsWith("Sync", StringComparison.Ordinal)
               && !IsService(t);
    }

    /// <summary>A rough guess that a product type is a service rather than an input: it has no settable or positional properties.</summary>
    private static bool IsService(Type t) =>
        t.GetConstructors().All(c => c.GetParameters().Any(p => !p.ParameterType.IsValueType && p.ParameterType != typeof(string) && p.ParameterType.Assembly != Product && !p.ParameterType.IsArray
                                                               && !(p.ParameterType.IsGenericType && p.ParameterType.GetGenericTypeDefinition() == typeof(List<>))))
        && !t.GetProperties().Any(p => p.CanWrite);

    private static List<string> QueryNames(MethodInfo? handler, Type? page)
    {
        var names = new List<string>();
        if (handler is not null)
        {
            foreach (var p in handler.GetParameters())
            {
                var t = Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType;
                if (t.IsPrimitive || t == typeof(string) || t == typeof(Guid) || t == typeof(DateOnly) || t == typeof(DateTime) || t.IsEnum || t == typeof(decimal))
                    names.Add(p.GetCustomAttribute<FromQueryAttribute>()?.Name ?? p.Name!);
            }
        }
        if (page is not null)
        {
            names.AddRange(page.GetProperties().Where(p => p.GetCustomAttribute<BindPropertyAttribute>() is { SupportsGet: true })
                .Select(p => p.GetCustomAttribute<BindPropertyAttribute>()!.Name ?? p.Name));
        }
        if (names.Count == 0) names.AddRange(CommonQuery);
        return names;
    }

    /// <summary>The page model of a page endpoint, by the page's file (Features/Adits/Pages/Edit.cshtml → …Adits.Pages.EditModel).</summary>
    private static Type? PageModelOf(RouteEndpoint endpoint)
    {
        var descriptor = endpoint.Metadata.OfType<Microsoft.AspNetCore.Mvc.RazorPages.PageActionDescriptor>().FirstOrDefault();
        if (descriptor?.RelativePath is not { } path) return null;
        var parts = path.TrimStart('/').Replace(".cshtml", "", StringComparison.Ordinal).Split('/');
        var ns = "MineGuard." + string.Join('.', parts[..^1]);
        var name = parts[^1];
        return Product.GetType($"{ns}.{name}Model") ?? Product.GetTypes().FirstOrDefault(t => t.Namespace == ns && typeof(PageModel).IsAssignableFrom(t));
    }

    /// <summary>A form post of the page's bound properties (Input.Name …) with odd values, its token, and sometimes a named handler.</summary>
    private (HttpContent Content, string Input, string? Handler) Form(Type? page, string token, int v)
    {
        var fields = new List<KeyValuePair<string, string>> { new("__RequestVerificationToken", token) };
        if (page is not null)
        {
            foreach (var p in page.GetProperties().Where(p => p.GetCustomAttribute<BindPropertyAttribute>() is not null))
            {
                var name = p.GetCustomAttribute<BindPropertyAttribute>()!.Name ?? p.Name;
                var t = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
                if (t.Assembly == Product && t.IsClass)
                {
                    foreach (var inner in t.GetProperties().Where(i => i.CanWrite))
                        fields.Add(new($"{name}.{inner.Name}", FormValue(inner.PropertyType, v)));
                }
                else fields.Add(new(name, FormValue(t, v)));
            }
            var handlers = page.GetMethods().Select(m => HandlerName().Match(m.Name)).Where(m => m.Success && m.Groups[1].Value.Length > 0)
                .Select(m => m.Groups[1].Value).Distinct().ToList();
            if (handlers.Count > 0 && v % 3 != 0) fields.Add(new("handler", handlers[v % handlers.Count]));
            foreach (var arg in page.GetMethods().Where(m => m.Name.StartsWith("OnPost", StringComparison.Ordinal)).SelectMany(m => m.GetParameters())
                         .Where(a => a.ParameterType != typeof(CancellationToken)).Select(a => a.Name!).Distinct())
                fields.Add(new(arg, FormValue(typeof(string), v)));
        }
        var handler = fields.FirstOrDefault(f => f.Key == "handler").Value;
        var input = string.Join("&", fields.Where(f => f.Key != "__RequestVerificationToken").Select(f => $"{f.Key}={Cut(f.Value)}"));
        return (new FormUrlEncodedContent(fields.Where(f => f.Key != "handler")), input, handler);
    }

    [GeneratedRegex("^OnPost(\\w*?)(Async)?$")]
    private static partial Regex HandlerName();

    private string FormValue(Type type, int v)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (v % 5 == 0) return Pick(OddText);
        if (t == typeof(Guid)) return Pick(realIds.Values.SelectMany(x => x).Append(Guid.NewGuid()).ToList()).ToString();
        if (t == typeof(double) || t == typeof(float) || t == typeof(decimal) || t == typeof(int) || t == typeof(long))
            return Pick(["NaN", "Infinity", "1e308", "-1e308", "99999999999", "-1", "0", "112.05"]);
        if (t == typeof(DateOnly) || t == typeof(DateTime)) return Pick(["9999-12-31", "0001-01-01", "2026-13-45", "2026-11-02"]);
        if (t == typeof(bool)) return Pick(["true", "maybe", ""]);
        return Pick(OddText);
    }

    /// <summary>A JSON value shaped like the type, with wrong, extreme or malformed values in its fields.</summary>
    private string Json(Type type, int v, int depth)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        var mode = (v + depth + random.Next(3)) % 6;
        if (t == typeof(string))
            return mode switch { 0 => JsonSerializer.Serialize(new string('长', 5000)), 1 => "12", 2 => "\"\"", 3 => "\"NaN\"", 4 => "\"9999-12-31T23:59:59Z\"", _ => JsonSerializer.Serialize(Pick(OddText)) };
        if (t == typeof(double) || t == typeof(float) || t == typeof(decimal))
            return mode switch { 0 => "1e308", 1 => "\"NaN\"", 2 => "\"Infinity\"", 3 => "-1e308", 4 => "\"abc\"", _ => "9.3e18" };
        if (t == typeof(int) || t == typeof(long) || t == typeof(short))
            return mode switch { 0 => "99999999999999999999", 1 => "-2147483648", 2 => "2147483647", 3 => "1.5", 4 => "\"x\"", _ => "9223372036854775807" };
        if (t == typeof(DateTime) || t == typeof(DateTimeOffset))
            return mode switch { 0 => "\"9999-12-31T23:59:59Z\"", 1 => "\"0001-01-01T00:00:00Z\"", 2 => "\"9999-12-31T23:59:59-14:00\"", 3 => "\"x\"", _ => "12" };
        if (t == typeof(DateOnly)) return mode switch { 0 => "\"9999-12-31\"", 1 => "\"0001-01-01\"", 2 => "\"2026-02-30\"", _ => "\"x\"" };
        if (t == typeof(Guid))
            return mode < 3 ? $"\"{Pick(realIds.Values.SelectMany(x => x).Append(Guid.NewGuid()).ToList())}\"" : mode == 3 ? "\"x\"" : $"\"{Guid.Empty}\"";
        if (t == typeof(bool)) return mode switch { 0 => "true", 1 => "\"maybe\"", _ => "false" };
        if (t.IsEnum) return mode switch { 0 => "999", 1 => "\"x\"", _ => "0" };
        if (t == typeof(JsonElement)) return mode switch { 0 => "{\"type\":\"Polygon\",\"coordinates\":[[[1e308,\"NaN\"]]]}", 1 => "[]", 2 => "\"x\"", _ => "{}" };
        if (depth > 3) return "null";
        var element = t.IsArray ? t.GetElementType()
            : t.IsGenericType && typeof(System.Collections.IEnumerable).IsAssignableFrom(t) ? t.GetGenericArguments()[^1] : null;
        if (element is not null)
        {
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Dictionary<,>)) return mode == 0 ? "{\"k\":null}" : "{}";
            var count = mode switch { 0 => 0, 1 => 1, 2 => 3, _ => 2 };
            return mode == 5 ? "{}" : "[" + string.Join(",", Enumerable.Range(0, count).Select(i => Json(element, v + i, depth + 1))) + "]";
        }
        if (t.Namespace?.StartsWith("MineGuard", StringComparison.Ordinal) != true) return "null";
        var props = t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.GetIndexParameters().Length == 0);
        return "{" + string.Join(",", props.Select(p => $"\"{JsonNamingPolicy.CamelCase.ConvertName(p.Name)}\":{Json(p.PropertyType, v + p.Name.Length, depth + 1)}")) + "}";
    }

    public static string Describe(IEnumerable<Failure> failures) => string.Join("\n", failures.Select(f => f.ToString()));

    public static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
