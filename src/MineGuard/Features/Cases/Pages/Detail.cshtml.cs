using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Cases.Pages;

/// <summary>One case: parties, evidence, seized property, stages and history; the handling officers' steps on both tracks.</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class DetailModel(CaseDesk desk, CaseViews views, CaseStages stages, CaseRecords records, AppDbContext db, IAuthorizationService authz)
    : PageModel
{
    private static readonly Dictionary<string, string> Done = new()
    {
        ["filed"] = "已立案", ["party"] = "已添加当事人", ["dismissed"] = "已登记排除理由", ["key-person"] = "已列入重点人员台账", ["evidence"] = "已登记证据", ["withdrawn"] = "已撤回证据",
        ["seizure"] = "已登记涉案财物", ["stage"] = "已登记", ["referred"] = "已移送纪委监委", ["custody"] = "已登记证据交接", ["disposed"] = "已登记财物处置",
    };

    public CaseView Case { get; private set; } = null!;
    public bool MayWrite { get; private set; }

    public bool MayDecideTransfer { get; private set; }
    public string? Message { get; private set; }
    public string? Problem { get; private set; }

    /// <summary>人不漏案: persons named in this case's clues, evidence or seizures who are neither a party nor dismissed.</summary>
    public IReadOnlyList<CaseGap> Gaps { get; private set; } = [];

    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Kind { get; set; }
    [BindProperty] public string? IdNumber { get; set; }
    [BindProperty] public string? CreditCode { get; set; }
    [BindProperty] public string? Role { get; set; }
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public string? Title { get; set; }
    [BindProperty] public string? CollectedBy { get; set; }
    [BindProperty] public string? Place { get; set; }
    [BindProperty] public string? NamedPersons { get; set; }
    [BindProperty] public IFormFile? Upload { get; set; }
    [BindProperty] public Guid? EvidenceId { get; set; }
    [BindProperty] public string? Description { get; set; }
    [BindProperty] public double? Weight { get; set; }
    [BindProperty] public double? ValueYuan { get; set; }
    [BindProperty] public string? ValuedBy { get; set; }
    [BindProperty] public string? Plate { get; set; }
    [BindProperty] public string? StoragePlace { get; set; }
    [BindProperty] public string? Keeper { get; set; }
    [BindProperty] public string? Text { get; set; }
    [BindProperty] public string? Day { get; set; }
    [BindProperty] public string? ApprovedBy { get; set; }
    [BindProperty] public double? FineYuan { get; set; }
    [BindProperty] public bool? Approved { get; set; }
    [BindProperty] public string? PoliceUnit { get; set; }
    [BindProperty] public List<string> Materials { get; set; } = [];
    [BindProperty] public string? ReceiptNumber { get; set; }
    [BindProperty] public string? Decision { get; set; }
    [BindProperty] public string? PoliceCaseNumber { get; set; }
    [BindProperty] public Guid? PartyId { get; set; }
    [BindProperty] public string? ToHolder { get; set; }
    [BindProperty] public string? Note { get; set; }
    [BindProperty] public Guid? SeizureId { get; set; }
    [BindProperty] public string? Disposal { get; set; }
    [BindProperty] public string? Document { get; set; }
    [BindProperty] public string? ControlLevel { get; set; }

    /// <summary>The office confirms that a party becomes a key person (案不漏人).</summary>
    public bool MayEnrol { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, string? done, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        Message = done is null ? null : Done.GetValueOrDefault(done);
        return Page();
    }

    public Task<IActionResult> OnPostPartyAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, async (c, x) => (await records.AddPartyAsync(c, new PartyInput(Kind, Name, null, IdNumber, CreditCode, Role), x)).Errors, "party", ct);

    /// <summary>The API's gate (<see cref="Policies.OfficeOnly"/>): anyone else, administrators too, gets 403.</summary>
    public async Task<IActionResult> OnPostKeyPersonAsync(Guid id, CancellationToken ct) =>
        !await MayEnrolAsync() ? Forbid()
            : await ActAsync(id, async (c, x) => (await records.EnrolAsync(c, PartyId ?? Guid.Empty, new KeyPersonEnrolInput(ControlLevel), x)).Errors, "key-person", ct);

    private async Task<bool> MayEnrolAsync() => (await authz.AuthorizeAsync(User, Policies.OfficeOnly)).Succeeded;

    public Task<IActionResult> OnPostDismissAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, (c, x) => records.DismissAsync(c, new DismissInput(Name, PartyId, Reason), x), "dismissed", ct);

    /// <summary>The evidence and its file in one form (the text checked first, so nothing typed is lost to a refused file).</summary>
    public Task<IActionResult> OnPostEvidenceAsync(Guid id, CancellationToken ct) => ActAsync(id, async (c, x) =>
    {
        var (e, errors) = await records.AddEvidenceAsync(c, new EvidenceInput(Title, CollectedBy, Day, Place, NamedPersons), x);
        return e is null || Upload is null ? errors : Rename(await records.AttachAsync(c, e, Upload, x));
    }, "evidence", ct);

    public Task<IActionResult> OnPostWithdrawAsync(Guid id, CancellationToken ct) => ActAsync(id, async (c, x) =>
        await db.Set<CaseEvidence>().Beyond(ScopeExit.ChildrenOfVisible).FirstOrDefaultAsync(e => e.Id == EvidenceId && e.CaseId == c.Id, x) is { } e
            ? await records.WithdrawAsync(c, e, new ReasonInput(Reason), x) : new FieldErrors { ["EvidenceId"] = ["本案没有这项证据"] }, "withdrawn", ct);

    public Task<IActionResult> OnPostSeizureAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, async (c, x) => (await records.AddSeizureAsync(c, new SeizureInput(Kind, Description, Weight, Weight is null ? null : "kg", ValueYuan, ValuedBy,
            Plate, null, StoragePlace, Keeper, NamedPersons), x)).Errors, "seizure", ct);

    public Task<IActionResult> OnPostCustodyAsync(Guid id, CancellationToken ct) => ActAsync(id, async (c, x) =>
        await db.Set<CaseEvidence>().Beyond(ScopeExit.ChildrenOfVisible).FirstOrDefaultAsync(e => e.Id == EvidenceId && e.CaseId == c.Id, x) is { } e
            ? await records.HandOverAsync(c, e, new CustodyInput(ToHolder, Note), x) : new FieldErrors { ["ToHolder"] = ["本案没有这项证据"] }, "custody", ct);

    /// <summary>A disposal cannot be changed afterwards: it needs the confirmation (confirm.js, or the checkbox without JavaScript).</summary>
    public Task<IActionResult> OnPostDisposalAsync(Guid id, CancellationToken ct) => ActAsync(id, async (c, x) =>
    {
        if (await db.Set<CaseSeizure>().Beyond(ScopeExit.ChildrenOfVisible).FirstOrDefaultAsync(s => s.Id == SeizureId && s.CaseId == c.Id, x) is not { } s)
            return new FieldErrors { ["Disposal"] = ["本案没有这项财物"] };
        if (!ConfirmTagHelper.Confirmed(Request)) return new FieldErrors { ["Disposal"] = ["财物处置登记后不能更改，请先确认"] };
        return await records.DisposeAsync(c, s, new DisposalInput(Disposal, Day, Document), x);
    }, "disposed", ct);

    public Task<IActionResult> OnPostNoticeAsync(Guid id, CancellationToken ct) => ActAsync(id, (c, x) => stages.NoticeAsync(c, new NoticeInput(Day, null, Text), x), "stage", ct);

    public Task<IActionResult> OnPostExtensionAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, (c, x) => stages.ExtendAsync(c, new ExtensionInput(Day, Reason, ApprovedBy), x), "stage", ct);

    public Task<IActionResult> OnPostDecisionAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, (c, x) => stages.DecideAsync(c, new DecisionInput(Day, Text, FineYuan), x), "stage", ct);

    public Task<IActionResult> OnPostExecutionAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, (c, x) => stages.ExecuteAsync(c, new ExecutionInput(Day, Text), x), "stage", ct);

    public Task<IActionResult> OnPostCloseAsync(Guid id, CancellationToken ct) => ActAsync(id, stages.CloseAsync, "stage", ct);

    public Task<IActionResult> OnPostTransferReportAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, (c, x) => stages.ReportTransferAsync(c, new ReasonInput(Reason), x), "stage", ct);

    public Task<IActionResult> OnPostTransferDecisionAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, (c, x) => stages.DecideTransferAsync(c, new TransferDecisionInput(Approved, Reason), x), "stage", ct);

    public Task<IActionResult> OnPostHandOverAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, (c, x) => stages.HandOverAsync(c, new HandOverInput(PoliceUnit, Materials), x), "stage", ct);

    public Task<IActionResult> OnPostReceiptAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, (c, x) => stages.ReceiptAsync(c, new ReceiptInput(ReceiptNumber, Day), x), "stage", ct);

    public Task<IActionResult> OnPostPoliceDecisionAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, (c, x) => stages.PoliceDecideAsync(c, new PoliceDecisionInput(Decision, PoliceCaseNumber), x), "stage", ct);

    public Task<IActionResult> OnPostAppealAsync(Guid id, CancellationToken ct) => ActAsync(id, (c, x) => stages.AppealAsync(c, new ReasonInput(Reason), x), "stage", ct);

    public Task<IActionResult> OnPostReferralAsync(Guid id, CancellationToken ct) => ActAsync(id, (c, x) => stages.ReferAsync(c, new ReasonInput(Reason), x), "referred", ct);

    private static FieldErrors Rename(FieldErrors errors)
    {
        if (errors.Remove("File", out var messages)) errors["Upload"] = messages;
        return errors;
    }

    private async Task<IActionResult> ActAsync(Guid id, Func<Case, CancellationToken, Task<FieldErrors>> action, string done, CancellationToken ct)
    {
        var c = await desk.FindAsync(id, ct);
        if (c is null) return NotFound();
        if (!desk.MayWrite(c)) return Forbid();
        return await this.RunAsync(db, () => action(c, ct), $"/cases/{id}?done={done}", () => LoadAsync(id, ct), m => Problem = m);
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var c = await desk.FindAsync(id, ct);
        if (c is null) return false;
        Case = await views.ViewAsync(c, ct);
        MayWrite = desk.MayWrite(c);
        MayDecideTransfer = desk.MayDecideTransfer(c);
        MayEnrol = MayWrite && await MayEnrolAsync();
        Gaps = await records.GapsAsync(null, ct, c.Id);
        return true;
    }
}
