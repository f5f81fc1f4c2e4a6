using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;

namespace MineGuard.Features.FollowUps.Pages;

/// <summary>待办事项 of the user's scope, with closing an item and what was done.</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class IndexModel(AppDbContext db, CurrentUser me) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Source { get; set; }
    [BindProperty(SupportsGet = true)] public bool Mine { get; set; }
    [BindProperty] public string? Resolution { get; set; }

    public List<FollowUpView> Items { get; private set; } = [];
    public string? Message { get; private set; }
    public Guid? FailedId { get; private set; }
    public string? FailedMessage { get; private set; }
    public string? FilterError { get; private set; }
    public bool CanWrite => me.CanWrite;

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCloseAsync(Guid id, CancellationToken ct)
    {
        if (!me.CanWrite) return Forbid();
        var f = await db.Set<FollowUp>().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (f is null) return NotFound();
        try
        {
            var errors = await FollowUpsApi.CloseAsync(db, f, new FollowUpCloseInput(Resolution), ct);
            if (errors.Ok) Message = $"已办结：{f.Title}";
            else
            {
                FailedId = id;
                FailedMessage = string.Join("；", errors.Values.SelectMany(v => v));
            }
        }
        catch (BusinessRuleException ex)
        {
            Message = ex.Message;
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var (items, errors) = await FollowUpsApi.ListAsync(db, Status, Source, Mine, ct);
        if (items is null)
        {
            FilterError = string.Join("；", errors.Values.SelectMany(v => v));
            (items, _) = await FollowUpsApi.ListAsync(db, null, null, Mine, ct);
        }
        Items = items!;
    }
}
