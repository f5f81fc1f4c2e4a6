using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Data;
using MineGuard.Platform.Auth;

namespace MineGuard.Features.Monitoring.Pages;

/// <summary>预警规则: the defaults and this jurisdiction's own rules (created through the API for now).</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class RulesModel(AppDbContext db) : PageModel
{
    public List<RuleView> Items { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Items = (await MonitoringApi.ListRules(db, ct)).Value!;
}
