using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Cases.Pages;

/// <summary>案件设置: the county office sets its case-number pattern and the letterhead of the printed documents.</summary>
[Authorize(Policy = Policies.Office)]
public sealed class SettingsModel(CaseSettingsDesk desk, AppDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? County { get; set; }
    [BindProperty] public string? NumberPattern { get; set; }
    [BindProperty] public string? Letterhead { get; set; }

    public CaseSettingsView? Settings { get; private set; }
    public List<(string Code, string Name)> Counties { get; private set; } = [];
    public string? Message { get; private set; }
    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(bool? saved, CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        NumberPattern = Settings!.NumberPattern;
        Letterhead = Settings.Letterhead;
        Message = saved == true ? "已保存，此后立案和打印的文书按新设置" : null;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        return await this.RunAsync(db, () => desk.SetAsync(Settings!.County, new CaseSettingsInput(NumberPattern, Letterhead), ct),
            $"/cases/settings?county={Settings!.County}&saved=true", () => LoadAsync(ct), m => Problem = m);
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        Counties = await desk.CountiesAsync(ct);
        County ??= Counties.Count > 0 ? Counties[0].Code : null;
        Settings = County is null ? null : await desk.ViewAsync(County, ct);
        return Settings is not null;
    }
}
