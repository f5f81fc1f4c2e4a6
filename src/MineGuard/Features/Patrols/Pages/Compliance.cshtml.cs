using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Time;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Patrols.Pages;

/// <summary>巡查考核: a month's figures per team against the rules, blind spots on a map and a list, members; exports.</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class ComplianceModel(PatrolCompliance compliance, AppDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Month { get; set; }
    [BindProperty(SupportsGet = true)] public string? Division { get; set; }
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? P { get; set; }

    /// <summary>A period of days instead of the month (the supervision dashboard's link); both ends, China days.</summary>
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }

    public bool ByDays => !string.IsNullOrWhiteSpace(From) || !string.IsNullOrWhiteSpace(To);

    /// <summary>The page of blind spots shown (50 a page, narrowed by the keyword); the map shows them all.</summary>
    public PageOf<BlindSpot> Blind { get; private set; } = PageOf<BlindSpot>.Empty();

    public ComplianceReport? Report { get; private set; }
    public List<Division> Divisions { get; private set; } = [];
    public string? Error { get; private set; }


    public async Task OnGetAsync(CancellationToken ct)
    {
        var scope = db.CurrentUser.Scope;
        // The user's own node and the nodes one and two levels below it (county → townships → villages/grids).
        Divisions = await db.Divisions.AsNoTracking().Within(scope)
            .Where(d => d.Code == scope.Code || d.ParentCode == scope.Code || db.Divisions.Any(p => p.Code == d.ParentCode && p.ParentCode == scope.Code))
            .OrderBy(d => d.Code).Take(500).ToListAsync(ct);
        Error = PatrolCompliance.Month(Month, db.Clock, out var first);
        var errors = new FieldErrors();
        var keyword = ListPaging.Keyword(Q, errors);
        if (!errors.Ok) Error = string.Join("；", errors.Values.SelectMany(v => v));

        Month = $"{first:yyyy-MM}";
        Division = string.IsNullOrWhiteSpace(Division) ? scope.Code : Division.Trim();
        if (!scope.Contains(Division) || !await db.Divisions.AnyAsync(d => d.Code == Division, ct))
        {
            Error = "该区域不在本辖区内";
            return;
        }

        if (Divisions.All(d => d.Code != Division)) Divisions.Add(await db.Divisions.AsNoTracking().FirstAsync(d => d.Code == Division, ct));
        if (!errors.Ok) return;
        if (ByDays)
        {
            var today = DateOnly.FromDateTime(ChinaTime.ToLocal(db.Clock.GetUtcNow().UtcDateTime));
            var period = ReportPeriod.Read(From, To, today, errors.Add);
            if (!errors.Ok)
            {
                Error = string.Join("；", errors.Values.SelectMany(v => v));
                return;
            }
            Report = await compliance.ComputeAsync(period.From, period.To, Division, int.MaxValue, ct);
        }
        else Report = await compliance.ComputeAsync(first, Division, int.MaxValue, ct);
        Blind = ListPaging.Page(PatrolCompliance.Matching(Report.BlindSpots, keyword), ListPaging.PageNumber(P));
    }
}
