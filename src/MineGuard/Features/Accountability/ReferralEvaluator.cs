using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Cases;
using MineGuard.Features.Clues;
using MineGuard.Features.KeyPersons;
using MineGuard.Features.Monitoring;
using MineGuard.Features.Patrols;
using MineGuard.Features.SpotChecks;
using MineGuard.Features.Sweeps;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Notifications;
using MineGuard.Platform.People;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Accountability;

/// <summary>A calendar month in China time: the period a referral is evaluated over ("2026-06").</summary>
public sealed record ReferralMonth(string Key, DateOnly From, DateOnly To, DateTime FromUtc, DateTime ToUtc)
{
    public static ReferralMonth Of(DateOnly day)
    {
        var from = new DateOnly(day.Year, day.Month, 1);
        var next = from.AddMonths(1);
        return new ReferralMonth(from.ToString("yyyy-MM", CultureInfo.InvariantCulture), from, next.AddDays(-1),
            ChinaTime.ToUtc(from.ToDateTime(TimeOnly.MinValue)), ChinaTime.ToUtc(next.ToDateTime(TimeOnly.MinValue)));
    }

    public const string Problem = "期间应为年月，例如 2026-06";

    public static bool TryParse(string? text, out ReferralMonth month)
    {
        month = null!;
        if (!DateOnly.TryParseExact((text ?? "").Trim() + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            || day.Year < 2000 || day.Year > 2999) return false;
        month = Of(day);
        return true;
    }
}

/// <summary>A record a rule counted: its type (clue, alert, inspection, spot-check-item, check-in, case), id, a label and when.</summary>
public sealed record ReferralFact(string Type, Guid Id, string Label, DateTime AtUtc);

/// <summary>An official a referral names: the post the rule names and the person the responsibility records name there (or nobody).</summary>
public sealed record ReferralOfficial(string Post, string DivisionCode, Guid? PersonId, string? Name, string? Phone);

/// <summary>
/// Evaluates the accountability rules (问责规则) for a month over a scope and adds a <see cref="Referral"/> for each rule
/// that fires at a place and has none yet for that period (the caller saves). Reads are a system judgement
/// (<see cref="ScopeExit.SystemJudgement"/>) bounded by the scope: a county office's evaluation sees the city's spot-check
/// results about its own townships, and nothing of another county.
/// </summary>
public sealed class ReferralEvaluator(AppDbContext db, Responsibility responsibility)
{
    private const ScopeExit Why = ScopeExit.SystemJudgement;
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private sealed record Post(string Name, string DivisionCode, bool Leader);

    private sealed record Finding(string Rule, string Division, string Summary, List<ReferralFact> Facts, List<Post> Posts);

    public async Task<List<Referral>> EvaluateAsync(JurisdictionScope scope, ReferralMonth month, CancellationToken ct)
    {
        var settings = await db.Beyond<AccountabilitySetting>(ScopeExit.InheritedSettings).AsNoTracking().ToDictionaryAsync(s => s.DivisionCode, StringComparer.Ordinal, ct);
        AccountabilitySetting SettingOf(string code) => AccountabilitySetting.InForce(code, settings);

        var findings = new List<Finding>();
        findings.AddRange(await NotStoppedAsync(scope, month, SettingOf, ct));
        findings.AddRange(await MissedBySweepAsync(scope, month, ct));
        findings.AddRange(await FalseClosuresAsync(scope, month, ct));
        findings.AddRange(await FakedCheckInsAsync(scope, month, ct));
        findings.AddRange(await VillageTheftAsync(scope, month, ct));
        findings = findings.Where(f => scope.Contains(f.Division) && SettingOf(f.Division).Applies(f.Rule)).ToList();
        if (findings.Count == 0) return [];

        var stored = (await db.Beyond<Referral>(ScopeExit.Uniqueness).Where(r => r.Period == month.Key).Select(r => new { r.RuleCode, r.DivisionCode }).ToListAsync(ct))
            .Select(r => (r.RuleCode, r.DivisionCode)).ToHashSet();
        findings = findings.Where(f => !stored.Contains((f.Rule, f.Division))).ToList();
        if (findings.Count == 0) return [];

        var named = await responsibility.NamedByDivisionAsync(findings.SelectMany(f => f.Posts.Select(p => p.DivisionCode)).Distinct().ToList(), ct);
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var created = new List<Referral>();
        foreach (var f in findings)
        {
            var officials = f.Posts.Select(p =>
            {
                var who = named.TryGetValue(p.DivisionCode, out var n) ? (p.Leader ? n.Leader : n.Responsible) : null;
                return new ReferralOfficial(p.Name, p.DivisionCode, who?.PersonId, who?.Name, who?.Phone);
            }).ToList();
            var referral = Referral.Create(f.Rule, f.Division, month.Key, month.From, month.To, f.Summary,
                JsonSerializer.Serialize(f.Facts.OrderBy(x => x.AtUtc).ThenBy(x => x.Id), Json), JsonSerializer.Serialize(officials, Json), now);
            db.Add(referral);
            created.Add(referral);
        }
        await TellCommissionsAsync(created, ct);
        return created;
    }

    /// <summary>The county's discipline commission is told in the app (no SMS: a referral is not for a phone's lock screen).</summary>
    private async Task TellCommissionsAsync(List<Referral> created, CancellationToken ct)
    {
        foreach (var county in created.GroupBy(r => r.DivisionCode[..Math.Min(6, r.DivisionCode.Length)]))
        {
            if (county.Key.Length < 6) continue;
            var users = await responsibility.UsersOfRoleAsync(county.Key, Roles.Department, Department.Discipline, ct);
            foreach (var r in county)
                foreach (var user in users)
                    db.Tell(user, r.DivisionCode, "新的问责线索", $"{ReferralRules.Names[r.RuleCode]}（{r.Period}）", $"/referrals/{r.Id}", "referral", r.Id, sms: false);
        }
    }

    private static string Township(string code) => code[..Math.Min(9, code.Length)];

    private static string County(string code) => code[..Math.Min(6, code.Length)];

    private static List<Post> TownshipPosts(string township) => [new("乡镇主要负责人", township, false), new("乡镇分管领导", township, true)];

    /// <summary>
    /// 吉林通知: illegal mining found (a clue verified 属实/部分属实 at an adit; a case is filed from such clues) and a further
    /// confirmed signal at the same adit (a clue verified true, or an alert closed as confirmed) received in the month at
    /// least N days after it → the township; a county with the threshold's number of such adits in the month → the county.
    /// </summary>
    private async Task<List<Finding>> NotStoppedAsync(JurisdictionScope scope, ReferralMonth month, Func<string, AccountabilitySetting> settingOf,
        CancellationToken ct)
    {
        ClueFinding[] confirmed = [ClueFinding.True, ClueFinding.PartlyTrue];
        var clueSignals = await db.Beyond<Clue>(Why).AsNoTracking().Within(scope, c => c.DivisionCode)
            .Where(c => c.AditId != null && c.Finding != null && confirmed.Contains(c.Finding.Value) && c.ReceivedUtc >= month.FromUtc && c.ReceivedUtc < month.ToUtc)
            .Select(c => new { c.Id, AditId = c.AditId!.Value, c.DivisionCode, At = c.ReceivedUtc, c.Summary }).ToListAsync(ct);
        var alertSignals = await db.Beyond<Alert>(Why).AsNoTracking().Within(scope, a => a.DivisionCode)
            .Where(a => a.AditId != null && a.Outcome == AlertOutcome.Confirmed && a.OpenedUtc >= month.FromUtc && a.OpenedUtc < month.ToUtc)
            .Select(a => new { a.Id, AditId = a.AditId!.Value, a.DivisionCode, At = a.OpenedUtc, a.Title }).ToListAsync(ct);
        var signals = clueSignals.Select(c => (Type: "clue", c.Id, c.AditId, c.DivisionCode, c.At, Label: "再次发现（线索属实）：" + c.Summary))
            .Concat(alertSignals.Select(a => (Type: "alert", a.Id, a.AditId, a.DivisionCode, a.At, Label: "再次发现（预警确认）：" + a.Title))).ToList();
        if (signals.Count == 0) return [];
        var adits = signals.Select(s => s.AditId).Distinct().ToList();
        var anchors = await db.Beyond<Clue>(Why).AsNoTracking()
            .Where(c => c.AditId != null && adits.Contains(c.AditId.Value) && c.Finding != null && confirmed.Contains(c.Finding.Value) && c.VerifiedUtc != null
                        && c.VerifiedUtc < month.ToUtc)
            .Select(c => new { c.Id, AditId = c.AditId!.Value, c.DivisionCode, At = c.VerifiedUtc!.Value, c.Summary }).ToListAsync(ct);

        // Per adit: the earliest anchor that a signal follows by at least N days, and those signals.
        var places = new List<(Guid AditId, string Division, List<ReferralFact> Facts)>();
        foreach (var adit in signals.GroupBy(s => s.AditId))
        {
            var days = settingOf(adit.First().DivisionCode).NotStoppedDays;
            foreach (var anchor in anchors.Where(a => a.AditId == adit.Key).OrderBy(a => a.At))
            {
                var later = adit.Where(s => s.Id != anchor.Id && s.At >= anchor.At.AddDays(days)).ToList();
                if (later.Count == 0) continue;
                var facts = new List<ReferralFact> { new("clue", anchor.Id, "发现非法采矿（线索属实）：" + anchor.Summary, anchor.At) };
                facts.AddRange(later.Select(s => new ReferralFact(s.Type, s.Id, s.Label, s.At)));
                places.Add((adit.Key, anchor.DivisionCode, facts));
                break;
            }
        }
        var findings = new List<Finding>();
        foreach (var township in places.Where(p => p.Division.Length >= 9).GroupBy(p => Township(p.Division)))
            findings.Add(new Finding(ReferralRules.TownshipNotStopped, township.Key,
                $"本乡镇{township.Count()}处非法采矿点位发现后未有效制止（发现后满规定天数仍再次发现）", township.SelectMany(p => p.Facts).ToList(), TownshipPosts(township.Key)));
        foreach (var county in places.Where(p => p.Division.Length >= 6).GroupBy(p => County(p.Division)))
        {
            if (county.Count() < settingOf(county.Key).CountyThreshold) continue;
            findings.Add(new Finding(ReferralRules.CountyRepeated, county.Key, $"本县一个月内{county.Count()}处非法采矿未有效制止",
                county.SelectMany(p => p.Facts).ToList(), [new("县级主要负责人", county.Key, false), new("县级分管领导", county.Key, true)]));
        }
        return findings;
    }

    /// <summary>
    /// 晋城方案 应发现而未发现: a clue given by a higher level (source 上级交办) verified true in the month at an adit that a
    /// sweep's inspection had signed with no problem before the clue was received → the inspection's township.
    /// </summary>
    private async Task<List<Finding>> MissedBySweepAsync(JurisdictionScope scope, ReferralMonth month, CancellationToken ct)
    {
        ClueFinding[] confirmed = [ClueFinding.True, ClueFinding.PartlyTrue];
        var superior = await (from c in db.Beyond<Clue>(Why).AsNoTracking().Within(scope, c => c.DivisionCode)
                              where c.AditId != null && c.Finding != null && confirmed.Contains(c.Finding.Value) && c.VerifiedUtc >= month.FromUtc && c.VerifiedUtc < month.ToUtc
                                    && db.Beyond<ClueSource>(Why).Any(s => s.ClueId == c.Id && s.Type == "superior")
                              select new { c.Id, AditId = c.AditId!.Value, c.ReceivedUtc, At = c.VerifiedUtc!.Value, c.Summary }).ToListAsync(ct);
        if (superior.Count == 0) return [];
        var adits = superior.Select(c => c.AditId).Distinct().ToList();
        var clean = await (from i in db.Beyond<Inspection>(Why).AsNoTracking().Within(scope, i => i.DivisionCode)
                           where i.SweepId != null && i.AditId != null && adits.Contains(i.AditId.Value)
                                 && !db.Beyond<Problem>(Why).Any(p => p.InspectionId == i.Id)
                           select new { i.Id, AditId = i.AditId!.Value, i.DivisionCode, i.AtUtc, i.SignerName, i.PlaceName }).ToListAsync(ct);
        var places = new List<(string Division, List<ReferralFact> Facts)>();
        foreach (var clue in superior)
        {
            var signed = clean.Where(i => i.AditId == clue.AditId && i.AtUtc < clue.ReceivedUtc).OrderByDescending(i => i.AtUtc).FirstOrDefault();
            if (signed is null || signed.DivisionCode.Length < 9) continue;
            places.Add((signed.DivisionCode, [
                new ReferralFact("inspection", signed.Id, $"排查签字无问题：{signed.PlaceName}（签字人 {signed.SignerName}）", signed.AtUtc),
                new ReferralFact("clue", clue.Id, "上级交办线索核查属实：" + clue.Summary, clue.At),
            ]));
        }
        return places.GroupBy(p => Township(p.Division)).Select(t => new Finding(ReferralRules.MissedBySweep, t.Key,
            $"本乡镇排查签字无问题的{t.Count()}处点位被上级发现问题", t.SelectMany(p => p.Facts).ToList(), TownshipPosts(t.Key))).ToList();
    }

    /// <summary>晋城方案 虚假销号: spot-check items (rectification or adit) found not done in the month → the item's township.</summary>
    private async Task<List<Finding>> FalseClosuresAsync(JurisdictionScope scope, ReferralMonth month, CancellationToken ct)
    {
        string[] kinds = [SpotCheckKinds.Rectification, SpotCheckKinds.Adit];
        var items = await db.Beyond<SpotCheckItem>(Why).AsNoTracking().Within(scope, i => i.ItemDivisionCode)
            .Where(i => i.Result == SpotCheckResult.NotConfirmed && kinds.Contains(i.ItemKind) && i.CheckedUtc >= month.FromUtc && i.CheckedUtc < month.ToUtc)
            .Select(i => new { i.Id, i.ItemDivisionCode, i.Label, i.SignerName, i.Note, At = i.CheckedUtc!.Value }).ToListAsync(ct);
        return items.Where(i => i.ItemDivisionCode.Length >= 9).GroupBy(i => Township(i.ItemDivisionCode)).Select(t => new Finding(ReferralRules.FalseClosure, t.Key,
            $"抽查发现本乡镇{t.Count()}项虚假销号",
            t.Select(i => new ReferralFact("spot-check-item", i.Id, $"{i.Label}（签字人 {i.SignerName ?? "未记录"}）：{i.Note}", i.At)).ToList(),
            TownshipPosts(t.Key))).ToList();
    }

    /// <summary>晋城方案 弄虚作假: check-ins the review (or a spot check) found faked in the month → the check-in's township.</summary>
    private async Task<List<Finding>> FakedCheckInsAsync(JurisdictionScope scope, ReferralMonth month, CancellationToken ct)
    {
        var faked = await db.Beyond<CheckIn>(Why).AsNoTracking().Within(scope, c => c.DivisionCode)
            .Where(c => c.FakedUtc >= month.FromUtc && c.FakedUtc < month.ToUtc)
            .Select(c => new { c.Id, c.DivisionCode, c.AtUtc, c.FakedNote, At = c.FakedUtc!.Value }).ToListAsync(ct);
        return faked.Where(c => c.DivisionCode.Length >= 9).GroupBy(c => Township(c.DivisionCode)).Select(t => new Finding(ReferralRules.FakedCheckIns, t.Key,
            $"本乡镇{t.Count()}次巡查签到经审核认定伪造",
            t.Select(c => new ReferralFact("check-in", c.Id, $"{ChinaTime.Format(c.AtUtc)} 的签到认定伪造：{c.FakedNote}", c.At)).ToList(),
            TownshipPosts(t.Key))).ToList();
    }

    /// <summary>
    /// 洪江方案: a theft case filed in the month whose party lives in a village (the key-person ledger's 户籍地 when the
    /// party is linked, else the case's own place) → that village, naming the township's 主要领导 (its 责任人) and 包片领导
    /// (its 分管领导), the village's 支部书记 (its 责任人) and 包村干部 (its 分管领导).
    /// </summary>
    private async Task<List<Finding>> VillageTheftAsync(JurisdictionScope scope, ReferralMonth month, CancellationToken ct)
    {
        var cases = (await db.Beyond<Case>(Why).AsNoTracking().Within(scope, c => c.DivisionCode)
                .Where(c => c.FiledUtc >= month.FromUtc && c.FiledUtc < month.ToUtc)
                .Select(c => new { c.Id, c.Number, c.Title, c.Type, c.DivisionCode, c.FiledUtc }).ToListAsync(ct))
            .Where(c => CaseTypes.IsTheft(c.Type)).ToList();
        if (cases.Count == 0) return [];
        var ids = cases.Select(c => c.Id).ToList();
        var parties = await db.Beyond<CaseParty>(Why).AsNoTracking().Where(p => ids.Contains(p.CaseId) && p.Kind == "person")
            .Select(p => new { p.CaseId, p.Name, p.KeyPersonId }).ToListAsync(ct);
        var keyIds = parties.Select(p => p.KeyPersonId).OfType<Guid>().Distinct().ToList();
        var homes = await db.Beyond<KeyPerson>(Why).AsNoTracking().Where(k => keyIds.Contains(k.Id)).ToDictionaryAsync(k => k.Id, k => k.DivisionCode, ct);
        var places = new List<(string Village, ReferralFact Fact)>();
        foreach (var c in cases)
            foreach (var p in parties.Where(p => p.CaseId == c.Id))
            {
                var home = p.KeyPersonId is { } k && homes.TryGetValue(k, out var h) ? h : c.DivisionCode;
                if (Village(home) is not { } village) continue;
                places.Add((village, new ReferralFact("case", c.Id, $"{c.Number} {c.Title}：当事人 {p.Name}（{home}）", c.FiledUtc)));
            }
        return places.GroupBy(p => p.Village).Select(v => new Finding(ReferralRules.VillageTheft, v.Key,
            $"本村人员涉及{v.Select(p => p.Fact.Id).Distinct().Count()}起盗采案件",
            v.Select(p => p.Fact).DistinctBy(f => f.Id).ToList(),
            [new("乡镇主要领导", Township(v.Key), false), new("包片领导", Township(v.Key), true), new("村支部书记", v.Key, false), new("包村干部", v.Key, true)])).ToList();
    }

    /// <summary>The village of a division code (a grid's village), or null above a village.</summary>
    private static string? Village(string code)
    {
        var g = code.IndexOf('G', StringComparison.Ordinal);
        if (g > 0) code = code[..g];
        return code.Length >= 12 ? code[..12] : null;
    }
}
