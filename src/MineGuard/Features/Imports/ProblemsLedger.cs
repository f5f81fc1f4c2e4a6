using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Admin;
using MineGuard.Features.Sweeps;
using MineGuard.Platform.Excel;
using MineGuard.Platform.Imports;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Imports;

/// <summary>
/// 问题台账/整改台账 in the upward layout (序号, 问题描述, 所在位置, 发现时间, 发现人, 整改措施, 责任单位, 责任人, 整改时限, 完成情况,
/// 验收人, 销号时间: what <see cref="RectificationsApi.LedgerPlan"/> writes). A row is checked by <see cref="ProblemRows"/>;
/// each accepted row becomes a problem of the 问题台账 with its own inspection (who found it, where, when), filed in the
/// county (or the uploader's part of it) under the batch. A problem already in the county's ledger (same description,
/// place and minute found) or earlier in the file is a row error, so the same file imported twice stores nothing twice.
/// </summary>
public sealed class ProblemsLedger : LedgerKind
{
    // Never 序号: it counts the ledger's rows.
    public static readonly IReadOnlyList<SheetField> ProblemFields =
    [
        new(ProblemRows.Description, "问题描述", true, ["问题", "存在问题", "问题内容", "发现问题", "隐患描述", "问题情况"]),
        new(ProblemRows.Place, "所在位置", true, ["位置", "地点", "问题位置", "所在地点", "具体位置", "所在地"]),
        new(ProblemRows.FoundAt, "发现时间", true, ["发现日期", "排查时间", "检查时间", "排查日期", "检查日期"]),
        new(ProblemRows.FoundBy, "发现人", true, ["排查人", "检查人", "排查人员", "签字人"]),
        new(ProblemRows.Measures, "整改措施", false, ["整改要求", "整改措施及要求", "措施"]),
        new(ProblemRows.ResponsibleUnit, "责任单位", false, ["整改责任单位", "责任部门"]),
        new(ProblemRows.Responsible, "责任人", false, ["整改责任人"]),
        new(ProblemRows.DueOn, "整改时限", false, ["整改期限", "完成时限", "整改完成时限"]),
        new(ProblemRows.Completion, "完成情况", false, ["整改情况", "整改完成情况", "整改进展"]),
        new(ProblemRows.Verifier, "验收人", false, ["验收责任人", "核验人"]),
        new(ProblemRows.ClosedAt, "销号时间", false, ["销号日期", "验收时间", "验收日期"]),
    ];

    public override string Kind => "problems";

    public override string Noun => "问题";

    public override IReadOnlyList<SheetField> Fields => ProblemFields;

    public override IReadOnlyList<object?> Example =>
    [
        "示例", "城关镇后沟村1号硐", "2026-11-02 10:30", "张三（签字人 李四）", "浆砌封堵、回填井口", "城关镇人民政府", "王五", "2026-11-30",
        "整改中", null, null,
    ];

    public override double ColumnWidth(string key) => key switch
    {
        ProblemRows.Description or ProblemRows.Measures or ProblemRows.Completion => 30,
        ProblemRows.Place or ProblemRows.FoundBy or ProblemRows.ResponsibleUnit => 18,
        ProblemRows.FoundAt or ProblemRows.ClosedAt => 17,
        _ => 12,
    };

    public override async Task<LedgerRun> StartAsync(AppDbContext db, Division county, JurisdictionScope scope, bool commit, CancellationToken ct)
    {
        // Two imports into one county wait for each other, so neither misses the other's rows as duplicates.
        if (commit) await db.LockAsync(LockKey.ProblemsLedger, county.Code, ct);
        var division = scope.Contains(county.Code) ? county.Code : scope.Code;
        return new Run(await ProblemRows.ExistingAsync(db, county.Code, ct), division, db.Clock);
    }

    public override async Task<int> UndoAsync(AppDbContext db, ImportBatch batch, CancellationToken ct)
    {
        // The batch was found in the caller's scope; its rows are its own, wherever below that they lie.
        var rows = db.Set<Problem>().Beyond(ScopeExit.SystemJudgement).Where(p => p.ImportBatchId == batch.Id);
        var since = batch.ChangedAfterUtc;
        var problems = await rows.AsNoTracking().Select(p => new { p.Id, p.InspectionId, p.Description, Used = p.AssignmentId != null || p.ClueId != null || p.Repeats > 0 })
            .ToListAsync(ct);
        var changed = problems.Where(p => p.Used).Select(p => p.Id).ToHashSet();
        // A change the problem itself does not show still leaves an audit record; the import wrote none for its rows.
        var ids = problems.ToDictionary(p => p.Id.ToString(), p => p.Id);
        var audited = await db.AuditRecords.Beyond(ScopeExit.SystemJudgement).AsNoTracking()
            .Where(r => r.EntityType == nameof(Problem) && r.AtUtc >= since && (r.Action == "update" || r.Action == "delete"))
            .Select(r => r.EntityId).ToListAsync(ct);
        changed.UnionWith(audited.Where(ids.ContainsKey).Select(id => ids[id]));
        var names = problems.Where(p => changed.Contains(p.Id)).Select(p => p.Description.Length > 20 ? p.Description[..20] + "…" : p.Description)
            .Order(StringComparer.Ordinal).Take(3).ToList();
        Rule.Check(changed.Count == 0, "ImportChangedSince",
            $"本批次导入的问题中有 {changed.Count} 个在导入后已列入整改或有变更（如“{string.Join("”“", names)}”），不能整批撤销；请逐个处理这些问题");
        var inspections = problems.Select(p => p.InspectionId).ToList();
        var deleted = await rows.ExecuteDeleteAsync(ct);
        await db.Set<Inspection>().Beyond(ScopeExit.SystemJudgement)
            .Where(i => inspections.Contains(i.Id) && i.PlaceKind == PlaceKinds.Ledger).ExecuteDeleteAsync(ct);
        return deleted;
    }

    private sealed class Run(HashSet<string> existing, string divisionCode, TimeProvider clock) : LedgerRun<ProblemRows.Row>
    {
        // Accepted rows of this file by key, for messages that name the row a duplicate repeats.
        private readonly Dictionary<string, int> inFile = new(StringComparer.Ordinal);

        protected override (ProblemRows.Row? Valid, FieldErrors Errors) Validate(LedgerRow row)
        {
            var (valid, errors) = ProblemRows.Check(key => row[key], clock.GetUtcNow().UtcDateTime);
            if (valid is null) return (null, errors);
            if (inFile.TryGetValue(valid.Key, out var first))
                errors.Add(ProblemRows.Description, $"与本表第 {first} 行是同一问题（问题描述、所在位置和发现时间相同）");
            else if (existing.Contains(valid.Key))
                errors.Add(ProblemRows.Description, "问题台账中已有该问题（问题描述、所在位置和发现时间相同），不再重复导入");
            if (!errors.Ok) return (null, errors);
            inFile[valid.Key] = row.Number;
            return (valid, errors);
        }

        /// <summary>The row's inspection, then its problem.</summary>
        protected override IEnumerable<object> Create(ProblemRows.Row valid, Guid batchId)
        {
            var inspection = Inspection.FromLedger(divisionCode, valid.Place, valid.FoundUtc, valid.FoundBy, valid.Signer, valid.Record,
                clock.GetUtcNow().UtcDateTime);
            return [inspection, Problem.FromLedger(inspection, valid.Description, valid.Measures, batchId)];
        }
    }
}
