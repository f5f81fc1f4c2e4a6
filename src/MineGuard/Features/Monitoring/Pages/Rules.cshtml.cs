using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Monitoring.Pages;

/// <summary>预警规则: the defaults and this jurisdiction's own rules; the office creates, edits, switches off and deletes its own.</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class RulesModel(AppDbContext db, DeviceCommands devices, CurrentUser me) : PageModel
{
    public sealed class RuleForm
    {
        public Guid? Id { get; set; }
        public string? Name { get; set; }
        public string? DivisionCode { get; set; }
        public List<string> EventTypes { get; set; } = [];
        public List<string> Subjects { get; set; } = [];
        public List<string> Actions { get; set; } = [];
        public string? AditNumber { get; set; }
        public bool SealedAditsOnly { get; set; }
        public bool AditZonesOnly { get; set; }
        public bool NightOnly { get; set; }
        public string? Severity { get; set; } = "medium";
        public string? NotifyDepartment { get; set; }
        public bool Enabled { get; set; } = true;
    }

    [BindProperty] public RuleForm Input { get; set; } = new();

    public List<RuleView> Items { get; private set; } = [];
    public Dictionary<Guid, string> AditNumbers { get; private set; } = [];
    public List<DivisionChoice> Divisions { get; private set; } = [];
    public bool CanWrite => me.IsInRole(Roles.Office) || me.IsInRole(Roles.Admin);
    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid? id, CancellationToken ct)
    {
        if (id is { } ruleId)
        {
            var rule = await db.AlertRules().AsNoTracking().FirstOrDefaultAsync(r => r.Id == ruleId, ct);
            if (rule is null) return NotFound();
            var c = rule.Check;
            Input = new RuleForm
            {
                Id = rule.Id, Name = rule.Name, DivisionCode = rule.DivisionCode, EventTypes = [.. c.EventTypes], Subjects = [.. c.Subjects],
                Actions = [.. c.Actions], SealedAditsOnly = rule.SealedAditsOnly, AditZonesOnly = rule.AditZonesOnly, NightOnly = rule.NightOnly,
                Severity = AlertNames.Severities[rule.Severity].Code, NotifyDepartment = rule.NotifyDepartment, Enabled = rule.Enabled,
                AditNumber = rule.AditId is { } a ? await db.Adits().Where(x => x.Id == a).Select(x => x.Number).FirstOrDefaultAsync(ct) : null,
            };
        }
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken ct)
    {
        if (!CanWrite) return Forbid();
        AlertRule? rule = null;
        if (Input.Id is { } id && (rule = await db.AlertRules().FirstOrDefaultAsync(r => r.Id == id, ct)) is null) return NotFound();
        Guid? aditId = null;
        if (!string.IsNullOrWhiteSpace(Input.AditNumber))
        {
            var number = Input.AditNumber.Trim();
            aditId = await db.Adits().Where(a => a.Number == number).Select(a => (Guid?)a.Id).FirstOrDefaultAsync(ct);
            if (aditId is null) ModelState.AddModelError("Input.AditNumber", "未找到该编号的矿硐，或不在您的管辖范围内");
        }
        if (ModelState.ErrorCount == 0)
        {
            var input = new RuleInput(Input.Name, string.IsNullOrWhiteSpace(Input.DivisionCode) ? null : Input.DivisionCode.Trim(), [.. Input.EventTypes],
                [.. Input.Subjects], [.. Input.Actions], aditId, Input.SealedAditsOnly, Input.AditZonesOnly, Input.NightOnly, Input.Severity,
                Input.NotifyDepartment, Input.Enabled, null);
            FieldErrors errors;
            if (rule is null) (rule, errors) = await devices.CreateRuleAsync(input, ct);
            else errors = await devices.UpdateRuleAsync(rule, input, ct);
            if (errors.Ok)
            {
                Message = Input.Id is null ? $"已新建规则：{rule!.Name}" : $"已保存规则：{rule!.Name}";
                Input = new RuleForm();
                ModelState.Clear();
            }
            else ModelState.AddFieldErrors(errors);
        }
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostToggleAsync(Guid id, CancellationToken ct)
    {
        if (!CanWrite) return Forbid();
        var rule = await db.AlertRules().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (rule is null) return NotFound();
        await devices.SetRuleEnabledAsync(rule, !rule.Enabled, ct);
        Message = rule.Enabled ? $"已启用规则：{rule.Name}" : $"已停用规则：{rule.Name}";
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken ct)
    {
        if (!CanWrite) return Forbid();
        var rule = await db.AlertRules().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (rule is null) return NotFound();
        // Deleting is final (the audit trail keeps the rule's values); 停用 is the reversible way, and the
        // confirmation (js/confirm.js, or the required checkbox without script) says so.
        if (!ConfirmTagHelper.Confirmed(Request)) Message = $"未删除：请先确认删除规则 {rule.Name}";
        else
        {
            await devices.DeleteRuleAsync(rule, ct);
            Message = $"已删除规则：{rule.Name}";
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Items = (await MonitoringApi.ListRules(db, ct)).Value!;
        var aditIds = Items.Where(r => r.AditId is not null).Select(r => r.AditId!.Value).Distinct().ToList();
        AditNumbers = await db.Adits().AsNoTracking().Where(a => aditIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Number, ct);
        Divisions = await db.Divisions.ChoicesAsync(me.Scope, DivisionLevel.Township, ct);
    }
}
