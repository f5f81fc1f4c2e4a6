using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Assignments;
using MineGuard.Features.Clues;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Time;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Satellite;

public sealed record FindingInput(string? Finding, string? Note, double? Lon, double? Lat);

public sealed record ReviewInput(bool? Agree, string? Note);

public sealed record PatchMapFeature(Guid Id, string PatchId, string State, string StateName, string Relation, string RelationName, JsonElement Outline);

public sealed record PatchMapView(IReadOnlyList<PatchMapFeature> Patches, bool Truncated, int Max);

public sealed record PatchQuery(Guid? Batch, string? State, string? Relation, string? County);

public sealed record PatchView(
    Guid Id, Guid BatchId, string DivisionCode, string PatchId, string ChangeType, double AreaM2, string? BeforeImage, string? AfterImage,
    double Lon, double Lat, JsonElement Geometry, string MineRelation, string MineRelationName, IReadOnlyList<Guid> MineIds,
    IReadOnlyList<Guid> AditIds, double? NearestAditMetres, IReadOnlyList<Guid> EarlierPatchIds, IReadOnlyList<Guid> OpenClueIds,
    IReadOnlyList<Guid> CaseIds, string State, string StateName, Guid? AssignmentId, DateOnly DueOn, bool Overdue, string? Finding,
    string? FindingNote, double? FindingLon, double? FindingLat, DateTime? FoundUtc, Guid? ClueId, bool ReviewRequired, bool? ReviewAgreed,
    string? ReviewNote, DateTime? ReviewedUtc, int Returns);

/// <summary>
/// A patch's life after import: the checker's finding on the ground (illegal → a clue through <see cref="ClueIntake"/>; the
/// patch-check assignment reported done), the province's review of every illegal or unclear finding and of a sample of
/// legal ones (agreeing verifies the assignment, disagreeing reopens it), and the lists.
/// </summary>
public sealed class PatchDesk(AppDbContext db, AssignmentDesk assignments, SatelliteDesk satellite)
{
    private DateTime Now => db.Clock.GetUtcNow().UtcDateTime;

    /// <summary>The province reviews: a caller whose scope is a whole province (or the system).</summary>
    public bool IsProvince => db.CurrentUser.Scope.IsAll || db.CurrentUser.Scope.Code.Length == 2;

    /// <summary>
    /// Whether a legal finding is drawn for the province's sample: the first two bytes of SHA-256 of the patch id, modulo
    /// 100, below the share. Fixed by the id, so recording twice draws the same and anyone can recompute it.
    /// </summary>
    public static bool Sampled(Guid patchId, int percent)
    {
        var hash = SHA256.HashData(patchId.ToByteArray());
        return (hash[0] << 8 | hash[1]) % 100 < percent;
    }

    /// <summary>The patch if the caller sees it (scope and department), or its check was given to them by name.</summary>
    public async Task<SatellitePatch?> FindAsync(Guid id, CancellationToken ct)
    {
        if (satellite.SeesPatches && await db.Set<SatellitePatch>().FirstOrDefaultAsync(p => p.Id == id, ct) is { } seen) return seen;
        if (db.CurrentUser.Id is not { } me) return null;
        var mine = await assignments.GivenToAsync(me, ct);
        return await db.Beyond<SatellitePatch>(ScopeExit.AssignedToCaller)
            .Where(p => p.Id == id && mine.Any(a => a.Id == p.AssignmentId)).FirstOrDefaultAsync(ct);
    }

    public async Task<List<PatchView>> ListAsync(PatchQuery q, FieldErrors errors, CancellationToken ct)
    {
        var query = db.Set<SatellitePatch>().AsQueryable();
        if (!satellite.SeesPatches) return [];
        if (q.Batch is { } b) query = query.Where(p => p.BatchId == b);
        if (!string.IsNullOrWhiteSpace(q.State))
        {
            if (SatelliteNames.States.FirstOrDefault(s => s.Value.Code == q.State.Trim()) is { Value.Code: not null } s) query = query.Where(p => p.State == s.Key);
            else errors.Add("state", "状态只能是 " + string.Join("、", SatelliteNames.States.Values.Select(v => $"{v.Code}（{v.Name}）")));
        }
        if (!string.IsNullOrWhiteSpace(q.Relation))
        {
            if (SatelliteNames.Relations.FirstOrDefault(s => s.Value.Code == q.Relation.Trim()) is { Value.Code: not null } r) query = query.Where(p => p.MineRelation == r.Key);
            else errors.Add("relation", "与矿区关系只能是 " + string.Join("、", SatelliteNames.Relations.Values.Select(v => $"{v.Code}（{v.Name}）")));
        }
        if (!string.IsNullOrWhiteSpace(q.County)) query = query.Where(p => p.DivisionCode.StartsWith(q.County.Trim()));
        if (!errors.Ok) return [];
        var patches = await query.OrderBy(p => p.DivisionCode).ThenBy(p => p.PatchKey).Take(5000).ToListAsync(ct);
        return await ViewsAsync(patches, ct);
    }

    public const int MaxOnMap = 2000;

    /// <summary>The patches in view (by their box columns), for the map's layer; more than <see cref="MaxOnMap"/> answers the first ones and says so.</summary>
    public async Task<PatchMapView> MapAsync(Adits.MapBox box, bool gcj, CancellationToken ct)
    {
        if (!satellite.SeesPatches) return new PatchMapView([], false, MaxOnMap);
        var rows = await db.Set<SatellitePatch>().AsNoTracking()
            .Where(p => p.MinLon <= box.MaxLon && p.MaxLon >= box.MinLon && p.MinLat <= box.MaxLat && p.MaxLat >= box.MinLat)
            .OrderBy(p => p.State).ThenByDescending(p => p.CreatedUtc).Take(MaxOnMap + 1)
            .Select(p => new { p.Id, p.PatchKey, p.State, p.MineRelation, p.GeometryGeoJson }).ToListAsync(ct);
        return new PatchMapView(rows.Take(MaxOnMap).Select(p => new PatchMapFeature(p.Id, p.PatchKey, SatelliteNames.States[p.State].Code,
            SatelliteNames.States[p.State].Name, SatelliteNames.Relations[p.MineRelation].Code, SatelliteNames.Relation(p.MineRelation),
            Adits.AditMapApi.Outline(p.GeometryGeoJson, gcj))).ToList(), rows.Count > MaxOnMap, MaxOnMap);
    }

    public async Task<List<PatchView>> ViewsAsync(List<SatellitePatch> patches, CancellationToken ct)
    {
        var batchIds = patches.Select(p => p.BatchId).Distinct().ToList();
        var due = await db.Beyond<SatelliteBatch>(ScopeExit.LinkedLabel).Where(b => batchIds.Contains(b.Id)).ToDictionaryAsync(b => b.Id, b => b.DueOn, ct);
        var today = satellite.Today;
        return patches.Select(p => new PatchView(p.Id, p.BatchId, p.DivisionCode, p.PatchKey, p.ChangeType, p.AreaM2, p.BeforeImage, p.AfterImage,
            p.Lon, p.Lat, JsonSerializer.Deserialize<JsonElement>(p.GeometryGeoJson), SatelliteNames.Relations[p.MineRelation].Code,
            SatelliteNames.Relation(p.MineRelation), SatellitePatch.Ids(p.MineIds), SatellitePatch.Ids(p.AditIds), p.NearestAditMetres,
            SatellitePatch.Ids(p.EarlierPatchIds), SatellitePatch.Ids(p.OpenClueIds), SatellitePatch.Ids(p.CaseIds), SatelliteNames.States[p.State].Code,
            SatelliteNames.States[p.State].Name, p.AssignmentId, due[p.BatchId], p.State == PatchState.Checking && today > due[p.BatchId],
            p.Finding is { } f ? SatelliteNames.Findings[f].Code : null, p.FindingNote, p.FindingLon, p.FindingLat, p.FoundUtc, p.ClueId,
            p.ReviewRequired, p.ReviewAgreed, p.ReviewNote, p.ReviewedUtc, p.Returns)).ToList();
    }

    public async Task<PatchView> ViewAsync(SatellitePatch p, CancellationToken ct) => (await ViewsAsync([p], ct))[0];

    /// <summary>The checker's finding. The same finding sent again changes nothing (answers <c>false</c> for "stored before").</summary>
    public async Task<(bool Stored, FieldErrors Errors)> RecordAsync(SatellitePatch patch, FindingInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var finding = SatelliteNames.Findings.FirstOrDefault(f => f.Value.Code == input.Finding?.Trim());
        if (finding.Value.Code is null)
            errors.Add("finding", "核查结论只能是 " + string.Join("、", SatelliteNames.Findings.Values.Select(v => $"{v.Code}（{v.Name}）")));
        var note = input.Note?.Trim();
        if (string.IsNullOrEmpty(note)) errors.Add("note", "请填写核查情况（如：持证开采、批准的建设项目、耕地整理，或违法采矿的现场情况）");
        else if (note.Length > 2000) errors.Add("note", "核查情况不能超过 2000 个字符");
        if (input.Lon is null != input.Lat is null) errors.Add("lon", "核查位置须同时填写经度和纬度");
        else if (input.Lon is { } lon && input.Lat is { } lat && !(lon is >= 73 and <= 135 && lat is >= 18 and <= 54))
            errors.Add(lon is >= 18 and <= 54 && lat is >= 73 and <= 135 ? "lon" : "lat",
                lon is >= 18 and <= 54 && lat is >= 73 and <= 135 ? "经纬度填反了：经度应在 73–135 之间，纬度应在 18–54 之间" : "核查位置不在中国境内");
        if (!errors.Ok) return (false, errors);
        if (patch.State != PatchState.Checking && patch.Finding == finding.Key && patch.FindingNote == note) return (false, errors);
        patch.Record(finding.Key, note!, input.Lon, input.Lat, Sampled(patch.Id, satellite.LegalSamplePercent), db.CurrentUser.Id, Now);
        if (finding.Key == PatchFinding.Illegal
            && await ClueIntake.OpenAsync(db, new ClueLead(SatellitePatch.SourceType, patch.Id,
                $"卫片图斑 {patch.PatchKey} 实地核查为违法采矿：{note}", patch.DivisionCode, patch.NearestAditId), ct) is { } clue)
            patch.LinkClue(clue.Id);
        if (patch.AssignmentId is { } aid && await db.Beyond<Assignment>(ScopeExit.ChildrenOfVisible).FirstOrDefaultAsync(a => a.Id == aid, ct) is { Status: AssignmentStatus.Open } a)
        {
            var done = await assignments.CompleteAsync(a, new CompleteInput($"核查结论：{SatelliteNames.Findings[finding.Key].Name}。{note}"), ct);
            if (done.Ok) return (true, errors);
        }
        await db.SaveChangesAsync(ct);
        return (true, errors);
    }

    /// <summary>The province's review; the same review sent again changes nothing.</summary>
    public async Task<(bool Stored, FieldErrors Errors)> ReviewAsync(SatellitePatch patch, ReviewInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (input.Agree is null) errors.Add("agree", "请选择是否同意核查结论（agree: true / false）");
        var note = input.Note?.Trim();
        if (string.IsNullOrEmpty(note)) errors.Add("note", "请填写复核意见");
        else if (note.Length > 2000) errors.Add("note", "复核意见不能超过 2000 个字符");
        if (!errors.Ok) return (false, errors);
        if (patch.ReviewAgreed == input.Agree && patch.ReviewNote == note && (input.Agree == true ? patch.State == PatchState.Closed : patch.State == PatchState.Checking)) return (false, errors);
        patch.Review(input.Agree!.Value, note!, db.CurrentUser.Id, Now);
        var a = patch.AssignmentId is { } aid ? await db.Beyond<Assignment>(ScopeExit.ChildrenOfVisible).FirstOrDefaultAsync(x => x.Id == aid, ct) : null;
        if (a is null)
        {
            await db.SaveChangesAsync(ct);
            return (true, errors);
        }
        var done = input.Agree == true
            ? (a.Status == AssignmentStatus.Completed && a.CompletedById != db.CurrentUser.Id
                ? await assignments.VerifyAsync(a, new VerifyAssignmentInput($"省级复核同意：{note}"), ct)
                : null)
            : a.Status != AssignmentStatus.Open ? await assignments.ReopenAsync(a, new ReopenInput($"省级复核退回：{note}"), ct) : null;
        if (done is null) await db.SaveChangesAsync(ct);
        return (true, errors);
    }
}

/// <summary>Codes and Chinese names of the satellite feature's enumerations, for the API and pages.</summary>
public static class SatelliteNames
{
    public static readonly IReadOnlyDictionary<PatchState, (string Code, string Name)> States = new Dictionary<PatchState, (string, string)>
    {
        [PatchState.Checking] = ("checking", "待核查"), [PatchState.Reviewing] = ("reviewing", "待省级复核"), [PatchState.Closed] = ("closed", "已办结"),
    };

    public static readonly IReadOnlyDictionary<MineRelation, (string Code, string Name)> Relations = new Dictionary<MineRelation, (string, string)>
    {
        [MineRelation.Outside] = ("outside", "不在任何矿区范围内（疑似无证开采）"), [MineRelation.Inside] = ("inside", "位于持证矿区范围内"),
        [MineRelation.Crossing] = ("crossing", "跨越矿区边界（疑似越界开采）"),
    };

    public static readonly IReadOnlyDictionary<PatchFinding, (string Code, string Name)> Findings = new Dictionary<PatchFinding, (string, string)>
    {
        [PatchFinding.Legal] = ("legal", "合法（持证开采、批准建设、农业生产等）"), [PatchFinding.Illegal] = ("illegal", "违法采矿"),
        [PatchFinding.Other] = ("other", "其他或无法确定"),
    };

    public static string Relation(MineRelation r) => Relations[r].Name;
}
