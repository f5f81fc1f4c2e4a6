using Microsoft.AspNetCore.Diagnostics;

namespace MineGuard.Platform.Web;

/// <summary>A domain rule that refused a change: a stable code and a Chinese message; the API answers 409.</summary>
public sealed class BusinessRuleException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

public static class Rule
{
    /// <summary>Throws the named rule's refusal when the condition does not hold.</summary>
    public static void Check(bool holds, string code, string message)
    {
        if (!holds) throw new BusinessRuleException(code, message);
    }
}

/// <summary>Turns a refused rule into 409 ProblemDetails with the rule's code, for every endpoint alike.</summary>
public sealed class BusinessRuleHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (exception is not BusinessRuleException rule) return false;
        http.Response.StatusCode = StatusCodes.Status409Conflict;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = 409, Title = "不符合业务规则", Detail = rule.Message, Type = "rule:" + rule.Code,
                Extensions = { ["code"] = rule.Code },
            },
            Exception = exception,
        });
    }
}
