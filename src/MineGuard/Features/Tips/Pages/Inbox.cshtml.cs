using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Tips.Pages;

[Authorize(Policy = Policies.Staff)]
public sealed class InboxModel(TipQueries queries, AppDbContext db, CurrentUser me) : PageModel
{
    public List<TipListItem> Items { get; private set; } = [];
    public List<(string Code, string Name)> Townships { get; private set; } = [];
    public string? Status { get; private set; }
    public string? Township { get; private set; }
    public string? Flag { get; private set; }
    public string? FilterError { get; private set; }

    public async Task OnGetAsync(string? status, string? township, string? flag, CancellationToken ct)
    {
        (Status, Township, Flag) = (status, township, flag);
        var (items, errors) = await queries.InboxAsync(new TipInboxQuery(status, township, flag), ct);
        if (items is null) FilterError = string.Join("；", errors.Values.SelectMany(v => v));
        else Items = items;
        Townships = (await db.Divisions.AsNoTracking().Within(me.Scope).Where(d => d.Level == DivisionLevel.Township)
            .OrderBy(d => d.Code).Select(d => new { d.Code, d.Name }).ToListAsync(ct)).Select(d => (d.Code, d.Name)).ToList();
    }
}
