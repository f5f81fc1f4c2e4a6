using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Accountability.Pages;

/// <summary>
/// 问责线索: the discipline commission's list (or one referral, from its notification) with the facts and officials, and
/// the form to record its decision. The office, leaders and administrators read it; everyone else gets 404.
/// </summary>
[Authorize(Policy = Policies.Staff)]
public sealed class IndexModel(ReferralDesk desk, AppDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid? Id { get; set; }
    [BindProperty(SupportsGet = true)] public string? State { get; set; }
    [BindProperty(SupportsGet = true)] public string? Division { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    public string? DivisionName { get; private set; }
    [BindProperty] public string? Decision { get; set; }

    public List<ReferralView> Referrals { get; private set; } = [];
    public bool CanDecide => desk.CanDecide;
    public string? Message { get; private set; }
    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? done, CancellationToken ct)
    {
        if (!desk.CanRead || !await LoadAsync(ct)) return NotFound();
        Message = done == "decided" ? "已记录处理决定" : null;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!desk.CanRead || Id is not { } id || !await LoadAsync(ct)) return NotFound();
        if (!desk.CanDecide) return Forbid();
        return await this.RunAsync(db, async () => (await desk.DecideAsync(id, new ReferralDecisionInput(Decision), ct)).Errors,
            $"/referrals/{id}?done=decided", async () => await LoadAsync(ct), m => Problem = m);
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        if (Id is { } id)
        {
            Referrals = await desk.GetAsync(id, ct) is { } one ? [one] : [];
            return Referrals.Count == 1;
        }
        var (list, errors) = await desk.ListAsync(State is "new" or "decided" ? State : null, null, null, ct, Division, From, To);
        if (!string.IsNullOrWhiteSpace(Division)) DivisionName = (await db.DivisionNamesAsync([Division.Trim()], ct)).GetValueOrDefault(Division.Trim());
        Referrals = list ?? [];
        Problem = errors.Ok ? null : string.Join("；", errors.Values.SelectMany(v => v));
        return true;
    }
}
