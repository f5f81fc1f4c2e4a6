using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Tips.Pages;

/// <summary>举报页 /report: the public form, working with JavaScript off; the receipt code is shown once on success.</summary>
[RequestSizeLimit(120_000_000)]
[RequestFormLimits(MultipartBodyLengthLimit = 120_000_000)]
public sealed class ReportModel(PublicGuard guard, TipSubmission submission, MineGuard.Platform.Maps.BaseMap baseMap) : PublicPage(guard)
{
    public ReportInput Input { get; set; } = new();

    public IReadOnlyList<CountyChoice> Counties { get; private set; } = [];
    public new string Challenge { get; private set; } = "";
    public int PowBits => Guard.PowBits;
    public FieldErrors Errors { get; private set; } = new();
    public string? ReceiptCode { get; private set; }

    /// <summary>The post was a resend of a tip already stored (a double tap, the back button): nothing stored again.</summary>
    public bool SentBefore { get; private set; }
    public List<string> Refused { get; private set; } = [];
    public bool Throttled { get; private set; }
    /// <summary>The pin map is offered only over a base layer anonymous callers may load: a pin on a blank frame helps nobody.</summary>
    public bool HasMap => baseMap.For(signedIn: false).Tiles is not null;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Counties = await submission.CountiesAsync(ct);
        Challenge = Guard.NewChallenge();
        Input.ClientId = Guid.NewGuid();
    }

    /// <summary>
    /// The post is read once, streamed (<see cref="ReportForm"/>): not bound by the framework, whose form reader would
    /// buffer each photo to disk first. The flood check runs before the first photo is read. No handler parameter, not
    /// even a CancellationToken: any parameter makes the framework build its value providers, which read the whole form.
    /// </summary>
    public async Task<IActionResult> OnPostAsync()
    {
        var ct = HttpContext.RequestAborted;
        var solved = false;
        var form = await ReportForm.ReadAsync(Request, async received =>
        {
            await BindAsync(received);
            (solved, var admitted) = await Guard.AdmitTipAsync(HttpContext, Input.Pow, Input.Nonce, ct);
            return admitted;
        }, ct);
        if (!form.Admitted)
        {
            // Slowed, not stored: nothing of this post is kept.
            Throttled = true;
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = "600";
            Counties = await submission.CountiesAsync(ct);
            Challenge = Guard.NewChallenge();
            return Page();
        }
        await BindAsync(form);
        var (code, stored, errors, refused) = await submission.SubmitAsync(Input, form.Files, solved ? TipChannel.Web : TipChannel.WebNoScript, ct, form.FilesLeftOut);
        if (code is null && stored is not null)
        {
            SentBefore = true;
            return Page();
        }
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

    /// <summary>The form's fields into <see cref="Input"/>, by the framework's own model binding (names "Input.…").</summary>
    private async Task BindAsync(ReportForm form)
    {
        Input = new ReportInput();
        var values = new FormValueProvider(BindingSource.Form, new FormCollection(form.Fields), System.Globalization.CultureInfo.CurrentCulture);
        await TryUpdateModelAsync(Input, "Input", values);
    }

    public string? ErrorFor(string field) => Errors.TryGetValue(field, out var m) ? string.Join("；", m) : null;
}
