using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Platform.Auth;

namespace MineGuard.Features.KeyPersons.Pages;

[Authorize(Policy = Policies.KeyPersons)]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class ListModel(KeyPersonQueries queries, IAuthorizationService authorization) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Division { get; set; }
    [BindProperty(SupportsGet = true)] public string? Level { get; set; }
    [BindProperty(SupportsGet = true)] public string? Name { get; set; }
    [BindProperty(SupportsGet = true)] public string? Sort { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int? PageNumber { get; set; }

    public KeyPersonPage? Result { get; private set; }

    /// <summary>The shared pager's view of this page (its links keep every filter and the sort).</summary>
    public IPaged Pager => Result is { } r ? new PageOf<KeyPersonListItem>(r.Items, r.Total, r.Page, r.PageSize) : PageOf<KeyPersonListItem>.Empty();
    public List<(string Code, string Name)> Divisions { get; private set; } = [];
    public string? FilterError { get; private set; }
    public bool CanWrite { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        CanWrite = (await authorization.AuthorizeAsync(User, Policies.Writer)).Succeeded;
        Divisions = await queries.HomeDivisionOptionsAsync(ct);
        if (!ModelState.IsValid)
        {
            FilterError = "筛选条件格式有误：" + string.Join("；", ModelState.Values.SelectMany(v => v.Errors).Select(e => e.ErrorMessage));
            return;
        }
        var (result, errors) = await queries.ListAsync(new KeyPersonQuery(Division, Level, Name, PageNumber, null, Sort), ct);
        Result = result;
        if (!errors.Ok) FilterError = "筛选条件有误：" + string.Join("；", errors.Values.SelectMany(v => v));
    }

    /// <summary>The same column again reverses the order.</summary>
    public string Toggle(string column) => Sort == column ? "-" + column : column;

    /// <summary>This list sorted by <paramref name="sort"/>, every filter kept, from page 1.</summary>
    public string Link(string sort) =>
        $"/key-persons?division={Uri.EscapeDataString(Division ?? "")}&level={Uri.EscapeDataString(Level ?? "")}" +
        $"&name={Uri.EscapeDataString(Name ?? "")}&sort={Uri.EscapeDataString(sort)}";

    /// <summary>The Excel export of the list as filtered and sorted now (every page).</summary>
    public string ExportLink() =>
        $"/api/key-persons/export.xlsx?divisionCode={Uri.EscapeDataString(Division ?? "")}&controlLevel={Uri.EscapeDataString(Level ?? "")}" +
        $"&name={Uri.EscapeDataString(Name ?? "")}&sort={Uri.EscapeDataString(Sort ?? "")}";

    public static string LevelBadge(string level) => level switch
    {
        "严管" => "text-bg-danger",
        "重点" => "text-bg-warning",
        _ => "text-bg-secondary",
    };
}
