using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineGuard.Platform.Auth;

namespace MineGuard.Features.Monitoring.Pages;

/// <summary>One alert: what happened, its timeline, and acknowledging and closing it with the outcome.</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class DetailModel(AlertCommands alerts, CurrentUser me) : PageModel
{
    public AlertDetail Detail { get; private set; } = null!;
    public bool CanWrite => me.CanWrite;
    public string? Message { get; private set; }

    [BindProperty] public CloseInput Input { get; set; } = new(null, null, null, null, null);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await ShowAsync(id, ct);

    public async Task<IActionResult> OnPostAcknowledgeAsync(Guid id, CancellationToken ct)
    {
        if (!me.CanWrite) return Forbid();
        Message = await alerts.AcknowledgeByIdAsync(id, ct);
        if (Message is null) return NotFound();
        return await ShowAsync(id, ct);
    }

    public async Task<IActionResult> OnPostCloseAsync(Guid id, CancellationToken ct)
    {
        if (!me.CanWrite) return Forbid();
        var alert = await alerts.Alerts.FirstOrDefaultAsync(a => a.Id == id, ct);
        if (alert is null) return NotFound();
        try
        {
            var errors = await alerts.CloseAsync(alert, Input, ct);
            if (errors.Ok) Message = "已关闭";
            else ModelState.AddFieldErrors(errors);
        }
        catch (BusinessRuleException ex)
        {
            Message = ex.Message;
        }
        return await ShowAsync(id, ct);
    }

    private async Task<IActionResult> ShowAsync(Guid id, CancellationToken ct)
    {
        var alert = await alerts.Alerts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct);
        if (alert is null) return NotFound();
        Detail = await alerts.DetailAsync(alert, ct);
        return Page();
    }
}
