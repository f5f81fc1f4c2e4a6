using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MineGuard.Features.Errors.Pages;

/// <summary>
/// The page a person sees for a missing page or a failure (see PersonErrorPages): Chinese, with the layout and a way
/// back. Re-executed for any method, so it needs no anti-forgery token.
/// </summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public int Status { get; private set; }
    public string? OriginalPath { get; private set; }
    public string Heading { get; private set; } = "";
    public string Explanation { get; private set; } = "";

    public void OnGet(int? status) => Show(status);

    public void OnPost(int? status) => Show(status);

    private void Show(int? status)
    {
        var reExecuted = HttpContext.Features.Get<IStatusCodeReExecuteFeature>();
        var failed = HttpContext.Features.Get<IExceptionHandlerPathFeature>();
        Status = reExecuted?.OriginalStatusCode ?? (failed is not null ? StatusCodes.Status500InternalServerError : status ?? Response.StatusCode);
        OriginalPath = reExecuted?.OriginalPath ?? failed?.Path;
        (Heading, Explanation) = Status switch
        {
            404 => ("页面不存在", "您要打开的页面不存在，或者所查的记录不在您的管辖范围内。请检查地址，或从菜单重新进入。"),
            403 => ("无权访问", "您的角色无权打开此页面。如需开通，请联系本县打非办的系统管理员。"),
            400 => ("请求有误", "请求的内容无法处理，请返回上一页检查填写的内容后重试。"),
            405 => ("不支持的操作", "此页面不支持该操作，请从页面上的按钮重新操作。"),
            413 => ("上传内容过大", "上传的文件超过了允许的大小，请压缩或分批上传。"),
            429 => ("操作过于频繁", "请求过于频繁，请稍候一分钟再试。"),
            >= 500 => ("服务器出错", "服务器处理时出错，您的操作可能没有完成。请稍后重试；如果反复出现，请联系系统管理员并告知出错时间。"),
            _ => ("请求未能完成", "请求未能完成，请返回上一页重试。"),
        };
        if (reExecuted is null && failed is null && status is { } s) Response.StatusCode = s is >= 400 and < 600 ? s : 404;
    }
}
