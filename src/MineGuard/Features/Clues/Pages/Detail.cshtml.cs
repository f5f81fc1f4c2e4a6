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
    /// <summary>What each step's return to the page says (<c>?done=key</c>).</summary>
    private static readonly Dictionary<string, string> Done = new()
    {
        ["assigned"] = "已指定核查人，已通知核查人", ["verified"] = "已登记核查结果", ["closed"] = "已办结", ["merged"] = "已合并，来源已并入本线索",
    };

    public ClueView Clue { get; private set; } = null!;
    public string? DivisionName { get; private set; }
    public List<DuplicateClueView> Duplicates { get; private set; } = [];
    public List<(Guid Id, string Label)> People { get; private set; } = [];
    public string? Message { get; private set; }
    public string? Problem { get; private set; }
    public bool CanWrite => me.CanWrite;
    public string Today => desk.Today.ToString("yyyy-MM-dd");

    [BindProperty] public Guid? VerifierPersonId { get; set; }
    [BindProperty] public string? DueOn { get; set; }
    [BindProperty] public string? Finding { get; set; }
    [BindProperty] public string? Evidence { get; set; }
    [BindProperty] public List<IFormFile> Photos { get; set; } = [];
    [BindProperty] public string? Outcome { get; set; }
    [BindProperty] public string? Note { get; set; }
    [BindProperty] public string? TransferredTo { get; set; }
    [BindProperty] public string? ReceivedBy { get; set; }
    [BindProperty] public string? ReceivedAt { get; set; }
    [BindProperty] public string? AssignmentTitle { get; set; }
    [BindProperty] public string? ResponsibleUnit { get; set; }
    [BindProperty] public Guid? ResponsiblePersonId { get; set; }
    [BindProperty] public string? RectifyDueOn { get; set; }
    [BindProperty] public Guid? IntoClueId { get; set; }

    /// <summary>Narrows the people offered as verifier or responsible person to a name or phone (a county names thousands).</summary>
    public string? Who { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, string? done, string? who, CancellationToken ct)
    {
        Who = string.IsNullOrWhiteSpace(who) ? null : who.Trim();
        if (!await LoadAsync(id, ct)) return NotFound();
        Message = done is null ? null : Done.GetValueOrDefault(done);
        return Page();
    }

    public Task<IActionResult> OnPostAssignAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, false, (c, x) => desk.AssignAsync(c, new AssignVerifierInput(VerifierPersonId, DueOn), x), "assigned", ct);

    /// <summary>The verification and its photos in one form, so what was typed is not lost to a separate upload.</summary>
    public Task<IActionResult> OnPostVerifyAsync(Guid id, CancellationToken ct) => ActAsync(id, true, async (c, x) =>
    {
        var input = new VerifyClueInput(Finding, Evidence);
        var errors = ClueDesk.CheckVerification(input);
        if (!errors.Ok) return errors;
        var refused = await AssignmentDesk.AddFilesAsync(db, "clue", c.Id, c.DivisionCode, Photos, nameof(Photos), x);
        return refused.Ok ? await desk.VerifyAsync(c, input, x) : refused;
    }, "verified", ct);

    public Task<IActionResult> OnPostCloseAsync(Guid id, CancellationToken ct) => ActAsync(id, false, async (c, x) =>
    {
        var errors = await desk.CloseAsync(c, new CloseClueInput(Outcome, Note, TransferredTo, ReceivedBy, ReceivedAt, AssignmentTitle, ResponsibleUnit,
            ResponsiblePersonId, RectifyDueOn), x);
        return Rename(errors, nameof(CloseClueInput.DueOn), nameof(RectifyDueOn));
    }, "closed", ct);

    /// <summary>Merges the clue of the route into <see cref="IntoClueId"/> and goes on to the clue that now holds every source.</summary>
    public async Task<IActionResult> OnPostMergeAsync(Guid id, CancellationToken ct)
    {
        if (!me.CanWrite) return Forbid();
        var c = await desk.FindVisibleAsync(id, ct);
        if (c is null) return NotFound();
        return await this.RunAsync(db, () => desk.MergeAsync(c, new MergeClueInput(IntoClueId), ct), $"/clues/{IntoClueId}?done=merged",
            () => LoadAsync(id, ct), m => Problem = m);
    }

    private async Task<IActionResult> ActAsync(Guid id, bool verifierMay, Func<Clue, CancellationToken, Task<FieldErrors>> action, string done, CancellationToken ct)
    {
        if (!me.CanWrite) return Forbid();
        var c = verifierMay ? await desk.FindAsync(id, ct) : await desk.FindVisibleAsync(id, ct);
        if (c is null) return NotFound();
        return await this.RunAsync(db, () => action(c, ct), $"/clues/{id}?done={done}", () => LoadAsync(id, ct), m => Problem = m);
    }

    private static FieldErrors Rename(FieldErrors errors, string from, string to)
    {
        if (errors.Remove(from, out var messages)) errors[to] = messages;
        return errors;
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var c = await desk.FindAsync(id, ct);
        if (c is null) return false;
        Clue = (await desk.ViewsAsync([c], true, ct))[0];
        DivisionName = await db.Divisions.Where(d => d.Code == c.DivisionCode).Select(d => d.Name).FirstOrDefaultAsync(ct);
        if (await desk.FindVisibleAsync(id, ct) is { } visible)
        {
            Duplicates = await desk.DuplicatesAsync(visible, ct);
            // The clue's township first: its cadres are who verify; then the rest of the county.
            var township = c.DivisionCode.Length >= 9 ? c.DivisionCode[..9] : c.DivisionCode;
            var people = db.Set<Person>().AsNoTracking().Where(p => p.MergedIntoId == null && p.DivisionCode.StartsWith(c.CountyCode));
            if (Who is { } who) people = people.Where(p => p.Name.Contains(who) || p.Phone.Contains(who) || (p.Unit != null && p.Unit.Contains(who)));
            People = (await people
                .OrderBy(p => p.DivisionCode.StartsWith(township) ? 0 : 1).ThenBy(p => p.DivisionCode).ThenBy(p => p.Name).Take(300)
                .Select(p => new { p.Id, p.Name, p.Unit, p.Post }).ToListAsync(ct))
                .Select(p => (p.Id, $"{p.Name}（{p.Unit} {p.Post}）")).ToList();
        }
        return true;
    }
}
