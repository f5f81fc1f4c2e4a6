using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Supervision.Pages;

/// <summary>One stage report: its figures as generated, and the step each person may take (generate, sign off, send, receive, return).</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class ReportModel(StageReportDesk desk, AppDbContext db) : PageModel
{
    private static readonly Dictionary<string, string> Done = new()
    {
        ["generated"] = "已按当前数据生成，待本级领导签发", ["signed"] = "已签发，可以报送", ["sent"] = "已报送上级",
        ["received"] = "已接收", ["returned"] = "已退回下级修改",
    };

    public StageReportView Item { get; private set; } = null!;
    public string? Message { get; private set; }
    public string? Problem { get; private set; }

    [BindProperty] public string? Narrative { get; set; }
    [BindProperty] public string? Comment { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, string? done, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        Message = done is null ? null : Done.GetValueOrDefault(done);
        Narrative ??= Item.Narrative;
        return Page();
    }

    public Task<IActionResult> OnPostGenerateAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, (r, x) => desk.GenerateAsync(r, new StageReportTextInput(null, Narrative ?? ""), x), "generated", ct);

    public Task<IActionResult> OnPostSignAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, async (r, x) => { await desk.SignOffAsync(r, x); return new FieldErrors(); }, "signed", ct);

    public Task<IActionResult> OnPostSendAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, async (r, x) => { await desk.SendAsync(r, x); return new FieldErrors(); }, "sent", ct);

    public Task<IActionResult> OnPostReceiveAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, async (r, x) => { await desk.ReceiveAsync(r, x); return new FieldErrors(); }, "received", ct);

    public Task<IActionResult> OnPostReturnAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, (r, x) => desk.ReturnAsync(r, new ReturnReportInput(Comment), x), "returned", ct);

    private async Task<IActionResult> ActAsync(Guid id, Func<StageReport, CancellationToken, Task<FieldErrors>> action, string done, CancellationToken ct)
    {
        var r = await desk.FindAsync(id, ct);
        if (r is null) return NotFound();
        return await this.RunAsync(db, () => action(r, ct), $"/reports/{id}?done={done}", () => LoadAsync(id, ct), m => Problem = m);
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var r = await desk.FindAsync(id, ct);
        if (r is null) return false;
        Item = await desk.ViewAsync(r, ct);
        return true;
    }

    public string NameOf(string code) => Item.Content is not { } c ? code
        : code == c.Board.Division.Code ? c.Board.Division.Name : c.Board.Children.FirstOrDefault(d => d.Code == code)?.Name ?? code;
}
