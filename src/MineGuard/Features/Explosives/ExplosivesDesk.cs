using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Mines;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Explosives;

public sealed record PermitInput([property: MaxLength(20)] string? Kind, [property: MaxLength(60)] string? Number,
    [property: MaxLength(500)] string? Scope, string? ValidFrom, string? ValidTo, [property: MaxLength(100)] string? Authority);

/// <summary>A holder to register: <c>clientId</c> makes a resend return the stored holder.</summary>
public sealed record HolderInput(Guid? ClientId, [property: MaxLength(200)] string? Name, [property: MaxLength(20)] string? Kind,
    [property: MaxLength(24)] string? DivisionCode, Guid? MineId, [property: MaxLength(24)] string? PermittedArea, double? MonthlyNeedKg,
    List<PermitInput>? Permits);

public sealed record PermitView(Guid Id, string Kind, string KindName, string Number, string Scope, DateOnly ValidFrom, DateOnly ValidTo, string Authority);

/// <summary>One material's loop at a holder: purchased − used − returned − destroyed = the stock the ledger expects, beside the last count.</summary>
public sealed record BalanceView(string Material, string MaterialName, string Unit, double Purchased, double Used, double Returned, double Destroyed,
    double Expected, double? Counted, DateTime? CountedUtc);

public sealed record HolderView(Guid Id, string Name, string Kind, string KindName, string DivisionCode, string DivisionName, Guid? MineId,
    string PermittedArea, double? MonthlyNeedKg, List<PermitView> Permits, List<BalanceView> Balance, int OpenGaps, DateTime? LastReportedUtc);

/// <summary>
/// Holders and their permits, and the loop's balance per holder: registered by the office (a division in the caller's
/// scope), read through the scope and department filters (the police and the emergency department see them, other
/// departments none).
/// </summary>
public sealed class ExplosivesDesk(AppDbContext db)
{
    private DateTime Now => db.Clock.GetUtcNow().UtcDateTime;

    /// <summary>Who reads the loop at all: the office, leaders, administrators, agency heads and departments (their share only).</summary>
    public static bool MayRead(CurrentUser user) =>
        user.IsInRole(Roles.Office) || user.IsInRole(Roles.Leader) || user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Department) || user.IsInRole(Roles.Head);

    /// <summary>Who writes it: the office, administrators and the departments that hold the source systems.</summary>
    public static bool MayWrite(CurrentUser user) =>
        user.IsInRole(Roles.Office) || user.IsInRole(Roles.Admin) || (user.IsInRole(Roles.Department) && ExplosivesShare.Departments.Contains(user.DepartmentCode));

    public async Task<(ExplosiveHolder? Holder, bool Existing, FieldErrors Errors)> RegisterAsync(HolderInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (input.ClientId is { } cid)
        {
            if (await db.Set<ExplosiveHolder>().FirstOrDefaultAsync(h => h.ClientId == cid, ct) is { } stored) return (stored, true, errors);
            if (await db.Set<ExplosiveHolder>().Beyond(ScopeExit.Uniqueness).AnyAsync(h => h.ClientId == cid, ct))
                errors.Add("clientId", "该客户端编号已被其他记录使用");
        }
        var name = input.Name?.Trim();
        if (string.IsNullOrEmpty(name)) errors.Add("name", "请填写单位名称");
        if (input.Kind is null || !ExplosiveKinds.Holders.ContainsKey(input.Kind)) errors.Add("kind", "单位类型只能是 mine（持证矿山）、blasting（爆破作业单位）或 plant（黄金选冶企业）");
        var division = input.DivisionCode?.Trim() ?? "";
        if (!db.CurrentUser.Scope.Contains(division) || !await db.Divisions.AnyAsync(d => d.Code == division, ct))
            errors.Add("divisionCode", "所属区划不存在或不在您的管辖范围内");
        var area = string.IsNullOrWhiteSpace(input.PermittedArea) ? division : input.PermittedArea.Trim();
        if (area.Length > 0 && !await db.Divisions.AnyAsync(d => d.Code == area, ct)) errors.Add("permittedArea", "许可作业区域应为区划代码");
        if (input.MonthlyNeedKg is { } need && need is not (>= 0 and <= 10_000_000)) errors.Add("monthlyNeedKg", "核定月用量应为 0 至 10000000 千克");
        if (input.MineId is { } mineId && !await db.Set<LicensedMine>().AnyAsync(m => m.Id == mineId, ct)) errors.Add("mineId", "矿山不存在或不在您的管辖范围内");
        var permits = new List<(string Kind, string Number, string Scope, DateOnly From, DateOnly To, string Authority)>();
        foreach (var (p, i) in (input.Permits ?? []).Select((p, i) => (p, i)))
        {
            var key = $"permits[{i}]";
            if (p.Kind is null || !ExplosiveKinds.Permits.ContainsKey(p.Kind))
                errors.Add($"{key}.kind", "许可证类型只能是 purchase、transport、blasting 或 toxic-purchase");
            if (string.IsNullOrWhiteSpace(p.Number)) errors.Add($"{key}.number", "请填写许可证编号");
            if (string.IsNullOrWhiteSpace(p.Authority)) errors.Add($"{key}.authority", "请填写发证机关");
            var from = Day(p.ValidFrom, $"{key}.validFrom", "有效期起", errors);
            var to = Day(p.ValidTo, $"{key}.validTo", "有效期止", errors);
            if (from is { } f && to is { } t && t < f) errors.Add($"{key}.validTo", "有效期止不能早于有效期起");
            if (errors.Ok) permits.Add((p.Kind!, p.Number!.Trim(), p.Scope?.Trim() ?? "", from!.Value, to!.Value, p.Authority!.Trim()));
        }
        if (!errors.Ok) return (null, false, errors);
        var holder = ExplosiveHolder.Register(division, name!, input.Kind!, input.MineId, area, input.MonthlyNeedKg, input.ClientId, db.CurrentUser.Id, Now);
        foreach (var p in permits) holder.AddPermit(p.Kind, p.Number, p.Scope, p.From, p.To, p.Authority);
        db.Add(holder);
        await db.SaveChangesAsync(ct);
        return (holder, false, errors);
    }

    private static DateOnly? Day(string? text, string field, string label, FieldErrors errors)
    {
        if (DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)) return day;
        errors.Add(field, $"{label}应为日期（yyyy-MM-dd）");
        return null;
    }

    public async Task<List<HolderView>> ListAsync(Guid? only, CancellationToken ct)
    {
        var query = db.Set<ExplosiveHolder>().AsNoTracking().Include(h => h.Permits).AsQueryable();
        if (only is { } id) query = query.Where(h => h.Id == id);
        var holders = await query.OrderBy(h => h.DivisionCode).ThenBy(h => h.Name).ToListAsync(ct);
        var ids = holders.Select(h => h.Id).ToList();
        var movements = db.Set<ExplosiveMovement>().AsNoTracking().Where(m => ids.Contains(m.HolderId));
        var sums = await movements.Where(m => m.Kind != "stock").GroupBy(m => new { m.HolderId, m.Material, m.Kind })
            .Select(g => new { g.Key.HolderId, g.Key.Material, g.Key.Kind, Sum = g.Sum(m => m.Quantity) }).ToListAsync(ct);
        var last = await movements.GroupBy(m => m.HolderId).Select(g => new { g.Key, Last = g.Max(m => m.Utc) }).ToDictionaryAsync(x => x.Key, x => x.Last, ct);
        var counts = await movements.Where(m => m.Kind == "stock").GroupBy(m => new { m.HolderId, m.Material }).Select(g => new { g.Key.HolderId, g.Key.Material, At = g.Max(m => m.Utc) })
            .ToListAsync(ct);
        var counted = new Dictionary<(Guid, string), (double, DateTime)>();
        foreach (var c in counts)
        {
            var q = await movements.Where(m => m.HolderId == c.HolderId && m.Material == c.Material && m.Kind == "stock" && m.Utc == c.At).Select(m => m.Quantity).FirstAsync(ct);
            counted[(c.HolderId, c.Material)] = (q, c.At);
        }
        var gaps = await db.Set<ExplosiveGap>().AsNoTracking().Where(g => ids.Contains(g.HolderId) && g.ClosedUtc == null).GroupBy(g => g.HolderId)
            .Select(g => new { g.Key, N = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.N, ct);
        var names = await db.DivisionNamesAsync(holders.Select(h => h.DivisionCode).Distinct().ToList(), ct);
        return holders.Select(h =>
        {
            var balance = ExplosiveKinds.Materials.Keys
                .Where(mat => sums.Any(s => s.HolderId == h.Id && s.Material == mat) || counted.ContainsKey((h.Id, mat)))
                .Select(mat =>
                {
                    double Of(string kind) => sums.Where(s => s.HolderId == h.Id && s.Material == mat && s.Kind == kind).Sum(s => s.Sum);
                    var (p, u, r, d) = (Of("purchase"), Of("use"), Of("return"), Of("destruction"));
                    var c = counted.TryGetValue((h.Id, mat), out var x) ? x : ((double, DateTime)?)null;
                    return new BalanceView(mat, ExplosiveKinds.Materials[mat], ExplosiveKinds.Unit(mat), p, u, r, d, Math.Round(p - u - r - d, 3), c?.Item1,
                        c is { } cc ? DateTime.SpecifyKind(cc.Item2, DateTimeKind.Utc) : null);
                }).ToList();
            return new HolderView(h.Id, h.Name, h.Kind, ExplosiveKinds.Holders[h.Kind], h.DivisionCode, names.GetValueOrDefault(h.DivisionCode, h.DivisionCode),
                h.MineId, h.PermittedAreaCode, h.MonthlyNeedKg,
                h.Permits.OrderBy(p => p.Kind).Select(p => new PermitView(p.Id, p.Kind, ExplosiveKinds.Permits[p.Kind], p.Number, p.Scope, p.ValidFrom, p.ValidTo,
                    p.Authority)).ToList(), balance, gaps.GetValueOrDefault(h.Id),
                last.TryGetValue(h.Id, out var l) ? DateTime.SpecifyKind(l, DateTimeKind.Utc) : null);
        }).ToList();
    }
}
