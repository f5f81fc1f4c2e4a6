using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Features.Assignments;
using MineGuard.Features.Mines;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Time;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Campaigns;

public sealed record PublicityInput(Guid? ClientId, string? DivisionCode, string? Kind, string? Date, [property: MaxLength(200)] string? Place,
    [property: MaxLength(500)] string? Topic, int? PeopleReached, IReadOnlyList<string>? Villages, IReadOnlyList<string>? Departments, Guid? CampaignId);

public sealed record ReachedVillageView(string Code, string Name);

public sealed record MaterialView(Guid Id, string FileName, string ContentType, string Url);

public sealed record PublicityView(Guid Id, string DivisionCode, string DivisionName, string Kind, string KindName, DateOnly Date, string Place, string? Topic,
    int PeopleReached, IReadOnlyList<string> Departments, Guid? CampaignId, IReadOnlyList<ReachedVillageView> Villages, IReadOnlyList<MaterialView> Materials);

public sealed record VillageCoverageView(string Code, string Name, bool Reached, DateOnly? LastReachedOn, int Activities);

public sealed record TownshipCoverageView(string Code, string Name, int Adits, int Mines, int Villages, int Reached, IReadOnlyList<VillageCoverageView> VillageList);

/// <summary>The villages of a county's mining townships and whether publicity has reached each (洪江市方案: 矿区乡镇群众全覆盖).</summary>
public sealed record PublicityCoverageView(string CountyCode, string CountyName, int Villages, int Reached, IReadOnlyList<TownshipCoverageView> Townships);

/// <summary>
/// 宣传: activities recorded by the office (kind, day not in the future, place, villages and people reached, departments,
/// an optional campaign), their materials (photos or PDF, evidence files) and the coverage of the villages of the mining
/// townships (a township with adits or licensed mines in the registry).
/// </summary>
public sealed class PublicityDesk(AppDbContext db, CampaignDesk campaigns)
{
    public const int MaxVillages = 500;
    public const int MaxPeople = 1_000_000;

    private DateTime Now => db.Clock.GetUtcNow().UtcDateTime;

    private DateOnly Today => DateOnly.FromDateTime(ChinaTime.ToLocal(Now));

    public bool MayWrite => campaigns.MayWrite;

    public IQueryable<PublicityActivity> Visible => db.Set<PublicityActivity>();

    public async Task<List<PublicityView>> ListAsync(CancellationToken ct) =>
        await ViewsAsync(await Visible.OrderByDescending(a => a.OnDate).ThenByDescending(a => a.CreatedUtc).Take(500).ToListAsync(ct), ct);

    public async Task<PublicityView?> DetailAsync(Guid id, CancellationToken ct) =>
        await Visible.FirstOrDefaultAsync(a => a.Id == id, ct) is { } a ? (await ViewsAsync([a], ct))[0] : null;

    public async Task<(PublicityActivity? Activity, bool Existing, FieldErrors Errors)> RecordAsync(PublicityInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (input.ClientId is { } clientId && await db.Set<PublicityActivity>().Beyond(ScopeExit.Uniqueness).Where(a => a.ClientId == clientId)
                .Select(a => (Guid?)a.Id).FirstOrDefaultAsync(ct) is { } sent)
        {
            if (await Visible.FirstOrDefaultAsync(a => a.Id == sent, ct) is { } mine) return (mine, true, errors);
            errors.Add(nameof(input.ClientId), "该请求编号已被使用");
            return (null, false, errors);
        }
        var division = CampaignDesk.Blank(input.DivisionCode) ?? db.CurrentUser.Scope.Code;
        var divisionOk = division.Length is 6 or 9 && db.CurrentUser.Scope.Contains(division) && await db.Divisions.AnyAsync(d => d.Code == division, ct);
        if (!divisionOk) errors.Add(nameof(input.DivisionCode), "请选择管辖范围内的县（市、区）或乡镇");
        var kind = PublicityKinds.Read(input.Kind);
        if (kind is null) errors.Add(nameof(input.Kind), $"请选择宣传形式（{string.Join("、", PublicityKinds.Names.Values)}）");
        var date = Today;
        if (CalendarDate.Problem("活动日期", input.Date, out date) is { } p) errors.Add(nameof(input.Date), p);
        else if (date > Today) errors.Add(nameof(input.Date), "活动日期不能晚于今天");
        var place = CampaignDesk.Blank(input.Place);
        if (place is null) errors.Add(nameof(input.Place), "请填写活动地点");
        var people = input.PeopleReached ?? 0;
        if (people is < 0 or > MaxPeople) errors.Add(nameof(input.PeopleReached), $"受众人数须在 0 至 {MaxPeople} 之间");
        var departments = (input.Departments ?? []).Select(d => d.Trim()).Where(d => d.Length > 0).Distinct().ToList();
        if (departments.FirstOrDefault(d => Department.NameOf(d) is null) is { } unknown) errors.Add(nameof(input.Departments), $"部门“{unknown}”不存在");
        var villages = (input.Villages ?? []).Select(v => Division.NormalizeCode(v ?? "")).Where(v => v.Length > 0).Distinct().ToList();
        if (villages.Count > MaxVillages) errors.Add(nameof(input.Villages), $"一次活动最多登记 {MaxVillages} 个村");
        else if (villages.Count > 0 && divisionOk)
        {
            await Villages.EnsureCountyAsync(db, division[..6], null, ct);
            var known = await db.Divisions.AsNoTracking().Where(d => villages.Contains(d.Code) && d.Level == DivisionLevel.Village).Select(d => d.Code)
                .ToListAsync(ct);
            if (villages.FirstOrDefault(v => !known.Contains(v) || !v.StartsWith(division, StringComparison.Ordinal) || !db.CurrentUser.Scope.Contains(v))
                is { } bad)
                errors.Add(nameof(input.Villages), $"“{bad}”不是本活动所在区划内的村（社区）");
        }
        if (input.CampaignId is { } campaignId && await campaigns.ReadableAsync(campaignId, ct) is null)
            errors.Add(nameof(input.CampaignId), "专项行动不存在或不在您的管辖范围内");
        if (!errors.Ok) return (null, false, errors);

        var a = PublicityActivity.Record(division, kind!, date, place!, CampaignDesk.Blank(input.Topic), people, departments, input.CampaignId, input.ClientId,
            db.CurrentUser.Id, Now);
        db.Add(a);
        db.AddRange(villages.Select(v => PublicityVillage.Of(a, v)));
        await db.SaveChangesAsync(ct);
        return (a, false, errors);
    }

    /// <summary>A photo or PDF of the activity (宣传材料), kept as an evidence file.</summary>
    public async Task<(EvidenceFile? File, FieldErrors Errors)> AddMaterialAsync(PublicityActivity a, IFormFile? file, CancellationToken ct) =>
        await AssignmentDesk.AddFileAsync(db, PublicityActivity.FileSubject, a.Id, a.DivisionCode, file, ct);

    public static MaterialView Material(EvidenceFile f) => JointOperationDesk.Material(f, "publicity");

    /// <summary>
    /// Per mining township of the county (adits or licensed mines registered there, as the caller sees them), its villages
    /// and the last day an activity reached each; a blank county is the caller's own.
    /// </summary>
    public async Task<(PublicityCoverageView? View, FieldErrors Errors)> CoverageAsync(string? county, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var scope = db.CurrentUser.Scope;
        var code = CampaignDesk.Blank(county) is { } given ? Division.NormalizeCode(given) : scope.Code.Length >= 6 ? scope.Code[..6] : null;
        if (code is null) errors.Add("county", "请选择县（市、区）");
        else if (Division.LevelOfCode(code) != DivisionLevel.County) errors.Add("county", "请选择县（市、区）");
        else if (!(scope.Contains(code) || (!scope.IsNone && scope.Code.StartsWith(code, StringComparison.Ordinal))) || !await db.Divisions.AnyAsync(d => d.Code == code, ct))
            errors.Add("county", "该县（市、区）不在您的管辖范围内");
        if (!errors.Ok) return (null, errors);

        await Villages.EnsureCountyAsync(db, code!, null, ct);
        var adits = await db.Adits().Where(a => a.TownshipCode.StartsWith(code!)).GroupBy(a => a.TownshipCode)
            .Select(g => new { Code = g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Code, x => x.Count, ct);
        var mines = (await db.Set<LicensedMine>().Where(m => m.DivisionCode.StartsWith(code!) && m.DivisionCode.Length >= 9)
                .Select(m => m.DivisionCode.Substring(0, 9)).ToListAsync(ct))
            .GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
        var townshipCodes = adits.Keys.Union(mines.Keys).Where(scope.Contains).ToList();
        var townships = await db.Divisions.AsNoTracking().Where(d => townshipCodes.Contains(d.Code) && d.Level == DivisionLevel.Township)
            .OrderBy(d => d.Code).ToListAsync(ct);
        var villages = (await db.Divisions.AsNoTracking().Where(d => d.ParentCode != null && townshipCodes.Contains(d.ParentCode) && d.Level == DivisionLevel.Village)
            .OrderBy(d => d.Code).ToListAsync(ct)).ToLookup(d => d.ParentCode!);
        // Coverage is the county's picture: every activity that reached a village in the caller's scope counts, whichever
        // department held it (the village rows carry the jurisdiction filter only).
        var reached = (await db.Set<PublicityVillage>().Where(v => v.DivisionCode.StartsWith(code!)).GroupBy(v => v.DivisionCode)
                .Select(g => new { Code = g.Key, Last = g.Max(v => v.OnDate), Count = g.Count() }).ToListAsync(ct))
            .ToDictionary(x => x.Code, x => (x.Last, x.Count));
        var rows = townships.Select(t =>
        {
            var list = villages[t.Code].Select(v => reached.TryGetValue(v.Code, out var r)
                ? new VillageCoverageView(v.Code, v.Name, true, r.Last, r.Count)
                : new VillageCoverageView(v.Code, v.Name, false, null, 0)).ToList();
            return new TownshipCoverageView(t.Code, t.Name, adits.GetValueOrDefault(t.Code), mines.GetValueOrDefault(t.Code), list.Count, list.Count(v => v.Reached), list);
        }).ToList();
        var name = (await db.DivisionNamesAsync([code!], ct)).GetValueOrDefault(code!, code!);
        return (new PublicityCoverageView(code!, name, rows.Sum(r => r.Villages), rows.Sum(r => r.Reached), rows), errors);
    }

    private async Task<List<PublicityView>> ViewsAsync(IReadOnlyList<PublicityActivity> rows, CancellationToken ct)
    {
        var ids = rows.Select(r => r.Id).ToList();
        var villages = (await db.Set<PublicityVillage>().Beyond(ScopeExit.ChildrenOfVisible).Where(v => ids.Contains(v.ActivityId)).OrderBy(v => v.DivisionCode)
            .ToListAsync(ct)).ToLookup(v => v.ActivityId);
        var files = await JointOperationDesk.EvidenceFilesOf(db, PublicityActivity.FileSubject, ids, "publicity", ct);
        var names = await db.DivisionNamesAsync(rows.Select(r => r.DivisionCode).Concat(villages.SelectMany(g => g).Select(v => v.DivisionCode)).Distinct(), ct);
        return rows.Select(a => new PublicityView(a.Id, a.DivisionCode, names.GetValueOrDefault(a.DivisionCode, a.DivisionCode), a.Kind,
            PublicityKinds.Names.GetValueOrDefault(a.Kind, a.Kind), a.OnDate, a.Place, a.Topic, a.PeopleReached, a.DepartmentCodes.ToList(), a.CampaignId,
            villages[a.Id].Select(v => new ReachedVillageView(v.DivisionCode, names.GetValueOrDefault(v.DivisionCode, v.DivisionCode))).ToList(),
            files[a.Id].ToList())).ToList();
    }
}
