using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Tips.Pages;

[Authorize(Policy = Policies.Staff)]
public sealed class InboxModel(TipQueries queries, AppDbContext db, CurrentUser me) : PageModel
{
    public PageOf<TipListItem> Result { get; private set; } = PageOf<TipListItem>.Empty();
    public IReadOnlyList<TipListItem> Items => Result.Items;
    public string? Q { get; private set; }
    public List<(string Code, string Name)> Townships { get; private set; } = [];
    public string? Status { get; private set; }
    public string? Township { get; private set; }
    public string? Flag { get; private set; }
    public string? FilterError { get; private set; }

    /// <summary>The dashboard's part of the filter (a division and the days received), kept while the other filters change.</summary>
    public MineGuard.Features.Shared.DashboardFilter Dashboard { get; private set; } = new(null, null, null, null, "收到", "/tips");

    public async Task OnGetAsync(string? status, string? township, string? flag, string? q, string? p, string? division, string? from, string? to,
        CancellationToken ct)
    {
        (Status, Township, Flag, Q) = (status, township, flag, q);
        var (page, errors) = await queries.InboxAsync(new TipInboxQuery(status, township, flag, q, ListPaging.PageNumber(p), division, from, to), ct);
        var divisionName = string.IsNullOrWhiteSpace(division) ? null : (await db.DivisionNamesAsync([division.Trim()], ct)).GetValueOrDefault(division.Trim());
        Dashboard = new(division, divisionName, from, to, "收到", "/tips");
        if (page is null) FilterError = string.Join("；", errors.Values.SelectMany(v => v));
        else Result = page;
        Townships = (await db.Divisions.AsNoTracking().Within(me.Scope).Where(d => d.Level == DivisionLevel.Township)
            .OrderBy(d => d.Code).Select(d => new { d.Code, d.Name }).ToListAsync(ct)).Select(d => (d.Code, d.Name)).ToList();
    }
}
