using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Notifications;

namespace MineGuard.Features.Monitoring.Pages;

/// <summary>短信发件箱: every SMS the system decided to send in the user's scope, its delivery status and each attempt.</summary>
[Authorize(Policy = Policies.Office)]
public sealed class OutboxModel(AppDbContext db, ISmsGateway gateway) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }

    public List<SmsView> Items { get; private set; } = [];
    public string Gateway => gateway.Name;

    public async Task OnGetAsync(CancellationToken ct)
    {
        var query = db.Set<SmsMessage>().AsQueryable();
        query = Status switch
        {
            "pending" => query.Where(s => s.Status == SmsStatus.Pending),
            "sent" => query.Where(s => s.Status == SmsStatus.Sent),
            "failed" => query.Where(s => s.Status == SmsStatus.Failed),
            _ => query,
        };
        Items = await NotificationsApi.OutboxAsync(db, query, 300, ct);
    }
}
