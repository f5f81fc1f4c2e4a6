using MineGuard.Platform.Time;
using System.Text;
using System.Text.RegularExpressions;
using MineGuard.Features.Adits;
using MineGuard.Platform.Geo;

namespace MineGuard.Features.Mines;

/// <summary>
/// Reads the text fields of a licence as people type them in a form or an Excel cell: dates in the usual Chinese
/// spellings, minerals and statuses by their Chinese names (and the common variants seen in ledgers).
/// </summary>
public static partial class LicenceFields
{
    public const string DateFormats = CalendarDate.Formats;

    // Ledger spellings that are not the catalogue name: "金矿", "黄金", "煤炭", "在产", "已关闭"…
    private static readonly Dictionary<string, Mineral> MineralAliases = new()
    {
        ["黄金"] = Mineral.Gold, ["岩金"] = Mineral.Gold, ["煤炭"] = Mineral.Coal, ["铁矿石"] = Mineral.Iron,
        ["萤石矿"] = Mineral.Fluorite, ["稀土矿"] = Mineral.RareEarth,
    };

    private static readonly Dictionary<string, MineStatus> StatusAliases = new()
    {
        ["正常生产"] = MineStatus.Producing, ["在产"] = MineStatus.Producing, ["生产中"] = MineStatus.Producing,
        ["停产中"] = MineStatus.Suspended, ["整顿"] = MineStatus.Rectifying, ["停产整改"] = MineStatus.Rectifying,
        ["关闭"] = MineStatus.Closing, ["已关闭"] = MineStatus.Closing, ["闭坑"] = MineStatus.Closing,
        ["关闭退出中"] = MineStatus.Closing,
    };

    public static bool TryParseDate(string? text, out DateOnly date, out string? error)
    {
        error = CalendarDate.Problem(text, out date);
        return error is null;
    }

    public static bool TryParseMineral(string? text, out Mineral mineral)
    {
        var t = HalfWidth(text ?? "").Trim();
        if (AditNames.TryParse(AditNames.Minerals, t, out mineral)) return true;
        if (MineralAliases.TryGetValue(t, out mineral)) return true;
        // "金矿", "钼矿", "铜矿": the mineral followed by 矿.
        return t.Length > 1 && t.EndsWith('矿') && AditNames.TryParse(AditNames.Minerals, t[..^1], out mineral);
    }

    public static bool TryParseStatus(string? text, out MineStatus status)
    {
        var t = HalfWidth(text ?? "").Trim();
        return AditNames.TryParse(MineNames.Statuses, t, out status) || StatusAliases.TryGetValue(t, out status);
    }

    /// <summary>Whether the boundary is in GCJ-02 (web-map coordinates); blank means WGS84 / CGCS2000.</summary>
    public static bool TryParseCrs(string? text, out bool gcj02) => Gcj02.TryParseCrs(text, out gcj02);

    /// <summary>Licence numbers carry no spaces; typed with them (or in full-width) they are still the same number.</summary>
    public static string NormalizeLicenceNumber(string? text) =>
        new(HalfWidth(text ?? "").Where(c => !char.IsWhiteSpace(c)).Select(char.ToUpperInvariant).ToArray());

    public static string MineralList => string.Join("、", AditNames.Minerals.Values);

    public static string StatusList => string.Join("、", MineNames.Statuses.Values);

    private static string HalfWidth(string s) => CalendarDate.HalfWidth(s);
}
