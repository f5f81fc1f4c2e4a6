using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Analysis.Pages;

/// <summary>风险评分权重: the county office sets a weight per signal and the radius of "near".</summary>
[Authorize(Policy = Policies.Office)]
public sealed class RiskWeightsModel(RiskWeightsDesk desk, AppDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? County { get; set; }
    [BindProperty] public Dictionary<string, double?> Weights { get; set; } = [];
    [BindProperty] public int? NearMetres { get; set; }

    public RiskWeightsView? Settings { get; private set; }
    public List<(string Code, string Name)> Counties { get; private set; } = [];
    public string? Message { get; private set; }
    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(bool? saved, CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        Weights = Settings!.Weights.ToDictionary(w => w.Key, w => (double?)w.Weight);
        NearMetres = Settings.NearMetres;
        Message = saved == true ? "已保存，此后的风险评分和巡查计划按新权重" : null;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        double? W(RiskSignal s) => Weights.GetValueOrDefault(s.Key);
        var input = new RiskWeightsInput(W(RiskModel.Seal), W(RiskModel.Method), W(RiskModel.Repeat), W(RiskModel.Recent), W(RiskModel.Neglect),
            W(RiskModel.Alerts), W(RiskModel.Clues), W(RiskModel.KeyPersons), W(RiskModel.Tips), W(RiskModel.Meters), W(RiskModel.Vehicles), NearMetres, W(RiskModel.Incidents));
        return await this.RunAsync(db, () => desk.SetAsync(Settings!.County, input, ct),
            $"/analysis/risk-weights?county={Settings!.County}&saved=true", () => LoadAsync(ct), m => Problem = m);
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        Counties = await desk.CountiesAsync(ct);
        County ??= Counties.Count > 0 ? Counties[0].Code : null;
        Settings = County is null ? null : await desk.ViewAsync(County, ct);
        return Settings is not null;
    }
}
