using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Admin;
using MineGuard.Platform.Auth;
using MineGuard.Platform.People;

namespace MineGuard.Features.Mines.Pages;

[Authorize(Policy = Policies.Writer)]
public sealed class MineEditModel(MineCommands mines, CurrentUser me, AppDbContext db) : PageModel
{
    [BindProperty]
    public MineFormInput Input { get; set; } = new();

    public Guid Id { get; private set; }
    public string Title { get; private set; } = "";
    public MineFormView Form { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        // Another county's mine is filtered out by jurisdiction: not found, never forbidden.
        var mine = await mines.Mines.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, ct);
        if (mine is null) return NotFound();
        Input = MineFormInput.From(mine);
        Input.Responsible = await db.PersonLabelAsync(mine.ResponsiblePersonId, ct);
        await LoadAsync(mine, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        var mine = await mines.Mines.FirstOrDefaultAsync(m => m.Id == id, ct);
        if (mine is null) return NotFound();
        var errors = await mines.UpdateAsync(mine, Input.ToInput(), ct);
        if (errors.Ok) return Redirect($"/mines/{id}?saved=true");
        ModelState.AddFieldErrors(errors);
        await LoadAsync(mine, ct);
        return Page();
    }

    private async Task LoadAsync(LicensedMine mine, CancellationToken ct)
    {
        Id = mine.Id;
        Title = mine.Name;
        Form = new MineFormView(Input, await mines.TownshipsAsync(ct), MineFormView.CountyNeeded(me.Scope), ModelState, await db.PersonChoicesAsync(ct));
    }
}
