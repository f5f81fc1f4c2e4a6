using System.Linq.Expressions;
using System.Text.RegularExpressions;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Web;
using static MineGuard.Platform.Web.StoredValueLimits;

namespace MineGuard.Features.Explosives;

/// <summary>
/// Who sees the explosives loop besides the office, leaders and administrators: the departments that hold its source
/// systems, the police (公安, 民爆物品) and the emergency department (应急管理, 剧毒化学品). Other departments see none of it.
/// </summary>
public static class ExplosivesShare
{
    public static readonly string[] Departments = [Department.PublicSecurity, "emergency"];
}

/// <summary>The kinds of holder, permit, movement and material, with their Chinese names.</summary>
public static class ExplosiveKinds
{
    public static readonly IReadOnlyDictionary<string, string> Holders = new Dictionary<string, string>
    {
        ["mine"] = "持证矿山", ["blasting"] = "爆破作业单位", ["plant"] = "黄金选冶企业",
    };

    public static readonly IReadOnlyDictionary<string, string> Permits = new Dictionary<string, string>
    {
        ["purchase"] = "民用爆炸物品购买许可证", ["transport"] = "民用爆炸物品运输许可证", ["blasting"] = "爆破作业单位许可证",
        ["toxic-purchase"] = "剧毒化学品购买许可证",
    };

    public static readonly IReadOnlyDictionary<string, string> Movements = new Dictionary<string, string>
    {
        ["purchase"] = "购买", ["transport"] = "运输", ["receipt"] = "入库", ["issue"] = "领用发放", ["use"] = "爆破使用",
        ["return"] = "退回", ["destruction"] = "销毁", ["stock"] = "库存盘点",
    };

    public static readonly IReadOnlyDictionary<string, string> Materials = new Dictionary<string, string>
    {
        ["detonator"] = "工业雷管", ["explosive"] = "工业炸药", ["cyanide"] = "氰化钠",
    };

    /// <summary>The unit a material is counted in: detonators one by one (by code), the rest by weight in kg.</summary>
    public static string Unit(string material) => material == "detonator" ? "发" : "千克";

    /// <summary>The permit a movement of this kind and material is made under, if any.</summary>
    public static string? PermitFor(string kind, string material) => kind switch
    {
        "purchase" => material == "cyanide" ? "toxic-purchase" : "purchase",
        "transport" => material == "cyanide" ? null : "transport",
        "use" => material == "cyanide" ? null : "blasting",
        _ => null,
    };
}

/// <summary>
/// 工业雷管编码: the 13-character shell code every industrial detonator made in China carries (公安部《工业雷管编码通则》
/// GA 441, the 13-digit 管壳码): 2-digit maker code, 1 digit of the year, 2 of the month (01–12), 2 of the day (01–31),
/// 1 feature character (digit or Latin letter), 5-digit serial (box and position in the box).
/// </summary>
public static partial class DetonatorCode
{
    public static bool IsValid(string? code) => code is { Length: 13 } && Pattern().IsMatch(code);

    /// <summary>Upper case, half-width, no spaces: how codes are stored and compared.</summary>
    public static string Normalise(string code) =>
        new string(code.Trim().Normalize(System.Text.NormalizationForm.FormKC).Where(c => !char.IsWhiteSpace(c)).ToArray()).ToUpperInvariant();

    [GeneratedRegex(@"^\d{2}\d(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])[0-9A-Z]\d{5}$")]
    private static partial Regex Pattern();
}

/// <summary>
/// 涉爆/涉氰单位: a licensed mine, a blasting company or a gold processing plant that holds explosives or sodium cyanide,
/// with its permits. Its division scopes it; <see cref="PermittedAreaCode"/> is the area its blasting permit covers
/// (a division code: an issue to a site outside it is a gap); <see cref="MonthlyNeedKg"/> is what its production
/// justifies a month (核定用量), which purchases must not outgrow.
/// </summary>
public sealed class ExplosiveHolder : IInJurisdiction, IDepartmentShared<ExplosiveHolder>
{
    public static Expression<Func<ExplosiveHolder, string, bool, bool>> SharedWith { get; } =
        (h, dept, reward) => dept == Department.PublicSecurity || dept == "emergency";

    private ExplosiveHolder() { }

    public Guid Id { get; private set; }
    public string DivisionCode { get; private set; } = "";
    public string Name { get; private set; } = "";
    public string Kind { get; private set; } = "";
    public Guid? MineId { get; private set; }
    public string PermittedAreaCode { get; private set; } = "";
    public double? MonthlyNeedKg { get; private set; }
    public Guid? ClientId { get; private set; }
    public Guid? CreatedById { get; private set; }
    public DateTime CreatedUtc { get; private set; }

    private readonly List<ExplosivePermit> permits = [];

    public IReadOnlyList<ExplosivePermit> Permits => permits;

    public static ExplosiveHolder Register(string divisionCode, string name, string kind, Guid? mineId, string permittedArea, double? monthlyNeedKg,
        Guid? clientId, Guid? userId, DateTime nowUtc) => new()
    {
        Id = Guid.CreateVersion7(), DivisionCode = divisionCode, Name = name, Kind = kind, MineId = mineId, PermittedAreaCode = permittedArea,
        MonthlyNeedKg = monthlyNeedKg, ClientId = clientId, CreatedById = userId, CreatedUtc = nowUtc,
    };

    public void AddPermit(string kind, string number, string scope, DateOnly validFrom, DateOnly validTo, string authority) =>
        permits.Add(new ExplosivePermit(Id, DivisionCode, kind, number, scope, validFrom, validTo, authority));
}

/// <summary>许可证: 购买许可证, 运输许可证, 爆破作业单位许可, 剧毒化学品购买许可, with number, scope, validity and issuing authority.</summary>
public sealed class ExplosivePermit : IInJurisdiction, IDepartmentShared<ExplosivePermit>
{
    public static Expression<Func<ExplosivePermit, string, bool, bool>> SharedWith { get; } =
        (p, dept, reward) => dept == Department.PublicSecurity || dept == "emergency";

    private ExplosivePermit() { }

    internal ExplosivePermit(Guid holderId, string divisionCode, string kind, string number, string scope, DateOnly validFrom, DateOnly validTo,
        string authority)
    {
        Id = Guid.CreateVersion7();
        (HolderId, DivisionCode, Kind, Number, Scope, ValidFrom, ValidTo, Authority) = (holderId, divisionCode, kind, number, scope, validFrom, validTo, authority);
    }

    public Guid Id { get; private set; }
    public Guid HolderId { get; private set; }
    public string DivisionCode { get; private set; } = "";
    public string Kind { get; private set; } = "";
    public string Number { get; private set; } = "";
    public string Scope { get; private set; } = "";
    public DateOnly ValidFrom { get; private set; }
    public DateOnly ValidTo { get; private set; }
    public string Authority { get; private set; } = "";

    public bool ValidOn(DateOnly day) => day >= ValidFrom && day <= ValidTo;
}

/// <summary>
/// One movement of the loop (购买, 运输, 入库, 领用, 使用, 退回, 销毁, 库存盘点), identified by the source system's event id
/// (<see cref="Id"/>): sent again with the same content it is a duplicate, with other content a refusal. Detonators move
/// by code (<see cref="ExplosiveDetonator"/>, the quantity is their count), explosives and cyanide by weight (kg).
/// A transport starts at <see cref="Utc"/> and arrives at <see cref="ArrivalUtc"/>; its route normally takes
/// <see cref="RouteHours"/>. "Return" (退回) is what was not used going back out of the holder's hands (to the seller),
/// so the holder's stock is purchased − used − returned − destroyed.
/// </summary>
public sealed class ExplosiveMovement : IInJurisdiction, IDepartmentShared<ExplosiveMovement>
{
    public static Expression<Func<ExplosiveMovement, string, bool, bool>> SharedWith { get; } =
        (m, dept, reward) => dept == Department.PublicSecurity || dept == "emergency";

    private ExplosiveMovement() { }

    public Guid Id { get; private set; }
    public Guid HolderId { get; private set; }
    public string DivisionCode { get; private set; } = "";
    public string Kind { get; private set; } = "";
    public string Material { get; private set; } = "";
    public double Quantity { get; private set; }
    public DateTime Utc { get; private set; }
    public DateTime? ArrivalUtc { get; private set; }
    public double? RouteHours { get; private set; }
    public string? Vehicle { get; private set; }
    public string? Route { get; private set; }
    public string? SiteDivisionCode { get; private set; }
    public string? Site { get; private set; }
    public string? ShotFirer { get; private set; }
    public string? Crew { get; private set; }
    public string? PermitNumber { get; private set; }
    public string PayloadHash { get; private set; } = "";
    public DateTime StoredUtc { get; private set; }

    public sealed record Details(DateTime? ArrivalUtc, double? RouteHours, string? Vehicle, string? Route, string? SiteDivisionCode, string? Site,
        string? ShotFirer, string? Crew, string? PermitNumber);

    public static ExplosiveMovement Record(Guid id, ExplosiveHolder holder, string kind, string material, double quantity, DateTime utc, Details d,
        string payloadHash, DateTime nowUtc) => new()
    {
        Id = id, HolderId = holder.Id, DivisionCode = holder.DivisionCode, Kind = kind, Material = material, Quantity = quantity, Utc = utc,
        ArrivalUtc = d.ArrivalUtc, RouteHours = d.RouteHours, Vehicle = d.Vehicle, Route = d.Route, SiteDivisionCode = d.SiteDivisionCode,
        Site = d.Site, ShotFirer = d.ShotFirer, Crew = d.Crew, PermitNumber = d.PermitNumber, PayloadHash = payloadHash, StoredUtc = nowUtc,
    };

    /// <summary>How the movement counts in the holder's stock (purchased − used − returned − destroyed); issues, transports and receipts move nothing out.</summary>
    public static double Sign(string kind) => kind switch
    {
        "purchase" => 1, "use" or "return" or "destruction" => -1, _ => 0,
    };
}

/// <summary>One detonator code moved by a movement (the movement's kind and time copied, so the code checks need no join).</summary>
public sealed class ExplosiveDetonator : IInJurisdiction, IDepartmentShared<ExplosiveDetonator>
{
    public static Expression<Func<ExplosiveDetonator, string, bool, bool>> SharedWith { get; } =
        (d, dept, reward) => dept == Department.PublicSecurity || dept == "emergency";

    private ExplosiveDetonator() { }

    public ExplosiveDetonator(ExplosiveMovement movement, string code)
    {
        (MovementId, Code, HolderId, DivisionCode, Kind, Utc) = (movement.Id, code, movement.HolderId, movement.DivisionCode, movement.Kind, movement.Utc);
    }

    public Guid MovementId { get; private set; }
    public string Code { get; private set; } = "";
    public Guid HolderId { get; private set; }
    public string DivisionCode { get; private set; } = "";
    public string Kind { get; private set; } = "";
    public DateTime Utc { get; private set; }
}

/// <summary>
/// A gap in the loop (闭环缺口): its kind, the key that makes it one gap (a stock report, a code, a movement, a month),
/// which records disagree and by how much. Stored once per (holder, kind, key): a re-run finds it and raises nothing;
/// the first time it raises an alert copied to the police (<see cref="AlertId"/>). Closed with a reason by a writer; a
/// closed gap stays stored, so its key is not raised again. <see cref="ClueId"/>: the clue gaps found before
/// migration 0042 opened (no longer written).
/// </summary>
public sealed class ExplosiveGap : IInJurisdiction, IDepartmentShared<ExplosiveGap>
{
    public static Expression<Func<ExplosiveGap, string, bool, bool>> SharedWith { get; } =
        (g, dept, reward) => dept == Department.PublicSecurity || dept == "emergency";

    private ExplosiveGap() { }

    public Guid Id { get; private set; }
    public Guid HolderId { get; private set; }
    public string DivisionCode { get; private set; } = "";
    public string Kind { get; private set; } = "";
    public string Key { get; private set; } = "";
    public string? Material { get; private set; }
    public double? Expected { get; private set; }
    public double? Actual { get; private set; }
    public string Records { get; private set; } = "";
    public string Detail { get; private set; } = "";
    public DateTime FoundUtc { get; private set; }
    public Guid? ClueId { get; private set; }
    public Guid? AlertId { get; private set; }
    public DateTime? ClosedUtc { get; private set; }
    public Guid? ClosedById { get; private set; }
    public string? CloseReason { get; private set; }

    public bool IsOpen => ClosedUtc is null;

    public static ExplosiveGap Found(ExplosiveHolder holder, GapFinding f, DateTime nowUtc) => new()
    {
        Id = Guid.CreateVersion7(), HolderId = holder.Id, DivisionCode = holder.DivisionCode, Kind = f.Kind, Key = f.Key, Material = f.Material,
        Expected = f.Expected, Actual = f.Actual, Records = Cut(string.Join(',', f.Records), 1000), Detail = Cut(f.Detail, 1000), FoundUtc = nowUtc,
    };

    public void Raised(Guid alertId) => AlertId = alertId;

    /// <summary>关闭缺口: by a writer, with the reason (核实情况); closing twice is refused.</summary>
    public void Close(string reason, Guid byUserId, DateTime nowUtc)
    {
        Rule.Check(IsOpen, "ExplosiveGapClosed", "该缺口已经关闭");
        (ClosedUtc, ClosedById, CloseReason) = (nowUtc, byUserId, reason);
    }
}

/// <summary>What a check found before it is stored: kind, key, holder, the disagreeing records and the numbers.</summary>
public sealed record GapFinding(Guid HolderId, string Kind, string Key, string? Material, double? Expected, double? Actual, IReadOnlyList<string> Records,
    string Detail);

public static class GapKinds
{
    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        ["balance"] = "账实不符", ["detonator-reused"] = "雷管编码重复使用", ["detonator-not-issued"] = "雷管未领用即使用",
        ["issued-outside-area"] = "超许可区域发放", ["mine-licence"] = "矿山证照失效仍在使用", ["purchase-over-production"] = "购买量超出生产需要",
        ["transport-slow"] = "运输超时", ["permit-expired"] = "许可证过期仍在使用", ["stopped-reporting"] = "停止报送",
    };
}
