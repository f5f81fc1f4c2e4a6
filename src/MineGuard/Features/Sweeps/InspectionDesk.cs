using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Features.Assignments;
using MineGuard.Features.Clues;
using MineGuard.Features.Mines;
using MineGuard.Features.Patrols;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Time;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Sweeps;

public sealed record ProblemInput(string? Classification, string? Description, string? Place, bool? Lead, Guid? ClueId);

/// <summary>
/// An inspection as the office's form or the field app sends it. <paramref name="Id"/> is the client's id (made on the
/// phone): the same id with the same content is stored once, with other content refused (409 SyncConflict).
/// </summary>
public sealed record InspectionInput(Guid? Id, Guid? SweepId, string? PlaceKind, Guid? AditId, Guid? MineId, string? PlaceName, string? DivisionCode,
    double? Lon, double? Lat, string? At, Dictionary<string, bool>? Answers, string? Signer, string? Note, ProblemInput[]? Problems);

public sealed record AnswerView(string Key, string Question, bool Problem);

public sealed record PhotoView(Guid Id, string FileName, string Url);

public sealed record InspectionView(Guid Id, Guid? SweepId, string? SweepName, string PlaceKind, string PlaceKindName, Guid? AditId, Guid? MineId,
    string PlaceName, string DivisionCode, string DivisionName, double? Lon, double? Lat, IReadOnlyList<AnswerView> Answers, string? Note,
    string InspectorName, string SignerName, DateTime AtUtc, IReadOnlyList<PhotoView> Photos, IReadOnlyList<ProblemView> Problems);

/// <summary>
/// 检查记录: one place inspected, checked and stored with its problems in one unit of work; a problem that is a lead
/// (someone digging) opens a clue through <see cref="ClueIntake"/> instead of waiting for rectification.
/// </summary>
public sealed class InspectionDesk(AppDbContext db, ProblemLedger ledger)
{
    public const int MaxProblems = 50;

    private DateTime Now => db.Clock.GetUtcNow().UtcDateTime;

    public enum Outcome { Created, Duplicate }

    public async Task<(Inspection? Inspection, Outcome Outcome, FieldErrors Errors)> CreateAsync(InspectionInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var id = input.Id is { } given && given != Guid.Empty ? given : Guid.CreateVersion7();
        var kind = Blank(input.PlaceKind);
        if (kind is null || !PlaceKinds.Names.ContainsKey(kind))
            errors.Add(nameof(input.PlaceKind), "检查地点类型只能是 " + string.Join("、", PlaceKinds.Names.Select(k => $"{k.Key}（{k.Value}）")));
        string? division = null;
        var placeName = Blank(input.PlaceName);
        if (placeName is { Length: > 200 }) errors.Add(nameof(input.PlaceName), "地点名称不能超过 200 个字符");
        Guid? aditId = null, mineId = null;
        if (kind == "adit")
        {
            var adit = input.AditId is { } a ? await db.Set<Adit>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == a, ct) : null;
            if (adit is null) errors.Add(nameof(input.AditId), input.AditId is null ? "请选择所检查的矿硐" : "矿硐不在您的管辖范围内");
            else (division, aditId, placeName) = (adit.DivisionCode, adit.Id, placeName ?? adit.Number + (adit.Name is { } n ? $"（{n}）" : ""));
        }
        else if (kind == "mine")
        {
            var mine = input.MineId is { } m ? await db.Set<LicensedMine>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == m, ct) : null;
            if (mine is null) errors.Add(nameof(input.MineId), input.MineId is null ? "请选择所检查的矿山" : "矿山不在您的管辖范围内");
            else (division, mineId, placeName) = (mine.DivisionCode, mine.Id, placeName ?? mine.Name);
        }
        if (kind is not null and not "adit" and not "mine")
        {
            division = Blank(input.DivisionCode);
            if (division is null) errors.Add(nameof(input.DivisionCode), "请选择检查地点所在区划");
            else if (!db.CurrentUser.Scope.Contains(division) || !await db.Divisions.AnyAsync(d => d.Code == division, ct))
                errors.Add(nameof(input.DivisionCode), "检查地点所在区划不在您的管辖范围内");
            if (placeName is null) errors.Add(nameof(input.PlaceName), "请填写检查地点名称（村庄、煤场或路段）");
        }
        if (input.Lon is { } lon != input.Lat is { }) errors.Add(input.Lon is null ? nameof(input.Lon) : nameof(input.Lat), "经度和纬度须同时填写");
        if (input.Lon is { } x && x is not (>= 73 and <= 136)) errors.Add(nameof(input.Lon), "经度不正确（应在 73 至 136 之间）");
        if (input.Lat is { } y && y is not (>= 3 and <= 54)) errors.Add(nameof(input.Lat), "纬度不正确（应在 3 至 54 之间）");
        var at = Now;
        if (Blank(input.At) is { } atText)
        {
            if (!DateTimeOffset.TryParse(atText, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) || !atText.Contains('T'))
                errors.Add(nameof(input.At), "检查时间格式不正确（如 2026-12-04T09:30:00+08:00）");
            else if (parsed.UtcDateTime > Now.AddMinutes(10)) errors.Add(nameof(input.At), "检查时间不能晚于现在");
            else at = parsed.UtcDateTime;
        }
        Sweep? sweep = null;
        if (input.SweepId is { } sid)
        {
            sweep = await db.Set<Sweep>().Beyond(ScopeExit.AssignedToCaller).AsNoTracking().Include(s => s.Areas)
                .FirstOrDefaultAsync(s => s.Id == sid && db.Set<SweepArea>().Any(a => a.SweepId == s.Id), ct);
            if (sweep is null) errors.Add(nameof(input.SweepId), "排查行动不存在");
            else if (division is not null && !sweep.Areas.Any(a => division.StartsWith(a.DivisionCode, StringComparison.Ordinal)))
                errors.Add(nameof(input.SweepId), "检查地点不在该排查行动的排查区域内");
        }
        ChecklistTemplate? template = null;
        if (sweep?.TemplateId is { } tid) template = await db.Set<ChecklistTemplate>().Beyond(ScopeExit.InheritedSettings).AsNoTracking().FirstOrDefaultAsync(t => t.Id == tid, ct);
        var questions = Checklists.Of(template);
        var answers = new SortedDictionary<string, bool>(StringComparer.Ordinal);
        foreach (var (key, value) in input.Answers ?? [])
        {
            if (questions.All(q => q.Key != key)) errors.Add(nameof(input.Answers), $"检查项“{key}”不在检查表中");
            else answers[key] = value;
        }
        var signer = Blank(input.Signer) ?? db.CurrentUser.DisplayName;
        if (signer.Length > 100) errors.Add(nameof(input.Signer), "签字人不能超过 100 个字符");
        var note = Blank(input.Note);
        if (note is { Length: > 2000 }) errors.Add(nameof(input.Note), "备注不能超过 2000 个字符");
        var problems = new List<(string Class, string Description, string? Place, bool Lead, Guid? ClueId)>();
        if (input.Problems is { Length: > MaxProblems }) errors.Add(nameof(input.Problems), $"一次检查最多记录 {MaxProblems} 个问题");
        else
        {
            for (var i = 0; i < (input.Problems?.Length ?? 0); i++)
            {
                var p = input.Problems![i];
                var lead = p?.Lead == true;
                var cls = Blank(p?.Classification) ?? (lead ? "digging" : null);
                var description = Blank(p?.Description);
                var place = Blank(p?.Place);
                if (cls is null || !ProblemClasses.Names.ContainsKey(cls))
                    errors.Add(nameof(input.Problems), $"第 {i + 1} 个问题的分类只能是 " + string.Join("、", ProblemClasses.Names.Select(k => $"{k.Key}（{k.Value}）")));
                else if (description is null) errors.Add(nameof(input.Problems), $"请填写第 {i + 1} 个问题的描述");
                else if (description.Length > 1000) errors.Add(nameof(input.Problems), $"第 {i + 1} 个问题的描述不能超过 1000 个字符");
                else if (place is { Length: > 200 }) errors.Add(nameof(input.Problems), $"第 {i + 1} 个问题的位置不能超过 200 个字符");
                else if (p!.ClueId is { } cid && !await db.Set<Clue>().AnyAsync(c => c.Id == cid, ct))
                    errors.Add(nameof(input.Problems), $"第 {i + 1} 个问题关联的线索不存在");
                else problems.Add((cls, description, place, lead, p.ClueId));
            }
        }
        if (!errors.Ok) return (null, Outcome.Created, errors);

        var answersJson = JsonSerializer.Serialize(answers);
        var hash = SyncHash.Of(JsonSerializer.Serialize(new
        {
            sweep = sweep?.Id, kind, aditId, mineId, division, placeName, input.Lon, input.Lat, at = at.ToString("O"), answers, signer, note,
            problems = problems.Select(p => new { p.Class, p.Description, p.Place, p.Lead, p.ClueId }),
        }));
        if (await db.Set<Inspection>().Beyond(ScopeExit.Uniqueness).AsNoTracking().Where(i => i.Id == id).Select(i => i.PayloadHash).FirstOrDefaultAsync(ct) is { } stored)
        {
            Rule.Check(stored == hash, "SyncConflict", "同一编号的检查记录内容不同，已拒收");
            return (await db.Set<Inspection>().Beyond(ScopeExit.Uniqueness).AsNoTracking().FirstAsync(i => i.Id == id, ct), Outcome.Duplicate, errors);
        }
        var inspection = Inspection.Create(id, division!, sweep?.Id, kind!, aditId, mineId, placeName!, input.Lon, input.Lat, template?.Id, answersJson, note,
            db.CurrentUser.Id, db.CurrentUser.DisplayName, signer, at, Now, hash);
        db.Add(inspection);
        var seq = 0;
        foreach (var p in problems)
        {
            var problem = Problem.Create(Guid.CreateVersion7(), inspection, ++seq, p.Class, p.Description, p.Place ?? placeName!, p.ClueId, p.Lead);
            db.Add(problem);
            if (p.Lead && p.ClueId is null
                && await ClueIntake.OpenAsync(db, new ClueLead("inspection", problem.Id, $"排查发现：{p.Description}（{problem.Place}，签字人 {signer}）",
                    division!, aditId), ct) is { } clue)
                problem.BecameClue(clue.Id);
        }
        // The same id raced in from a second request: the same content is a duplicate, other content a conflict.
        if (!await SyncSave.OnceAsync(db, () => db.Set<Inspection>().Beyond(ScopeExit.Uniqueness).AnyAsync(i => i.Id == id && i.PayloadHash == hash, ct), ct))
            return (await db.Set<Inspection>().Beyond(ScopeExit.Uniqueness).AsNoTracking().FirstAsync(i => i.Id == id, ct), Outcome.Duplicate, errors);
        return (inspection, Outcome.Created, errors);
    }

    public IQueryable<Inspection> Visible => db.Set<Inspection>();

    public (IOrderedQueryable<Inspection>? Query, FieldErrors Errors) Filter(Guid? sweepId, string? q)
    {
        var errors = new FieldErrors();
        var query = Visible.AsNoTracking();
        if (ListPaging.Keyword(q, errors) is { } text)
            query = query.Where(i => i.PlaceName.Contains(text) || i.InspectorName.Contains(text) || i.SignerName.Contains(text));
        if (!errors.Ok) return (null, errors);
        if (sweepId is { } s) query = query.Where(i => i.SweepId == s);
        return (query.OrderByDescending(i => i.AtUtc).ThenBy(i => i.Id), errors);
    }

    public async Task<List<InspectionView>> ViewsAsync(List<Inspection> rows, CancellationToken ct)
    {
        var ids = rows.Select(r => r.Id).ToList();
        var sweepIds = rows.Where(r => r.SweepId is not null).Select(r => r.SweepId!.Value).Distinct().ToList();
        var sweeps = await db.Set<Sweep>().Beyond(ScopeExit.LinkedLabel).Where(s => sweepIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        var templateIds = rows.Where(r => r.TemplateId is not null).Select(r => r.TemplateId!.Value).Distinct().ToList();
        var templates = await db.Set<ChecklistTemplate>().Beyond(ScopeExit.InheritedSettings).AsNoTracking().Where(t => templateIds.Contains(t.Id))
            .ToDictionaryAsync(t => t.Id, ct);
        var photos = (await db.Set<EvidenceFile>().Beyond(ScopeExit.ChildrenOfVisible).AsNoTracking()
            .Where(f => f.SubjectType == Inspection.FileSubject && ids.Contains(f.SubjectId)).OrderBy(f => f.AddedUtc).ToListAsync(ct)).ToLookup(f => f.SubjectId);
        var problems = (await ledger.ViewsAsync(await db.Set<Problem>().AsNoTracking().Where(p => ids.Contains(p.InspectionId)).OrderBy(p => p.Seq).ToListAsync(ct), ct))
            .ToLookup(p => p.InspectionId);
        var names = await db.DivisionNamesAsync(rows.Select(r => r.DivisionCode).Distinct().ToList(), ct);
        return rows.Select(i =>
        {
            var questions = Checklists.Of(i.TemplateId is { } t ? templates.GetValueOrDefault(t) : null);
            var answers = JsonSerializer.Deserialize<Dictionary<string, bool>>(i.Answers) ?? [];
            return new InspectionView(i.Id, i.SweepId, i.SweepId is { } s ? sweeps.GetValueOrDefault(s) : null, i.PlaceKind,
                PlaceKinds.NameOf(i.PlaceKind), i.AditId, i.MineId, i.PlaceName, i.DivisionCode,
                names.GetValueOrDefault(i.DivisionCode, i.DivisionCode), i.Lon, i.Lat,
                questions.Where(q => answers.ContainsKey(q.Key)).Select(q => new AnswerView(q.Key, q.Text, answers[q.Key])).ToList(), i.Note,
                i.InspectorName, i.SignerName, i.AtUtc,
                photos[i.Id].Select(f => new PhotoView(f.Id, f.FileName, $"/api/inspections/{i.Id}/photos/{f.Id}")).ToList(), problems[i.Id].ToList());
        }).ToList();
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
