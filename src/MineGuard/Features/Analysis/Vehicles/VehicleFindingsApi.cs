using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Cases;
using MineGuard.Features.Clues;
using MineGuard.Features.Monitoring;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Hosting;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.People;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Analysis;

public sealed record VehicleCompanionView(string Plate, int Days, int Passes);

/// <summary>One plate's finding as the contract gives it: the plate (masked unless the reader sees full plates), counts, companions, score 0–1, explanation.</summary>
public sealed record VehicleFindingView(string Plate, int Passages, int Checkpoints, int Night, int? AbsentDays, bool Returned,
    List<VehicleCompanionView> Companions, List<string> Links, double Score, string Explanation);

/// <summary>The window analysed (UTC), the passages read in the caller's scope, whether plates are masked, and the findings (highest score first).</summary>
public sealed record VehicleFindingsView(DateTime From, DateTime To, int Passages, bool Masked, List<VehicleFindingView> Findings);

/// <summary>
/// 车辆研判 over HTTP: the checkpoint passages in the caller's scope analysed for a window (<see cref="VehicleAnalyser"/>).
/// Plates are personal data: the office, leaders and the public-security department see them in full (every such read
/// is audited); administrators and other departments see them masked (粤B***45); patrol members, responsible persons
/// and reward officers do not read vehicle findings at all (403).
/// </summary>
public sealed partial class VehicleFindingsApi : IFeature
{
    public const int MaxDays = 366;
    public const int DefaultDays = 30;

    /// <summary>How far before the window a plate's last passage is looked for (a longer absence reads as "first seen").</summary>
    public const int LookbackDays = 180;

    public static void AddServices(IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton<VehicleScanJob>();
        services.AddHostedService(sp => sp.GetRequiredService<VehicleScanJob>());
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        var staff = app.MapGroup("/api/analysis").RequireAuthorization(Policies.Staff).WithTags("analysis");
        staff.MapGet("/vehicle-findings", List)
            .WithSummary("卡口车辆研判：夜间、频繁、久未出现后再现、同行车辆及涉案关联（from、to 为起止时间；车牌按权限脱敏）");
        var office = app.MapGroup("/api/analysis").RequireAuthorization(Policies.Office).WithTags("analysis");
        office.MapPost("/vehicle-findings/clues", Clues)
            .WithSummary("将卡口车辆研判结果（分值达到线索门槛的）转为线索，推送乡镇和公安部门（同一车辆、乡镇和原因只转一次；已说明的不再转）");
        office.MapPost("/vehicle-findings/{id:guid}/explain", Explain)
            .WithSummary("说明卡口车辆研判结果的原因（已说明），此后同一车辆同一原因不再转为线索");
    }

    /// <summary>Who reads vehicle findings (<see cref="VehiclePlates.MayReadFindings"/>).</summary>
    public static bool MayRead(CurrentUser user) => VehiclePlates.MayReadFindings(user);

    /// <summary>Who sees full plates (<see cref="VehiclePlates.SeesFull"/>).</summary>
    public static bool SeesFullPlates(CurrentUser user) => VehiclePlates.SeesFull(user);

    public static async Task<Results<Ok<VehicleFindingsView>, ValidationProblem, ForbidHttpResult>> List(string? from, string? to, AppDbContext db,
        CancellationToken ct)
    {
        if (!MayRead(db.CurrentUser)) return TypedResults.Forbid();
        var errors = new FieldErrors();
        var (start, end) = Window(from, to, db, errors);
        if (!errors.Ok) return errors.ToProblem();
        return TypedResults.Ok(await FindingsAsync(db, start, end, ct));
    }

    /// <summary>What one analysis read and found: the passages' count, each plate's busiest checkpoint, the findings.</summary>
    public sealed record Analysis(int Passages, Dictionary<string, Guid> MainCheckpoint, List<VehicleFinding> Findings);

    /// <summary>Analyses the caller's passages in [start, end) (the scope filter of <see cref="VehiclePassage"/> applies).</summary>
    public static async Task<Analysis> AnalyseAsync(AppDbContext db, DateTime start, DateTime end, bool keyPersons, CancellationToken ct)
    {
        var set = db.Set<VehiclePassage>().AsNoTracking();
        var rows = await set.Where(p => p.Utc >= start && p.Utc < end).Select(p => new { p.DeviceId, p.Plate, p.Utc }).ToListAsync(ct);
        var checkpoints = new Dictionary<Guid, int>();
        var passages = new List<PlatePassage>(rows.Count);
        foreach (var r in rows)
        {
            if (!checkpoints.TryGetValue(r.DeviceId, out var c)) checkpoints[r.DeviceId] = c = checkpoints.Count;
            passages.Add(new PlatePassage(c, r.Plate, DateTime.SpecifyKind(r.Utc, DateTimeKind.Utc)));
        }

        var lookback = start.AddDays(-LookbackDays);
        var before = await set.Where(p => p.Utc >= lookback && p.Utc < start).GroupBy(p => p.Plate)
            .Select(g => new { g.Key, Last = g.Max(p => p.Utc) }).ToDictionaryAsync(g => g.Key, g => DateTime.SpecifyKind(g.Last, DateTimeKind.Utc), ct);
        var history = await set.Where(p => p.Utc >= lookback).Select(p => (DateTime?)p.Utc).MinAsync(ct);
        var context = new VehicleContext(start, end)
        {
            LastSeenBefore = before, HistoryFromUtc = history is { } h ? DateTime.SpecifyKind(h, DateTimeKind.Utc) : null, Links = await LinksAsync(db, keyPersons, ct),
        };
        var findings = VehicleAnalyser.Analyse(passages, context);
        var flagged = findings.Select(f => f.Plate).ToHashSet(StringComparer.Ordinal);
        var main = rows.Where(r => flagged.Contains(r.Plate)).GroupBy(r => r.Plate)
            .ToDictionary(g => g.Key, g => g.GroupBy(r => r.DeviceId).OrderByDescending(d => d.Count()).First().Key, StringComparer.Ordinal);
        return new Analysis(passages.Count, main, findings);
    }

    /// <summary>
    /// The plates' links: vehicles seized in the caller's cases, and — for those who may see key persons (the office and
    /// the police) — the vehicles key persons of the caller's jurisdiction use ("重点人员 姓名（常用车辆）"). Others get no
    /// key-person link at all, not even its count in the score.
    /// </summary>
    private static async Task<Dictionary<string, List<string>>> LinksAsync(AppDbContext db, bool keyPersons, CancellationToken ct)
    {
        var links = await CaseLinksAsync(db, ct);
        if (!keyPersons) return links;
        var persons = await db.Set<KeyPersons.KeyPerson>().AsNoTracking().Where(p => p.Plates != null).Select(p => new { p.Name, p.Plates }).ToListAsync(ct);
        foreach (var person in persons)
        {
            foreach (var plate in person.Plates!.Split('，', StringSplitOptions.RemoveEmptyEntries))
            {
                var key = VehiclePlates.Normalise(plate);
                if (!links.TryGetValue(key, out var list)) links[key] = list = [];
                var label = $"{KeyPersonLabel} {person.Name}（常用车辆）";
                if (!list.Contains(label)) list.Add(label);
            }
        }
        return links;
    }

    /// <summary>Vehicles seized in the caller's cases (涉案车辆), by normalised plate: "案件 N（涉案车辆）".</summary>
    private static async Task<Dictionary<string, List<string>>> CaseLinksAsync(AppDbContext db, CancellationToken ct)
    {
        var seized = await (from s in db.Set<CaseSeizure>().AsNoTracking()
                join c in db.Set<Case>().AsNoTracking() on s.CaseId equals c.Id
                where s.Plate != null
                select new { s.Plate, c.Number }).ToListAsync(ct);
        var links = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var s in seized)
        {
            var plate = VehiclePlates.Normalise(s.Plate);
            if (plate.Length == 0) continue;
            if (!links.TryGetValue(plate, out var list)) links[plate] = list = [];
            var label = $"案件 {s.Number}（涉案车辆）";
            if (!list.Contains(label)) list.Add(label);
        }
        return links;
    }

    /// <summary>Analyses the caller's passages in [start, end) and shows the findings as the caller may see them; audits a full read.</summary>
    public static async Task<VehicleFindingsView> FindingsAsync(AppDbContext db, DateTime start, DateTime end, CancellationToken ct)
    {
        var analysis = await AnalyseAsync(db, start, end, db.CurrentUser.CanSeeKeyPersons, ct);
        var full = SeesFullPlates(db.CurrentUser);
        var show = VehicleAnalyser.Shown(full);
        var views = analysis.Findings.Select(f => new VehicleFindingView(show(f.Plate), f.Passages, f.Checkpoints, f.Night, f.AbsentDays, f.Returned,
            f.Companions.Select(c => new VehicleCompanionView(show(c.Plate), c.Days, c.Passes)).ToList(), f.Links, f.Score,
            VehicleAnalyser.Explain(f, start, end, show))).ToList();
        if (full && views.Count > 0)
        {
            AuditFullRead(db, start, end, views.Count);
            await db.SaveChangesAsync(ct);
        }
        return new VehicleFindingsView(start, end, analysis.Passages, !full, views);
    }

    /// <summary>Full plates are personal data: the read is on the trail (who, when, which window, how many plates).</summary>
    private static void AuditFullRead(AppDbContext db, DateTime start, DateTime end, int plates) =>
        db.AuditRead(nameof(VehiclePassage), $"{start:yyyyMMddHH}-{end:yyyyMMddHH}", db.CurrentUser.Scope.Code,
            $"查看车辆研判完整车牌：{Platform.Time.ChinaTime.Format(start)} 至 {Platform.Time.ChinaTime.Format(end)}，{plates} 辆");

    /// <summary>A finding from this score on becomes a clue (the analyser lists from <see cref="VehicleOptions.MinScore"/>).</summary>
    public const double ClueScore = 0.5;

    public const string ClueSource = "vehicle";
    public const string PoliceDepartment = "public-security";

    /// <summary>What turning findings into clues did: findings at the clue threshold, clues opened (the rest had one).</summary>
    public sealed record VehicleCluesView(DateTime From, DateTime To, int Findings, int Opened, List<Guid> ClueIds);

    public static async Task<Results<Ok<VehicleCluesView>, ValidationProblem>> Clues(string? from, string? to, AppDbContext db, Responsibility responsibility,
        CancellationToken ct)
    {
        var errors = new FieldErrors();
        var (start, end) = Window(from, to, db, errors);
        if (!errors.Ok) return errors.ToProblem();
        var view = await RouteAsync(db, responsibility, start, end, keyPersons: db.CurrentUser.CanSeeKeyPersons, ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(view);
    }

    /// <summary>
    /// Turns the findings of [start, end) from <see cref="ClueScore"/> into clues (the office's POST and the daily
    /// <see cref="VehicleScanJob"/>): each at the township of the plate's busiest checkpoint, given to the police, through
    /// <see cref="FindingClues.OpenAsync"/>. One <see cref="VehicleFindingRecord"/> per plate, township and cause: found
    /// again it is refreshed and opens nothing; explained it is skipped. Adds to the unit of work (not saved).
    /// </summary>
    public static async Task<VehicleCluesView> RouteAsync(AppDbContext db, Responsibility responsibility, DateTime start, DateTime end, bool keyPersons,
        CancellationToken ct)
    {
        var analysis = await AnalyseAsync(db, start, end, keyPersons, ct);
        var due = analysis.Findings.Where(f => f.Score >= ClueScore).ToList();
        var devices = due.Select(f => analysis.MainCheckpoint[f.Plate]).Distinct().ToList();
        var places = await db.Devices().AsNoTracking().Where(d => devices.Contains(d.Id))
            .Select(d => new { d.Id, d.Name, d.Code, d.DivisionCode, d.AditId, d.MineId }).ToDictionaryAsync(d => d.Id, ct);
        var plates = due.Select(f => f.Plate).ToList();
        var stored = new Dictionary<(string, string, string), VehicleFindingRecord>();
        foreach (var chunk in plates.Chunk(500))
        {
            foreach (var r in await db.Set<VehicleFindingRecord>().Where(r => chunk.Contains(r.Plate)).ToListAsync(ct))
                stored[(r.Plate, r.DivisionCode, r.Cause)] = r;
        }
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var opened = new List<Guid>();
        foreach (var f in due)
        {
            var d = places[analysis.MainCheckpoint[f.Plate]];
            var township = d.DivisionCode.Length >= 9 ? d.DivisionCode[..9] : d.DivisionCode;
            var cause = VehicleCauses.Of(f);
            // The stored row keeps the key person's name (its readers are masked and audited); the clue, read at the
            // township by people who may not see key persons, says only that the plate is linked to one.
            var head = $"车辆 {f.Plate} 卡口研判（分值 {f.Score:0.00}，主要经过卡口 {d.Name}（{d.Code}））：";
            var summary = head + VehicleAnalyser.Explain(f, start, end, p => p);
            if (stored.TryGetValue((f.Plate, township, cause), out var known))
            {
                known.Refresh(f.Score, summary, now);
                continue;
            }
            var record = VehicleFindingRecord.Create(f.Plate, township, cause, d.Id, d.AditId, f.Score, summary, now);
            db.Add(record);
            stored[(f.Plate, township, cause)] = record;
            var lead = new ClueLead(ClueSource, record.Id, head + VehicleAnalyser.Explain(f, start, end, p => p, WithoutKeyPersonName), township, d.AditId,
                PoliceDepartment);
            var clue = await FindingClues.OpenAsync(db, responsibility, lead, new Place(township, d.AditId, d.Id, d.MineId), "卡口车辆研判线索", ct);
            if (clue is null) continue;
            record.Routed(clue.Id);
            opened.Add(clue.Id);
        }
        if (due.Count > 0) AuditFullRead(db, start, end, due.Count);
        return new VehicleCluesView(start, end, due.Count, opened.Count, opened);
    }

    public sealed record VehicleExplainInput([property: System.ComponentModel.DataAnnotations.MaxLength(500)] string? Note);

    /// <summary>A stored finding as its reader may see it: the plate masked unless they see full plates; the text only with full plates.</summary>
    public sealed record VehicleFindingRecordView(Guid Id, string Plate, string DivisionCode, string Cause, double Score, string? Explanation,
        string Status, string StatusName, Guid? ClueId, string? ExplanationNote, string? ExplainedBy, DateTime? ExplainedUtc);

    public static VehicleFindingRecordView ViewOf(VehicleFindingRecord r, CurrentUser reader)
    {
        var full = SeesFullPlates(reader);
        var text = !full ? null : reader.CanSeeKeyPersons ? r.Explanation : WithoutKeyPersonNames(r.Explanation);
        return new VehicleFindingRecordView(r.Id, VehicleAnalyser.Shown(full)(r.Plate), r.DivisionCode, r.Cause, r.Score, text,
            r.Status, VehicleFindingStatus.Name(r.Status), r.ClueId, r.ExplanationNote, r.ExplainedByName, r.ExplainedUtc);
    }

    private const string KeyPersonLabel = "重点人员";

    /// <summary>One link as a reader who may not see key persons reads it: a key person's link is "重点人员", without the name.</summary>
    private static string WithoutKeyPersonName(string link) => link.StartsWith(KeyPersonLabel + " ", StringComparison.Ordinal) ? KeyPersonLabel : link;

    /// <summary>A key person's link ("重点人员 姓名（常用车辆）") as the links write it.</summary>
    [System.Text.RegularExpressions.GeneratedRegex("重点人员 [^（、；]*（常用车辆）")]
    private static partial System.Text.RegularExpressions.Regex KeyPersonLink();

    /// <summary>A stored text with every key person's link reduced to "重点人员" (so "关联重点人员"): key persons are the
    /// office's and the police's to see. New text leaves the names out as it is written (<see cref="WithoutKeyPersonName"/>).</summary>
    public static string WithoutKeyPersonNames(string text) => KeyPersonLink().Replace(text, "重点人员");

    /// <summary>已说明: the office declares why the plate passes (e.g. the mine's own night shift); that plate, township and cause is not raised again.</summary>
    public static async Task<Results<Ok<VehicleFindingRecordView>, NotFound, ValidationProblem>> Explain(Guid id, VehicleExplainInput input, AppDbContext db,
        CancellationToken ct)
    {
        var (record, errors) = await ExplainAsync(db, id, input.Note, ct);
        if (record is null) return TypedResults.NotFound();
        if (!errors.Ok) return errors.ToProblem();
        return TypedResults.Ok(ViewOf(record, db.CurrentUser));
    }

    /// <summary>
    /// The explain command the API and the page share: load in the caller's scope (null: not found), check the note
    /// (errors name <c>note</c>), mark it explained (a second time is the rule <c>VehicleFindingAlreadyExplained</c>) and save.
    /// </summary>
    public static async Task<(VehicleFindingRecord? Record, FieldErrors Errors)> ExplainAsync(AppDbContext db, Guid id, string? note, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var record = await db.Set<VehicleFindingRecord>().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (record is null) return (null, errors);
        note = note?.Trim();
        if (string.IsNullOrEmpty(note)) errors.Add("note", "请填写说明（note），如“本矿夜班通勤车辆”");
        else if (note.Length > 500) errors.Add("note", "说明（note）最多 500 字");
        if (!errors.Ok) return (record, errors);
        record.Explain(note!, db.CurrentUser.Id, db.CurrentUser.DisplayName, db.Clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return (record, errors);
    }

    /// <summary>The stored findings in the caller's scope as the caller may see them, latest found first (the page's list
    /// with its 已说明 form); a read of full plates is audited as the analysis' is.</summary>
    public static async Task<List<VehicleFindingRecordView>> StoredAsync(AppDbContext db, int take, CancellationToken ct)
    {
        var rows = await db.Set<VehicleFindingRecord>().AsNoTracking().OrderByDescending(r => r.LastFoundUtc).ThenBy(r => r.Id).Take(take).ToListAsync(ct);
        if (SeesFullPlates(db.CurrentUser) && rows.Count > 0)
        {
            db.AuditRead(nameof(VehicleFindingRecord), "list", db.CurrentUser.Scope.Code, $"查看已转线索的车辆研判结果完整车牌：{rows.Count} 辆");
            await db.SaveChangesAsync(ct);
        }
        return rows.Select(r => ViewOf(r, db.CurrentUser)).ToList();
    }

    public static (DateTime Start, DateTime End) Window(string? from, string? to, AppDbContext db, FieldErrors errors)
    {
        var end = db.Clock.GetUtcNow().UtcDateTime;
        if (!string.IsNullOrWhiteSpace(to))
        {
            if (MeterReadingUpload.TryTime(to, out var t)) end = t;
            else errors.Add("to", "结束时间（to）无法识别，如 2026-11-30 或 2026-11-30T00:00:00+08:00");
        }
        var start = end.AddDays(-DefaultDays);
        if (!string.IsNullOrWhiteSpace(from))
        {
            if (MeterReadingUpload.TryTime(from, out var f)) start = f;
            else errors.Add("from", "开始时间（from）无法识别，如 2026-11-01 或 2026-11-01T00:00:00+08:00");
        }
        if (errors.Ok && start >= end) errors.Add("from", "开始时间（from）须早于结束时间（to）");
        if (errors.Ok && (end - start).TotalDays > MaxDays) errors.Add("to", $"一次最多分析 {MaxDays} 天");
        return (start, end);
    }
}
