using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Monitoring;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Analysis.Pages;

/// <summary>
/// 电表用电曲线: a meter's hourly series over a year with its expected band, each finding's window shaded (ECharts,
/// drawn by /js/meter-chart.js from <c>GET /api/analysis/meters/{code}/chart</c>), and the findings listed with their
/// explanation and an 已说明 form.
/// </summary>
[Authorize(Policy = Policies.Office)]
public sealed class MeterChartModel(AppDbContext db, MeterScanner scanner) : PageModel
{
    [BindProperty(SupportsGet = true)] public string Code { get; set; } = "";
    [BindProperty] public string? Note { get; set; }
    [BindProperty] public double? ExtraKw { get; set; }
    [BindProperty] public bool Any { get; set; }

    public Device? Meter { get; private set; }
    public MeterScanner.MeterPlace? Place { get; private set; }
    public List<MeterFindingView> Findings { get; private set; } = [];
    public string From { get; private set; } = "";
    public string To { get; private set; } = "";
    public string? Message { get; private set; }
    public string? Problem { get; private set; }
    public Guid? Editing { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? done, CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        Message = done switch { "explained" => "已说明：此后按申报的负荷判断该电表", "scanned" => "已重新分析", _ => null };
        return Page();
    }

    public async Task<IActionResult> OnPostExplainAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        var finding = await db.MeterFindings().FirstOrDefaultAsync(f => f.Id == id && f.DeviceId == Meter!.Id, ct);
        if (finding is null) return NotFound();
        Editing = id;
        return await this.RunAsync(db, () => MeterFindingsApi.ExplainAsync(db, finding, new MeterExplainInput(Note, ExtraKw, Any, null, null), ct),
            $"/analysis/meters/{Uri.EscapeDataString(Code)}?done=explained", () => LoadAsync(ct), m => Problem = m);
    }

    public async Task<IActionResult> OnPostScanAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        await scanner.ScanAsync(Meter!, ct);
        await db.SaveChangesAsync(ct);
        return Redirect($"/analysis/meters/{Uri.EscapeDataString(Code)}?done=scanned");
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        Meter = await MeterFindingsApi.MeterAsync(db, Code, ct);
        if (Meter is null) return false;
        Place = await scanner.PlaceAsync(Meter, ct);
        var rows = await db.MeterFindings().AsNoTracking().Where(f => f.DeviceId == Meter.Id).OrderByDescending(f => f.StartUtc).Take(200).ToListAsync(ct);
        Findings = await MeterFindingsApi.ViewsAsync(db, rows, ct);
        // A year up to the last reading (or now).
        var last = await db.MeterReadings().Where(r => r.DeviceId == Meter.Id).MaxAsync(r => (DateTime?)r.Utc, ct);
        var end = MeterSeries.Hour(last ?? db.Clock.GetUtcNow().UtcDateTime).AddHours(1);
        To = end.ToString("yyyy-MM-ddTHH:mm:ssZ");
        From = end.AddDays(-365).ToString("yyyy-MM-ddTHH:mm:ssZ");
        return true;
    }
}
