using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Data;
using MineGuard.Platform.Auth;

namespace MineGuard.Features.Assignments.Pages;

/// <summary>One assignment: report done with measures and evidence, verify (a second person), reopen.</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class DetailModel(AssignmentDesk desk, AppDbContext db, CurrentUser me) : PageModel
{
    public AssignmentView Item { get; private set; } = null!;
    public string? Message { get; private set; }
    public bool CanWrite => me.CanWrite;

    [BindProperty] public string? Text { get; set; }
    [BindProperty] public IFormFile? Upload { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public Task<IActionResult> OnPostCompleteAsync(Guid id, CancellationToken ct) => ActAsync(id, (a, x) => desk.CompleteAsync(a, new CompleteInput(Text), x), "已报告完成", ct);

    public Task<IActionResult> OnPostVerifyAsync(Guid id, CancellationToken ct) => ActAsync(id, (a, x) => desk.VerifyAsync(a, new VerifyAssignmentInput(Text), x), "已验收销号", ct);

    public Task<IActionResult> OnPostReopenAsync(Guid id, CancellationToken ct) => ActAsync(id, (a, x) => desk.ReopenAsync(a, new ReopenInput(Text), x), "已重新交办", ct);

    public Task<IActionResult> OnPostFileAsync(Guid id, CancellationToken ct) => ActAsync(id,
        async (a, x) => (await AssignmentDesk.AddFileAsync(db, Assignment.ClockSubject, a.Id, a.DivisionCode, Upload, x)).Errors, "已上传", ct);

    private async Task<IActionResult> ActAsync(Guid id, Func<Assignment, CancellationToken, Task<FieldErrors>> action, string done, CancellationToken ct)
    {
        if (!me.CanWrite) return Forbid();
        var a = await desk.FindAsync(id, ct);
        if (a is null) return NotFound();
        try
        {
            var errors = await action(a, ct);
            Message = errors.Ok ? done : string.Join("；", errors.Values.SelectMany(v => v));
        }
        catch (BusinessRuleException ex)
        {
            Message = ex.Message;
        }
        db.ChangeTracker.Clear();
        await LoadAsync(id, ct);
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var a = await desk.FindAsync(id, ct);
        if (a is null) return false;
        Item = (await desk.ViewsAsync([a], ct))[0];
        return true;
    }
}
