using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Data;
using MineGuard.Features.Assignments;
using MineGuard.Platform.Auth;
using MineGuard.Platform.People;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Sweeps.Pages;

/// <summary>
/// One problem of the ledger: where, who found and signed it, its clue or its rectification item; the office lists it for
/// rectification (列入整改台账), the unit reports it done with evidence, a second person closes it (销号), a closed one reopens
/// as a repeat.
/// </summary>
[Authorize(Policy = Policies.Staff)]
public sealed class ProblemModel(AppDbContext db, ProblemLedger ledger, CurrentUser me) : PageModel
{
    private static readonly Dictionary<string, string> Done = new()
    {
        ["rectify"] = "已列入整改台账", ["completed"] = "已报告整改完成，待另一人验收销号", ["verified"] = "已验收销号", ["reopened"] = "已重新整改",
    };

    [BindProperty] public string? Requirement { get; set; }
    [BindProperty] public string? ResponsibleUnit { get; set; }
    [BindProperty] public string? Responsible { get; set; }
    [BindProperty] public string? DueOn { get; set; }
    [BindProperty] public string? Measures { get; set; }
    [BindProperty] public string? Completion { get; set; }
    [BindProperty] public string? Resolution { get; set; }
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public List<IFormFile> Photos { get; set; } = [];

    public ProblemView Item { get; private set; } = null!;
    public string? Message { get; private set; }
    public string? Problem { get; private set; }
    public bool CanWrite => me.CanWrite;
    public bool IsOffice => me.IsInRole(Roles.Office) || me.IsInRole(Roles.Admin);
    public IReadOnlyList<(string Label, string Post)> People { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, string? done, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        Message = done is null ? null : Done.GetValueOrDefault(done);
        return Page();
    }

    public async Task<IActionResult> OnPostRectifyAsync(Guid id, CancellationToken ct)
    {
        if (!IsOffice) return Forbid();
        if (await ledger.FindAsync(id, ct) is not { } p) return NotFound();
        return await this.RunAsync(db, async () =>
        {
            var errors = new FieldErrors();
            var people = await CountyPeople.LoadAsync(db, p.DivisionCode[..Math.Min(6, p.DivisionCode.Length)], ct);
            var person = await people.PersonAsync(db, Responsible, nameof(Responsible), errors, ct);
            if (!errors.Ok) return errors;
            var result = await ledger.RectifyAsync(p, new RectifyInput(p.Id, Requirement, ResponsibleUnit, person, null, DueOn, Measures), ct);
            if (result.Remove(nameof(RectifyInput.ResponsiblePersonId), out var who)) result[nameof(Responsible)] = who;
            return result;
        }, $"/rectifications/problems/{id}?done=rectify", () => LoadAsync(id, ct), m => Problem = m);
    }

    /// <summary>The completion and its evidence in one form; without evidence stored it is refused.</summary>
    public Task<IActionResult> OnPostCompleteAsync(Guid id, CancellationToken ct) => ActAsync(id, async (p, a, x) =>
    {
        var input = new CompleteInput(Completion);
        var errors = AssignmentDesk.CheckCompletion(input);
        if (errors.Remove(nameof(CompleteInput.Measures), out var m)) errors[nameof(Completion)] = m;
        if (!errors.Ok) return errors;
        var refused = await AssignmentDesk.AddFilesAsync(db, Assignment.ClockSubject, a.Id, a.DivisionCode, Photos, nameof(Photos), x);
        if (!refused.Ok) return refused;
        var result = await ledger.CompleteAsync(a, input, x);
        if (result.Remove("files", out var f)) result[nameof(Photos)] = f;
        return result;
    }, "completed", ct);

    public Task<IActionResult> OnPostVerifyAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, (p, a, x) => ledger.VerifyAsync(a, new VerifyAssignmentInput(Resolution), x), "verified", ct);

    public Task<IActionResult> OnPostReopenAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, (p, a, x) => ledger.ReopenAsync(p, a, new ReopenInput(Reason), x), "reopened", ct);

    private async Task<IActionResult> ActAsync(Guid id, Func<Problem, Assignment, CancellationToken, Task<FieldErrors>> step, string done, CancellationToken ct)
    {
        if (!me.CanWrite) return Forbid();
        if (await ledger.FindAsync(id, ct) is not { } p || await ledger.ItemAsync(p, ct) is not { } a) return NotFound();
        return await this.RunAsync(db, () => step(p, a, ct), $"/rectifications/problems/{id}?done={done}", () => LoadAsync(id, ct), m => Problem = m);
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        if (await ledger.FindAsync(id, ct) is not { } p) return false;
        Item = (await ledger.ViewsAsync([p], ct))[0];
        if (IsOffice && Item.Status == "open") People = await db.PersonChoicesAsync(ct);
        return true;
    }
}
