using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Features.Admin;
using MineGuard.Platform.Auth;

namespace MineGuard.Features.KeyPersons.Pages;

[Authorize(Policy = Policies.KeyPersons)]
[Authorize(Policy = Policies.Writer)]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class NewModel(KeyPersonCommands commands, KeyPersonQueries queries) : PageModel
{
    [BindProperty]
    public KeyPersonFormInput Input { get; set; } = new();

    public KeyPersonFormView Form { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var (person, errors) = await commands.CreateAsync(Input.ToInput(), ct);
        if (person is not null) return Redirect($"/key-persons/{person.Id}?created=true");
        ModelState.AddFieldErrors(errors);
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct) =>
        Form = new KeyPersonFormView(Input, await queries.HomeDivisionOptionsAsync(ct), ModelState);
}
