using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using MineGuard.Features.Supervision;
using MineGuard.Platform.Pdf;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Campaigns.Pages;

/// <summary>
/// 专项行动: the campaigns in scope and the plans above that may be adopted; one campaign's phases, tasks (add one),
/// phase reports (upload with figures) and the progress roll-up. Links to 联合执法, 联席会议 and 宣传.
/// </summary>
[Authorize(Policy = Policies.Staff)]
public sealed class IndexModel(CampaignDesk desk, StageReportDesk stageReports, IConfiguration config) : PageModel
{
    public sealed class TaskForm
    {
        public Guid? ClientId { get; set; }
        public Guid? PhaseId { get; set; }
        public string? DivisionCode { get; set; }
        public string? DepartmentCode { get; set; }
        public string? Title { get; set; }
        public string? DueOn { get; set; }
    }

    public sealed class ReportInput
    {
        public Guid? PhaseId { get; set; }
        public string? Adits { get; set; }
        public string? Problems { get; set; }
        public string? Rectified { get; set; }
        public string? Cases { get; set; }
        public string? Note { get; set; }
        public string? StageReport { get; set; }
    }

    [BindProperty(SupportsGet = true)] public Guid? Id { get; set; }

    [BindProperty] public TaskForm Task { get; set; } = new();

    [BindProperty] public ReportInput Report { get; set; } = new();

    [BindProperty] public IFormFile? ReportFile { get; set; }

    public List<CampaignView> Items { get; private set; } = [];
    public CampaignView? Selected { get; private set; }
    public CampaignProgressView? Progress { get; private set; }
    public bool MayWrite => desk.MayWrite;
    public string? Message { get; private set; }

    /// <summary>The selected level's stage reports already sent upward: one of them may be the phase report.</summary>
    public List<StageReportView> SentStageReports { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAdoptAsync(Guid parentId, CancellationToken ct)
    {
        if (!desk.MayWrite) return Forbid();
        var (c, _, errors) = await desk.CreateAsync(new CampaignInput(null, null, null, parentId, null, null), ct);
        if (c is not null) return Redirect($"/campaigns?id={c.Id}");
        ModelState.AddFieldErrors(errors, "Adopt");
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostTaskAsync(CancellationToken ct)
    {
        if (Id is not { } id || await desk.OwnAsync(id, ct) is not { } c) return NotFound();
        if (!desk.MayWrite) return Forbid();
        var (task, _, errors) = await desk.AddTaskAsync(c, new CampaignTaskInput(Task.ClientId, Task.PhaseId, Task.DivisionCode, Task.DepartmentCode, Task.Title,
            null, null, Task.DueOn), ct);
        if (task is not null)
        {
            ModelState.Clear();
            Message = $"已分派任务：{task.Title}（{task.DueOn:yyyy-MM-dd} 前）";
            Task = new TaskForm();
        }
        else ModelState.AddFieldErrors(errors, "Task");
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostReportAsync(CancellationToken ct)
    {
        if (Id is not { } id || await desk.OwnAsync(id, ct) is not { } c) return NotFound();
        if (!desk.MayWrite) return Forbid();
        var (report, _, errors) = await desk.ReportAsync(c, Report.PhaseId ?? Guid.Empty, new PhaseReportForm
            {
                Adits = Report.Adits, Problems = Report.Problems, Rectified = Report.Rectified, Cases = Report.Cases, Note = Report.Note,
                StageReport = Report.StageReport,
            }, ReportFile, stageReports, PdfFonts.Find(config), ct);
        if (report is not null)
        {
            ModelState.Clear();
            Message = "已报送阶段报告" + (report.Late ? "（逾期）" : "");
            Report = new ReportInput();
        }
        else if (errors.Ok) ModelState.AddModelError("Report.PhaseId", "请选择本专项行动的阶段");
        else ModelState.AddFieldErrors(errors, "Report");
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Items = await desk.ListAsync(ct);
        if (Id is { } id)
        {
            Selected = await desk.DetailAsync(id, ct);
            Progress = Selected is null ? null : await desk.ProgressAsync(id, ct);
            if (Selected is not null && desk.MayWrite)
                SentStageReports = (await stageReports.ListAsync(null, ct))
                    .Where(r => r.DivisionCode == Selected.DivisionCode && r.State is "sent" or "received").ToList();
        }
        Task.ClientId ??= Guid.NewGuid();
    }
}
