using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Notifications;

namespace MineGuard.Features.Monitoring.Pages;

/// <summary>我的通知. (Razor Pages live under Features/, so the notifications' pages sit here beside the alerts that send most of them.)</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class NotificationsModel(AppDbContext db) : PageModel
{
    public NotificationList List { get; private set; } = new(0, []);

    public async Task OnGetAsync(CancellationToken ct) => List = (await NotificationsApi.List(null, db, ct)).Value!;

    public async Task<IActionResult> OnPostReadAllAsync(CancellationToken ct)
    {
        await NotificationsApi.ReadAll(db, ct);
        return RedirectToPage();
    }

    public async Task<IActionResult> OnGetOpenAsync(Guid id, CancellationToken ct)
    {
        await NotificationsApi.Read(id, db, ct);
        var link = (await NotificationsApi.List(null, db, ct)).Value!.Items.FirstOrDefault(n => n.Id == id)?.Link;
        return link is not null && Url.IsLocalUrl(link) ? LocalRedirect(link) : RedirectToPage();
    }
}
