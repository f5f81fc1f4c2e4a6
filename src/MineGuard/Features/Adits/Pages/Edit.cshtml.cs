using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Admin;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.People;

namespace MineGuard.Features.Adits.Pages;

[Authorize(Policy = Policies.Writer)]
public sealed class EditModel(AppDbContext db, AditCommands commands, CurrentUser me) : PageModel
{
    [BindProperty]
    public AditInput Input { get; set; } = new();

    public Guid? Id { get; private set; }
    public bool IsNew => Id is null;
    public string? ExistingNumber { get; private set; }
    public List<(string Code, string Name)> Counties { get; private set; } = [];
    public List<(string Code, string Name)> Townships { get; private set; } = [];
    public List<string> Villages { get; private set; } = [];
    public List<string> Grids { get; private set; } = [];
    public List<(string Login, string Name)> People { get; private set; } = [];

    /// <summary>The division whose outline the map picker starts on: the adit's county, else the user's county (or scope).</summary>
    public string MapDivision => Input.County is { Length: > 0 } county ? county : me.Scope.Code.Length > 6 ? me.Scope.Code[..6] : me.Scope.Code;

    public string? Error(string field) =>
        ModelState.TryGetValue("Input." + field, out var e) && e.Errors.Count > 0 ? string.Join("；", e.Errors.Select(x => x.ErrorMessage)) : null;

    public async Task<IActionResult> OnGetAsync(Guid? id, CancellationToken ct)
    {
        Id = id;
        if (id is { } existing)
        {
            var adit = await db.Adits().AsNoTracking().FirstOrDefaultAsync(a => a.Id == existing, ct);
            if (adit is null) return NotFound();
            var responsible = adit.ResponsiblePersonId is not null
                ? await db.PersonLabelAsync(adit.ResponsiblePersonId, ct)
                : adit.ResponsibleUserId is { } r ? await db.Users.Where(u => u.Id == r).Select(u => u.UserName).FirstOrDefaultAsync(ct) : null;
            var names = await db.Divisions.AsNoTracking().Where(d => d.Code == adit.VillageCode || d.Code == adit.GridCode).ToDictionaryAsync(d => d.Code, d => d.Name, ct);
            ExistingNumber = adit.Number;
            Input = new AditInput
            {
                Number = adit.Number, Name = adit.Name, County = adit.CountyCode, Township = adit.TownshipCode,
                Village = adit.VillageCode is { } v ? names.GetValueOrDefault(v) : null, Grid = adit.GridCode is { } g ? names.GetValueOrDefault(g) : null,
                Lon = adit.Lon.ToString("F6", CultureInfo.InvariantCulture), Lat = adit.Lat.ToString("F6", CultureInfo.InvariantCulture), Crs = "wgs84",
                Elevation = adit.Elevation?.ToString(CultureInfo.InvariantCulture), Mineral = AditNames.Minerals[adit.Mineral],
                Origin = AditNames.Origins[adit.Origin], RightsHolder = adit.RightsHolder, ClosureParty = adit.ClosureParty,
                Responsible = responsible, Description = adit.Description,
            };
        }
        else
        {
            Input = new AditInput { Crs = "wgs84", Mineral = "金", Origin = "不明", SealState = "未封堵" };
        }
        await LoadChoicesAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid? id, CancellationToken ct)
    {
        Id = id;
        FieldErrors errors;
        if (id is { } existing)
        {
            var adit = await db.Adits().FirstOrDefaultAsync(a => a.Id == existing, ct);
            if (adit is null) return NotFound();
            ExistingNumber = adit.Number;
            errors = await commands.UpdateAsync(adit, Input, ct);
            if (errors.Ok) return Redirect($"/adits/{existing}?done={Uri.EscapeDataString("已保存")}");
        }
        else
        {
            var (adit, e) = await commands.RegisterAsync(Input, ct);
            if (adit is not null) return Redirect($"/adits/{adit.Id}?done={Uri.EscapeDataString("已登记")}");
            errors = e;
        }
        ModelState.Clear();
        ModelState.AddFieldErrors(errors);
        db.ChangeTracker.Clear();
        await LoadChoicesAsync(ct);
        return Page();
    }

    private async Task LoadChoicesAsync(CancellationToken ct)
    {
        var divisions = await db.Divisions.AsNoTracking().Within(me.Scope)
            .Where(d => d.Level >= DivisionLevel.County).OrderBy(d => d.Code).Select(d => new { d.Code, d.Name, d.Level }).Take(5000).ToListAsync(ct);
        Counties = divisions.Where(d => d.Level == DivisionLevel.County).Select(d => (d.Code, d.Name)).ToList();
        Townships = divisions.Where(d => d.Level == DivisionLevel.Township).Select(d => (d.Code, d.Name)).ToList();
        Villages = divisions.Where(d => d.Level == DivisionLevel.Village).Select(d => d.Name).Distinct().ToList();
        Grids = divisions.Where(d => d.Level == DivisionLevel.Grid).Select(d => d.Name).Distinct().ToList();
        if (Townships.Count == 0 && me.Scope.Code.Length >= 9)
        {
            // A township user's own township.
            var own = await db.Divisions.AsNoTracking().Where(d => d.Code == me.Scope.Code.Substring(0, 9)).Select(d => new { d.Code, d.Name }).ToListAsync(ct);
            Townships = own.Select(d => (d.Code, d.Name)).ToList();
        }
        // 责任人 of the scope (with or without accounts), offered by name and phone; typing a name or a phone finds them.
        People = await db.PersonChoicesAsync(ct);
    }
}
