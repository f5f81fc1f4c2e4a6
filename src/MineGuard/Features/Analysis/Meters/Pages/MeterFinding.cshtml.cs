using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Monitoring;
using MineGuard.Platform.Auth;

namespace MineGuard.Features.Analysis.Pages;

/// <summary>A meter finding's address (a clue's source links here): its meter's chart, or 404 outside the caller's scope.</summary>
[Authorize(Policy = Policies.Office)]
public sealed class MeterFindingModel(AppDbContext db) : PageModel
{
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var code = await (from f in db.MeterFindings()
                          join d in db.Devices() on f.DeviceId equals d.Id
                          where f.Id == id
                          select d.Code).FirstOrDefaultAsync(ct);
        return code is null ? NotFound() : Redirect($"/analysis/meters/{Uri.EscapeDataString(code)}#finding-{id}");
    }
}
