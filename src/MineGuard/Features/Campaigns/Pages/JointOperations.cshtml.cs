using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Data;
using MineGuard.Features.Assignments;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Campaigns.Pages;

/// <summary>联合执法: the operations in scope with their photos, the per-county "one every N months" rule (breached in red) and the record form.</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class JointOperationsModel(JointOperationDesk desk, AppDbContext db) : PageModel
{
    public sealed class RecordInput
    {
        public Guid? ClientId { get; set; }
        public string? DivisionCode { get; set; }
        public string? Date { get; set; }
        public string? Area { get; set; }
        public List<string> Departments { get; set; } = [];
        public string? People { get; set; }
        public string? Targets { get; set; }
        public string? Findings { get; set; }
        public string? Seizure { get; set; }
        public bool SeizureOpensClue { get; set; }
    }

    [BindProperty] public RecordInput Input { get; set; } = new();

    [BindProperty] public List<IFormFile> Photos { get; set; } = [];

    public List<JointOperationView> Items { get; private set; } = [];
    public List<JointOperationRuleView> Rule { get; private set; } = [];
    public bool MayWrite => desk.MayWrite;
    public string? Message { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Input = new RecordInput { ClientId = Guid.NewGuid() };
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!desk.MayWrite) return Forbid();
        var seizures = string.IsNullOrWhiteSpace(Input.Seizure) ? null : new List<SeizureInput> { new(Input.Seizure, null, Input.SeizureOpensClue, null) };
        var (o, _, errors) = await desk.RecordAsync(new JointOperationInput(Input.ClientId, Input.DivisionCode, Input.Date, Input.Area, Input.Departments,
            Input.People, Input.Targets, Input.Findings, seizures), ct);
        if (o is null)
        {
            // The desk's reasons replace the binder's: a check box re-rendered from a raw "maybe" would throw.
            ModelState.Clear();
            foreach (var (key, messages) in errors)
                foreach (var m in messages) ModelState.AddModelError(key.StartsWith("seizures[", StringComparison.Ordinal) ? "Input.Seizure" : $"Input.{key}", m);
        }
        else
        {
            ModelState.Clear();
            var refused = await AssignmentDesk.AddFilesAsync(db, JointOperation.FileSubject, o.Id, o.DivisionCode, Photos, nameof(Photos), ct);
            if (!refused.Ok) ModelState.AddFieldErrors(refused, "");
            Message = $"已登记：{o.OnDate:yyyy-MM-dd} 联合执法行动（{o.Area}）";
            Input = new RecordInput { ClientId = Guid.NewGuid() };
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Items = await desk.ListAsync(ct);
        Rule = await desk.RuleAsync(ct);
        Input.Date ??= DateOnly.FromDateTime(MineGuard.Platform.Time.ChinaTime.ToLocal(db.Clock.GetUtcNow().UtcDateTime)).ToString("yyyy-MM-dd");
    }
}
