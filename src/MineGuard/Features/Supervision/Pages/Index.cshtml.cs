using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Platform.Auth;

namespace MineGuard.Features.Supervision.Pages;

/// <summary>
/// 督导看板: a division's measures beside its children's, for a period; each figure links to the list it counts and
/// each child's name drills down to its own board. The chart ranks the children by the measure chosen.
/// </summary>
[Authorize(Policy = Policies.Staff)]
public sealed class IndexModel(SupervisionDashboard dashboard) : PageModel
{
    public DashboardView? View { get; private set; }
    public string? Problem { get; private set; }
    public string? Division { get; private set; }
    public string? From { get; private set; }
    public string? To { get; private set; }

    public async Task OnGetAsync(string? division, string? from, string? to, CancellationToken ct)
    {
        (Division, From, To) = (division, from, to);
        var (view, errors) = await dashboard.ReadAsync(division, from, to, ct);
        View = view;
        if (!errors.Ok) Problem = string.Join("；", errors.Values.SelectMany(v => v));
    }

    public string Drill(string code) =>
        $"/supervision?division={Uri.EscapeDataString(code)}&from={View!.From:yyyy-MM-dd}&to={View.To:yyyy-MM-dd}";

    public string NameOf(string code) => View!.Children.FirstOrDefault(c => c.Code == code)?.Name ?? code;
}
