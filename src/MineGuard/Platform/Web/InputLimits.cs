using MineGuard.Platform.Files;
using System.Collections;
using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;

namespace MineGuard.Platform.Web;

/// <summary>
/// One check of every input, before any handler runs: every string an endpoint or page binds (query, route, form, the
/// JSON body and the records inside it) is at most its <see cref="MaxLengthAttribute"/>/<see cref="StringLengthAttribute"/>
/// or <see cref="DefaultMaxLength"/> characters, and every floating-point number is finite ("NaN" and "Infinity" parse
/// as doubles and pass every range check written with &lt; and &gt;). A violation is a 400 naming the field, with a
/// Chinese message, and nothing is stored. Handlers keep their own, tighter, checks.
/// </summary>
public static class InputLimits
{
    /// <summary>Characters of a text input without its own limit (the longest text columns, descriptions, hold 4,000).</summary>
    public const int DefaultMaxLength = 4000;

    /// <summary>A geometry typed or pasted as text (a licence boundary, an e-fence polygon as GeoJSON): up to ~1 MB.</summary>
    public const int GeometryMaxLength = 1_000_000;

    /// <summary>
    /// A JSON or form body without its endpoint's own limit: an ingest batch of 1,000 events is ~0.5 MB, a field sync
    /// record a few KB; uploads declare their own (<see cref="RequestSizeLimitAttribute"/>).
    /// </summary>
    public const long DefaultBodyBytes = 4L * 1024 * 1024;

    private const int MaxDepth = 8;

    private static readonly ConcurrentDictionary<Type, Member[]> Members = new();

    private sealed record Member(Func<object, object?> Get, string JsonName, string ClrName, int? MaxLength);

    /// <summary>Checks a bound value under a field name ("" for a body whose properties are the fields).</summary>
    public static void Check(object? value, string name, int? maxLength, FieldErrors errors, bool camelCase = true) =>
        Walk(value, name, maxLength ?? DefaultMaxLength, errors, camelCase, 0);

    private static void Walk(object? value, string name, int max, FieldErrors errors, bool camel, int depth)
    {
        switch (value)
        {
            case null:
                return;
            case string s:
                if (s.Length > max) errors.Add(Field(name), $"内容过长：最多 {max} 个字符，现有 {s.Length} 个");
                // A NUL character has no meaning in any field, and PostgreSQL refuses it in text (a 500, not a 400).
                else if (s.Contains('\0')) errors.Add(Field(name), "含有无效的空字符，请删除后重试");
                return;
            case double d:
                if (!double.IsFinite(d)) errors.Add(Field(name), "不是有效的数字");
                return;
            case float f:
                if (!float.IsFinite(f)) errors.Add(Field(name), "不是有效的数字");
                return;
            case JsonElement or Stream or IFormFile or IFormFileCollection:
                return; // bounded by the body limit; their handlers parse them
        }
        if (depth >= MaxDepth) return;
        var type = value.GetType();
        if (value is IDictionary dictionary)
        {
            foreach (DictionaryEntry e in dictionary) Walk(e.Value, $"{name}.{e.Key}", DefaultMaxLength, errors, camel, depth + 1);
            return;
        }
        if (value is IEnumerable items && IsChecked(ElementType(type)))
        {
            var i = 0;
            foreach (var item in items)
            {
                Walk(item, $"{name}[{i++}]", max, errors, camel, depth + 1);
                if (errors.Count > 20) return; // enough to say what is wrong with a 10,000-point array
            }
            return;
        }
        if (!IsOurs(type)) return;
        foreach (var m in MembersOf(type))
        {
            var child = name.Length == 0 ? (camel ? m.JsonName : m.ClrName) : $"{name}.{(camel ? m.JsonName : m.ClrName)}";
            Walk(m.Get(value), child, m.MaxLength ?? DefaultMaxLength, errors, camel, depth + 1);
        }

        // The key must already be the name the caller sent: FieldErrors.ToProblem only lower-cases its first letter.
        static string Field(string n) => n.Length == 0 ? "body" : n;
    }

    /// <summary>Whether values of this type can hold text or a floating-point number worth checking.</summary>
    private static bool IsChecked(Type? type)
    {
        if (type is null) return true;
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string) || type == typeof(double) || type == typeof(float) || type == typeof(object)) return true;
        if (type.IsArray || (type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type) && type != typeof(JsonElement)))
            return IsChecked(ElementType(type));
        return IsOurs(type);
    }

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    /// <summary>Input records and form classes are the product's own types (its services are left out by the callers).</summary>
    private static bool IsOurs(Type type) =>
        type.Assembly == typeof(InputLimits).Assembly && !type.IsEnum && !type.IsPrimitive && !typeof(Delegate).IsAssignableFrom(type);

    private static Member[] MembersOf(Type type) => Members.GetOrAdd(type, t =>
    {
        // A positional record's attribute sits on the constructor parameter unless written [property: MaxLength(…)].
        var parameters = t.GetConstructors().SelectMany(c => c.GetParameters()).Where(p => p.Name is not null)
            .GroupBy(p => p.Name!, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        return t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && IsChecked(p.PropertyType))
            .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
            .Select(p => new Member(p.GetValue,
                p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(p.Name), p.Name,
                MaxLengthOf(p) ?? (parameters.TryGetValue(p.Name, out var param) ? MaxLengthOf(param) : null)))
            .ToArray();
    });

    private static int? MaxLengthOf(ICustomAttributeProvider member)
    {
        foreach (var a in member.GetCustomAttributes(true))
        {
            if (a is MaxLengthAttribute { Length: > 0 } m) return m.Length;
            if (a is StringLengthAttribute s) return s.MaximumLength;
        }
        return null;
    }

    /// <summary>
    /// The check for every minimal-API endpoint (added to the group the features map into): the handler's parameters
    /// that are not services, checked under the names the caller used.
    /// </summary>
    public static EndpointFilterDelegate EndpointFilter(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var services = context.ApplicationServices.GetService<IServiceProviderIsService>();
        var checks = context.MethodInfo.GetParameters()
            .Select((p, i) => (Parameter: p, Index: i))
            .Where(x => IsChecked(x.Parameter.ParameterType) && x.Parameter.ParameterType != typeof(object))
            .Where(x => x.Parameter.GetCustomAttribute<FromServicesAttribute>() is null && services?.IsService(x.Parameter.ParameterType) != true)
            .Select(x => (x.Index, Name: ParameterName(x.Parameter), Max: MaxLengthOf(x.Parameter)))
            .ToArray();
        if (checks.Length == 0) return next;
        return async invocation =>
        {
            var errors = new FieldErrors();
            foreach (var (index, name, max) in checks)
            {
                if (index < invocation.Arguments.Count) Check(invocation.Arguments[index], name, max, errors);
            }
            return errors.Ok ? await next(invocation) : errors.ToProblem();
        };
    }

    /// <summary>A query, route, header or form value by the name it is sent under; a body or [AsParameters] type as "".</summary>
    private static string ParameterName(ParameterInfo p)
    {
        var type = Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType;
        if (type != typeof(string) && type != typeof(double) && type != typeof(float) && IsOurs(type)) return "";
        foreach (var a in p.GetCustomAttributes(true))
        {
            var named = a switch
            {
                IFromQueryMetadata q => q.Name,
                IFromRouteMetadata r => r.Name,
                IFromHeaderMetadata h => h.Name,
                IFromFormMetadata f => f.Name,
                _ => null,
            };
            if (!string.IsNullOrEmpty(named)) return named;
        }
        return p.Name ?? "";
    }

    /// <summary>
    /// The same check for Razor Pages, after binding and before the handler: the page's bound properties (named as the
    /// form posts them: Input.Note) and the handler's arguments. A violation answers 400 ValidationProblem.
    /// </summary>
    public sealed class PageFilter : IAsyncPageFilter
    {
        public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

        public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
        {
            // A POST to a page without an OnPost handler (or with an unknown ?handler=) would render the page without
            // its OnGet having loaded anything: a NullReferenceException, HTTP 500. It is a method the page does not allow.
            if (context.HandlerMethod is null && !HttpMethods.IsGet(context.HttpContext.Request.Method) && !HttpMethods.IsHead(context.HttpContext.Request.Method))
            {
                context.Result = new ObjectResult(new ProblemDetails
                {
                    Status = StatusCodes.Status405MethodNotAllowed, Title = ProblemSetup.TitleFor(405), Detail = "此页面不接受该请求",
                })
                {
                    StatusCode = StatusCodes.Status405MethodNotAllowed, ContentTypes = { "application/problem+json" },
                };
                return;
            }
            var errors = new FieldErrors();
            foreach (var bound in context.ActionDescriptor.BoundProperties.OfType<PageBoundPropertyDescriptor>())
            {
                if (!IsChecked(bound.ParameterType)) continue;
                var name = bound.BindingInfo?.BinderModelName ?? bound.Name;
                Check(bound.Property.GetValue(context.HandlerInstance), name, MaxLengthOf(bound.Property), errors, camelCase: false);
            }
            foreach (var (name, value) in context.HandlerArguments) Check(value, name, null, errors, camelCase: false);
            if (errors.Ok)
            {
                await next();
                return;
            }
            var detail = string.Join("；", errors.SelectMany(e => e.Value.Select(m => $"{e.Key}：{m}")));
            context.Result = new ObjectResult(new ValidationProblemDetails(errors)
            {
                Status = StatusCodes.Status400BadRequest, Title = ProblemSetup.TitleFor(400), Detail = detail,
            })
            {
                StatusCode = StatusCodes.Status400BadRequest, ContentTypes = { "application/problem+json" },
            };
        }
    }

    /// <summary>
    /// Bounds every request body: the endpoint's own <see cref="IRequestSizeLimitMetadata"/> (uploads), otherwise
    /// <see cref="DefaultBodyBytes"/> for JSON and form posts. A declared length beyond it is refused at once (413); a
    /// chunked body is cut off when it passes the limit, by the server where it can, and by a counting stream under any
    /// host. Runs after routing (it needs the endpoint) and before anything reads the body (anti-forgery reads forms).
    /// </summary>
    public static IApplicationBuilder UseRequestBodyLimits(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var declared = http.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>();
        var limit = declared is not null ? declared.MaxRequestBodySize
            : IsTextBody(http.Request.ContentType) ? DefaultBodyBytes : (long?)null;
        if (limit is not { } max)
        {
            await next(http);
            return;
        }
        if (http.Request.ContentLength > max)
        {
            http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
            var message = $"请求内容超过 {max / 1024 / 1024} MB 的上限";
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = new ValidationProblemDetails(new Dictionary<string, string[]> { ["body"] = [message] })
                {
                    Status = 413, Title = ProblemSetup.TitleFor(413), Detail = message,
                },
            });
            return;
        }
        if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            feature.MaxRequestBodySize = max;
        // A body that fails as the server's own limit does (413) once more than the limit has been read.
        http.Request.Body = new CappedReadStream(http.Request.Body, max,
            () => new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge), ownsInner: false);
        await next(http);
    });

    private static bool IsTextBody(string? contentType) =>
        contentType is not null
        && (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
            || contentType.StartsWith("text/json", StringComparison.OrdinalIgnoreCase)
            || contentType.Contains("+json", StringComparison.OrdinalIgnoreCase)
            || contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase));
}
