using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Admin;
using MineGuard.Platform.Imports;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Imports.Pages;

[Authorize(Policy = Policies.Writer)]
[RequestSizeLimit(ImportCommands.MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = ImportCommands.MaxRequestBytes)]
public sealed class IndexModel(AppDbContext db, ImportCommands imports) : PageModel
{
    public sealed class UploadInput
    {
        public string? Kind { get; set; } = "adits";
        public string? County { get; set; }

        /// <summary>The whole file's coordinate system: blank (WGS84, or each row's own 坐标系 column), wgs84 or gcj02.</summary>
        public string? Crs { get; set; }

        public IFormFile? File { get; set; }
    }

    [BindProperty]
    public UploadInput Input { get; set; } = new();

    public List<ImportBatch> Batches { get; private set; } = [];
    public List<ImportSession> Pending { get; private set; } = [];
    public List<Division> Counties { get; private set; } = [];
    public Dictionary<Guid, string> People { get; private set; } = [];
    public List<ImportValueMappingView> ValueMappings { get; private set; } = [];
    public string? Message { get; private set; }
    public string? Error { get; private set; }

    /// <summary>The ledger kinds this user may import.</summary>
    public IReadOnlyList<LedgerKind> Kinds => imports.Kinds;

    public async Task OnGetAsync(string? done, int kept, CancellationToken ct)
    {
        Message = done switch
        {
            "cancelled" => "已取消：该台账没有导入任何数据。",
            "undone" when kept > 0 =>
                $"已撤销：该批次导入的数据已全部删除；本次导入新建的责任人中有 {kept} 人在导入后已被其他记录引用（如督办事项）、修改或开通账号，予以保留，可在责任人名录中查看。",
            "undone" => "已撤销：该批次导入的数据已全部删除。",
            "value-forgotten" => "已删除该取值对应：以后的台账再遇到这种写法时会重新询问。",
            _ => null,
        };
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostUploadAsync(CancellationToken ct)
    {
        if (!imports.MayUse(Input.Kind)) return Forbid();
        var file = Input.File;
        var (session, errors) = await imports.UploadAsync(Input.Kind, Input.County, file?.FileName,
            file is null ? null : file.OpenReadStream, file?.Length ?? 0, ct, Input.Crs);
        if (session is not null) return Redirect($"/imports/{session.Id}");
        ModelState.AddFieldErrors(errors);
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostUndoAsync(Guid id, CancellationToken ct)
    {
        var batch = await imports.Batches.FirstOrDefaultAsync(b => b.Id == id, ct);
        if (batch is null) return NotFound();
        if (!imports.MayUse(batch.Kind)) return Forbid();
        try
        {
            return Redirect(UndoneUrl(await imports.UndoAsync(batch, ct)));
        }
        catch (BusinessRuleException e)
        {
            Error = e.Message;
            db.ChangeTracker.Clear();
            await LoadAsync(ct);
            return Page();
        }
    }

    /// <summary>Forgets a remembered value mapping (the next ledger with the word asks again).</summary>
    public async Task<IActionResult> OnPostForgetValueAsync(Guid id, CancellationToken ct) =>
        await imports.ForgetValueAsync(id, ct) ? Redirect("/imports?done=value-forgotten") : NotFound();

    /// <summary>Where an undo goes: the list, told how many new 责任人 were kept.</summary>
    public static string UndoneUrl(UndoOutcome outcome) => outcome.PersonsKept > 0 ? $"/imports?done=undone&kept={outcome.PersonsKept}" : "/imports?done=undone";

    private async Task LoadAsync(CancellationToken ct)
    {
        Counties = await imports.CountiesAsync(ct);
        Input.County ??= Counties.Count == 1 ? Counties[0].Code : null;
        Batches = await imports.VisibleBatches.AsNoTracking().OrderByDescending(b => b.CreatedUtc).Take(100).ToListAsync(ct);
        Pending = await imports.VisibleSessions.AsNoTracking().Where(s => s.Status == ImportSessionStatus.Pending)
            .OrderByDescending(s => s.CreatedUtc).Take(20).ToListAsync(ct);
        ValueMappings = (await imports.VisibleValueMappings.AsNoTracking().OrderBy(m => m.Kind).ThenBy(m => m.Field).ThenBy(m => m.Value)
            .Take(500).ToListAsync(ct)).ConvertAll(ImportsApi.View);
        var ids = Batches.Select(b => b.CreatedById).Concat(Pending.Select(s => s.CreatedById)).OfType<Guid>().Distinct().ToList();
        People = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
    }
}
