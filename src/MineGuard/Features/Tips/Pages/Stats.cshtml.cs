using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Tips.Pages;

[Authorize(Policy = Policies.Staff)]
public sealed class StatsModel(TipQueries queries) : PageModel
{
    public List<StatRow> Rows { get; private set; } = [];
    public string? From { get; private set; }
    public string? To { get; private set; }
    public string? Problem { get; private set; }

    public async Task OnGetAsync(string? from, string? to, CancellationToken ct)
    {
        (From, To) = (from, to);
        DateOnly? f = null, t = null;
        if (!string.IsNullOrWhiteSpace(from)) { if (CalendarDate.Problem("开始日期", from, out var d) is { } p) Problem = p; else f = d; }
        if (!string.IsNullOrWhiteSpace(to)) { if (CalendarDate.Problem("结束日期", to, out var d) is { } p) Problem = p; else t = d; }
        if (Problem is null) Rows = await queries.StatsAsync(f, t, ct);
    }
}
