using System.Text;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Admin;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.KeyPersons;

/// <summary>
/// The field checks of a key person's record, for forms, the API and Excel rows alike: each adds a Chinese message
/// under the field's name and returns the cleaned value.
/// </summary>
internal static class KeyPersonChecks
{
    public const int NameMax = 50, PhoneMax = 30, AddressMax = 200, TextMax = 2000, VisitedByMax = 200, RelationMax = 100;

    private static readonly char[] PlaceSeparators = ['/', '／', '\\', ' ', '　', '-', '—', '·', '>', '＞'];

    public static string? Required(string? text, int max, string field, string missing, FieldErrors errors)
    {
        var value = Optional(text, max, field, errors);
        if (value is null && !errors.ContainsKey(field)) errors.Add(field, missing);
        return value;
    }

    public static string? Optional(string? text, int max, string field, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var value = text.Trim();
        if (value.Length > max) errors.Add(field, $"不能超过 {max} 个字（现有 {value.Length} 个）");
        return value;
    }

    /// <summary>One or more numbers as offices write them: "13812345678", "0379-66661234", "138…、139…".</summary>
    public static string? Phone(string? text, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var value = text.Normalize(NormalizationForm.FormKC).Trim();
        var digits = value.Count(char.IsAsciiDigit);
        if (value.Length > PhoneMax || digits < 7 || value.Any(c => !char.IsAsciiDigit(c) && "+-() 、,;/".IndexOf(c, StringComparison.Ordinal) < 0))
            errors.Add(nameof(KeyPersonInput.Phone), "电话号码格式不正确（手机号 11 位，座机如 0379-66661234）");
        return value;
    }

    /// <summary>管控等级 by its Chinese name (一般, 重点, 严管) or the English one an integration may send.</summary>
    public static ControlLevel? Level(string? text, FieldErrors errors)
    {
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            errors.Add(nameof(KeyPersonInput.ControlLevel), "请选择管控等级（一般、重点、严管）");
            return null;
        }
        if (TryParseLevel(value, out var level)) return level;
        errors.Add(nameof(KeyPersonInput.ControlLevel), $"管控等级只能是一般、重点或严管，不能是“{value}”");
        return null;
    }

    public static bool TryParseLevel(string text, out ControlLevel level)
    {
        foreach (var (key, name) in KeyPersonNames.Levels)
        {
            if (name == text || key.ToString().Equals(text, StringComparison.OrdinalIgnoreCase))
            {
                level = key;
                return true;
            }
        }
        level = default;
        return false;
    }

    /// <summary>
    /// The home township or village, by division code or by name as an Excel ledger writes it ("饭坡镇", "某村",
    /// "饭坡镇/某村", "饭坡镇某村"). Names are looked up inside <paramref name="scope"/> only: the same village name
    /// recurs across counties (and within one), so a name that matches twice is refused rather than guessed.
    /// </summary>
    public static async Task<Division?> HomeDivisionAsync(AppDbContext db, string? text, JurisdictionScope scope, FieldErrors errors, CancellationToken ct)
    {
        const string field = nameof(KeyPersonInput.Division);
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add(field, "请选择户籍地（乡镇或村）");
            return null;
        }
        var value = text.Normalize(NormalizationForm.FormKC).Trim();
        var division = value.All(c => char.IsAsciiDigit(c) || c == 'G')
            ? await ByCodeAsync(db, value, scope, errors, ct)
            : await ByNameAsync(db, value, scope, errors, ct);
        if (division is not null && division.Level is not (DivisionLevel.Township or DivisionLevel.Village))
        {
            errors.Add(field, $"户籍地应为乡镇或村，“{division.Name}”是{division.Level.Chinese()}");
            return null;
        }
        return division;
    }

    private static async Task<Division?> ByCodeAsync(AppDbContext db, string value, JurisdictionScope scope, FieldErrors errors, CancellationToken ct)
    {
        var code = Division.NormalizeCode(value);
        var division = await db.Divisions.AsNoTracking().FirstOrDefaultAsync(d => d.Code == code, ct);
        if (division is null) errors.Add(nameof(KeyPersonInput.Division), $"未知的行政区划代码：{value}");
        else if (!scope.Contains(division.Code)) errors.Add(nameof(KeyPersonInput.Division), $"“{division.Name}”（{division.Code}）超出您的管辖范围");
        else return division;
        return null;
    }

    private static async Task<Division?> ByNameAsync(AppDbContext db, string value, JurisdictionScope scope, FieldErrors errors, CancellationToken ct)
    {
        var places = db.Divisions.AsNoTracking().Within(scope).Where(d => d.Level == DivisionLevel.Township || d.Level == DivisionLevel.Village);
        var parts = value.Split(PlaceSeparators, StringSplitOptions.RemoveEmptyEntries);
        List<Division> matches;
        if (parts.Length == 2)
        {
            var (township, village) = (parts[0], parts[1]);
            matches = await places.Where(d => d.Name == village && d.Level == DivisionLevel.Village
                                              && db.Divisions.Any(t => t.Code == d.ParentCode && t.Name == township)).ToListAsync(ct);
        }
        else
        {
            matches = await places.Where(d => d.Name == value).ToListAsync(ct);
            if (matches.Count == 0)
            {
                // "饭坡镇某村" written as one word: a township name in scope followed by one of its villages.
                var townships = await places.Where(d => d.Level == DivisionLevel.Township).ToListAsync(ct);
                foreach (var t in townships.Where(t => value.Length > t.Name.Length && value.StartsWith(t.Name, StringComparison.Ordinal)))
                {
                    var rest = value[t.Name.Length..];
                    matches.AddRange(await places.Where(d => d.ParentCode == t.Code && d.Name == rest).ToListAsync(ct));
                }
            }
        }
        switch (matches.Count)
        {
            case 1:
                return matches[0];
            case 0:
                errors.Add(nameof(KeyPersonInput.Division), $"在您的管辖范围内没有名为“{value}”的乡镇或村，请核对名称或填写区划代码");
                return null;
            default:
                var codes = string.Join("、", matches.Take(5).Select(m => m.Code));
                errors.Add(nameof(KeyPersonInput.Division), $"有多个名为“{value}”的乡镇或村（{codes}），请写明所属乡镇（如“某镇/{value}”）或填写区划代码");
                return null;
        }
    }
}
