using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Features.Admin;
using MineGuard.Features.Mines;
using MineGuard.Platform.Imports;
using MineGuard.Platform.Excel;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.People;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Imports;

/// <summary>
/// 矿山台账: the licensed-mine ledger. A row is checked by <see cref="MineCommands.ValidateAndCreateAsync"/>, the very
/// check the form uses, so the rules and messages are the same (boundary, projected coordinates, minerals, dates,
/// a licence number registered anywhere in the country); a licence number used twice within the file is caught here
/// and reported with the row it clashes with.
/// </summary>
public sealed class MineLedger : LedgerKind
{
    public static readonly IReadOnlyList<SheetField> MineFields =
    [
        new(nameof(MineInput.Name), "矿山名称", true, ["名称", "矿山", "矿山名", "矿名", "name"]),
        new(nameof(MineInput.RightsHolder), "矿业权人", true, ["采矿权人", "企业名称", "矿权人", "权利人", "rights holder"]),
        new(nameof(MineInput.LicenceNumber), "许可证号", true, ["采矿许可证号", "证号", "许可证编号", "采矿证号", "licence number", "license number"]),
        new(nameof(MineInput.Mineral), "矿种", true, ["开采矿种", "主矿种", "矿产", "mineral"]),
        new(nameof(MineInput.Township), "乡镇", false, ["所在乡镇", "乡镇名称", "所属乡镇", "township", "town"]),
        new(nameof(MineInput.Boundary), "拐点坐标", true, ["矿区范围", "范围坐标", "边界", "矿区范围拐点坐标", "boundary"]),
        new(nameof(MineInput.BoundaryCrs), "坐标系", false, ["坐标系统", "坐标类型", "crs"]),
        // Not required as columns: a closing mine's licence dates may be lost, which the check allows row by row.
        new(nameof(MineInput.ValidFrom), "有效期起", false, ["发证日期", "有效期始", "有效期自", "有效期开始", "valid from"]),
        new(nameof(MineInput.ValidTo), "有效期止", false, ["有效期至", "到期日期", "有效期截止", "截止日期", "valid to"]),
        new(nameof(MineInput.Status), "生产状态", true, ["状态", "生产状况", "status"]),
        new(nameof(MineInput.StatusSince), "状态变更日期", false, ["状态日期", "停产日期", "状态变更时间", "status since"]),
        .. ResponsibleColumns.Fields,
    ];

    public override string Kind => "mines";

    public override string Noun => "矿山";

    public override string? CrsField => nameof(MineInput.BoundaryCrs);

    public override IReadOnlyList<SheetField> Fields => MineFields;

    private static readonly IReadOnlyList<ValueColumn> MineValues =
    [
        new(nameof(MineInput.Mineral), [.. AditNames.Minerals.Values], t => LicenceFields.TryParseMineral(t, out _)),
        new(nameof(MineInput.Status), [.. MineNames.Statuses.Values], t => LicenceFields.TryParseStatus(t, out _)),
    ];

    public override IReadOnlyList<ValueColumn> ValueColumns => MineValues;

    public override IReadOnlyList<object?> Example =>
    [
        "示例", "嵩县某某矿业有限公司", "C4100002010000000001", "金", "城关镇",
        "112.0500,34.1300\n112.0600,34.1300\n112.0600,34.1400\n112.0500,34.1400", "WGS84",
        new DateOnly(2022, 1, 1), new DateOnly(2027, 12, 31), "生产", null, .. ResponsibleColumns.Example,
    ];

    public override double ColumnWidth(string key) => ResponsibleColumns.ColumnWidth(key) ?? key switch
    {
        nameof(MineInput.Name) or nameof(MineInput.RightsHolder) => 24,
        nameof(MineInput.LicenceNumber) or nameof(MineInput.Boundary) => 24,
        _ => 12,
    };

    public override bool OneImportAtATime => true;

    public override async Task<LedgerRun> StartAsync(AppDbContext db, Division county, JurisdictionScope scope, bool commit, CancellationToken ct)
    {
        // Licence numbers are unique nationwide, so two mine imports (into any counties) wait for each other.
        if (commit) await db.LockAsync(LockKey.MineLedger, ct);
        return new Run(new MineCommands(db), county.Code, await CountyPeople.LoadAsync(db, county.Code, ct), db.Clock);
    }

    public override async Task<int> UndoAsync(AppDbContext db, ImportBatch batch, CancellationToken ct)
    {
        // The batch was found in the caller's scope; its rows are its own, wherever below that they lie.
        var rows = db.Set<LicensedMine>().Beyond(ScopeExit.SystemJudgement).Where(m => m.ImportBatchId == batch.Id);
        var since = batch.ChangedAfterUtc;
        var mines = await rows.AsNoTracking().Select(m => new { m.Id, m.LicenceNumber, m.UpdatedUtc }).ToListAsync(ct);
        var changed = mines.Where(m => m.UpdatedUtc > since).Select(m => m.Id).ToHashSet();
        // An edit within the same clock tick leaves UpdatedUtc equal, but it leaves an audit record, and the import
        // itself wrote none for its rows.
        var ids = mines.ToDictionary(m => m.Id.ToString(), m => m.Id);
        var audited = await db.AuditRecords.Beyond(ScopeExit.SystemJudgement).AsNoTracking()
            .Where(r => r.EntityType == nameof(LicensedMine) && r.AtUtc >= since).Select(r => r.EntityId).ToListAsync(ct);
        changed.UnionWith(audited.Where(ids.ContainsKey).Select(id => ids[id]));
        var numbers = mines.Where(m => changed.Contains(m.Id)).Select(m => m.LicenceNumber).Order(StringComparer.Ordinal).Take(5).ToList();
        Rule.Check(changed.Count == 0, "ImportChangedSince",
            $"本批次导入的矿山中有 {changed.Count} 个在导入后已被修改（如许可证号 {string.Join("、", numbers)}），不能整批撤销；请逐个处理这些矿山");
        return await rows.ExecuteDeleteAsync(ct);
    }

    private sealed class Run(MineCommands commands, string countyCode, CountyPeople people, TimeProvider clock) : LedgerRun<Run.Row>
    {
        /// <summary>An accepted row: the checked mine, its 责任人, and the 责任人 it names for the first time in this file.</summary>
        public sealed record Row(LicensedMine Mine, Guid? PersonId, NewPerson? Person);

        // The form's check is asynchronous (it asks the database whether a licence number is taken); it runs for a
        // chunk's rows before they are taken in order, and its outcome waits here by Excel row number.
        private readonly Dictionary<int, (LicensedMine? Mine, FieldErrors Errors)> checkedRows = [];

        // Accepted rows of this file by licence number, for messages that name the row a duplicate clashes with.
        private readonly Dictionary<string, int> inFile = new(StringComparer.Ordinal);

        public override async Task PrepareAsync(IReadOnlyList<LedgerRow> rows, CancellationToken ct)
        {
            checkedRows.Clear();
            foreach (var row in rows)
                checkedRows[row.Number] = await commands.ValidateAndCreateAsync(Input(row), importBatchId: null, isDemo: false, ct);
        }

        protected override (Row? Valid, FieldErrors Errors) Validate(LedgerRow row)
        {
            var (mine, errors) = checkedRows[row.Number];
            var person = ResponsibleColumns.Match(people, row, errors);
            var licence = LicenceFields.NormalizeLicenceNumber(row[nameof(MineInput.LicenceNumber)]);
            if (licence.Length > 0 && inFile.TryGetValue(licence, out var first))
                errors[nameof(MineInput.LicenceNumber)] = [$"许可证号“{licence}”与本表第 {first} 行重复"];
            if (!errors.Ok || mine is null) return (null, errors);
            inFile[licence] = row.Number;
            var (personId, _, created) = ResponsibleColumns.Accept(people, person, row, mine.DivisionCode);
            return (new Row(mine, personId, created), errors);
        }

        /// <summary>The row's new 责任人 (once per phone) and the checked mine, registered again under the batch (unknown while the rows were checked).</summary>
        protected override IEnumerable<object> Create(Row row, Guid batchId)
        {
            var m = row.Mine;
            var mine = LicensedMine.Register(new LicensedMine.Licence(m.Name, m.RightsHolder, m.LicenceNumber, m.Mineral, m.ValidFrom, m.ValidTo, m.Status),
                m.CountyCode, m.DivisionCode, m.BoundaryGeoJson, (m.MinLon, m.MinLat, m.MaxLon, m.MaxLat), m.CreatedUtc, batchId, isDemo: false, statusSince: m.StatusChanges.FirstOrDefault()?.SinceOn);
            mine.NameResponsible(row.PersonId);
            return row.Person is { } person ? [person.ToPerson(batchId, clock.GetUtcNow().UtcDateTime), mine] : [mine];
        }

        private MineInput Input(LedgerRow row) => new(
            row[nameof(MineInput.Name)], row[nameof(MineInput.RightsHolder)], row[nameof(MineInput.LicenceNumber)],
            row[nameof(MineInput.Mineral)], row[nameof(MineInput.Township)], row[nameof(MineInput.Boundary)],
            row[nameof(MineInput.ValidFrom)], row[nameof(MineInput.ValidTo)], row[nameof(MineInput.Status)],
            County: countyCode, BoundaryCrs: row[nameof(MineInput.BoundaryCrs)], StatusSince: row[nameof(MineInput.StatusSince)]);
    }
}
