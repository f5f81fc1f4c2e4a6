using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Adits.Pages;

[Authorize(Policy = Policies.Staff)]
public sealed class IndexModel(AditQueries queries, AppDbContext db, CurrentUser me) : PageModel
{
    private const int PageSize = 50;

    public AditFilter Filter { get; private set; } = new();
    public string? Sort { get; private set; }
    public int PageNumber { get; private set; } = 1;
    public AditPage Result { get; private set; } = new(0, 1, PageSize, []);

    /// <summary>The shared pager's view of this page (its links keep every filter and the sort).</summary>
    public IPaged Pager => new PageOf<AditRow>(Result.Items, Result.Total, Result.Page, Result.PageSize);
    public CountsView Counts { get; private set; } = new([], 0, 0, 0, 0);
    public List<(string Code, string Name)> Townships { get; private set; } = [];
    public List<(Guid Id, string Name)> People { get; private set; } = [];
    public string? FilterError { get; private set; }
    public string? DivisionName { get; private set; }
    public bool CanWrite => me.CanWrite;
    public string QueryString => Request.QueryString.Value ?? "";

    public async Task OnGetAsync(string? township, string? mineral, string? origin, string? state, Guid? responsible, string? q, string? flag,
        string? division, string? from, string? to, int? p, string? sort, CancellationToken ct)
    {
        Filter = new AditFilter(township, mineral, origin, state, responsible, q, flag, division, from, to);
        Sort = sort is not null && AditQueries.Sorts.Contains(sort) ? sort : null;
        PageNumber = Math.Max(1, p ?? 1);
        var errors = Filter.Check();
        if (!errors.Ok) FilterError = string.Join("；", errors.Values.SelectMany(v => v));
        else
        {
            Result = await queries.ListAsync(Filter, PageNumber, PageSize, Sort, ct);
            Counts = await queries.CountsAsync(Filter, ct);
        }
        if (!string.IsNullOrWhiteSpace(division))
            DivisionName = (await db.DivisionNamesAsync([division.Trim()], ct)).GetValueOrDefault(division.Trim());
        var townships = await db.Divisions.AsNoTracking().Within(me.Scope).Where(d => d.Level == DivisionLevel.Township)
            .OrderBy(d => d.Code).Select(d => new { d.Code, d.Name }).Take(500).ToListAsync(ct);
        Townships = townships.Select(d => (d.Code, d.Name)).ToList();
        People = await queries.PeopleAsync(me.Scope, ct);
    }

    /// <summary>This list sorted by <paramref name="sort"/>, every filter kept, from page 1.</summary>
    public string SortLink(string sort)
    {
        var query = Request.Query.Where(kv => kv.Key is not ("p" or "sort") && !string.IsNullOrEmpty(kv.Value))
            .Select(kv => $"{kv.Key}={Uri.EscapeDataString(kv.Value.ToString())}").ToList();
        query.Add("sort=" + sort);
        return "/adits?" + string.Join("&", query);
    }
}
