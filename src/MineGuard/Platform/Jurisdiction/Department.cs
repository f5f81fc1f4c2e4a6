namespace MineGuard.Platform.Jurisdiction;

/// <summary>部门: the departments that share the work, as the Hongjiang plan splits the duties.</summary>
public sealed class Department
{
    private Department() { }

    /// <summary>信访局: reads every petition of its scope.</summary>
    public const string Petitions = "petitions";

    /// <summary>纪委监委: accountability referrals, and tips that name officials.</summary>
    public const string Discipline = "discipline";

    public const string PublicSecurity = "public-security";

    public string Code { get; private set; } = "";
    public string Name { get; private set; } = "";
    public int SortOrder { get; private set; }

    /// <summary>
    /// The thirteen departments named in the source documents, plus the local government (属地政府: township and
    /// village cadres), to which the documents give the first responsibility (属地管理) but which is not a line bureau.
    /// </summary>
    public static readonly IReadOnlyList<(string Code, string Name)> Catalogue =
    [
        ("natural-resources", "自然资源"),
        ("public-security", "公安"),
        ("emergency", "应急管理"),
        ("forestry", "林业"),
        ("ecology", "生态环境"),
        ("power", "电力"),
        ("telecom", "通信运营商"),
        ("petitions", "信访"),
        ("discipline", "纪委监委"),
        ("industry", "工信"),
        ("publicity", "宣传"),
        ("market", "市场监管"),
        ("energy", "能源"),
        ("local-government", "属地政府"),
    ];

    public static IEnumerable<Department> All() =>
        Catalogue.Select((d, i) => new Department { Code = d.Code, Name = d.Name, SortOrder = i + 1 });

    public static string? NameOf(string code) => Catalogue.FirstOrDefault(d => d.Code == code).Name;
}
