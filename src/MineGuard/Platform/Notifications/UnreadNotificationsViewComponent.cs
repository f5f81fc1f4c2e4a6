using Microsoft.AspNetCore.Mvc;
using MineGuard.Data;

namespace MineGuard.Platform.Notifications;

/// <summary>The header's unread count: a link to 我的通知 with a badge when something is unread.</summary>
public sealed class UnreadNotificationsViewComponent(AppDbContext db) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync()
    {
        var unread = db.CurrentUser.IsAuthenticated ? await NotificationsApi.UnreadCountAsync(db, HttpContext.RequestAborted) : 0;
        var badge = unread > 0 ? $""" <span class="badge text-bg-danger" id="unread-count">{unread}</span>""" : "";
        return new Microsoft.AspNetCore.Mvc.ViewComponents.HtmlContentViewComponentResult(
            new Microsoft.AspNetCore.Html.HtmlString($"""<a class="nav-link" href="/notifications">通知{badge}</a>"""));
    }
}
