using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Data;
using MineGuard.Features.Admin;
using MineGuard.Platform.Auth;
using MineGuard.Platform.People;

namespace MineGuard.Features.Mines.Pages;

[Authorize(Policy = Policies.Writer)]
public sealed class MineNewModel(MineCommands mines, CurrentUser me, AppDbContext db) : PageModel
{
    [BindProperty]
    public MineFormInput Input { get; set; } = new();

    public MineFormView Form { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var (mine, errors) = await mines.CreateAsync(Input.ToInput(), ct);
        if (mine is not null) return Redirect($"/mines/{mine.Id}?created=true");
        ModelState.AddFieldErrors(errors);
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct) =>
        Form = new MineFormView(Input, await mines.TownshipsAsync(ct), MineFormView.CountyNeeded(me.Scope), ModelState, await db.PersonChoicesAsync(ct));
}
