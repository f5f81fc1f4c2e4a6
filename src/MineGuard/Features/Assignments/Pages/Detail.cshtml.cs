using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;

namespace MineGuard.Features.Assignments.Pages;

/// <summary>One assignment: report done with measures and evidence, verify (a second person), reopen.</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class DetailModel(AssignmentDesk desk, AppDbContext db, CurrentUser me) : PageModel
{
    /// <summary>What each step's return to the page says (<c>?done=key</c>).</summary>
    private static readonly Dictionary<string, string> Done = new()
    {
        ["completed"] = "已报告完成，待另一人验收销号", ["verified"] = "已验收销号", ["reopened"] = "已退回重办", ["file"] = "已上传",
    };

    public AssignmentView Item { get; private set; } = null!;
    public string? DivisionName { get; private set; }
    public string? Message { get; private set; }
    public string? Problem { get; private set; }
    public bool CanWrite => me.CanWrite;

    [BindProperty] public string? Measures { get; set; }
    [BindProperty] public string? Resolution { get; set; }
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public List<IFormFile> Photos { get; set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, string? done, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        Message = done is null ? null : Done.GetValueOrDefault(done);
        return Page();
    }

    /// <summary>The measures and their photos in one form, so what was typed is not lost to a separate upload.</summary>
    public Task<IActionResult> OnPostCompleteAsync(Guid id, CancellationToken ct) => ActAsync(id, async (a, x) =>
    {
        var input = new CompleteInput(Measures);
        var errors = AssignmentDesk.CheckCompletion(input);
        if (!errors.Ok) return errors;
        var refused = await StorePhotosAsync(a, x);
        return refused.Ok ? await desk.CompleteAsync(a, input, x) : refused;
    }, "completed", ct);

    public Task<IActionResult> OnPostVerifyAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, (a, x) => desk.VerifyAsync(a, new VerifyAssignmentInput(Resolution), x), "verified", ct);

    public Task<IActionResult> OnPostReopenAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, (a, x) => desk.ReopenAsync(a, new ReopenInput(Reason), x), "reopened", ct);

    /// <summary>More evidence at any time (a closed item's later photos).</summary>
    public Task<IActionResult> OnPostFileAsync(Guid id, CancellationToken ct) => ActAsync(id, async (a, x) =>
    {
        var errors = new FieldErrors();
        if (Photos.Count == 0) errors.Add(nameof(Photos), "请选择照片或文件");
        return errors.Ok ? await StorePhotosAsync(a, x) : errors;
    }, "file", ct);

    private Task<FieldErrors> StorePhotosAsync(Assignment a, CancellationToken ct) =>
        AssignmentDesk.AddFilesAsync(db, Assignment.ClockSubject, a.Id, a.DivisionCode, Photos, nameof(Photos), ct);

    private async Task<IActionResult> ActAsync(Guid id, Func<Assignment, CancellationToken, Task<FieldErrors>> action, string done, CancellationToken ct)
    {
        if (!me.CanWrite) return Forbid();
        var a = await desk.FindAsync(id, ct);
        if (a is null) return NotFound();
        return await this.RunAsync(db, () => action(a, ct), $"/assignments/{id}?done={done}", () => LoadAsync(id, ct), m => Problem = m);
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var a = await desk.FindAsync(id, ct);
        if (a is null) return false;
        Item = (await desk.ViewsAsync([a], ct))[0];
        DivisionName = await db.Divisions.Where(d => d.Code == a.DivisionCode).Select(d => d.Name).FirstOrDefaultAsync(ct);
        return true;
    }
}
