using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Assignments;
using MineGuard.Features.Clues;
using MineGuard.Features.Patrols;
using MineGuard.Platform.Geo;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Time;
using MineGuard.Platform.Web;
using NetTopologySuite.Geometries.Prepared;
using static MineGuard.Platform.Web.StoredValueLimits;

namespace MineGuard.Features.Satellite;

public sealed record FindingInput(string? Finding, string? Note, double? Lon, double? Lat);

public sealed record ReviewInput(bool? Agree, string? Note);

/// <summary>A finding recorded offline in the field app: the patch, the finding, where the checker stood and when.</summary>
public sealed record FieldFindingInput(Guid? PatchId, string? Finding, string? Note, double? Lon, double? Lat, double? Accuracy, DateTimeOffset? At)
{
    public FindingInput Core => new(Finding, Note, Lon, Lat);
}

public sealed record PatchMapFeature(Guid Id, string PatchId, string State, string StateName, string Relation, string RelationName, JsonElement Outline);

public sealed record PatchMapView(IReadOnlyList<PatchMapFeature> Patches, bool Truncated, int Max);

public sealed record PatchQuery(Guid? Batch, string? State, string? Relation, string? County);

public sealed record PatchView(
    Guid Id, Guid BatchId, string DivisionCode, string PatchId, string ChangeType, double AreaM2, string? BeforeImage, string? AfterImage,
    double Lon, double Lat, JsonElement Geometry, string MineRelation, string MineRelationName, IReadOnlyList<Guid> MineIds,
    IReadOnlyList<Guid> AditIds, double? NearestAditMetres, IReadOnlyList<Guid> EarlierPatchIds, IReadOnlyList<Guid> OpenClueIds,
    IReadOnlyList<Guid> CaseIds, string State, string StateName, Guid? AssignmentId, DateOnly DueOn, bool Overdue, string? Finding,
    string? FindingNote, double? FindingLon, double? FindingLat, DateTime? FoundUtc, Guid? ClueId, bool ReviewRequired, bool? ReviewAgreed,
    string? ReviewNote, DateTime? ReviewedUtc, int Returns, double? FindingMetres, bool? FindingProven, string? FindingProof);

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
            p.ReviewRequired, p.ReviewAgreed, p.ReviewNote, p.ReviewedUtc, p.Returns, p.FindingMetres, p.FindingProven, p.FindingProof)).ToList();
    }

    public async Task<PatchView> ViewAsync(SatellitePatch p, CancellationToken ct) => (await ViewsAsync([p], ct))[0];

    /// <summary>The checker's finding. The same finding sent again changes nothing (answers <c>false</c> for "stored before").</summary>
    public async Task<(bool Stored, FieldErrors Errors)> RecordAsync(SatellitePatch patch, FindingInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var (finding, note) = Validate(input, errors);
        if (!errors.Ok) return (false, errors);
        if (patch.State != PatchState.Checking && patch.Finding == finding && patch.FindingNote == note) return (false, errors);
        var proof = input.Lon is { } lon && input.Lat is { } lat ? Proof(patch, lon, lat, null, null, null, await db.PatrolRulesAsync(patch.DivisionCode, ct)) : null;
        await ApplyAsync(patch, finding, note, input.Lon, input.Lat, proof, ct);
        return (true, errors);
    }

    /// <summary>
    /// A finding the field app recorded offline under its own id: stored once (the same id and content again answers
    /// <c>Created = false</c>; other content under the id is a 409 SyncConflict), with the checker's position judged against
    /// the patch by the county's check-in rules. Null patch: not the caller's to record (404).
    /// </summary>
    public async Task<(SatellitePatch? Patch, bool Created, FieldErrors Errors)> SyncAsync(Guid id, FieldFindingInput input, double? skewSeconds,
        CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (id == Guid.Empty) errors.Add("id", "记录编号不能为空");
        if (input.PatchId is null || input.PatchId == Guid.Empty) errors.Add("patchId", "请填写所核查的图斑");
        var (finding, note) = Validate(input.Core, errors);
        if (input.Lon is null || input.Lat is null) errors.Add("lon", "外勤核查须带现场定位（经度、纬度），请定位后再保存");
        if (input.Accuracy is < 0 or > 100_000) errors.Add("accuracy", "定位精度应在 0–100000 米之间");
        if (input.At is null) errors.Add("at", "请填写核查时间");
        if (!errors.Ok) return (null, false, errors);
        if (await FindAsync(input.PatchId!.Value, ct) is not { } patch) return (null, false, errors);
        var at = input.At!.Value.UtcDateTime;
        var hash = SyncHash.Of(JsonSerializer.Serialize(new { patch = patch.Id, finding, note, input.Lon, input.Lat, input.Accuracy, at = at.ToString("O") }));
        if (await StoredHashAsync(id, ct) is { } stored)
        {
            Rule.Check(stored == hash, "SyncConflict", "同一编号的核查记录内容不同，已拒收");
            return (patch, false, errors);
        }
        var rules = await db.PatrolRulesAsync(patch.DivisionCode, ct);
        var proof = Proof(patch, input.Lon!.Value, input.Lat!.Value, input.Accuracy, skewSeconds, at > Now + TimeSpan.FromMinutes(rules.ClockToleranceMinutes), rules);
        db.Add(PatchFieldFinding.Create(id, patch, finding, note, input.Lon.Value, input.Lat.Value, input.Accuracy, at, Now, skewSeconds, db.CurrentUser.Id, proof, hash));
        try
        {
            await ApplyAsync(patch, finding, note, input.Lon, input.Lat, proof, ct);
        }
        catch (DbUpdateException)
        {
            // The same id raced in from a second request: the same content is a duplicate, other content a conflict.
            db.ChangeTracker.Clear();
            Rule.Check(await StoredHashAsync(id, ct) == hash, "SyncConflict", "同一编号的核查记录内容不同，已拒收");
            return (await FindAsync(patch.Id, ct), false, errors);
        }
        return (patch, true, errors);
    }

    private Task<string?> StoredHashAsync(Guid id, CancellationToken ct) =>
        db.Set<PatchFieldFinding>().Beyond(ScopeExit.Uniqueness).AsNoTracking().Where(f => f.Id == id).Select(f => f.PayloadHash).FirstOrDefaultAsync(ct);

    /// <summary>
    /// 到位核验 of a finding, by the check-in rules in force at the patch's county: the position within
    /// <see cref="PatrolRuleSet.MaxDistanceMetres"/> of the polygon (0 inside), its accuracy known and within the limit, the
    /// phone's clock within the tolerance. <paramref name="late"/>: recorded after the server received it.
    /// </summary>
    public static PatchProof Proof(SatellitePatch patch, double lon, double lat, double? accuracy, double? skewSeconds, bool? late, PatrolRuleSet rules)
    {
        var shape = GeoJson.ReadFirstGeometry(patch.GeometryGeoJson);
        var metres = PatchMatcher.Metres(shape, PreparedGeometryFactory.Prepare(shape), lon, lat);
        var reasons = new List<string>();
        if (metres > rules.MaxDistanceMetres)
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"核查定位距图斑 {metres:0} 米，超过 {rules.MaxDistanceMetres:0} 米"));
        if (accuracy is null) reasons.Add("定位精度未知（不是外勤应用现场定位）");
        else if (accuracy > rules.MaxAccuracyMetres)
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"定位精度 {accuracy:0} 米，达不到 {rules.MaxAccuracyMetres:0} 米以内的要求"));
        if (skewSeconds is { } skew && Math.Abs(skew) > rules.ClockToleranceMinutes * 60)
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"手机时间与服务器时间相差 {Math.Abs(skew) / 60:0} 分钟，时间可能被修改"));
        else if (late == true) reasons.Add("核查时间晚于服务器收到的时间，手机时间可能被修改");
        return new PatchProof(Math.Round(metres, 1), reasons.Count == 0, reasons);
    }

    private static (PatchFinding Finding, string Note) Validate(FindingInput input, FieldErrors errors)
    {
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
        return (finding.Key, note ?? "");
    }

    /// <summary>Records the finding on the patch: illegal opens the clue (once), the patch-check assignment is reported done; saves.</summary>
    private async Task ApplyAsync(SatellitePatch patch, PatchFinding finding, string note, double? lon, double? lat, PatchProof? proof, CancellationToken ct)
    {
        patch.Record(finding, note, lon, lat, proof, Sampled(patch.Id, satellite.LegalSamplePercent), db.CurrentUser.Id, Now);
        if (finding == PatchFinding.Illegal
            && await ClueIntake.OpenAsync(db, new ClueLead(SatellitePatch.SourceType, patch.Id,
                $"卫片图斑 {patch.PatchKey} 实地核查为违法采矿：{note}", patch.DivisionCode, patch.NearestAditId), ct) is { } clue)
            patch.LinkClue(clue.Id);
        if (patch.AssignmentId is { } aid && await db.Beyond<Assignment>(ScopeExit.ChildrenOfVisible).FirstOrDefaultAsync(a => a.Id == aid, ct) is { Status: AssignmentStatus.Open } a)
        {
            var done = await assignments.CompleteAsync(a, new CompleteInput(Cut($"核查结论：{SatelliteNames.Findings[finding].Name}。{note}", Assignment.TextMax)), ct);
            if (done.Ok) return;
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// A photo taken with an offline finding, sent after it under its own id: kept on the patch's check (the assignment's
    /// evidence, through <see cref="AssignmentDesk.AddOnceAsync"/>: the one image check); the same photo id again, even
    /// concurrently, stores nothing. Null: the finding is not (yet) there or not the caller's to see.
    /// </summary>
    public async Task<(EvidenceFile? File, bool Created, FieldErrors Errors)> AddPhotoAsync(Guid findingId, Guid photoId, byte[] bytes, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var finding = await db.Set<PatchFieldFinding>().Beyond(ScopeExit.Uniqueness).AsNoTracking().FirstOrDefaultAsync(f => f.Id == findingId, ct);
        if (finding is null || await FindAsync(finding.PatchId, ct) is not { AssignmentId: { } aid } patch) return (null, false, errors);
        return await AssignmentDesk.AddOnceAsync(db, Assignment.ClockSubject, aid, patch.DivisionCode, photoId, bytes, $"卫片核查-{patch.PatchKey}", ct);
    }

    /// <summary>The patches whose check is given to the caller by name and still to do: what the field app keeps for offline work.</summary>
    public async Task<List<PatchView>> MineToCheckAsync(CancellationToken ct)
    {
        if (db.CurrentUser.Id is not { } me) return [];
        var mine = (await assignments.GivenToAsync(me, ct)).Where(a => a.Kind == AssignmentKinds.PatchCheck && a.Status == AssignmentStatus.Open);
        var patches = await db.Beyond<SatellitePatch>(ScopeExit.AssignedToCaller)
            .Where(p => p.State == PatchState.Checking && mine.Any(a => a.Id == p.AssignmentId))
            .OrderBy(p => p.CreatedUtc).ThenBy(p => p.PatchKey).Take(500).ToListAsync(ct);
        return await ViewsAsync(patches, ct);
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
                ? await assignments.VerifyAsync(a, new VerifyAssignmentInput(Cut($"省级复核同意：{note}", Assignment.TextMax)), ct)
                : null)
            : a.Status != AssignmentStatus.Open ? await assignments.ReopenAsync(a, new ReopenInput(Cut($"省级复核退回：{note}", Assignment.TextMax)), ct) : null;
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
