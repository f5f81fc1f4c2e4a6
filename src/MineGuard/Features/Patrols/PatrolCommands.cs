using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Risk;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Patrols;

public sealed record MemberInput(string? User, double? HomeLat, double? HomeLon);

public sealed record TeamInput(string? Name, string? Kind, string? DivisionCode, string[]? Areas, MemberInput[]? Members);

public sealed record PlanInput(Guid? TeamId, string? From, string? To, string? CrossArea, string? Note);

public sealed record PlanItemInput(Guid? AditId);

/// <summary>The reviewer's note on a check-in: why it is genuine (clearing its flags) or why it is faked.</summary>
public sealed record ReviewInput(string? Note);

/// <summary>The office's side of patrols: teams, plans, reviewing flagged check-ins. Shared by the API and the pages.</summary>
public sealed class PatrolCommands(AppDbContext db, PatrolEvaluator evaluator, IAditRiskRanking risk)
{
    private DateTime Now => db.Clock.GetUtcNow().UtcDateTime;

    public static readonly IReadOnlyDictionary<string, PatrolTeamKind> Kinds = new Dictionary<string, PatrolTeamKind>
    {
        ["市联合巡查队"] = PatrolTeamKind.CityJoint, ["乡镇日常巡查队"] = PatrolTeamKind.Township, ["林场巡查队"] = PatrolTeamKind.ForestFarm,
        [nameof(PatrolTeamKind.CityJoint)] = PatrolTeamKind.CityJoint, [nameof(PatrolTeamKind.Township)] = PatrolTeamKind.Township,
        [nameof(PatrolTeamKind.ForestFarm)] = PatrolTeamKind.ForestFarm,
    };

    public async Task<(PatrolTeam? Team, FieldErrors Errors)> SaveTeamAsync(PatrolTeam? team, TeamInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var scope = db.CurrentUser.Scope;
        var name = input.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 100) errors.Add(nameof(input.Name), "请填写巡查队名称（100 字以内）");
        PatrolTeamKind kind = default;
        if (input.Kind is null || !Kinds.TryGetValue(input.Kind.Trim(), out kind)) errors.Add(nameof(input.Kind), "类型只能是：市联合巡查队、乡镇日常巡查队、林场巡查队");
        var owner = string.IsNullOrWhiteSpace(input.DivisionCode) ? team?.DivisionCode ?? scope.Code : input.DivisionCode.Trim();
        if (!scope.Contains(owner) || !await db.Divisions.AnyAsync(d => d.Code == owner, ct))
            errors.Add(nameof(input.DivisionCode), "所属单位不在本辖区内");

        // Areas by code or by name, inside the owner's division.
        var areaCodes = new List<string>();
        foreach (var area in input.Areas ?? [])
        {
            var text = area.Trim();
            var found = await db.Divisions.AsNoTracking().Within(JurisdictionScope.Of(owner))
                .Where(d => d.Code == text || d.Name == text).OrderBy(d => d.Code.Length).Select(d => d.Code).FirstOrDefaultAsync(ct);
            if (found is null) errors.Add(nameof(input.Areas), $"巡查区域“{text}”不在所属单位辖区内");
            else areaCodes.Add(found);
        }

        if (areaCodes.Count == 0 && !errors.ContainsKey(nameof(input.Areas))) errors.Add(nameof(input.Areas), "请至少选择一个巡查区域（乡镇、村或网格）");

        var members = new List<(Guid Id, double? Lat, double? Lon)>();
        foreach (var m in input.Members ?? [])
        {
            var key = m.User?.Trim() ?? "";
            var user = await db.Users.AsNoTracking().Where(u => u.UserName == key || u.DisplayName == key)
                .Select(u => new { u.Id, u.DivisionCode }).FirstOrDefaultAsync(ct);
            if (user is null || !scope.Contains(user.DivisionCode) && !JurisdictionScope.Of(user.DivisionCode).Contains(owner))
                errors.Add(nameof(input.Members), $"找不到本辖区的用户“{key}”");
            else if (m.HomeLat is < -90 or > 90 || m.HomeLon is < -180 or > 180 || (m.HomeLat is null) != (m.HomeLon is null))
                errors.Add(nameof(input.Members), $"“{key}”的住所坐标不正确");
            else members.Add((user.Id, m.HomeLat, m.HomeLon));
        }

        if (!errors.Ok) return (null, errors);
        if (team is null)
        {
            team = PatrolTeam.Create(owner, name!, kind, Now);
            db.PatrolTeams().Add(team);
        }
        else team.Rename(name!, kind);

        team.SetAreas(areaCodes);
        foreach (var gone in team.Members.Where(m => members.All(n => n.Id != m.UserId)).Select(m => m.UserId).ToList()) team.RemoveMember(gone);
        foreach (var m in members) team.AddMember(m.Id, m.Lat, m.Lon);
        await db.SaveChangesAsync(ct);
        return (team, errors);
    }

    /// <summary>
    /// A plan for a period: every active adit of the area, the riskiest first (broken seal, unsealed, weak or unaccepted
    /// seal, repeatedly broken), then those unchecked longest. A cross plan (county or city only) covers another area.
    /// </summary>
    public async Task<(PatrolPlan? Plan, FieldErrors Errors)> GeneratePlanAsync(PlanInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var team = input.TeamId is { } teamId ? await db.PatrolTeams().Include(t => t.Areas).FirstOrDefaultAsync(t => t.Id == teamId, ct) : null;
        if (team is null) errors.Add(nameof(input.TeamId), "找不到该巡查队");
        if (CalendarDate.Problem(input.From, out var from) is { } p1) errors.Add(nameof(input.From), p1);
        if (CalendarDate.Problem(input.To, out var to) is { } p2) errors.Add(nameof(input.To), p2);
        if (errors.Ok && to < from) errors.Add(nameof(input.To), "结束日期早于开始日期");
        if (errors.Ok && to.DayNumber - from.DayNumber > 92) errors.Add(nameof(input.To), "计划周期最长三个月");
        string[] areas = [];
        var cross = !string.IsNullOrWhiteSpace(input.CrossArea);
        if (errors.Ok && cross)
        {
            var text = input.CrossArea!.Trim();
            var code = await db.Divisions.AsNoTracking().Within(db.CurrentUser.Scope).Where(d => d.Code == text || d.Name == text)
                .OrderBy(d => d.Code.Length).Select(d => d.Code).FirstOrDefaultAsync(ct);
            if (code is null) errors.Add(nameof(input.CrossArea), $"交叉巡查区域“{text}”不在本辖区内");
            else if (team!.Covers(code) || team.Areas.Any(a => a.AreaCode.StartsWith(code, StringComparison.Ordinal)))
                errors.Add(nameof(input.CrossArea), "交叉巡查区域不能与该队自己的巡查区域重叠");
            else areas = [code];
            Rule.Check(db.CurrentUser.Scope.Code.Length <= 6, "CrossPatrolNeedsCountyOrCity", "交叉巡查须由县级或市级安排");
        }
        else if (errors.Ok) areas = team!.Areas.Select(a => a.AreaCode).ToArray();

        if (!errors.Ok) return (null, errors);
        var plan = PatrolPlan.Create(team!.Id, cross ? db.CurrentUser.Scope.Code : team.DivisionCode, from, to, cross,
            string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim(), db.CurrentUser.Id, Now);
        foreach (var (aditId, reason) in await PriorityAsync(areas, ct)) plan.Add(aditId, reason);
        db.PatrolPlans().Add(plan);
        await db.SaveChangesAsync(ct);
        return (plan, errors);
    }

    /// <summary>
    /// The plan's order: the risk score (风险评分, <see cref="IAditRiskRanking"/>), riskiest first, then those unchecked longest;
    /// the reason names the score and its largest contributions.
    /// </summary>
    private async Task<List<(Guid AditId, string Reason)>> PriorityAsync(string[] areas, CancellationToken ct)
    {
        if (areas.Length == 0) return [];
        var ids = await db.Adits().AsNoTracking().Where(a => a.Status == AditStatus.Active).Where(FieldApi.AreaPredicate(areas))
            .Select(a => a.Id).ToListAsync(ct);
        var ranks = await risk.RankAsync(ids, ct);
        // An adit the ranking did not score still belongs to the plan (last, as never checked), never silently left out.
        var unscored = new AditRiskRank(0, "暂无风险评分", null);
        return ids.Select(id => (Id: id, Rank: ranks.GetValueOrDefault(id, unscored)))
            .OrderByDescending(x => x.Rank.Score).ThenBy(x => x.Rank.LastProvenOn ?? DateOnly.MinValue).ThenBy(x => x.Id)
            .Select(x => (x.Id, x.Rank.Reason)).ToList();
    }

    /// <summary>
    /// A patrol recorded by another device: the track becomes the patrol's track and each waypoint named by an adit
    /// number a check-in, all checked like the app's. The ids come from the file's content, so an upload sent twice is
    /// one patrol.
    /// </summary>
    public async Task<(Patrol? Patrol, FieldErrors Errors)> ImportTrackAsync(PatrolTeam team, string? member, byte[] bytes, string fileName, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var key = member?.Trim() ?? "";
        var memberIds = team.Members.Select(m => m.UserId).ToList();
        var userId = await db.Users.AsNoTracking().Where(u => memberIds.Contains(u.Id) && (u.UserName == key || u.DisplayName == key))
            .Select(u => (Guid?)u.Id).FirstOrDefaultAsync(ct);
        if (userId is null) errors.Add("Member", "请选择该巡查队的队员");
        var (file, problem) = TrackFiles.Read(bytes, fileName);
        if (problem is not null) errors.Add("File", problem);
        if (!errors.Ok) return (null, errors);

        var points = file!.Points.OrderBy(p => p.Utc).ToList();
        var numbers = file.Waypoints.Select(w => w.Name).Distinct().ToList();
        var adits = await db.Adits().AsNoTracking().Where(a => numbers.Contains(a.Number)).ToDictionaryAsync(a => a.Number, ct);
        foreach (var unknown in numbers.Where(n => !adits.ContainsKey(n))) errors.Add("File", $"航点“{unknown}”不是本辖区的矿硐编号");
        if (!errors.Ok) return (null, errors);

        var fingerprint = SyncHash.Of($"import|{team.Id}|{userId}|", bytes);
        var patrolId = FromHash(fingerprint, "patrol");
        if (await db.Patrols().Beyond(ScopeExit.Uniqueness).FirstOrDefaultAsync(p => p.Id == patrolId, ct) is { } again) return (again, errors);

        var patrol = Patrol.Start(patrolId, team, userId!.Value, null, points[0].Utc, PatrolSource.Import, Now, 0, fingerprint);
        patrol.End(points[^1].Utc);
        db.Patrols().Add(patrol);
        db.TrackChunks().Add(TrackChunk.Create(FromHash(fingerprint, "track"), patrolId, userId.Value, team.DivisionCode, 0, points, Now));
        foreach (var w in file.Waypoints)
        {
            var adit = adits[w.Name];
            db.CheckIns().Add(CheckIn.Create(FromHash(fingerprint, $"{w.Name}|{w.Utc:O}"), patrolId, adit.Id, userId.Value, adit.DivisionCode,
                w.Utc, w.Lat, w.Lon, w.Accuracy ?? TrackFiles.UnknownAccuracy, new CheckList(null, null, null, null, null, null, null, null),
                false, $"由 {Path.GetFileName(fileName)} 导入", Now, 0, fingerprint));
        }

        await db.SaveChangesAsync(ct);
        await evaluator.EvaluateAsync([patrolId], ct);
        return (patrol, errors);
    }

    private static Guid FromHash(string fingerprint, string part) =>
        new(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(fingerprint + "|" + part)).AsSpan(0, 16));

    public async Task<FieldErrors> AddPlanItemAsync(PatrolPlan plan, Guid? aditId, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (aditId is null || !await db.Adits().AnyAsync(a => a.Id == aditId && a.Status == AditStatus.Active, ct))
            errors.Add("AditId", "找不到该矿硐");
        if (!errors.Ok) return errors;
        plan.Add(aditId!.Value, "办公室调整加入");
        await db.SaveChangesAsync(ct);
        return errors;
    }

    public async Task RemovePlanItemAsync(PatrolPlan plan, Guid aditId, CancellationToken ct)
    {
        plan.Remove(aditId);
        await db.SaveChangesAsync(ct);
    }

    public Task<FieldErrors> ClearFlagsAsync(CheckIn checkIn, ReviewInput input, CancellationToken ct) =>
        ReviewAsync(input, "请填写核查说明（500 字以内）", note => checkIn.ClearFlags(note, db.CurrentUser.Id, Now), ct);

    /// <summary>认定伪造: the check-in stops counting and counts against its member and team (see <see cref="PatrolCompliance"/>).</summary>
    public Task<FieldErrors> MarkFakedAsync(CheckIn checkIn, ReviewInput input, CancellationToken ct) =>
        ReviewAsync(input, "请填写认定伪造的理由（500 字以内）", note => checkIn.MarkFaked(note, db.CurrentUser.Id, Now), ct);

    private async Task<FieldErrors> ReviewAsync(ReviewInput input, string missing, Action<string> decide, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (string.IsNullOrWhiteSpace(input.Note) || input.Note.Length > 500) errors.Add(nameof(input.Note), missing);
        if (!errors.Ok) return errors;
        decide(input.Note!.Trim());
        await db.SaveChangesAsync(ct);
        return errors;
    }

    public async Task<PatrolRuleSet> SaveRulesAsync(string divisionCode, PatrolRuleSet values, CancellationToken ct)
    {
        var row = await db.PatrolRuleSets().FirstOrDefaultAsync(r => r.DivisionCode == divisionCode, ct);
        if (row is null)
        {
            row = new PatrolRuleSet { DivisionCode = divisionCode };
            db.PatrolRuleSets().Add(row);
        }

        foreach (var property in typeof(PatrolRuleSet).GetProperties().Where(p => p.Name is not (nameof(PatrolRuleSet.Id) or nameof(PatrolRuleSet.DivisionCode))))
        {
            property.SetValue(row, property.GetValue(values));
        }

        await db.SaveChangesAsync(ct);
        return row;
    }

    public static FieldErrors Check(PatrolRuleSet r)
    {
        var errors = new FieldErrors();
        void Range(string name, double value, double min, double max, string text)
        {
            if (value < min || value > max) errors.Add(name, $"{text}应在 {min} 到 {max} 之间");
        }

        Range(nameof(r.PatrolsPerWeek), r.PatrolsPerWeek, 0, 21, "每周巡查次数");
        Range(nameof(r.ChecksPerAditPerMonth), r.ChecksPerAditPerMonth, 0, 31, "每月每个矿硐核验次数");
        Range(nameof(r.CrossPatrolsPerMonth), r.CrossPatrolsPerMonth, 0, 31, "每月交叉巡查次数");
        Range(nameof(r.CityTeamPatrolDaysPerMonth), r.CityTeamPatrolDaysPerMonth, 0, 31, "市联合巡查队每月巡查天数");
        Range(nameof(r.MaxDistanceMetres), r.MaxDistanceMetres, 5, 1000, "签到距离（米）");
        Range(nameof(r.MaxAccuracyMetres), r.MaxAccuracyMetres, 1, 500, "定位精度（米）");
        Range(nameof(r.MaxSpeedKmh), r.MaxSpeedKmh, 5, 300, "最高速度（公里/小时）");
        Range(nameof(r.MaxTrackGapMinutes), r.MaxTrackGapMinutes, 1, 240, "轨迹最长中断（分钟）");
        Range(nameof(r.ClockToleranceMinutes), r.ClockToleranceMinutes, 1, 120, "时间误差（分钟）");
        Range(nameof(r.PhotoToleranceMinutes), r.PhotoToleranceMinutes, 1, 240, "照片时间误差（分钟）");
        Range(nameof(r.PhotoMaxDistanceMetres), r.PhotoMaxDistanceMetres, 5, 5000, "照片位置误差（米）");
        Range(nameof(r.CheckInHopKmh), r.CheckInHopKmh, 5, 300, "签到间移动速度（公里/小时）");
        Range(nameof(r.NightStartHour), r.NightStartHour, 0, 23, "夜间开始（时）");
        Range(nameof(r.NightEndHour), r.NightEndHour, 0, 23, "夜间结束（时）");
        Range(nameof(r.HomeRadiusMetres), r.HomeRadiusMetres, 0, 5000, "住所范围（米）");
        return errors;
    }
}
