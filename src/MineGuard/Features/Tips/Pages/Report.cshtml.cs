using Microsoft.AspNetCore.Mvc;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Tips.Pages;

/// <summary>举报页 /report: the public form, working with JavaScript off; the receipt code is shown once on success.</summary>
[RequestSizeLimit(120_000_000)]
[RequestFormLimits(MultipartBodyLengthLimit = 120_000_000)]
public sealed class ReportModel(PublicGuard guard, TipSubmission submission, MineGuard.Platform.Maps.BaseMap baseMap) : PublicPage(guard)
{
    [BindProperty]
    public ReportInput Input { get; set; } = new();

    public IReadOnlyList<CountyChoice> Counties { get; private set; } = [];
    public new string Challenge { get; private set; } = "";
    public int PowBits => Guard.PowBits;
    public FieldErrors Errors { get; private set; } = new();
    public string? ReceiptCode { get; private set; }
    public List<string> Refused { get; private set; } = [];
    public bool Throttled { get; private set; }
    /// <summary>The pin map is offered only over a base layer anonymous callers may load: a pin on a blank frame helps nobody.</summary>
    public bool HasMap => baseMap.For(signedIn: false).Tiles is not null;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Counties = await submission.CountiesAsync(ct);
        Challenge = Guard.NewChallenge();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var solved = await Guard.CheckProofOfWorkAsync(Input.Pow, Input.Nonce, ct);
        if (!await Guard.TrySubmitAsync(HttpContext, solved, ct))
        {
            // Slowed, not stored: nothing of this post is kept.
            Throttled = true;
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = "600";
            Counties = await submission.CountiesAsync(ct);
            Challenge = Guard.NewChallenge();
            return Page();
        }
        var files = Request.HasFormContentType ? Request.Form.Files.Where(f => f.Name == "Files").ToList() : [];
        var (code, _, errors, refused) = await submission.SubmitAsync(Input, files, solved ? TipChannel.Web : TipChannel.WebNoScript, ct);
        if (code is null)
        {
            Errors = errors;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            Counties = await submission.CountiesAsync(ct);
            Challenge = Guard.NewChallenge();
            return Page();
        }
        ReceiptCode = code;
        Refused = refused;
        return Page();
    }

    public string? ErrorFor(string field) => Errors.TryGetValue(field, out var m) ? string.Join("；", m) : null;
}
