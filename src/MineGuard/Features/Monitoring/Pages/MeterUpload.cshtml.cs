using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Monitoring.Pages;

/// <summary>上传电表读数: the power company's monthly export (CSV or .xlsx) stored as meter readings (office).</summary>
[Authorize(Policy = Policies.Office)]
[RequestSizeLimit(MeterReadingUpload.MaxBytes + 1024 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = MeterReadingUpload.MaxBytes)]
public sealed class MeterUploadModel(MeterReadingUpload upload) : PageModel
{
    [BindProperty]
    public IFormFile? Upload { get; set; }

    public MeterUploadResult? Result { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await using var stream = Upload?.OpenReadStream();
        var (result, errors) = await upload.UploadAsync(Upload?.FileName, stream, ct);
        if (result is null) ModelState.AddFieldErrors(errors, "");
        Result = result;
        return Page();
    }
}
