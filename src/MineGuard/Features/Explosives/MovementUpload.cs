using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Excel;
using MineGuard.Platform.Time;
using MineGuard.Platform.Web;
using static MineGuard.Platform.Web.StoredValueLimits;

namespace MineGuard.Features.Explosives;

public sealed record MovementUploadError(int Row, string Column, string Message);

public sealed record MovementUploadResult(int Rows, int Accepted, int Duplicates, List<MovementUploadError> Errors, string Summary);

/// <summary>
/// The source systems' monthly export (民爆物品流向信息系统, 剧毒化学品流向系统: .xlsx or .csv, one movement per row) taken in
/// through the same checks as the API (<see cref="MovementIntake.TakeAsync(IReadOnlyList{MovementInput}, Func{int, ValueTuple{int, string}}?, string, CancellationToken)"/>):
/// good rows are stored, bad ones listed by Excel row and column. The unit is named by 单位名称 (a holder of that name in the
/// caller's scope) or chosen for the whole file; 业务类型 and 物品 in Chinese or as the API's codes; times in China time
/// unless they carry an offset; detonator codes separated by commas, spaces or line breaks. A row's record id is derived
/// from the unit and its 记录编号/单据号 (else from the row's content), so the same file uploaded twice stores nothing twice.
/// </summary>
public sealed partial class MovementUpload(AppDbContext db, MovementIntake intake)
{
    public const long MaxBytes = 20L * 1024 * 1024;

    public const int MaxRows = 20_000;

    public static readonly SheetField[] Fields =
    [
        new("record", "记录编号", false, ["单据号", "单据编号", "流水号", "记录号", "业务编号", "record"]),
        new("holder", "单位名称", false, ["企业名称", "单位", "持有单位", "涉爆单位", "使用单位", "holder"]),
        new("kind", "业务类型", true, ["类型", "流向类型", "环节", "操作类型", "业务环节", "kind"]),
        new("material", "物品", true, ["物品名称", "品名", "物品种类", "种类", "material"]),
        new("quantity", "数量", false, ["数量（千克/发）", "重量", "重量（千克）", "重量kg", "发数", "quantity"]),
        new("at", "时间", true, ["发生时间", "业务时间", "日期时间", "日期", "起运时间", "at"]),
        new("codes", "雷管编码", false, ["雷管码", "管壳码", "雷管编号", "codes"]),
        new("arrivalAt", "到达时间", false, ["运抵时间", "arrival"]),
        new("routeHours", "核定运输时长", false, ["运输时长（小时）", "运输时长", "路线时长", "核定时长（小时）"]),
        new("vehicle", "车牌号", false, ["运输车辆", "车辆", "车牌"]),
        new("route", "运输路线", false, ["路线"]),
        new("site", "作业地点", false, ["爆破地点", "使用地点"]),
        new("siteDivisionCode", "作业地点区划代码", false, ["地点区划代码", "区划代码"]),
        new("shotFirer", "爆破员", false, ["爆破作业人员"]),
        new("crew", "作业班组", false, ["班组", "领用班组"]),
        new("permitNumber", "许可证号", false, ["许可证编号", "证号"]),
    ];

    private static readonly Dictionary<string, string> KindWords = new(StringComparer.Ordinal)
    {
        ["领用"] = "issue", ["发放"] = "issue", ["出库"] = "issue", ["使用"] = "use", ["爆破"] = "use", ["退库"] = "return", ["盘点"] = "stock",
        ["库存"] = "stock",
    };

    private static readonly Dictionary<string, string> MaterialWords = new(StringComparer.Ordinal)
    {
        ["雷管"] = "detonator", ["电子雷管"] = "detonator", ["炸药"] = "explosive", ["乳化炸药"] = "explosive", ["硝铵炸药"] = "explosive",
    };

    public async Task<(MovementUploadResult? Result, FieldErrors Errors)> UploadAsync(string? fileName, Stream? content, Guid? holderId, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (await UploadedSheet.ReadAsync(fileName, content, Fields, errors, ct) is not { } sheet) return (null, errors);
        // Holders in the caller's scope and departments, by id and by name (a name held twice is ambiguous).
        var holders = await db.Set<ExplosiveHolder>().AsNoTracking().Select(h => new { h.Id, h.Name }).ToListAsync(ct);
        if (holderId is { } chosen && holders.All(h => h.Id != chosen)) errors.Add("holderId", "单位不存在或不在您的管辖范围内");
        if (holderId is null && !sheet.Has("holder")) errors.Add("file", "表头缺少“单位名称”列：请加上该列，或选定本表所属的单位");
        if (sheet.Rows.Count == 0) errors.Add("file", "文件中没有数据行");
        else if (sheet.Rows.Count > MaxRows) errors.Add("file", $"一次最多导入 {MaxRows} 行，请分月或分单位导入");
        if (!errors.Ok) return (null, errors);
        var byName = holders.GroupBy(h => h.Name.Trim(), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(h => h.Id).ToList(), StringComparer.Ordinal);

        var problems = new List<MovementUploadError>();
        var items = new List<MovementInput>();
        var rowOf = new List<int>();
        foreach (var row in sheet.Rows)
        {
            var refused = (string key, string message) => problems.Add(new(row.Number, sheet.Head(key), message));
            Guid holder;
            if (sheet.Cell(row, "holder") is { } name)
            {
                if (!byName.TryGetValue(name, out var ids)) { refused("holder", $"未登记的单位：{name}（请先登记涉爆、涉氰单位）"); continue; }
                if (ids.Count > 1) { refused("holder", $"有 {ids.Count} 个单位名为“{name}”，无法确定是哪一个"); continue; }
                holder = ids[0];
            }
            else if (holderId is { } h) holder = h;
            else { refused("holder", "缺少单位名称"); continue; }
            var kind = Code(sheet.Cell(row, "kind"), ExplosiveKinds.Movements, KindWords);
            if (kind is null) { refused("kind", $"业务类型无法识别：“{sheet.Cell(row, "kind")}”（购买、运输、入库、领用发放、爆破使用、退回、销毁或库存盘点）"); continue; }
            var material = Code(sheet.Cell(row, "material"), ExplosiveKinds.Materials, MaterialWords);
            if (material is null) { refused("material", $"物品无法识别：“{sheet.Cell(row, "material")}”（工业雷管、工业炸药或氰化钠）"); continue; }
            if (!ChinaTime.TryParseLocalOrOffset(sheet.Cell(row, "at"), out var at)) { refused("at", $"时间无法识别：“{sheet.Cell(row, "at")}”（如 2026-10-01 08:00）"); continue; }
            DateTime? arrival = null;
            if (sheet.Cell(row, "arrivalAt") is { } arrivalText)
            {
                if (!ChinaTime.TryParseLocalOrOffset(arrivalText, out var a)) { refused("arrivalAt", $"到达时间无法识别：“{arrivalText}”"); continue; }
                arrival = a;
            }
            if (!Number(sheet.Cell(row, "quantity"), out var quantity)) { refused("quantity", $"数量不是数字：“{sheet.Cell(row, "quantity")}”"); continue; }
            if (!Number(sheet.Cell(row, "routeHours"), out var routeHours)) { refused("routeHours", $"运输时长不是数字：“{sheet.Cell(row, "routeHours")}”"); continue; }
            var codes = sheet.Cell(row, "codes") is { } codeText ? CodeSeparators().Split(codeText).Where(c => c.Length > 0).ToList() : null;
            var record = sheet.Cell(row, "record");
            var id = IdOf(holder, record ?? string.Join('\u001f', row.Cells.Select(c => c.Trim())));
            items.Add(new MovementInput(id, holder, kind, material, quantity, Iso(at), codes, arrival is { } ar ? Iso(ar) : null, routeHours,
                sheet.Cell(row, "vehicle"), sheet.Cell(row, "route"), sheet.Cell(row, "siteDivisionCode"), sheet.Cell(row, "site"),
                sheet.Cell(row, "shotFirer"), sheet.Cell(row, "crew"), sheet.Cell(row, "permitNumber")));
            rowOf.Add(row.Number);
        }

        var result = items.Count == 0 ? new MovementBatchResult(0, 0, [])
            : await intake.TakeAsync(items, i => (rowOf[i], $"第 {rowOf[i]} 行"), $"导入流向记录（{Cut(fileName!, 60)}）", ct);
        foreach (var r in result.Rejected)
        {
            var key = Fields.Any(f => f.Key == r.Field) ? r.Field : r.Field == "holderId" ? "holder" : "record";
            problems.Add(new(r.Index, sheet.Head(key), r.Reason));
        }
        problems.Sort((a, b) => a.Row.CompareTo(b.Row));
        var summary = $"共 {sheet.Rows.Count} 行：新增 {result.Accepted} 条，已导入过 {result.Duplicates} 条，有误 {problems.Count} 行";
        return (new MovementUploadResult(sheet.Rows.Count, result.Accepted, result.Duplicates, problems, summary), errors);
    }

    /// <summary>A row's record id: from the unit and the source system's record number (or the row's content).</summary>
    public static Guid IdOf(Guid holderId, string record) => MovementIntake.DerivedId($"explosives-sheet|{holderId}|{record}");

    private static string? Code(string? text, IReadOnlyDictionary<string, string> names, Dictionary<string, string> words)
    {
        if (text is null) return null;
        var t = text.Trim();
        if (names.ContainsKey(t.ToLowerInvariant())) return t.ToLowerInvariant();
        foreach (var (code, name) in names)
            if (name == t) return code;
        return words.GetValueOrDefault(t);
    }

    private static bool Number(string? text, out double? value)
    {
        value = null;
        if (text is null) return true;
        if (!double.TryParse(text.Replace(",", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            || double.IsNaN(v) || double.IsInfinity(v)) return false;
        value = v;
        return true;
    }

    private static string Iso(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"[\s,，;；、]+")]
    private static partial Regex CodeSeparators();
}
