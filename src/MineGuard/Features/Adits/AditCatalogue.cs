namespace MineGuard.Features.Adits;

/// <summary>矿种: the minerals the national and provincial plans name.</summary>
public enum Mineral
{
    Gold = 1, Fluorite, Coal, Iron, Molybdenum, Copper, RareEarth, Other,
}

/// <summary>矿硐来源: how the adit came to be abandoned, which decides who must seal it.</summary>
public enum AditOrigin
{
    PolicyClosure = 1, ProtectedAreaExit, NormalClosure, TheftPoint, HistoricPrivate, Unknown,
}

/// <summary>封堵状态 as the map colours it.</summary>
public enum SealState
{
    Unsealed = 1, Sealed, Accepted, Breached,
}

/// <summary>封堵方式; 石块堆砌 (loose rocks) is what failed in Songxian and is flagged as weak.</summary>
public enum SealMethod
{
    Concrete = 1, MortarMasonry, Backfill, SteelPlate, Demolition, LooseRocks,
}

public enum SealingEventKind
{
    Sealed = 1, Accepted, Breached, Resealed,
}

/// <summary>台账状态: on the ledger, or written off after permanent treatment (销号).</summary>
public enum AditStatus
{
    Active = 1, WrittenOff,
}

/// <summary>Chinese names and the words offices use for each value, for forms, lists and Excel import.</summary>
public static class AditNames
{
    public static readonly IReadOnlyDictionary<Mineral, string> Minerals = new Dictionary<Mineral, string>
    {
        [Mineral.Gold] = "金", [Mineral.Fluorite] = "萤石", [Mineral.Coal] = "煤", [Mineral.Iron] = "铁",
        [Mineral.Molybdenum] = "钼", [Mineral.Copper] = "铜", [Mineral.RareEarth] = "稀土", [Mineral.Other] = "其他",
    };

    public static readonly IReadOnlyDictionary<AditOrigin, string> Origins = new Dictionary<AditOrigin, string>
    {
        [AditOrigin.PolicyClosure] = "政策性关闭", [AditOrigin.ProtectedAreaExit] = "保护地退出", [AditOrigin.NormalClosure] = "正常关闭",
        [AditOrigin.TheftPoint] = "盗采点", [AditOrigin.HistoricPrivate] = "历史民采", [AditOrigin.Unknown] = "不明",
    };

    public static readonly IReadOnlyDictionary<SealState, string> States = new Dictionary<SealState, string>
    {
        [SealState.Unsealed] = "未封堵", [SealState.Sealed] = "已封堵", [SealState.Accepted] = "已验收", [SealState.Breached] = "发现破坏",
    };

    public static readonly IReadOnlyDictionary<SealMethod, string> Methods = new Dictionary<SealMethod, string>
    {
        [SealMethod.Concrete] = "混凝土浇筑", [SealMethod.MortarMasonry] = "浆砌石", [SealMethod.Backfill] = "回填",
        [SealMethod.SteelPlate] = "钢板焊封", [SealMethod.Demolition] = "炸毁封闭", [SealMethod.LooseRocks] = "石块堆砌",
    };

    public static readonly IReadOnlyDictionary<SealingEventKind, string> EventKinds = new Dictionary<SealingEventKind, string>
    {
        [SealingEventKind.Sealed] = "封堵", [SealingEventKind.Accepted] = "验收", [SealingEventKind.Breached] = "发现破坏/被盗采",
        [SealingEventKind.Resealed] = "重新封堵",
    };

    public static readonly IReadOnlyDictionary<AditStatus, string> Statuses = new Dictionary<AditStatus, string>
    {
        [AditStatus.Active] = "在册", [AditStatus.WrittenOff] = "已销号",
    };

    /// <summary>Looks a value up by its Chinese name (or the enum name), as typed in a form or an Excel cell.</summary>
    public static bool TryParse<T>(IReadOnlyDictionary<T, string> names, string? text, out T value) where T : struct, Enum
    {
        value = default;
        var t = text?.Trim();
        if (string.IsNullOrEmpty(t)) return false;
        foreach (var (k, v) in names)
        {
            if (v == t || k.ToString().Equals(t, StringComparison.OrdinalIgnoreCase))
            {
                value = k;
                return true;
            }
        }
        return false;
    }
}
