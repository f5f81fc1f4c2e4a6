using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Assignments;
using MineGuard.Platform.Auth;
using MineGuard.Platform.People;

namespace MineGuard.Features.Clues.Pages;

/// <summary>One clue: sources, history, evidence; the office assigns a verifier, records the verification, closes, merges.</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class DetailModel(ClueDesk desk, AppDbContext db, CurrentUser me) : PageModel
{
    public ClueView Clue { get; private set; } = null!;
    public List<DuplicateClueView> Duplicates { get; private set; } = [];
    public List<(Guid Id, string Label)> People { get; private set; } = [];
    public string? Message { get; private set; }
    public bool CanWrite => me.CanWrite;

    [BindProperty] public Guid? VerifierPersonId { get; set; }
    [BindProperty] public string? DueOn { get; set; }
    [BindProperty] public string? Finding { get; set; }
    [BindProperty] public string? Evidence { get; set; }
    [BindProperty] public string? Outcome { get; set; }
    [BindProperty] public string? Note { get; set; }
    [BindProperty] public string? TransferredTo { get; set; }
    [BindProperty] public string? ReceivedBy { get; set; }
    [BindProperty] public string? ReceivedAt { get; set; }
    [BindProperty] public Guid? IntoClueId { get; set; }
    [BindProperty] public IFormFile? Upload { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public Task<IActionResult> OnPostAssignAsync(Guid id, CancellationToken ct) => ActAsync(id, false, (c, x) => desk.AssignAsync(c, new AssignVerifierInput(VerifierPersonId, DueOn), x), "已指定核查人", ct);

    public Task<IActionResult> OnPostVerifyAsync(Guid id, CancellationToken ct) => ActAsync(id, true, (c, x) => desk.VerifyAsync(c, new VerifyClueInput(Finding, Evidence), x), "已登记核查结果", ct);

    public Task<IActionResult> OnPostCloseAsync(Guid id, CancellationToken ct) => ActAsync(id, false, (c, x) => desk.CloseAsync(c,
        new CloseClueInput(Outcome, Note, TransferredTo, ReceivedBy, ReceivedAt, null, null, null, DueOn), x), "已办结", ct);

    public Task<IActionResult> OnPostMergeAsync(Guid id, CancellationToken ct) => ActAsync(id, false, (c, x) => desk.MergeAsync(c, new MergeClueInput(IntoClueId), x), "已合并", ct);

    public Task<IActionResult> OnPostFileAsync(Guid id, CancellationToken ct) => ActAsync(id, true,
        async (c, x) => (await AssignmentDesk.AddFileAsync(db, "clue", c.Id, c.DivisionCode, Upload, x)).Errors, "已上传", ct);

    private async Task<IActionResult> ActAsync(Guid id, bool verifierMay, Func<Clue, CancellationToken, Task<FieldErrors>> action, string done, CancellationToken ct)
    {
        if (!me.CanWrite) return Forbid();
        var c = verifierMay ? await desk.FindAsync(id, ct) : await desk.FindVisibleAsync(id, ct);
        if (c is null) return NotFound();
        try
        {
            var errors = await action(c, ct);
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
        var c = await desk.FindAsync(id, ct);
        if (c is null) return false;
        Clue = (await desk.ViewsAsync([c], true, ct))[0];
        if (await desk.FindVisibleAsync(id, ct) is { } visible)
        {
            Duplicates = await desk.DuplicatesAsync(visible, ct);
            People = (await db.Set<Person>().AsNoTracking().Where(p => p.MergedIntoId == null && p.DivisionCode.StartsWith(c.CountyCode))
                .OrderBy(p => p.DivisionCode).ThenBy(p => p.Name).Take(300).Select(p => new { p.Id, p.Name, p.Unit, p.Post }).ToListAsync(ct))
                .Select(p => (p.Id, $"{p.Name}（{p.Unit} {p.Post}）")).ToList();
        }
        return true;
    }
}
