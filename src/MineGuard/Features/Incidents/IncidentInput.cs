using MineGuard.Platform.Time;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Incidents;

public sealed record IncidentEntryInput(string? At, string? Kind, string? What, string? ReportedBy, string? ReportedTo);

public sealed record IncidentFindingInput(string? Kind, string? Unit, string? Text);

public sealed record AccountabilityInput(string? Unit, string? Official, string? Post, string? What, bool? Referred);

public sealed record IncidentInput(
    Guid? AditId, string? OccurredAt, string? Kind, string? Title, string? Summary,
    int? Involved, int? Dead, int? Injured, int? Unharmed, int? Rescued, int? BlindRescuers, int? BlindRescuerDead, int? BlindRescuerInjured,
    double? OreKg, decimal? OreValue, decimal? DirectLoss,
    IReadOnlyList<IncidentEntryInput>? Timeline, IReadOnlyList<IncidentFindingInput>? Findings, IReadOnlyList<AccountabilityInput>? Accountability,
    IReadOnlyList<Guid>? CaseIds, Guid? ClientId);

public sealed record TimelineInput(IReadOnlyList<IncidentEntryInput>? Timeline);

/// <summary>A checked timeline line, ready to store.</summary>
public sealed record CheckedEntry(DateTime AtUtc, string Kind, string What, string? ReportedBy, string? ReportedTo);

/// <summary>
/// The incident's rules on input, each refused with a Chinese reason naming the field (issue 19, Bad input): times out of
/// order in the timeline, casualties that do not add up, negative losses, unknown kinds.
/// </summary>
public static class IncidentRules
{
    public static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    public static DateTime? Time(FieldErrors errors, string field, string label, string? text, DateTime nowUtc)
    {
        if (Blank(text) is not { } t)
        {
            errors.Add(field, $"请填写{label}");
            return null;
        }
        if (!ChinaTime.TryParseLocal(t, out var utc))
        {
            errors.Add(field, $"{label}“{t}”无法识别，请按“2024-09-26 11:20”填写");
            return null;
        }
        if (utc > nowUtc.AddMinutes(5))
        {
            errors.Add(field, $"{label}不能晚于现在");
            return null;
        }
        return utc;
    }

    /// <summary>The people affected add up: dead + injured + unharmed = involved; blind rescuers are counted inside them.</summary>
    public static Casualties? People(FieldErrors errors, IncidentInput i)
    {
        var values = new (string Field, string Label, int? Value)[]
        {
            ("involved", "涉及人数", i.Involved), ("dead", "死亡人数", i.Dead), ("injured", "受伤人数", i.Injured), ("unharmed", "未受伤人数", i.Unharmed),
            ("rescued", "获救人数", i.Rescued), ("blindRescuers", "盲目施救人数", i.BlindRescuers),
            ("blindRescuerDead", "盲目施救死亡人数", i.BlindRescuerDead), ("blindRescuerInjured", "盲目施救受伤人数", i.BlindRescuerInjured),
        };
        var ok = true;
        foreach (var (field, label, value) in values)
        {
            if (value is < 0 or > 10_000)
            {
                errors.Add(field, $"{label}须在 0 到 10000 之间");
                ok = false;
            }
        }
        if (!ok) return null;
        var p = new Casualties(i.Involved ?? (i.Dead ?? 0) + (i.Injured ?? 0) + (i.Unharmed ?? 0), i.Dead ?? 0, i.Injured ?? 0, i.Unharmed ?? 0,
            i.Rescued ?? 0, i.BlindRescuers ?? 0, i.BlindRescuerDead ?? 0, i.BlindRescuerInjured ?? 0);
        if (p.Dead + p.Injured + p.Unharmed != p.Involved)
            errors.Add("involved", $"伤亡人数对不上：死亡 {p.Dead} + 受伤 {p.Injured} + 未受伤 {p.Unharmed} = {p.Dead + p.Injured + p.Unharmed}，与涉及人数 {p.Involved} 不一致");
        if (p.Rescued > p.Involved) errors.Add("rescued", $"获救人数 {p.Rescued} 不能多于涉及人数 {p.Involved}");
        if (p.BlindRescuers > p.Involved) errors.Add("blindRescuers", $"盲目施救人数 {p.BlindRescuers} 不能多于涉及人数 {p.Involved}");
        if (p.BlindRescuerDead > p.Dead) errors.Add("blindRescuerDead", $"盲目施救死亡人数 {p.BlindRescuerDead} 不能多于死亡人数 {p.Dead}");
        if (p.BlindRescuerInjured > p.Injured) errors.Add("blindRescuerInjured", $"盲目施救受伤人数 {p.BlindRescuerInjured} 不能多于受伤人数 {p.Injured}");
        if (p.BlindRescuerDead + p.BlindRescuerInjured > p.BlindRescuers)
            errors.Add("blindRescuers", $"盲目施救人员中死亡 {p.BlindRescuerDead} 人、受伤 {p.BlindRescuerInjured} 人，多于盲目施救人数 {p.BlindRescuers}");
        return p;
    }

    public static Losses Losses(FieldErrors errors, IncidentInput i)
    {
        if (i.OreKg is { } kg && kg is not (>= 0 and <= 1e9)) errors.Add("oreKg", "盗采矿石数量须在 0 到 10 亿公斤之间");
        if (i.OreValue is < 0 or > 1_000_000_000_000m) errors.Add("oreValue", "矿石价值须在 0 到 1 万亿元之间");
        if (i.DirectLoss is < 0 or > 1_000_000_000_000m) errors.Add("directLoss", "直接经济损失须在 0 到 1 万亿元之间");
        return new Losses(i.OreKg, i.OreValue, i.DirectLoss);
    }

    /// <summary>The timeline in the order given, each time after the one before; a report names who reported to whom.</summary>
    public static List<CheckedEntry> Timeline(FieldErrors errors, IReadOnlyList<IncidentEntryInput>? lines, DateTime? occurredUtc, DateTime nowUtc)
    {
        var result = new List<CheckedEntry>();
        if (lines is { Count: > 200 })
        {
            errors.Add("timeline", "事件经过最多 200 条");
            return result;
        }
        DateTime? previous = null;
        for (var n = 0; n < (lines?.Count ?? 0); n++)
        {
            var line = lines![n];
            var field = $"timeline[{n}]";
            var at = Time(errors, field + ".at", $"第 {n + 1} 条经过的时间", line.At, nowUtc);
            var kind = Blank(line.Kind) ?? "event";
            if (!IncidentKinds.Entries.ContainsKey(kind))
                errors.Add(field + ".kind", "经过类型只能是 " + string.Join("、", IncidentKinds.Entries.Select(k => $"{k.Key}（{k.Value}）")));
            var what = Blank(line.What);
            if (what is null) errors.Add(field + ".what", $"请填写第 {n + 1} 条经过的内容");
            else if (what.Length > 2000) errors.Add(field + ".what", "经过内容不能超过 2000 个字符");
            var by = Blank(line.ReportedBy);
            var to = Blank(line.ReportedTo);
            if (by is { Length: > 100 }) errors.Add(field + ".reportedBy", "报告人不能超过 100 个字符");
            if (to is { Length: > 100 }) errors.Add(field + ".reportedTo", "报告对象不能超过 100 个字符");
            if (kind == "report" && to is null) errors.Add(field + ".reportedTo", $"第 {n + 1} 条是报告，请填写向谁报告");
            if (at is { } t)
            {
                if (previous is { } p && t < p)
                    errors.Add(field + ".at", $"第 {n + 1} 条经过的时间（{ChinaTime.Format(t)}）早于上一条（{ChinaTime.Format(p)}），请按时间先后填写");
                else if (kind == "report" && occurredUtc is { } o && t < o)
                    errors.Add(field + ".at", $"第 {n + 1} 条报告的时间早于事件发生时间（{ChinaTime.Format(o)}）");
                previous = t;
                if (what is not null) result.Add(new CheckedEntry(t, kind, what, by, to));
            }
        }
        return result;
    }

    public static List<(string Kind, string? Unit, string Text)> Findings(FieldErrors errors, IReadOnlyList<IncidentFindingInput>? lines)
    {
        var result = new List<(string, string?, string)>();
        for (var n = 0; n < Math.Min(lines?.Count ?? 0, 200); n++)
        {
            var line = lines![n];
            var kind = Blank(line.Kind);
            if (kind is null || !IncidentKinds.Findings.ContainsKey(kind))
                errors.Add($"findings[{n}].kind", "类型只能是 " + string.Join("、", IncidentKinds.Findings.Select(k => $"{k.Key}（{k.Value}）")));
            var unit = Blank(line.Unit);
            if (unit is { Length: > 100 }) errors.Add($"findings[{n}].unit", "单位不能超过 100 个字符");
            if (kind == "unit" && unit is null) errors.Add($"findings[{n}].unit", "请填写存在问题的单位");
            var text = Blank(line.Text);
            if (text is null) errors.Add($"findings[{n}].text", "请填写内容");
            else if (text.Length > 2000) errors.Add($"findings[{n}].text", "内容不能超过 2000 个字符");
            if (kind is not null && text is not null) result.Add((kind, unit, text));
        }
        return result;
    }

    public static List<AccountabilityInput> Accountability(FieldErrors errors, IReadOnlyList<AccountabilityInput>? lines)
    {
        var result = new List<AccountabilityInput>();
        for (var n = 0; n < Math.Min(lines?.Count ?? 0, 200); n++)
        {
            var line = lines![n];
            var unit = Blank(line.Unit);
            var what = Blank(line.What);
            if (unit is null) errors.Add($"accountability[{n}].unit", "请填写责任单位");
            else if (unit.Length > 100) errors.Add($"accountability[{n}].unit", "责任单位不能超过 100 个字符");
            if (Blank(line.Official) is { Length: > 50 }) errors.Add($"accountability[{n}].official", "责任人员不能超过 50 个字符");
            if (Blank(line.Post) is { Length: > 100 }) errors.Add($"accountability[{n}].post", "职务不能超过 100 个字符");
            if (what is null) errors.Add($"accountability[{n}].what", "请填写存在的问题和处理建议");
            else if (what.Length > 2000) errors.Add($"accountability[{n}].what", "处理建议不能超过 2000 个字符");
            if (unit is not null && what is not null)
                result.Add(new AccountabilityInput(unit, Blank(line.Official), Blank(line.Post), what, line.Referred ?? false));
        }
        return result;
    }
}
