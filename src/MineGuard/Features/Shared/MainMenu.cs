using MineGuard.Platform.Auth;

namespace MineGuard.Features.Shared;

/// <summary>
/// The main menu, grouped by task. Each link is listed only for the roles whose policy lets them open it, so a person
/// never meets a menu item that answers 403.
/// </summary>
public static class MainMenu
{
    public sealed record Item(string Text, string Href);

    public sealed record Group(string Key, string Text, IReadOnlyList<Item> Items);

    public static IReadOnlyList<Group> For(CurrentUser me)
    {
        bool Is(string role) => me.IsInRole(role);
        var officeOrAdmin = Is(Roles.Office) || Is(Roles.Admin);
        var groups = new List<Group>();

        void Add(string key, string text, params (string Text, string Href, bool Show)[] items)
        {
            var shown = items.Where(i => i.Show).Select(i => new Item(i.Text, i.Href)).ToList();
            if (shown.Count > 0) groups.Add(new Group(key, text, shown));
        }

        Add("ledger", "台账",
            ("矿硐台账", "/adits", true),
            ("地图", "/map", true),
            ("矿山", "/mines", true),
            ("重点人员", "/key-persons", me.CanSeeKeyPersons),
            ("责任人名录", "/persons", true),
            ("台账导入", "/imports", officeOrAdmin));
        Add("patrol", "巡查",
            ("巡查 App", "/field", Is(Roles.Patrol)),
            ("巡查记录", "/patrols", true),
            ("巡查计划", "/patrols/plans", true),
            ("巡查队", "/patrols/teams", true),
            ("巡查规则", "/patrols/rules", true),
            ("排查行动", "/sweeps", true),
            ("专项行动", "/campaigns", true),
            ("问题台账", "/rectifications/problems", true),
            ("整改台账", "/rectifications", true),
            ("抽查", "/spot-checks", ReadsSpotChecks(me)));
        Add("tips", "举报信访",
            ("举报线索", "/tips", true),
            ("信访", "/petitions", true),
            ("线索", "/clues", true),
            ("案件", "/cases", me.SeesAllDepartments || Is(Roles.Department) || Is(Roles.Head)),
            ("督办事项", "/assignments", true),
            ("我的待办", "/my-work", true));
        Add("alerts", "预警监测",
            ("预警台", "/alerts", true),
            ("监测设备", "/devices", true),
            ("预警规则", "/alert-rules", true),
            ("民爆物品闭环", "/explosives", me.SeesAllDepartments || Is(Roles.Department) || Is(Roles.Head)),
            ("事件事故", "/incidents", true),
            ("卫片图斑", "/satellite", me.SeesAllDepartments || me.DepartmentCode == "natural-resources"));
        Add("stats", "统计",
            ("督导看板", "/supervision", true),
            ("阶段报告", "/reports", me.SeesAllDepartments),
            ("巡查考核", "/patrols/compliance", true),
            ("举报统计", "/tips/stats", true),
            ("案件统计", "/cases/stats", me.SeesAllDepartments || Is(Roles.Department)),
            ("问责线索", "/referrals", me.SeesAllDepartments
                || ((Is(Roles.Department) || Is(Roles.Head)) && me.DepartmentCode == MineGuard.Platform.Jurisdiction.Department.Discipline)));
        Add("admin", "系统管理",
            ("用户管理", "/admin/users", Is(Roles.Admin)),
            ("区划与分工", "/admin/divisions", officeOrAdmin),
            ("案件设置", "/cases/settings", officeOrAdmin),
            ("短信发件箱", "/sms-outbox", officeOrAdmin),
            ("接口密钥", "/admin/api-keys", Is(Roles.Admin)),
            ("节假日", "/admin/holidays", Is(Roles.Admin)),
            ("审计日志", "/admin/audit", Is(Roles.Admin)));
        return groups;
    }

    /// <summary>
    /// Who sees spot checks (抽查, <c>SpotCheckDesk.CanRead</c>): the drawing level — a scope above a county (a city or
    /// province) — its office, leaders and administrators, and its discipline commission. Nobody at a county or below.
    /// </summary>
    public static bool ReadsSpotChecks(CurrentUser me) => !me.Scope.IsNone && !me.Scope.IsAll && me.Scope.From.Length < 6
        && (me.SeesAllDepartments || ((me.IsInRole(Roles.Department) || me.IsInRole(Roles.Head))
            && me.DepartmentCode == MineGuard.Platform.Jurisdiction.Department.Discipline));

    /// <summary>The link matching the current path: the longest href that is the path or a prefix of it.</summary>
    public static string? Current(IEnumerable<Group> groups, string path) =>
        groups.SelectMany(g => g.Items).Select(i => i.Href)
            .Where(h => path.Equals(h, StringComparison.OrdinalIgnoreCase) || path.StartsWith(h + "/", StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(h => h.Length).FirstOrDefault();
}
