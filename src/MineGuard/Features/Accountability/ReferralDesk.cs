using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Time;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Accountability;

public sealed record ReferralDecisionInput([property: MaxLength(4000)] string? Decision);

public sealed record ReferralEvaluateInput(string? Period);

public sealed record ReferralEvaluation(string Period, int Created, IReadOnlyList<ReferralView> Referrals);

public sealed record AccountabilitySettingInput(IReadOnlyList<string>? DisabledRules, int? NotStoppedDays, int? CountyThreshold);

public sealed record AccountabilitySettingView(string DivisionCode, bool Stored, string? InheritedFrom, IReadOnlyList<string> DisabledRules,
    int NotStoppedDays, int CountyThreshold, IReadOnlyDictionary<string, string> Rules);

public sealed record ReferralView(Guid Id, string RuleCode, string RuleName, string RuleSource, string DivisionCode, string DivisionName, string Period,
    DateOnly PeriodFrom, DateOnly PeriodTo, string Summary, IReadOnlyList<ReferralFact> Facts, IReadOnlyList<ReferralOfficial> Officials, string State,
    string StateName, DateTime CreatedUtc, string? Decision, string? DecidedByName, DateTime? DecidedUtc);

/// <summary>
/// 问责线索 for people: who may read (the office, leaders and administrators in scope, and the discipline commission —
/// the only department a referral reaches), who decides (the commission), the office's on-demand evaluation and the
/// rules' settings. A caller who may not read gets null (a 404), as for a referral outside the scope.
/// </summary>
public sealed class ReferralDesk(AppDbContext db, ReferralEvaluator evaluator)
{
    private CurrentUser Me => db.CurrentUser;

    private DateTime Now => db.Clock.GetUtcNow().UtcDateTime;

    public bool IsCommission => (Me.IsInRole(Roles.Department) || Me.IsInRole(Roles.Head)) && Me.DepartmentCode == Department.Discipline;

    public bool CanRead => !Me.Scope.IsNone && (Me.SeesAllDepartments || IsCommission);

    public bool CanDecide => CanRead && IsCommission && Me.CanWrite;

    /// <summary>
    /// The referrals in scope with the list's filters; <paramref name="division"/> (that place and below) and
    /// <paramref name="from"/>/<paramref name="to"/> (days made) are the supervision dashboard's links.
    /// </summary>
    public async Task<(List<ReferralView>? List, FieldErrors Errors)> ListAsync(string? state, string? rule, string? period, CancellationToken ct,
        string? division = null, string? from = null, string? to = null)
    {
        var errors = new FieldErrors();
        var query = db.Set<Referral>().AsNoTracking();
        if (!string.IsNullOrWhiteSpace(division)) query = query.Within(JurisdictionScope.Of(division.Trim()), r => r.DivisionCode);
        var (fromUtc, toUtc) = ReportPeriod.ListBounds(from, to, "产生", errors.Add);
        if (fromUtc is { } start) query = query.Where(r => r.CreatedUtc >= start);
        if (toUtc is { } end) query = query.Where(r => r.CreatedUtc < end);
        if (!string.IsNullOrWhiteSpace(state))
        {
            if (state == "new") query = query.Where(r => r.State == ReferralState.New);
            else if (state == "decided") query = query.Where(r => r.State == ReferralState.Decided);
            else errors.Add("state", "状态只能是 new（待处理）或 decided（已处理）");
        }
        if (!string.IsNullOrWhiteSpace(rule))
        {
            if (ReferralRules.Names.ContainsKey(rule)) query = query.Where(r => r.RuleCode == rule);
            else errors.Add("rule", "问责规则只能是 " + ReferralRules.Choices);
        }
        if (!string.IsNullOrWhiteSpace(period))
        {
            if (ReferralMonth.TryParse(period, out var month)) query = query.Where(r => r.Period == month.Key);
            else errors.Add("period", ReferralMonth.Problem);
        }
        if (!errors.Ok) return (null, errors);
        var rows = await query.OrderByDescending(r => r.CreatedUtc).ThenBy(r => r.DivisionCode).Take(500).ToListAsync(ct);
        return (await ViewsAsync(rows, ct), errors);
    }

    public async Task<ReferralView?> GetAsync(Guid id, CancellationToken ct) =>
        await db.Set<Referral>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct) is { } r ? (await ViewsAsync([r], ct))[0] : null;

    public async Task<(ReferralView? View, FieldErrors Errors)> DecideAsync(Guid id, ReferralDecisionInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var referral = await db.Set<Referral>().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (referral is null) return (null, errors);
        var text = input.Decision?.Trim();
        if (string.IsNullOrEmpty(text)) errors.Add(nameof(input.Decision), "请填写纪委监委的处理决定");
        if (!errors.Ok) return ((await ViewsAsync([referral], ct))[0], errors);
        referral.Decide(text!, Me.Id, Me.DisplayName, Now);
        await db.SaveChangesAsync(ct);
        return ((await ViewsAsync([referral], ct))[0], errors);
    }

    /// <summary>The office's evaluation over its own scope; a period already evaluated stores nothing again.</summary>
    public async Task<(ReferralEvaluation? Result, FieldErrors Errors)> EvaluateAsync(ReferralEvaluateInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        ReferralMonth month;
        if (string.IsNullOrWhiteSpace(input.Period)) month = ReferralMonth.Of(DateOnly.FromDateTime(ChinaTime.ToLocal(Now)));
        else if (!ReferralMonth.TryParse(input.Period, out month)) errors.Add(nameof(input.Period), ReferralMonth.Problem);
        if (!errors.Ok) return (null, errors);
        var created = await evaluator.EvaluateAsync(Me.Scope, month, ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another evaluation of the same period stored the same referrals first: nothing is stored twice.
            db.ChangeTracker.Clear();
            created = [];
        }
        return (new ReferralEvaluation(month.Key, created.Count, await ViewsAsync(created, ct)), errors);
    }

    public async Task<AccountabilitySettingView?> SettingAsync(string division, CancellationToken ct)
    {
        if (!Me.Scope.Contains(division) || !await db.Divisions.AnyAsync(d => d.Code == division, ct)) return null;
        var codes = AccountabilitySetting.Chain(division);
        var rows = await db.Beyond<AccountabilitySetting>(ScopeExit.InheritedSettings).AsNoTracking().Where(s => codes.Contains(s.DivisionCode))
            .ToDictionaryAsync(s => s.DivisionCode, StringComparer.Ordinal, ct);
        var applies = AccountabilitySetting.InForce(division, rows);
        var stored = rows.ContainsKey(division);
        return new AccountabilitySettingView(division, stored, !stored && rows.ContainsKey(applies.DivisionCode) ? applies.DivisionCode : null,
            applies.DisabledRules.Split(',', StringSplitOptions.RemoveEmptyEntries), applies.NotStoppedDays, applies.CountyThreshold, ReferralRules.Names);
    }

    public async Task<(AccountabilitySettingView? View, FieldErrors Errors)> SetSettingAsync(string division, AccountabilitySettingInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (await SettingAsync(division, ct) is null) return (null, errors);
        var unknown = (input.DisabledRules ?? []).Where(r => !ReferralRules.Names.ContainsKey(r)).ToList();
        if (unknown.Count > 0) errors.Add(nameof(input.DisabledRules), $"未知的问责规则：{string.Join("、", unknown)}；可选 {ReferralRules.Choices}");
        if (input.NotStoppedDays is not (>= 1 and <= 365)) errors.Add(nameof(input.NotStoppedDays), "再次发现的间隔天数应为 1 到 365");
        if (input.CountyThreshold is not (>= 1 and <= 100)) errors.Add(nameof(input.CountyThreshold), "县级一个月内的处数应为 1 到 100");
        if (!errors.Ok) return (null, errors);
        var row = await db.Set<AccountabilitySetting>().FirstOrDefaultAsync(s => s.DivisionCode == division, ct);
        if (row is null) db.Add(row = AccountabilitySetting.For(division));
        row.Set((input.DisabledRules ?? []).Distinct(), input.NotStoppedDays!.Value, input.CountyThreshold!.Value, Me.Id, Now);
        await db.SaveChangesAsync(ct);
        return (await SettingAsync(division, ct), errors);
    }

    private async Task<List<ReferralView>> ViewsAsync(List<Referral> rows, CancellationToken ct)
    {
        var names = await db.DivisionNamesAsync(rows.Select(r => r.DivisionCode), ct);
        return rows.Select(r => new ReferralView(r.Id, r.RuleCode, ReferralRules.Names.GetValueOrDefault(r.RuleCode, r.RuleCode),
            ReferralRules.Sources.GetValueOrDefault(r.RuleCode, ""), r.DivisionCode, names.GetValueOrDefault(r.DivisionCode, r.DivisionCode), r.Period,
            r.PeriodFrom, r.PeriodTo, r.Summary, JsonSerializer.Deserialize<List<ReferralFact>>(r.Facts, ReferralEvaluator.Json) ?? [],
            JsonSerializer.Deserialize<List<ReferralOfficial>>(r.Officials, ReferralEvaluator.Json) ?? [],
            r.State == ReferralState.New ? "new" : "decided", r.State == ReferralState.New ? "待处理" : "已处理", r.CreatedUtc, r.Decision, r.DecidedByName,
            r.DecidedUtc)).ToList();
    }
}
