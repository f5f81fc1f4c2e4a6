using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Mines.Pages;

/// <summary>矿山台账: the licensed mines of the user's jurisdiction, filtered and paged, expired and closing ones marked.</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class MineListModel(MineCommands mines, IAuthorizationService auth) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Township { get; set; }
    [BindProperty(SupportsGet = true)] public string? Mineral { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Expired { get; set; }
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    // "page" is Razor Pages' own route value (the page's path), so the page number travels as "p".
    [BindProperty(SupportsGet = true, Name = "p")] public string? PageNumber { get; set; }
    [BindProperty(SupportsGet = true)] public string? Sort { get; set; }

    public List<MineView> Items { get; private set; } = [];
    public int Total { get; private set; }

    /// <summary>The shared pager's view of this page (its links keep every filter and the sort).</summary>
    public IPaged Pager { get; private set; } = PageOf<MineView>.Empty(MineCommands.DefaultPageSize);
    public List<Division> Townships { get; private set; } = [];
    public string? FilterError { get; private set; }
    public bool CanWrite { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        CanWrite = (await auth.AuthorizeAsync(User, Policies.Writer)).Succeeded;
        Townships = await mines.TownshipsAsync(ct);
        var (result, errors) = await mines.ListAsync(new MineListQuery(Township, Mineral, Status, Expired, Q, PageNumber, null, Sort), ct);
        if (result is null)
        {
            FilterError = "筛选条件有误：" + string.Join("；", errors.Values.SelectMany(v => v));
            return;
        }

        var names = await mines.DivisionNamesAsync(result.Items, ct);
        var today = mines.Today;
        Items = result.Items.Select(m => MinesApi.View(m, names, today)).ToList();
        Total = result.Total;
        Pager = new PageOf<MineView>(Items, result.Total, result.Page, result.PageSize);
    }

    /// <summary>导出 Excel: the mines this list shows (all pages), with the same filters.</summary>
    public string ExportUrl => FilterUrl("/api/mines/export.xlsx", null);

    private string FilterUrl(string path, string? sort)
    {
        var q = new Dictionary<string, string?>
        {
            ["township"] = Township, ["mineral"] = Mineral, ["status"] = Status, ["expired"] = Expired, ["q"] = Q,
            ["sort"] = sort,
        };
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(path,
            q.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => KeyValuePair.Create(p.Key, p.Value)));
    }

    /// <summary>Clicking a column sorts by it; clicking it again reverses.</summary>
    public string SortUrl(string key) => FilterUrl("/mines", Sort == key ? "-" + key : key);
}
