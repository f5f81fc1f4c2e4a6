using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Notifications;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Monitoring.Pages;

/// <summary>我的通知 (keyword, 50 a page, "暂无通知"). (Razor Pages live under Features/, so the notifications' pages sit here beside the alerts that send most of them.)</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class NotificationsModel(AppDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? P { get; set; }
    public NotificationList List { get; private set; } = new(0, []);
    public PageOf<NotificationView> Result { get; private set; } = PageOf<NotificationView>.Empty();
    public string? FilterError { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var (query, errors) = NotificationsApi.Filter(db, null, Q);
        if (query is null)
        {
            FilterError = string.Join("；", errors.Values.SelectMany(v => v));
            List = new(await NotificationsApi.UnreadCountAsync(db, ct), []);
            return;
        }
        List = await NotificationsApi.PageAsync(db, query, ListPaging.PageNumber(P), ListPaging.PageSize, ct);
        Result = new PageOf<NotificationView>(List.Items, List.Total, List.Page, ListPaging.PageSize);
    }

    public async Task<IActionResult> OnPostReadAllAsync(CancellationToken ct)
    {
        await NotificationsApi.ReadAll(db, ct);
        return RedirectToPage();
    }

    public async Task<IActionResult> OnGetOpenAsync(Guid id, CancellationToken ct)
    {
        await NotificationsApi.Read(id, db, ct);
        var link = await NotificationsApi.LinkAsync(id, db, ct);
        return link is not null && Url.IsLocalUrl(link) ? LocalRedirect(link) : RedirectToPage();
    }
}
