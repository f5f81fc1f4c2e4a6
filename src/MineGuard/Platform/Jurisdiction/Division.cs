namespace MineGuard.Platform.Jurisdiction;

/// <summary>行政区划 / 网格: one node of the jurisdiction tree.</summary>
/// <remarks>
/// The key is the significant part of the statistical code (统计用区划代码): 2 digits for a province, 4 for a city,
/// 6 for a county, 9 for a township, 12 for a village. Grids (网格) have no official code and get their parent's code
/// followed by "G" and a serial. Every node's code therefore starts with its ancestors' codes, which makes
/// "this node and everything below it" a single index-backed range query (see <see cref="JurisdictionScope"/>).
/// </remarks>
public sealed class Division
{
    private Division() { }

    public string Code { get; private set; } = "";
    public string Name { get; private set; } = "";
    public DivisionLevel Level { get; private set; }
    public string? ParentCode { get; private set; }

    /// <summary>Boundary as GeoJSON geometry in WGS84, when the product has one.</summary>
    public string? BoundaryGeoJson { get; private set; }

    /// <summary>Added as part of the demo data set (演示数据).</summary>
    public bool IsDemo { get; private set; }

    public DateTime CreatedUtc { get; private set; }

    /// <summary>The person who answers for this grid, village or township (a <c>Platform.People.Person</c>).</summary>
    public Guid? ResponsiblePersonId { get; private set; }

    /// <summary>The level's leader, told when work escalates to it (e.g. 乡镇分管领导).</summary>
    public Guid? LeaderPersonId { get; private set; }

    /// <summary>Names who answers for the division and its leader (persons; null clears).</summary>
    public void NameResponsible(Guid? responsiblePersonId, Guid? leaderPersonId) =>
        (ResponsiblePersonId, LeaderPersonId) = (responsiblePersonId, leaderPersonId);

    /// <summary>The 12-digit statistical code; grids have none.</summary>
    public string? StatisticalCode => Level == DivisionLevel.Grid ? null : Code.PadRight(12, '0');

    public static Division Official(string code, string name, DivisionLevel level, string? parentCode, DateTime nowUtc) =>
        new() { Code = code, Name = name, Level = level, ParentCode = parentCode, CreatedUtc = nowUtc };

    public static Division Village(Division township, string statisticalCode, string name, bool isDemo, DateTime nowUtc) =>
        new()
        {
            Code = statisticalCode, Name = name, Level = DivisionLevel.Village, ParentCode = township.Code,
            IsDemo = isDemo, CreatedUtc = nowUtc,
        };

    public static Division Grid(Division parent, int serial, string name, bool isDemo, DateTime nowUtc) =>
        new()
        {
            Code = GridCode(parent.Code, serial), Name = name, Level = DivisionLevel.Grid, ParentCode = parent.Code,
            IsDemo = isDemo, CreatedUtc = nowUtc,
        };

    public static string GridCode(string parentCode, int serial) => $"{parentCode}G{serial:D3}";

    public void Rename(string name) => Name = name;

    public void SetBoundary(string? geoJson) => BoundaryGeoJson = geoJson;

    /// <summary>Level implied by the length of an official code, or null when the text is not one.</summary>
    public static DivisionLevel? LevelOfCode(string code)
    {
        if (code.Length == 0 || !code.All(char.IsAsciiDigit)) return null;
        return code.Length switch
        {
            2 => DivisionLevel.Province,
            4 => DivisionLevel.City,
            6 => DivisionLevel.County,
            9 => DivisionLevel.Township,
            12 => DivisionLevel.Village,
            _ => null,
        };
    }

    /// <summary>Accepts a code as people write it (the 12-digit form padded with zeros, or the short form).</summary>
    public static string NormalizeCode(string text)
    {
        var code = text.Trim();
        if (code.Length == 12 && code.All(char.IsAsciiDigit))
        {
            foreach (var (len, tail) in new[] { (2, 10), (4, 8), (6, 6), (9, 3) })
            {
                if (code[len..].All(c => c == '0')) return code[..len];
            }
        }
        return code;
    }
}

public enum DivisionLevel
{
    Province = 1,
    City = 2,
    County = 3,
    Township = 4,
    Village = 5,
    Grid = 6,
}

public static class DivisionLevelNames
{
    public static string Chinese(this DivisionLevel level) => level switch
    {
        DivisionLevel.Province => "省",
        DivisionLevel.City => "市",
        DivisionLevel.County => "县",
        DivisionLevel.Township => "乡镇",
        DivisionLevel.Village => "村",
        DivisionLevel.Grid => "网格",
        _ => level.ToString(),
    };
}

/// <summary>A division as the API shows it (the admin's division tree, the caller's own scope).</summary>
public sealed record DivisionView(string Code, string Name, string Level, string? ParentCode, string? StatisticalCode, bool IsDemo)
{
    public static DivisionView Of(Division d) => new(d.Code, d.Name, d.Level.Chinese(), d.ParentCode, d.StatisticalCode, d.IsDemo);
}
