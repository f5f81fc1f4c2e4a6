using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;

namespace MineGuard.Platform.Web;

/// <summary>Every error leaves as a ProblemDetails body with a Chinese title; a malformed JSON body names its field.</summary>
public static partial class ProblemSetup
{
    public static IServiceCollection AddMineGuardProblems(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            var p = ctx.ProblemDetails;
            if (p.Title is null || p.Title.All(c => c < 128)) p.Title = TitleFor(p.Status ?? ctx.HttpContext.Response.StatusCode);
            p.Detail ??= p.Title;
        });
        services.AddExceptionHandler<BadRequestHandler>();
        services.AddExceptionHandler<InputRejectedHandler>();
        // Every page's bound input is checked like every endpoint's (InputLimits; the endpoints get it in AppSetup).
        services.Configure<Microsoft.AspNetCore.Mvc.MvcOptions>(o => o.Filters.Add(new InputLimits.PageFilter()));
        services.AddExceptionHandler<BusinessRuleHandler>();
        // Minimal APIs otherwise swallow a body that does not parse; throw so the handler can say which field.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }

    public static string TitleFor(int status) => status switch
    {
        400 => "请求有误",
        401 => "请先登录",
        403 => "无权执行此操作",
        404 => "未找到",
        405 => "不支持的请求方法",
        409 => "与现有数据冲突",
        413 => "上传内容过大",
        415 => "不支持的内容类型",
        429 => "请求过于频繁，请稍后再试",
        _ => status >= 500 ? "服务器内部错误，请稍后再试" : "请求未能完成",
    };

    private static bool IsForm(string? contentType) =>
        contentType is not null && (contentType.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase)
                                    || contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase));

    /// <summary>Turns "the body did not parse" into a 400 naming the JSON field that was wrong.</summary>
    private sealed class BadRequestHandler(IProblemDetailsService problems) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
        {
            // A form that cannot be decoded (a lone surrogate, a broken multipart boundary) surfaces as InvalidDataException.
            if (exception is InvalidDataException && !http.Response.HasStarted) exception = new BadHttpRequestException("Malformed request body.", exception);
            if (exception is not BadHttpRequestException bad) return false;
            // A query or route value that does not convert (?takenAt=abc), or a required one left out: name it.
            var bound = QueryParameter().Match(bad.Message);
            var missing = MissingParameter().Match(bad.Message);
            var field = (bad.InnerException as JsonException)?.Path is { Length: > 2 } path ? path.TrimStart('$', '.')
                : bound.Success ? bound.Groups[1].Value : missing.Success ? missing.Groups[1].Value : "body";
            // An upload beyond the endpoint's limit surfaces as a form that could not be read: say what happened.
            var tooLarge = false;
            for (Exception? e = bad; e is not null; e = e.InnerException)
            {
                tooLarge |= e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }
                            || (e is InvalidDataException && e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase));
            }
            var status = tooLarge ? StatusCodes.Status413PayloadTooLarge : bad.StatusCode;
            var message = tooLarge ? "上传的内容超过了允许的大小"
                : bad.InnerException is JsonException || bound.Success ? $"“{field}”的格式不正确"
                : missing.Success ? $"缺少“{field}”"
                : bad.InnerException is InvalidDataException ? "请求内容无法识别（含有无效字符或格式不正确）" : bad.InnerException is Microsoft.AspNetCore.Antiforgery.AntiforgeryValidationException ? "页面已过期或缺少防伪令牌，请刷新页面后重新提交"
                // The header, not HasFormContentType: that throws on a request whose anti-forgery check failed.
                : IsForm(http.Request.ContentType) ? "表单内容无法识别（缺少字段或格式不正确）" : "请求内容无法识别（应为 JSON）";
            http.Response.StatusCode = status;
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = new Microsoft.AspNetCore.Mvc.ValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
                {
                    Status = status, Title = TitleFor(status), Detail = message,
                },
                Exception = exception,
            });
        }
    }

    /// <summary>A save refused by <see cref="StoredValueLimits"/>: 400 naming the property, nothing stored.</summary>
    private sealed class InputRejectedHandler(IProblemDetailsService problems) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
        {
            if (exception is not InputRejectedException rejected) return false;
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = new Microsoft.AspNetCore.Mvc.ValidationProblemDetails(
                    rejected.Errors.ToDictionary(e => JsonNamingPolicy.CamelCase.ConvertName(e.Key), e => e.Value))
                {
                    Status = 400, Title = TitleFor(400), Detail = rejected.Message,
                },
                Exception = exception,
            });
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex("Failed to bind parameter \"[^\"]*?(\\w+)\" from \"([^\"]*)\"")]
    private static partial System.Text.RegularExpressions.Regex QueryParameter();

    [System.Text.RegularExpressions.GeneratedRegex("Required parameter \"[^\"]*?(\\w+)\" was not provided")]
    private static partial System.Text.RegularExpressions.Regex MissingParameter();
}
