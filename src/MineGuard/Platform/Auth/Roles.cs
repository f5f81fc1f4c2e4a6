namespace MineGuard.Platform.Auth;

/// <summary>The roles of PRODUCT.md's user table. A user may hold several; a leader alone is read-only.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Office = "office";
    public const string Patrol = "patrol";
    public const string Responsible = "responsible";
    public const string Department = "department";
    public const string Leader = "leader";

    /// <summary>举报奖励审批人 (tips issue): approves and pays tip rewards and may see named tipsters.</summary>
    public const string Reward = "reward";

    /// <summary>机关负责人: the head of an agency (a county bureau's 局长), who approves what the law reserves to the head,
    /// e.g. transferring a case to the police (国务院令第310号 art. 5). Sees and acts on the cases of their department.</summary>
    public const string Head = "head";

    public static readonly IReadOnlyList<(string Name, string Chinese)> All =
    [
        (Admin, "系统管理员"),
        (Office, "办公室人员"),
        (Patrol, "巡查员"),
        (Responsible, "包保责任人"),
        (Department, "部门人员"),
        (Leader, "领导"),
        (Reward, "举报奖励审批人"),
        (Head, "机关负责人"),
    ];

    public static string Chinese(string role) => All.FirstOrDefault(r => r.Name == role).Chinese ?? role;

    public static bool IsKnown(string role) => All.Any(r => r.Name == role);
}

/// <summary>Authorization policies; every endpoint group names one.</summary>
public static class Policies
{
    /// <summary>Any logged-in person with at least one role.</summary>
    public const string Staff = "staff";

    /// <summary>May change data: any role other than a leader's read-only one.</summary>
    public const string Writer = "writer";

    public const string Office = "office";
    public const string Admin = "admin";

    /// <summary>The office (打非办) itself, administrators not included: what the office alone confirms, such as a case's
    /// party put on the key-person ledger, which administrators do not read (<see cref="KeyPersons"/>).</summary>
    public const string OfficeOnly = "office-only";

    /// <summary>重点人员: the office and the police only.</summary>
    public const string KeyPersons = "key-persons";

    /// <summary>The head of an agency (<see cref="Roles.Head"/>): approvals the law reserves to the head.</summary>
    public const string Head = "head";

    /// <summary>An integration calling with an API key.</summary>
    public const string Integration = "integration";

    /// <summary>Reads the API description: staff (log-in cookie with a role) or an integration (API key).</summary>
    public const string ApiReader = "api-reader";
}

public static class MineGuardClaims
{
    public const string Scope = "mg:scope";
    public const string Department = "mg:dept";
    public const string DisplayName = "mg:name";
    public const string IsDemo = "mg:demo";

    /// <summary>The log-in session's id (<see cref="Sessions"/>).</summary>
    public const string Session = "mg:sid";
}
