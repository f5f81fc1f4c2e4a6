using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Accountability.Pages;

/// <summary>
/// 问责规则设置: a jurisdiction's rule settings (rules switched on, the days after which a further signal means "not
/// effectively stopped", the county's threshold), as the API's <c>/api/referrals/settings/{division}</c>: the office and
/// administrators, a division in scope (else 404); what applies when nothing is stored here (inherited or the defaults).
/// </summary>
[Authorize(Policy = Policies.Office)]
public sealed class SettingsModel(ReferralDesk desk, AppDbContext db, CurrentUser me) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Division { get; set; }
    [BindProperty] public List<string> Enabled { get; set; } = [];
    [BindProperty] public string? NotStoppedDays { get; set; }
    [BindProperty] public string? CountyThreshold { get; set; }

    public AccountabilitySettingView? Setting { get; private set; }
    public string DivisionName { get; private set; } = "";
    public string? InheritedName { get; private set; }
    public string? Message { get; private set; }
    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? done, CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        Enabled = Setting!.Rules.Keys.Where(k => !Setting.DisabledRules.Contains(k)).ToList();
        (NotStoppedDays, CountyThreshold) = (Setting.NotStoppedDays.ToString(), Setting.CountyThreshold.ToString());
        Message = done == "saved" ? "已保存问责规则设置" : null;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        var input = new AccountabilitySettingInput(Setting!.Rules.Keys.Where(k => !Enabled.Contains(k)).ToList(), Number(NotStoppedDays), Number(CountyThreshold));
        return await this.RunAsync(db, async () => (await desk.SetSettingAsync(Setting.DivisionCode, input, ct)).Errors, $"/referrals/settings/{Setting.DivisionCode}?done=saved", () => Task.CompletedTask, m => Problem = m);
    }

    /// <summary>A whole number as typed; anything else is null, which the desk names as out of range (in Chinese).</summary>
    private static int? Number(string? text) => int.TryParse(text?.Trim(), out var n) ? n : null;

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var code = string.IsNullOrWhiteSpace(Division) ? me.Scope.Code : Division.Trim();
        Setting = await desk.SettingAsync(code, ct);
        if (Setting is null) return false;
        var names = await db.DivisionNamesAsync([code, Setting.InheritedFrom], ct);
        DivisionName = names.GetValueOrDefault(code, code);
        InheritedName = Setting.InheritedFrom is { } from ? names.GetValueOrDefault(from, from) : null;
        return true;
    }
}
