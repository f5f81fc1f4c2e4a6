using MineGuard.Platform.Files;
using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Patrols.Pages;

/// <summary>巡查队: the teams of the scope; the office creates and edits them and imports tracks from other devices.</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class TeamsModel(PatrolQueries queries, PatrolCommands commands, AppDbContext db, IAuthorizationService auth) : PageModel
{
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Kind { get; set; }
    [BindProperty] public string? DivisionCode { get; set; }
    [BindProperty] public string? Areas { get; set; }
    [BindProperty] public string? Members { get; set; }
    [BindProperty] public string? Member { get; set; }
    [BindProperty(Name = "File")] public IFormFile? TrackFile { get; set; }

    public List<TeamView> Teams { get; private set; } = [];
    public TeamView? Editing { get; private set; }
    public bool CanEdit { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid? id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (Editing is { } t)
        {
            (Name, Kind, DivisionCode) = (t.Name, t.Kind, t.DivisionCode);
            Areas = string.Join('\n', t.Areas);
            Members = string.Join('\n', t.Members.Select(m => m.HomeLat is null ? m.UserName
                : string.Create(CultureInfo.InvariantCulture, $"{m.UserName},{m.HomeLat},{m.HomeLon}")));
        }
        else DivisionCode = db.CurrentUser.Scope.Code;

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid? id, CancellationToken ct)
    {
        if (!(await auth.AuthorizeAsync(User, Policies.Office)).Succeeded) return Forbid();
        PatrolTeam? team = null;
        if (id is { } teamId && (team = await db.PatrolTeams().Include(t => t.Areas).Include(t => t.Members).AsSplitQuery().FirstOrDefaultAsync(t => t.Id == teamId, ct)) is null)
            return NotFound();
        var members = new List<MemberInput>();
        foreach (var line in Lines(Members))
        {
            var parts = line.Split([',', '，'], StringSplitOptions.TrimEntries);
            double? lat = parts.Length == 3 && double.TryParse(parts[1], CultureInfo.InvariantCulture, out var a) ? a : null;
            double? lon = parts.Length == 3 && double.TryParse(parts[2], CultureInfo.InvariantCulture, out var b) ? b : null;
            if (parts.Length is not (1 or 3) || parts.Length == 3 && (lat is null || lon is null))
                ModelState.AddModelError(nameof(Members), $"“{line}”应为：用户名 或 用户名,纬度,经度");
            members.Add(new MemberInput(parts[0], lat, lon));
        }

        if (ModelState.ErrorCount == 0)
        {
            var (saved, errors) = await commands.SaveTeamAsync(team, new TeamInput(Name, Kind, DivisionCode, Lines(Areas).ToArray(), members.ToArray()), ct);
            if (saved is not null) return Redirect($"/patrols/teams/{saved.Id}");
            ModelState.AddFieldErrors(errors, "");
        }

        await LoadAsync(id, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostTrackAsync(Guid id, CancellationToken ct)
    {
        if (!(await auth.AuthorizeAsync(User, Policies.Office)).Succeeded) return Forbid();
        var team = await db.PatrolTeams().Include(t => t.Members).FirstOrDefaultAsync(t => t.Id == id, ct);
        if (team is null) return NotFound();
        if (TrackFile is null || TrackFile.Length == 0) ModelState.AddModelError("File", "请选择 GPX 或 GeoJSON 轨迹文件");
        else if (TrackFile.Length > 20 * 1024 * 1024) ModelState.AddModelError("File", "轨迹文件不能超过 20 MB");
        else
        {
            var (patrol, errors) = await commands.ImportTrackAsync(team, Member, await UploadBytes.ReadAsync(TrackFile, ct), TrackFile.FileName, ct);
            if (patrol is not null) return Redirect($"/patrols/{patrol.Id}");
            ModelState.AddFieldErrors(errors, "");
        }

        await LoadAsync(id, ct);
        return Page();
    }

    private static IEnumerable<string> Lines(string? text) =>
        (text ?? "").Split(['\n', '\r', '、', ';', '；'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The units a team can belong to (所属单位), by name.</summary>
    public List<DivisionChoice> Divisions { get; private set; } = [];

    private async Task<bool> LoadAsync(Guid? id, CancellationToken ct)
    {
        CanEdit = (await auth.AuthorizeAsync(User, Policies.Office)).Succeeded;
        if (CanEdit) Divisions = await db.Divisions.ChoicesAsync(db.CurrentUser.Scope, DivisionLevel.Township, ct);
        Teams = await queries.TeamsAsync(ct);
        Editing = id is null ? null : Teams.FirstOrDefault(t => t.Id == id);
        return id is null || Editing is not null;
    }
}
