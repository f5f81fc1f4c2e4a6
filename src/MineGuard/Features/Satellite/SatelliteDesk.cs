using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Features.Assignments;
using MineGuard.Features.Clues;
using MineGuard.Features.Mines;
using MineGuard.Platform.Geo;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Notifications;
using MineGuard.Platform.People;
using MineGuard.Platform.Time;
using MineGuard.Platform.Web;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;

namespace MineGuard.Features.Satellite;

public sealed record BatchInput(string? BatchId, string? Province, string? PeriodFrom, string? PeriodTo, string? Crs, JsonElement? Features);

public sealed record CountyProgress(string County, string Name, int Found, int Checked, int Reviewing, int Closed, int Overdue);

public sealed record BatchView(Guid Id, string BatchId, string Province, DateOnly PeriodFrom, DateOnly PeriodTo, string Crs, DateOnly DueOn,
    DateTime ImportedUtc, IReadOnlyList<CountyProgress> Counties);

public sealed record ImportView(BatchView Batch, int Accepted, int AlreadyStored, IReadOnlyList<PatchRejection> Rejected);

/// <summary>
/// 卫片图斑 import and matching: reads a batch (<see cref="PatchReader"/>), matches every new patch against candidates found
/// by bounding box (<see cref="PatchMatcher"/>), and opens one patch-check assignment per patch for the county, with the
/// person who answers for the nearest adit (else the county) as checker and the batch's 月清 day as deadline.
/// </summary>
public sealed class SatelliteDesk(AppDbContext db, Responsibility responsibility, IConfiguration config)
{
    public const string NaturalResources = "natural-resources";

    /// <summary>Adits this close to a patch (metres) are matched to it.</summary>
    public double AditMetres => config.GetValue("Satellite:AditMetres", 500.0);

    /// <summary>Share (percent) of patches found legal that the province reviews anyway.</summary>
    public int LegalSamplePercent => config.GetValue("Satellite:LegalSamplePercent", 10);

    private DateTime Now => db.Clock.GetUtcNow().UtcDateTime;
    public DateOnly Today => DateOnly.FromDateTime(ChinaTime.ToLocal(Now));

    /// <summary>Patches belong to the natural-resources bureau: the office, leaders, administrators and its officers.</summary>
    public bool SeesPatches => db.CurrentUser.SeesAllDepartments || db.CurrentUser.DepartmentCode == NaturalResources;

    /// <summary>
    /// 月清: a batch is checked by the end of the month it arrives in; one that arrives in the last ten days of a month gets
    /// the end of the next month.
    /// </summary>
    public static DateOnly MonthlyClear(DateOnly today)
    {
        var end = new DateOnly(today.Year, today.Month, 1).AddMonths(1).AddDays(-1);
        return end.DayNumber - today.DayNumber >= 10 ? end : new DateOnly(today.Year, today.Month, 1).AddMonths(2).AddDays(-1);
    }

    public async Task<(ImportView? View, bool Existing, FieldErrors Errors)> ImportAsync(BatchInput input, CancellationToken ct)
    {
        var (staged, errors) = await StageAsync(input, ct);
        if (staged is null) return (null, false, errors);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The same batch sent twice at once: the first one stored it; answer with what is stored.
            db.ChangeTracker.Clear();
            var batch = await db.Set<SatelliteBatch>().Beyond(ScopeExit.Uniqueness).FirstAsync(b => b.BatchKey == staged.Batch.BatchKey, ct);
            return (new ImportView(await ViewAsync(batch, ct), 0, staged.Read, staged.Rejected), true, errors);
        }
        return (new ImportView(await ViewAsync(staged.Batch, ct), staged.Added, staged.Read - staged.Added, staged.Rejected), staged.Existing, errors);
    }

    /// <summary>A batch read, matched and added to the context, not yet saved: its patches' checks are opened.</summary>
    public sealed record Staged(SatelliteBatch Batch, bool Existing, int Read, int Added, IReadOnlyList<PatchRejection> Rejected);

    /// <summary>
    /// Checks a batch, reads its patches and adds the new ones (matched, each with its check) to the context unsaved —
    /// the one path of the file import and of the ingestion API's <c>satellite.change</c> events
    /// (<see cref="SatelliteChangeEvents"/>). Null with the errors when the batch itself is refused (nothing added).
    /// </summary>
    public async Task<(Staged? Staged, FieldErrors Errors)> StageAsync(BatchInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var key = input.BatchId?.Trim();
        if (string.IsNullOrEmpty(key)) errors.Add("batchId", "请填写批次编号");
        else if (key.Length > 100) errors.Add("batchId", "批次编号不能超过 100 个字符");
        var province = input.Province?.Trim() ?? "";
        var provinceDivision = province.Length == 2 ? await db.Divisions.FirstOrDefaultAsync(d => d.Code == province, ct) : null;
        if (provinceDivision is null) errors.Add("province", "请填写批次所属省份（两位区划代码，如 41）");
        else if (!db.CurrentUser.Scope.Contains(province) && !(db.CurrentUser.IsIntegration && db.CurrentUser.Scope.Code.StartsWith(province, StringComparison.Ordinal)))
            errors.Add("province", "批次所属省份不在您的管辖范围内（图斑批次由省级导入）");
        var from = Date("periodFrom", "监测期起", input.PeriodFrom, errors);
        var to = Date("periodTo", "监测期止", input.PeriodTo, errors);
        if (from is { } f && to is { } t && t < f) errors.Add("periodTo", "监测期止不能早于监测期起");
        if (!Gcj02.TryParseCrs(input.Crs, out var gcj02)) errors.Add("crs", $"坐标系“{input.Crs?.Trim()}”无法识别：{Gcj02.CrsChoices}");
        var fc = input.Features ?? default;
        if (fc.ValueKind != JsonValueKind.Object || !fc.TryGetProperty("type", out var type) || type.ToString() != "FeatureCollection"
            || !fc.TryGetProperty("features", out var list) || list.ValueKind != JsonValueKind.Array)
            errors.Add("features", "features 应为 GeoJSON FeatureCollection");
        else if (list.GetArrayLength() == 0) errors.Add("features", "FeatureCollection 中没有图斑");
        else if (list.GetArrayLength() > 20_000) errors.Add("features", "一次最多导入 20000 个图斑，请分批导入");
        if (fc.ValueKind == JsonValueKind.Object && fc.TryGetProperty("crs", out var declared) && !gcj02
            && declared.ToString() is var d && (d.Contains("gcj", StringComparison.OrdinalIgnoreCase) || d.Contains("火星", StringComparison.Ordinal)))
            errors.Add("crs", "文件声明的坐标系为 GCJ-02，请在批次上声明 crs: gcj02");
        if (!errors.Ok) return (null, errors);

        // Batch ids are unique across provinces; a city's or county's integration adds to its province's batch.
        var batch = await db.Set<SatelliteBatch>().Beyond(ScopeExit.Uniqueness).FirstOrDefaultAsync(b => b.BatchKey == key, ct);
        var existing = batch is not null;
        if (batch is not null && (batch.DivisionCode != province || batch.PeriodFrom != from || batch.PeriodTo != to))
        {
            errors.Add("batchId", "同一批次编号已导入，但省份或监测期不同");
            return (null, errors);
        }
        batch ??= db.Add(SatelliteBatch.Import(province, key!, from!.Value, to!.Value, gcj02 ? "gcj02" : "wgs84", MonthlyClear(Today),
            db.CurrentUser.IsIntegration ? null : db.CurrentUser.Id, Now)).Entity;

        var counties = (await db.Divisions.Where(x => x.Level == DivisionLevel.County && x.Code.StartsWith(province) && x.BoundaryGeoJson != null)
                .Select(x => new { x.Code, x.BoundaryGeoJson }).ToListAsync(ct))
            .Select(x => (x.Code, PreparedGeometryFactory.Prepare(GeoJson.ReadFirstGeometry(x.BoundaryGeoJson!)))).ToList();
        var (read, rejected) = PatchReader.Read(fc, gcj02, counties, provinceDivision!.Name);
        // A city's or county's integration pushes the patches of its own area into the province's batch, no others.
        foreach (var outside in read.Where(p => !db.CurrentUser.Scope.Contains(p.County)).ToList())
        {
            read.Remove(outside);
            rejected.Add(PatchReader.Refuse(outside.Index, outside.Key, "图斑不在本接口的管辖范围内"));
        }
        // Which keys the batch holds already: asked of every patch of the batch, whatever department may read them.
        var stored = existing
            ? (await db.Set<SatellitePatch>().Beyond(ScopeExit.Uniqueness).Where(p => p.BatchId == batch.Id).Select(p => p.PatchKey).ToListAsync(ct))
                .ToHashSet(StringComparer.Ordinal)
            : [];
        var fresh = read.Where(p => !stored.Contains(p.Key)).ToList();
        var added = await StoreAsync(batch, fresh, ct);
        return (new Staged(batch, existing, read.Count, added.Count, rejected), errors);
    }

    private static DateOnly? Date(string field, string label, string? text, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add(field, $"请填写{label}");
            return null;
        }
        var problem = CalendarDate.Problem(label, text.Trim(), out var day);
        if (problem is null) return day;
        errors.Add(field, problem);
        return null;
    }

    /// <summary>Matches the new patches county by county (one box query per kind) and opens their checks.</summary>
    private async Task<List<SatellitePatch>> StoreAsync(SatelliteBatch batch, List<ReadPatch> fresh, CancellationToken ct)
    {
        var added = new List<SatellitePatch>();
        foreach (var county in fresh.GroupBy(p => p.County))
        {
            var box = PatchMatcher.Expand(county.Aggregate(new Envelope(), (e, p) => { e.ExpandToInclude(p.Shape.EnvelopeInternal); return e; }), AditMetres);
            var matcher = new PatchMatcher(await MinesAsync(box, ct), await AditsAsync(box, ct), await EarlierAsync(batch.Id, box, ct), AditMetres);
            var matched = county.Select(p => (Patch: p, Mines: matcher.AgainstMines(p.Shape), Adits: matcher.NearAdits(p.Shape), Earlier: matcher.Recurring(p.Shape))).ToList();
            var aditIds = matched.SelectMany(m => m.Adits.Select(a => a.Id)).Distinct().ToList();
            // Matching is the system's judgement: the open clues and cases near a patch count whichever department holds
            // them (only their ids are kept on the patch), inside the importer's jurisdiction.
            var clues = await db.Beyond<Clue>(ScopeExit.SystemJudgement).Where(db.CurrentUser.Scope.Predicate<Clue>(c => c.DivisionCode))
                .Where(c => c.AditId != null && aditIds.Contains(c.AditId.Value)
                    && (c.CaseId != null || (c.State != ClueState.Closed && c.State != ClueState.Merged)))
                .Select(c => new { c.Id, c.AditId, c.CaseId, c.State }).ToListAsync(ct);
            var answers = await responsibility.WhoAnswersManyAsync(
                matched.Select(m => new Place(county.Key, m.Adits.Count > 0 ? m.Adits[0].Id : null)).Distinct().ToList(), AnswerLevel.Person, null, ct);
            var told = new Dictionary<(Guid?, Guid?), (Answerer Who, int Count)>();
            foreach (var m in matched)
            {
                var near = m.Adits.Select(a => a.Id).ToHashSet();
                var here = clues.Where(c => near.Contains(c.AditId!.Value)).ToList();
                var match = new PatchMatch(m.Mines.Relation, m.Mines.MineIds, m.Adits.Select(a => a.Id).ToList(), m.Adits.Count > 0 ? m.Adits[0].Metres : null,
                    m.Earlier, here.Where(c => c.State is not (ClueState.Closed or ClueState.Merged)).Select(c => c.Id).ToList(),
                    here.Where(c => c.CaseId != null).Select(c => c.CaseId!.Value).Distinct().ToList());
                var interior = m.Patch.Shape.InteriorPoint;
                var env = m.Patch.Shape.EnvelopeInternal;
                var patch = SatellitePatch.Receive(batch.Id, county.Key, m.Patch.Key, m.Patch.ChangeType,
                    new SatellitePatch.Shape(GeoJson.Write(m.Patch.Shape), env.MinX, env.MinY, env.MaxX, env.MaxY, interior.X, interior.Y, m.Patch.AreaM2),
                    m.Patch.Before, m.Patch.After, match, Now);
                db.Add(patch);
                var who = answers[new Place(county.Key, match.AditIds.Count > 0 ? match.AditIds[0] : null)].FirstOrDefault();
                var a = AssignmentDesk.Open(db, county.Key, patch.NearestAditId, AssignmentKinds.PatchCheck, SatellitePatch.SourceType, patch.Id,
                    $"卫片图斑核查：{batch.BatchKey} / {patch.PatchKey}", Detail(patch), null, who?.PersonId,
                    who is null ? (db.CurrentUser.IsIntegration ? null : db.CurrentUser.Id) : who.PersonId is null ? who.UserId : null, null, batch.DueOn);
                patch.Assigned(a.Id);
                if (who is not null) told[(who.PersonId, who.UserId)] = (who, told.GetValueOrDefault((who.PersonId, who.UserId)).Count + 1);
                added.Add(patch);
            }
            foreach (var (who, count) in told.Values)
                db.Tell(who, county.Key, "卫片图斑核查", $"{batch.BatchKey} 批次有 {count} 个图斑请于 {batch.DueOn:yyyy-MM-dd} 前实地核查", "/my-work",
                    "satellite-batch", batch.Id, sms: true);
        }
        return added;
    }

    public static string Detail(SatellitePatch p) =>
        string.Create(CultureInfo.InvariantCulture, $"变化类型：{p.ChangeType}；面积约 {p.AreaM2:0} 平方米；位置 [{p.Lon:0.000000}, {p.Lat:0.000000}]；{SatelliteNames.Relation(p.MineRelation)}")
        + (p.NearestAditMetres is { } d ? string.Create(CultureInfo.InvariantCulture, $"；最近矿硐 {d:0} 米") : "")
        + (p.EarlierPatchIds.Length > 0 ? "；该处此前已有图斑（反复出现）" : "") + "。图斑仅为线索，须实地核查，不得直接作为处罚依据。";

    private async Task<List<MineOutline>> MinesAsync(Envelope box, CancellationToken ct) =>
        (await db.Set<LicensedMine>()
            .Where(m => m.MinLon <= box.MaxX && m.MaxLon >= box.MinX && m.MinLat <= box.MaxY && m.MaxLat >= box.MinY)
            .Select(m => new { m.Id, m.BoundaryGeoJson }).ToListAsync(ct))
        .Select(m => new MineOutline(m.Id, GeoJson.ReadFirstGeometry(m.BoundaryGeoJson))).ToList();

    private async Task<List<AditPoint>> AditsAsync(Envelope box, CancellationToken ct)
    {
        // The adits' tile columns (zoom 20) are indexed; y grows southward.
        var (x0, y0) = WebMercator.Tile(box.MinX, box.MaxY);
        var (x1, y1) = WebMercator.Tile(box.MaxX, box.MinY);
        return await db.Set<Adit>().Where(a => a.MapX >= x0 && a.MapX <= x1 && a.MapY >= y0 && a.MapY <= y1)
            .Select(a => new AditPoint(a.Id, a.Lon, a.Lat)).ToListAsync(ct);
    }

    private async Task<List<EarlierPatch>> EarlierAsync(Guid batchId, Envelope box, CancellationToken ct) =>
        (await db.Beyond<SatellitePatch>(ScopeExit.SystemJudgement).Where(db.CurrentUser.Scope.Predicate<SatellitePatch>(p => p.DivisionCode))
            .Where(p => p.BatchId != batchId && p.MinLon <= box.MaxX && p.MaxLon >= box.MinX && p.MinLat <= box.MaxY && p.MaxLat >= box.MinY)
            .Select(p => new { p.Id, p.GeometryGeoJson }).ToListAsync(ct))
        .Select(p => new EarlierPatch(p.Id, GeoJson.ReadFirstGeometry(p.GeometryGeoJson))).ToList();

    /// <summary>Batches the caller sees: filed in their scope (the province) or holding patches they see.</summary>
    public async Task<List<BatchView>> BatchesAsync(CancellationToken ct)
    {
        var ids = await db.Set<SatellitePatch>().Select(p => p.BatchId).Distinct().ToListAsync(ct);
        var batches = await db.Beyond<SatelliteBatch>(ScopeExit.LinkedLabel).Where(b => ids.Contains(b.Id)).ToListAsync(ct);
        batches.AddRange(await db.Set<SatelliteBatch>().Where(b => !ids.Contains(b.Id)).ToListAsync(ct));
        var views = new List<BatchView>();
        foreach (var b in batches.OrderByDescending(b => b.ImportedUtc)) views.Add(await ViewAsync(b, ct));
        return views;
    }

    public async Task<BatchView?> BatchAsync(Guid id, CancellationToken ct) =>
        (await BatchesAsync(ct)).FirstOrDefault(b => b.Id == id);

    /// <summary>A batch's progress per county, counted in the database over the patches the caller sees.</summary>
    public async Task<BatchView> ViewAsync(SatelliteBatch b, CancellationToken ct)
    {
        var overdue = Today > b.DueOn;
        var rows = await db.Set<SatellitePatch>().Where(p => p.BatchId == b.Id).GroupBy(p => new { p.DivisionCode, p.State })
            .Select(g => new { g.Key.DivisionCode, g.Key.State, Count = g.Count() }).ToListAsync(ct);
        var names = await db.DivisionNamesAsync(rows.Select(r => r.DivisionCode), ct);
        var counties = rows.GroupBy(r => r.DivisionCode).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            int Of(PatchState s) => g.Where(r => r.State == s).Sum(r => r.Count);
            var found = g.Sum(r => r.Count);
            return new CountyProgress(g.Key, names.GetValueOrDefault(g.Key, g.Key), found, found - Of(PatchState.Checking), Of(PatchState.Reviewing),
                Of(PatchState.Closed), overdue ? Of(PatchState.Checking) : 0);
        }).ToList();
        return new BatchView(b.Id, b.BatchKey, b.DivisionCode, b.PeriodFrom, b.PeriodTo, b.Crs, b.DueOn, b.ImportedUtc, counties);
    }
}
