using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Features.Admin;
using MineGuard.Platform.Imports;
using MineGuard.Platform.Excel;
using MineGuard.Platform.Geo;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.People;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Imports;

/// <summary>
/// 矿硐台账: the adit ledger. A row is checked by <see cref="AditValidator"/> like the form's input, against one
/// <see cref="AditPlaces"/> and one <see cref="AditNeighbourhood"/> for the whole county; every accepted row joins the
/// neighbourhood, so a number used twice or two rows 5 m apart are caught within the file as well as against the
/// registry, and reported with the row they clash with.
/// </summary>
public sealed class AditLedger : LedgerKind
{
    public static readonly IReadOnlyList<SheetField> AditFields =
    [
        // Never 序号 (or "No."): in Chinese ledgers it counts the rows, so taking it for the number would make adits
        // "2", "3"... A ledger without a number column gets numbers generated (县代码-序号 of the registry, not the row).
        new(nameof(AditInput.Number), "编号", false, ["矿硐编号", "硐口编号", "矿洞编号", "编码", "number", "id"]),
        new(nameof(AditInput.Name), "名称", false, ["矿硐名称", "硐口名称", "矿洞名称", "名字", "name"]),
        new(nameof(AditInput.Township), "乡镇", true, ["所在乡镇", "乡镇名称", "所属乡镇", "乡镇林场", "乡", "镇", "township", "town"]),
        new(nameof(AditInput.Village), "村", false, ["所在村", "行政村", "村社区", "村名", "所属村", "village"]),
        new(nameof(AditInput.Grid), "网格", false, ["所属网格", "网格名称", "grid"]),
        new(nameof(AditInput.Lon), "经度", true, ["东经", "经度坐标", "x坐标", "坐标x", "x", "lng", "lon", "longitude"]),
        new(nameof(AditInput.Lat), "纬度", true, ["北纬", "纬度坐标", "y坐标", "坐标y", "y", "lat", "latitude"]),
        new(nameof(AditInput.Crs), "坐标系", false, ["坐标系统", "坐标类型", "crs"]),
        new(nameof(AditInput.Elevation), "高程", false, ["海拔", "海拔高度", "标高", "elevation", "altitude"]),
        new(nameof(AditInput.Mineral), "矿种", false, ["开采矿种", "矿产", "矿产种类", "mineral"]),
        new(nameof(AditInput.Origin), "来源", false, ["矿硐来源", "矿硐类型", "类型", "形成原因", "origin"]),
        new(nameof(AditInput.RightsHolder), "矿业权人", false, ["原矿业权人", "采矿权人", "权利人", "业主", "rights holder"]),
        new(nameof(AditInput.ClosureParty), "关闭责任主体", false, ["关闭时确定的责任主体", "退出责任主体", "closure party"]),
        .. ResponsibleColumns.Fields,
        new(nameof(AditInput.SealState), "封堵状态", false, ["封堵情况", "是否封堵", "封堵与否", "state"]),
        new(nameof(AditInput.SealMethod), "封堵方式", false, ["封堵方法", "封堵措施", "method"]),
        new(nameof(AditInput.SealedOn), "封堵日期", false, ["封堵时间", "最近封堵日期", "封堵完成时间", "封堵完成日期", "sealed on"]),
        new(nameof(AditInput.Description), "备注", false, ["说明", "描述", "情况说明", "remark", "remarks", "note", "description"]),
    ];

    public override string Kind => "adits";

    public override string Noun => "矿硐";

    public override string? CrsField => nameof(AditInput.Crs);

    public override IReadOnlyList<SheetField> Fields => AditFields;

    private static readonly IReadOnlyList<ValueColumn> AditValues =
    [
        new(nameof(AditInput.Mineral), [.. AditNames.Minerals.Values], t => AditValidator.TryParseMineral(t, out _)),
        new(nameof(AditInput.Origin), [.. AditNames.Origins.Values], t => AditNames.TryParse(AditNames.Origins, t, out _)),
        new(nameof(AditInput.SealState), [.. AditNames.States.Values], t => AditValidator.TryParseState(t, out _)),
        new(nameof(AditInput.SealMethod), [.. AditNames.Methods.Values], t => AditNames.TryParse(AditNames.Methods, t, out _)),
    ];

    public override IReadOnlyList<ValueColumn> ValueColumns => AditValues;

    public override IReadOnlyList<object?> Example =>
    [
        "示例", "后沟1号硐", "城关镇", null, null, 112.0523, 34.1342, "WGS84", 820, "金", "盗采点", null, null, .. ResponsibleColumns.Example,
        "已封堵", "混凝土浇筑", new DateOnly(2024, 9, 26),
        "示例行：导入时自动跳过，可删除。带 * 的列必填；矿种、来源、封堵状态、封堵方式按系统名称填写；" + ResponsibleColumns.Hint,
    ];

    public override double ColumnWidth(string key) => ResponsibleColumns.ColumnWidth(key) ?? key switch
    {
        nameof(AditInput.Description) => 40,
        nameof(AditInput.RightsHolder) or nameof(AditInput.ClosureParty) => 20,
        nameof(AditInput.Number) or nameof(AditInput.Name) or nameof(AditInput.Grid) => 16,
        _ => 12,
    };

    public override async Task<LedgerRun> StartAsync(AppDbContext db, Division county, JurisdictionScope scope, bool commit, CancellationToken ct)
    {
        var commands = new AditCommands(db);
        var places = await AditPlaces.LoadAsync(db, county, ct);
        // First, inside the import's transaction: the county's lock, so that no other import or registration adds
        // this county's adits (or takes its next serial) until this import commits.
        var numbers = commit ? await NumberAllocator.StartAsync(db, county.Code, ct) : null;
        var neighbours = new AditNeighbourhood();
        foreach (var (number, lon, lat) in await ExistingAsync(db, county, places, ct)) neighbours.Add(number, lon, lat);
        return new Run(db, commands, places, neighbours, numbers, scope, commands.Today);
    }

    /// <summary>
    /// Numbers and positions of the adits in and just around the county, in one query. Outside the user's scope too:
    /// a duplicate is a duplicate whoever registered it, and only the number near a position is revealed.
    /// </summary>
    private static async Task<List<(string, double, double)>> ExistingAsync(AppDbContext db, Division county, AditPlaces places, CancellationToken ct)
    {
        var adits = db.Adits().Beyond(ScopeExit.Uniqueness).AsNoTracking();
        if (places.Outline is { } outline)
        {
            // The outline's box, widened by ~100 m (the duplicate rule looks 20 m across the border), as map tiles: indexed.
            var box = outline.Geometry.EnvelopeInternal;
            var (x0, y0) = WebMercator.Tile(box.MinX - 0.001, box.MaxY + 0.001);
            var (x1, y1) = WebMercator.Tile(box.MaxX + 0.001, box.MinY - 0.001);
            adits = adits.Where(a => a.MapX >= x0 && a.MapX <= x1 && a.MapY >= y0 && a.MapY <= y1);
        }
        else adits = adits.Within(JurisdictionScope.Of(county.Code), a => a.DivisionCode);
        var rows = await adits.Select(a => new { a.Number, a.Lon, a.Lat }).ToListAsync(ct);
        return rows.ConvertAll(a => (a.Number, a.Lon, a.Lat));
    }

    public override async Task<int> UndoAsync(AppDbContext db, ImportBatch batch, CancellationToken ct)
    {
        // The batch was found in the caller's scope; its rows are its own, wherever below that they lie.
        var rows = db.Adits().Beyond(ScopeExit.SystemJudgement).Where(a => a.ImportBatchId == batch.Id);
        var since = batch.ChangedAfterUtc;
        var adits = await rows.AsNoTracking().Select(a => new { a.Id, a.Number, a.UpdatedUtc }).ToListAsync(ct);
        var changed = adits.Where(a => a.UpdatedUtc > since).Select(a => a.Id).ToHashSet();
        changed.UnionWith(await db.SealingEvents().Beyond(ScopeExit.SystemJudgement)
            .Where(e => e.RecordedUtc > since && rows.Any(a => a.Id == e.AditId)).Select(e => e.AditId).ToListAsync(ct));
        changed.UnionWith(await db.AditPhotos().Beyond(ScopeExit.SystemJudgement).Where(p => rows.Any(a => a.Id == p.AditId)).Select(p => p.AditId).ToListAsync(ct));
        // Changes that leave UpdatedUtc alone (a new number, another sealing party) still leave an audit record,
        // and the import itself wrote none for its rows.
        var ids = adits.ToDictionary(a => a.Id.ToString(), a => a.Id);
        var audited = await db.AuditRecords.Beyond(ScopeExit.SystemJudgement).AsNoTracking()
            .Where(r => r.EntityType == nameof(Adit) && r.AtUtc >= since).Select(r => r.EntityId).ToListAsync(ct);
        changed.UnionWith(audited.Where(ids.ContainsKey).Select(id => ids[id]));
        var numbers = adits.Where(a => changed.Contains(a.Id)).Select(a => a.Number).Order(StringComparer.Ordinal).Take(5).ToList();
        Rule.Check(changed.Count == 0, "ImportChangedSince",
            $"本批次导入的矿硐中有 {changed.Count} 个在导入后已有变更（如 {string.Join("、", numbers)}：修改、封堵记录或照片），不能整批撤销；请逐个处理这些矿硐");

        await db.SealingEvents().Beyond(ScopeExit.SystemJudgement).Where(e => rows.Any(a => a.Id == e.AditId)).ExecuteDeleteAsync(ct);
        return await rows.ExecuteDeleteAsync(ct);
    }

    private sealed class Run(
        AppDbContext db, AditCommands commands, AditPlaces places, AditNeighbourhood neighbours, NumberAllocator? numbers,
        JurisdictionScope scope, DateOnly today) : LedgerRun<Run.Row>
    {
        /// <summary>An accepted row: the adit, and the 责任人 it names for the first time in this file, if any.</summary>
        public sealed record Row(ValidAdit Adit, NewPerson? Person);

        // Accepted rows of this file by the key they hold in the neighbourhood (their number, or a row key), for
        // messages that name the row a duplicate clashes with.
        private readonly Dictionary<string, int> inFile = new(StringComparer.Ordinal);

        /// <summary>Numbers are unique across the country: look up this chunk's numbers beyond the county in one query.</summary>
        public override async Task PrepareAsync(IReadOnlyList<LedgerRow> rows, CancellationToken ct)
        {
            var unknown = rows.Select(r => r[nameof(AditInput.Number)]).OfType<string>()
                .Where(n => n.Length <= 40 && !neighbours.HasNumber(n)).Distinct().ToList();
            if (unknown.Count == 0) return;
            var used = await db.Adits().Beyond(ScopeExit.Uniqueness).Where(a => unknown.Contains(a.Number)).Select(a => a.Number).ToListAsync(ct);
            foreach (var number in used) neighbours.Add(number, double.NaN, double.NaN);
        }

        protected override (Row? Valid, FieldErrors Errors) Validate(LedgerRow row)
        {
            // The 20 m rule is checked here rather than by the validator, whose wording asks for a tick box the sheet lacks.
            // The 包保责任人 is found (or made) from the name and phone columns together, not by the form's one-text rule.
            var input = Input(row) with { ConfirmNearby = true, Responsible = null };
            var (valid, errors) = AditValidator.Validate(input, places, neighbours, scope, today);
            var person = ResponsibleColumns.Match(places.People, row, errors);
            var number = input.Number?.Trim();
            if (!string.IsNullOrEmpty(number) && inFile.TryGetValue(number, out var first))
                errors[nameof(AditInput.Number)] = [$"编号“{number}”与本表第 {first} 行重复"];
            var position = valid is not null ? (valid.Lon, valid.Lat) : Position(input, errors);
            if (position is var (lon, lat) && neighbours.Near(lon, lat) is { } near)
            {
                errors.Add(nameof(AditInput.Lon), inFile.TryGetValue(near.Number, out var other)
                    ? $"与本表第 {other} 行的矿硐相距 {near.Metres:F0} 米，疑似同一矿硐重复登记"
                    : $"与已登记的矿硐 {near.Number} 相距 {near.Metres:F0} 米，疑似同一矿硐重复登记");
            }
            if (valid?.VillageNote is { } villageNote) Note(nameof(AditInput.Village), villageNote);
            if (!errors.Ok || valid is null) return (null, errors);

            var key = valid.Number ?? (numbers is null ? $"\u0001第{row.Number}行" : NextNumber());
            inFile[key] = row.Number;
            neighbours.Add(key, valid.Lon, valid.Lat);
            var (personId, userId, created) = ResponsibleColumns.Accept(places.People, person, row, valid.Place.VillageCode ?? valid.Place.TownshipCode);
            valid = valid with { Details = valid.Details with { ResponsiblePersonId = personId, ResponsibleUserId = userId } };
            return (new Row(valid with { Number = key }, created), errors);
        }

        /// <summary>The row's new 责任人 (once per phone), the adit and its sealing events, parents first.</summary>
        protected override IEnumerable<object> Create(Row valid, Guid batchId)
        {
            var adit = commands.Create(valid.Adit, valid.Adit.Number!, batchId, isDemo: false);
            return valid.Person is { } person ? [person.ToPerson(batchId, db.Clock.GetUtcNow().UtcDateTime), adit, .. adit.Events] : [adit, .. adit.Events];
        }

        /// <summary>A generated number for a row without one, skipping any the file or the registry already holds.</summary>
        private string NextNumber()
        {
            string number;
            do number = numbers!.Next();
            while (neighbours.HasNumber(number));
            return number;
        }

        /// <summary>The row's position when it parses, even if another field is wrong, so a duplicate is reported too.</summary>
        private static (double, double)? Position(AditInput input, FieldErrors errors)
        {
            if (errors.ContainsKey(nameof(AditInput.Lon)) || errors.ContainsKey(nameof(AditInput.Lat)) || errors.ContainsKey(nameof(AditInput.Crs))) return null;
            if (!Dms.TryParse(input.Lon ?? "", out var lon, out _) || !Dms.TryParse(input.Lat ?? "", out var lat, out _)) return null;
            return AditValidator.IsGcj02(input.Crs) ? Gcj02.ToWgs84(lon, lat) : (lon, lat);
        }

        private static AditInput Input(LedgerRow row) => new()
        {
            Number = row[nameof(AditInput.Number)], Name = row[nameof(AditInput.Name)], Township = row[nameof(AditInput.Township)],
            Village = row[nameof(AditInput.Village)], Grid = row[nameof(AditInput.Grid)], Lon = row[nameof(AditInput.Lon)],
            Lat = row[nameof(AditInput.Lat)], Crs = row[nameof(AditInput.Crs)], Elevation = row[nameof(AditInput.Elevation)],
            Mineral = row[nameof(AditInput.Mineral)], Origin = row[nameof(AditInput.Origin)],
            RightsHolder = row[nameof(AditInput.RightsHolder)], ClosureParty = row[nameof(AditInput.ClosureParty)],
            Responsible = row[nameof(AditInput.Responsible)], SealState = row[nameof(AditInput.SealState)],
            SealMethod = row[nameof(AditInput.SealMethod)], SealedOn = row[nameof(AditInput.SealedOn)],
            Description = row[nameof(AditInput.Description)],
        };
    }
}
