using Microsoft.AspNetCore.Mvc;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Tips.Pages;

/// <summary>
/// 查询进展 /report/receipt: everything here is opened by the receipt code alone, posted in the form body (never in
/// the address, which proxies and logs keep). A wrong code, a code of a tip that does not exist and a right locator
/// with another tip's secret all get the same page, after the same work (one hash of the secret).
/// </summary>
public sealed class ReceiptModel(PublicGuard guard, TipSubmission submission) : PublicPage(guard)
{
    public const string WrongCode = "查询码不正确。请核对后重新输入（注意区分数字和字母）。";
    public const string TooMany = "尝试次数过多，请稍后再试。";

    [BindProperty]
    public string? Code { get; set; }

    public TipsterView? View { get; private set; }
    public string? Problem { get; private set; }
    public string? Notice { get; private set; }
    public FieldErrors Errors { get; private set; } = new();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var tip = await OpenAsync(ct);
        if (tip is not null) View = await submission.ViewAsync(tip, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAnswerAsync(string? text, CancellationToken ct)
    {
        var tip = await OpenAsync(ct);
        if (tip is null) return Page();
        Errors = await submission.AnswerAsync(tip, text, ct);
        Notice = Errors.Ok ? "回复已送达，谢谢！" : null;
        View = await submission.ViewAsync(tip, ct);
        if (!Errors.Ok) Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    public async Task<IActionResult> OnPostClaimAsync(string? method, string? account, string? name, string? phone, CancellationToken ct)
    {
        var tip = await OpenAsync(ct);
        if (tip is null) return Page();
        Errors = await submission.ClaimAsync(tip, new PayoutChoice(method ?? "", account, name, phone), ct);
        Notice = Errors.Ok ? "已申领奖励，工作人员审批后按您选择的方式兑现。" : null;
        View = await submission.ViewAsync(tip, ct);
        if (!Errors.Ok) Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    /// <summary>Throttle the source, then open; a failure answers exactly the same whatever the reason.</summary>
    private async Task<Tip?> OpenAsync(CancellationToken ct)
    {
        var wait = await Guard.GuessWaitAsync(HttpContext, ct);
        if (wait > TimeSpan.Zero)
        {
            Problem = TooMany;
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return null;
        }
        var parsed = ReceiptCodes.Parse(Code);
        // A code of the wrong shape is refused without hashing: its shape is public, so this tells nothing about tips.
        var tip = parsed is { } p ? await submission.OpenAsync(p.Locator, p.Secret, ct) : null;
        if (tip is null)
        {
            await Guard.WrongGuessAsync(HttpContext, ct);
            Problem = WrongCode;
            Response.StatusCode = StatusCodes.Status404NotFound;
        }
        return tip;
    }

    public string? ErrorFor(string field) => Errors.TryGetValue(field, out var m) ? string.Join("；", m) : null;
}
