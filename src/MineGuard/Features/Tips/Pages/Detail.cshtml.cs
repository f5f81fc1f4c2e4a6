using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Tips.Pages;

/// <summary>One tip for the office: its content and photos (with their metadata), and a small form per step.</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class DetailModel(TipCommands commands, TipQueries queries, CurrentUser me, AppDbContext db) : PageModel
{
    /// <summary>The townships a tip can be handed to (承办乡镇), by name.</summary>
    public List<DivisionChoice> Townships { get; private set; } = [];

    public TipDetail Tip { get; private set; } = null!;
    public List<DuplicateView> Duplicates { get; private set; } = [];
    public bool CanWrite => me.CanWrite;
    public bool IsRewardOfficer => me.IsInRole(Roles.Reward);
    public bool CanSeeIdentity => TipsterIdentity.CanSee(me);
    public Tipster? Revealed { get; private set; }
    public PayoutChoice? RevealedClaim { get; private set; }
    public string? Problem { get; private set; }
    public string? Notice { get; private set; }
    public string Today => commands.Today.ToString("yyyy-MM-dd");

    public async Task<IActionResult> OnGetAsync(Guid id, string? done, CancellationToken ct)
    {
        var tip = await commands.FindAsync(id, ct);
        if (tip is null) return NotFound();
        Notice = done is null ? null : "已保存";
        await LoadAsync(tip, ct);
        return Page();
    }

    public Task<IActionResult> OnPostTriageAsync(Guid id, TriageInput input, CancellationToken ct) => Act(id, t => commands.TriageAsync(t, input, ct), ct);

    public Task<IActionResult> OnPostAssignAsync(Guid id, AssignInput input, CancellationToken ct) => Act(id, t => commands.AssignAsync(t, input, ct), ct);

    public Task<IActionResult> OnPostMessageAsync(Guid id, MessageInput input, CancellationToken ct) => Act(id, t => commands.MessageAsync(t, input, ct), ct);

    public Task<IActionResult> OnPostVerifyAsync(Guid id, VerifyInput input, CancellationToken ct) => Act(id, t => commands.VerifyAsync(t, input, ct), ct);

    public Task<IActionResult> OnPostCaseAsync(Guid id, CaseInput input, CancellationToken ct) => Act(id, t => commands.FileCaseAsync(t, input, ct), ct);

    public Task<IActionResult> OnPostMergeAsync(Guid id, MergeInput input, CancellationToken ct) => Act(id, t => commands.MergeAsync(t, input, ct), ct);

    public Task<IActionResult> OnPostAditAsync(Guid id, AditLinkInput input, CancellationToken ct) => Act(id, t => commands.LinkAditAsync(t, input, ct), ct);

    public Task<IActionResult> OnPostApproveAsync(Guid id, Guid rewardId, CancellationToken ct) =>
        RewardAct(id, rewardId, async r => { await commands.ApproveAsync(r, ct); return new FieldErrors(); }, ct);

    public Task<IActionResult> OnPostRefuseAsync(Guid id, Guid rewardId, RefuseInput input, CancellationToken ct) =>
        RewardAct(id, rewardId, r => commands.RefuseAsync(r, input, ct), ct);

    public Task<IActionResult> OnPostPayAsync(Guid id, Guid rewardId, PayInput input, CancellationToken ct) =>
        RewardAct(id, rewardId, r => commands.PayAsync(r, input, ct), ct);

    public async Task<IActionResult> OnPostTipsterAsync(Guid id, CancellationToken ct)
    {
        var tip = await commands.FindAsync(id, ct);
        if (tip is null) return NotFound();
        if (!CanSeeIdentity) return Forbid();
        Revealed = await commands.RevealTipsterAsync(tip, ct);
        Response.Headers.CacheControl = "no-store";
        await LoadAsync(tip, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostClaimAsync(Guid id, Guid rewardId, CancellationToken ct)
    {
        var tip = await commands.FindAsync(id, ct);
        var reward = await commands.FindRewardAsync(rewardId, ct);
        if (tip is null || reward is null || reward.TipId != tip.Id) return NotFound();
        if (!CanSeeIdentity) return Forbid();
        RevealedClaim = await commands.RevealClaimAsync(reward, ct);
        Response.Headers.CacheControl = "no-store";
        await LoadAsync(tip, ct);
        return Page();
    }

    private async Task<IActionResult> Act(Guid id, Func<Tip, Task<FieldErrors>> act, CancellationToken ct)
    {
        var tip = await commands.FindAsync(id, ct);
        if (tip is null) return NotFound();
        return CanWrite ? await SaveAsync(tip, () => act(tip), ct) : Forbid();
    }

    private async Task<IActionResult> RewardAct(Guid id, Guid rewardId, Func<Reward, Task<FieldErrors>> act, CancellationToken ct)
    {
        var tip = await commands.FindAsync(id, ct);
        var reward = await commands.FindRewardAsync(rewardId, ct);
        if (tip is null || reward is null || reward.TipId != tip.Id) return NotFound();
        return IsRewardOfficer ? await SaveAsync(tip, () => act(reward), ct) : Forbid();
    }

    /// <summary>Back to the page on success; otherwise the field errors or the refused rule, shown above the forms.</summary>
    private async Task<IActionResult> SaveAsync(Tip tip, Func<Task<FieldErrors>> act, CancellationToken ct)
    {
        try
        {
            var errors = await act();
            if (errors.Ok) return Redirect($"/tips/{tip.Id}?done=1");
            Problem = string.Join("；", errors.Values.SelectMany(v => v));
        }
        catch (BusinessRuleException e)
        {
            Problem = e.Message;
        }
        await LoadAsync(tip, ct);
        return Page();
    }

    private async Task LoadAsync(Tip tip, CancellationToken ct)
    {
        Tip = await queries.DetailAsync(tip, ct);
        Duplicates = tip.Status is TipStatus.Merged or TipStatus.Verified ? [] : await commands.DuplicatesAsync(tip, ct);
        var county = me.Scope.Contains(tip.CountyCode) ? JurisdictionScope.Of(tip.CountyCode) : me.Scope;
        Townships = await db.Divisions.ChoicesAsync(county, DivisionLevel.Township, ct);
    }
}
