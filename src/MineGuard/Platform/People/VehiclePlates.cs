using System.Text;
using MineGuard.Platform.Auth;

namespace MineGuard.Platform.People;

/// <summary>Plates as stored and shown: normalised, masked for those who do not need them, night by China time.</summary>
public static class VehiclePlates
{
    /// <summary>
    /// Upper case, full-width letters and digits made half-width, spaces and separators (· • . - _) removed:
    /// "粤B·12345", "粤b 12345" and "粤Ｂ１２３４５" are all "粤B12345".
    /// </summary>
    public static string Normalise(string? plate)
    {
        if (string.IsNullOrWhiteSpace(plate)) return "";
        var sb = new StringBuilder(plate.Length);
        foreach (var raw in plate)
        {
            var c = raw is >= '\uFF01' and <= '\uFF5E' ? (char)(raw - 0xFEE0) : raw;
            if (char.IsWhiteSpace(c) || c is '·' or '•' or '・' or '.' or '-' or '_' or '\u3000' or '\u2027' or '\u30FB') continue;
            sb.Append(char.ToUpperInvariant(c));
        }
        return sb.ToString();
    }

    /// <summary>
    /// The plate for someone who does not need it: the province and issuing letter and the last two characters,
    /// stars between ("粤B12345" → "粤B***45"); a short plate keeps only its first character.
    /// </summary>
    public static string Mask(string plate) =>
        plate.Length >= 5 ? string.Concat(plate.AsSpan(0, 2), "***", plate.AsSpan(plate.Length - 2)) : plate.Length == 0 ? "" : plate[0] + "***";

    private static readonly long ChinaOffsetTicks = TimeSpan.FromHours(8).Ticks;

    /// <summary>The China-time hour of a UTC time (UTC+8, no daylight saving).</summary>
    public static int ChinaHour(long utcTicks) => (int)((utcTicks + ChinaOffsetTicks) / TimeSpan.TicksPerHour % 24);

    /// <summary>Night: 22:00–06:00 China time.</summary>
    public static bool IsNight(DateTime utc) => ChinaHour(utc.Ticks) is >= 22 or < 6;

    /// <summary>Who reads vehicle findings (卡口车辆研判): the office, leaders, administrators, departments and agency heads
    /// (patrol members, responsible persons and reward officers do not). The API, its page and the links to it ask here.</summary>
    public static bool MayReadFindings(CurrentUser user) =>
        user.IsInRole(Roles.Office) || user.IsInRole(Roles.Leader) || user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Department) || user.IsInRole(Roles.Head);

    /// <summary>Who sees full plates: the office, leaders and the public-security department (the police follow vehicles up).</summary>
    public static bool SeesFull(CurrentUser user) =>
        user.IsInRole(Roles.Office) || user.IsInRole(Roles.Leader) || (user.IsInRole(Roles.Department) && user.DepartmentCode == "public-security");
}
