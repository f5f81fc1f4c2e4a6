using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineGuard.Platform.Auth;

namespace MineGuard.Features.Mines.Pages;

[Authorize(Policy = Policies.Staff)]
public sealed class MineDetailModel(MineCommands mines, IAuthorizationService auth) : PageModel
{
    public MineView Mine { get; private set; } = null!;
    public bool CanWrite { get; private set; }
    public string? Notice { get; private set; }
    public double AreaKm2 { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, bool? created, bool? saved, CancellationToken ct)
    {
        var mine = await mines.Mines.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, ct);
        if (mine is null) return NotFound();
        Mine = MinesApi.View(mine, await mines.DivisionNamesAsync([mine], ct), mines.Today) with { ResponsibleName = await mines.ResponsibleNameAsync(mine, ct) };
        AreaKm2 = MineBoundary.AreaM2(Platform.Geo.GeoJson.ReadFirstGeometry(mine.BoundaryGeoJson)) / 1e6;
        CanWrite = (await auth.AuthorizeAsync(User, Policies.Writer)).Succeeded;
        Notice = created == true ? "已登记矿山" : saved == true ? "已保存" : null;
        return Page();
    }
}
