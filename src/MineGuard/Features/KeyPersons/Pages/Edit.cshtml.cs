using MineGuard.Platform.People;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Data;
using MineGuard.Features.Admin;
using MineGuard.Platform.Auth;

namespace MineGuard.Features.KeyPersons.Pages;

[Authorize(Policy = Policies.KeyPersons)]
[Authorize(Policy = Policies.Writer)]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class EditModel(AppDbContext db, KeyPersonCommands commands, KeyPersonQueries queries) : PageModel
{
    [BindProperty]
    public KeyPersonFormInput Input { get; set; } = new();

    public Guid Id { get; private set; }
    public string PersonName { get; private set; } = "";
    public KeyPersonFormView Form { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var person = await commands.FindAsync(id, ct);
        if (person is null) return NotFound();
        Input = KeyPersonFormInput.From(person);
        await LoadAsync(person, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        var person = await commands.FindAsync(id, ct);
        if (person is null) return NotFound();
        var errors = await commands.UpdateAsync(person, Input.ToInput(), ct);
        if (errors.Ok) return Redirect($"/key-persons/{id}?saved=true");
        ModelState.AddFieldErrors(errors);
        // Show what was typed, and the stored name in the heading.
        db.ChangeTracker.Clear();
        await LoadAsync((await commands.FindAsync(id, ct))!, ct);
        return Page();
    }

    private async Task LoadAsync(KeyPerson person, CancellationToken ct)
    {
        Id = person.Id;
        PersonName = person.Name;
        Form = new KeyPersonFormView(Input, await queries.HomeDivisionOptionsAsync(ct), ModelState, person.MaskedIdNumber);
    }
}
