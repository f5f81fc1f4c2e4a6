using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.KeyPersons;
using MineGuard.Platform.Audit;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Admin.Pages;

/// <summary>The audit trail of the admin's jurisdiction (records are scoped by the division they concern).</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class AuditModel(AppDbContext db) : PageModel
{
    private const int PageSize = 100;

    public static readonly IReadOnlyList<(string Code, string Name)> Actions =
    [
        ("create", "新增"), ("update", "修改"), ("delete", "删除"), ("read", "查看敏感信息"), ("view", "查看档案"),
        ("login", "登录"), ("login-failed", "登录失败"), ("seed", "载入数据"),
    ];

    public static string ActionName(string code) =>
        Actions.FirstOrDefault(a => a.Code == code).Name ?? AuditText.ExtraActions.GetValueOrDefault(code) ?? code;

    /// <summary>The change shown as lines "字段：旧 → 新", or the key-person notice.</summary>
    public IReadOnlyList<string> ChangeLines(AuditRecord r) =>
        ChangesShown(r) is { } shown && shown == r.Changes ? AuditText.Lines(shown) : ChangesShown(r) is { } notice ? [notice] : [];

    // 重点人员 are for the office and the police only (PRODUCT.md, capability 3), yet their changes are copied into the
    // trail. An administrator who is neither sees that a change was made, when and by whom, but not the person's data.
    private static readonly HashSet<string> KeyPersonRecords = [nameof(KeyPerson), nameof(HomeVisit), nameof(KeyPersonAdit)];

    public string? ChangesShown(AuditRecord r) =>
        r.Action is "create" or "update" or "delete" && KeyPersonRecords.Contains(r.EntityType) && !db.CurrentUser.CanSeeKeyPersons
            ? "（重点人员信息，仅打非办和公安人员可见）"
            : r.Changes;

    [BindProperty(SupportsGet = true)] public string? Actor { get; set; }
    [BindProperty(SupportsGet = true)] public string? Action { get; set; }
    [BindProperty(SupportsGet = true)] public string? Entity { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public new int Page { get; set; } = 1;

    public List<AuditRecord> Records { get; private set; } = [];
    public bool HasMore { get; private set; }
    public string? FilterError { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            FilterError = "筛选条件格式有误：" + string.Join("；", ModelState.Values.SelectMany(v => v.Errors).Select(e => e.ErrorMessage));
            return;
        }
        if (From > To)
        {
            FilterError = "开始日期不能晚于结束日期";
            return;
        }
        Page = Math.Max(1, Page);
        var query = db.AuditRecords.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(Actor)) query = query.Where(a => a.ActorName.Contains(Actor.Trim()));
        if (!string.IsNullOrWhiteSpace(Action)) query = query.Where(a => a.Action == Action);
        if (!string.IsNullOrWhiteSpace(Entity))
        {
            // The type may be typed in Chinese (矿硐) or as its code name (Adit).
            var typed = Entity.Trim();
            var code = AuditText.Entities.FirstOrDefault(e => e.Value == typed).Key ?? typed;
            query = query.Where(a => a.EntityType == code);
        }
        if (From is { } from)
        {
            var start = ChinaTime.ToUtc(from.ToDateTime(TimeOnly.MinValue));
            query = query.Where(a => a.AtUtc >= start);
        }
        if (To is { } to)
        {
            var end = ChinaTime.ToUtc(to.AddDays(1).ToDateTime(TimeOnly.MinValue));
            query = query.Where(a => a.AtUtc < end);
        }
        var rows = await query.OrderByDescending(a => a.Sequence).Skip((Page - 1) * PageSize).Take(PageSize + 1).ToListAsync(ct);
        HasMore = rows.Count > PageSize;
        Records = rows.Take(PageSize).ToList();
    }

    public string PageLink(int page) =>
        $"/admin/audit?actor={Uri.EscapeDataString(Actor ?? "")}&action={Uri.EscapeDataString(Action ?? "")}" +
        $"&entity={Uri.EscapeDataString(Entity ?? "")}&from={From:yyyy-MM-dd}&to={To:yyyy-MM-dd}&p={page}";
}
