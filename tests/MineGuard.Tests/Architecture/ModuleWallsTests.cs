using Xunit.Abstractions;

namespace MineGuard.Tests.Architecture;

/// <summary>
/// Modules with walls (issue 12): a feature depends on Platform, Data and the written allow-list of shared features
/// only; Platform and Data depend on no feature. Read from the compiled assembly by <see cref="ModuleGraph"/>.
/// </summary>
public sealed class ModuleWallsTests(ITestOutputHelper output)
{
    /// <summary>Features every feature may use: the registry of places, and the spine's clues and assignments.</summary>
    public static readonly string[] SharedFeatures = ["Features.Adits", "Features.Clues", "Features.Assignments", "Features.Shared"];

    /// <summary>
    /// The written exceptions, each a module that composes others and that nothing else depends on: the home page
    /// summarises every feature's work for each role; the ledger import writes into the registries it imports.
    /// </summary>
    public static readonly Dictionary<string, string[]> Composers = new()
    {
        ["Features.Dashboard"] = ["Features.Monitoring", "Features.Patrols", "Features.Petitions", "Features.Tips", "Features.Campaigns"],
        ["Features.Imports"] = ["Features.Mines", "Features.KeyPersons", "Features.Sweeps"],
        // Not a composer: a case names the licensed mines it involves (越界开采, 以采代探) and shows their names.
        ["Features.Cases"] = ["Features.Mines"],
        // Not a composer: a person's log-in is made by the administrators' one user-creation path (AdminCommands).
        ["Features.Persons"] = ["Features.Admin"],
        // The risk score (风险评分) reads every feature's signals near an adit; the patrol plan reads it through Platform.
        // The electricity findings read a meter's mine (its 生产状态 and licence dates) for the meter's expectation.
        ["Features.Analysis"] = ["Features.Monitoring", "Features.Patrols", "Features.KeyPersons", "Features.Tips", "Features.Mines", "Features.Cases", "Features.Incidents"],
        // 督导看板 (issue 18) counts what every feature records, each figure linking to that feature's list.
        ["Features.Supervision"] = ["Features.Monitoring", "Features.Patrols", "Features.Tips", "Features.Cases", "Features.Accountability"],
        // Spot checks (抽查) draw from what counties reported closed: check-ins that count and tips verified true, and undo them when found false.
        ["Features.SpotChecks"] = ["Features.Patrols", "Features.Tips"],
        // 问责线索 (issue 18): the accountability rules count what other features record (confirmed signals, cases and their
        // parties' homes, clean sweeps, false 销号 found by spot checks, faked check-ins).
        ["Features.Accountability"] = ["Features.Monitoring", "Features.Patrols", "Features.Cases", "Features.KeyPersons", "Features.SpotChecks", "Features.Sweeps"],
        // Not a composer: a sweep's default checklist is the patrols' eight checks (CheckList) and its inspections keep
        // the field sync's hash (SyncHash); an inspection names the licensed mine it inspected.
        ["Features.Sweeps"] = ["Features.Patrols", "Features.Mines"],
        // Not a composer: a joint operation's seizure files a case through CaseDesk, and a meeting names the cases it discussed;
        // the publicity coverage counts a township with licensed mines as a mining township; a phase report may be the level's
        // stage report (阶段报告, Supervision), whose figures and PDF it takes.
        ["Features.Campaigns"] = ["Features.Cases", "Features.Mines", "Features.Supervision"],
        // Not a composer: a holder of explosives may be a licensed mine, and a use there while its licence is expired,
        // suspended or closing is a gap of the loop (民爆物品闭环).
        ["Features.Explosives"] = ["Features.Mines", "Features.Monitoring"],
        // 事件/事故 (issue 19) show the alerts, check-ins and tips about the same adit before the incident, and link its cases.
        ["Features.Incidents"] = ["Features.Monitoring", "Features.Patrols", "Features.Tips", "Features.Cases"],
        // Not a composer: a satellite patch is matched against the licensed mines' boundaries (越界开采 / 无证开采); a finding
        // recorded offline keeps the field sync's rules (SyncHash, SyncSave's answers, the phone's clock) and is judged on
        // site by the county's check-in rules (PatrolRuleSet).
        ["Features.Satellite"] = ["Features.Mines", "Features.Monitoring", "Features.Patrols"],
    };

    /// <summary>A type's module: "Features.Adits", "Platform", "Data", "Host", or null outside the product.</summary>
    public static string? ModuleOf(Type type) => ModuleOf(type, "MineGuard");

    public static string? ModuleOf(Type type, string root)
    {
        while (type.DeclaringType is { } outer) type = outer;
        var ns = type.Namespace ?? "";
        if (ns == "AspNetCoreGeneratedDocument")
        {
            // Compiled Razor views are named after their path: Features_Adits_Pages_Index.
            var parts = type.Name.Split('_', StringSplitOptions.RemoveEmptyEntries);
            return parts is ["Features", var f, ..] && !f.StartsWith("View", StringComparison.Ordinal) ? "Features." + f : "Features.Shared";
        }
        // The start-up program; compiler-made types (anonymous types, collection literals) belong to no module.
        if (ns == "" && type.Name == "Program") return "Host";
        if (ns != root && !ns.StartsWith(root + ".", StringComparison.Ordinal)) return null;
        var segments = ns[root.Length..].Split('.', StringSplitOptions.RemoveEmptyEntries);
        return segments switch
        {
            ["Features", var f, ..] => "Features." + f,
            ["Platform", ..] => "Platform",
            ["Data", ..] => "Data",
            _ => null,
        };
    }

    /// <summary>The rule: null when the edge is allowed, else why not (in Chinese, as the test prints it).</summary>
    public static string? Forbidden(string from, string to) => (from, to) switch
    {
        ("Host", _) => null,
        (_, "Host") => "不应依赖启动程序",
        ("Platform" or "Data", var t) when t.StartsWith("Features.", StringComparison.Ordinal) => "平台层和数据层不得依赖功能模块",
        (var f, var t) when f.StartsWith("Features.", StringComparison.Ordinal) && t.StartsWith("Features.", StringComparison.Ordinal)
            && !SharedFeatures.Contains(t) && !(Composers.TryGetValue(f, out var may) && may.Contains(t))
            => "功能模块只能依赖平台层、允许清单中的模块（Adits、Clues、Assignments）和书面列出的组合关系",
        _ => null,
    };

    /// <summary>
    /// Forbidden edges, and cycles among the allowed ones (two modules that each reference the other). Data (the one
    /// DbContext) and Platform are one layer and may reference each other.
    /// </summary>
    public static List<string> Violations(Dictionary<(string From, string To), string> edges)
    {
        var problems = edges.Where(e => Forbidden(e.Key.From, e.Key.To) is not null)
            .Select(e => $"{e.Key.From} -> {e.Key.To}: {Forbidden(e.Key.From, e.Key.To)} (例如 {e.Value})").ToList();
        problems.AddRange(edges.Keys.Where(e => string.CompareOrdinal(e.From, e.To) < 0 && edges.ContainsKey((e.To, e.From))
                                               && e.From != "Host" && e.To != "Host" && (e.From, e.To) != ("Data", "Platform"))
            .Select(e => $"{e.From} <-> {e.To}: 模块之间循环依赖 (例如 {edges[e]} / {edges[(e.To, e.From)]})"));
        return problems;
    }

    [Fact]
    public void Features_depend_only_on_platform_and_the_allow_list_and_platform_on_no_feature()
    {
        var edges = new ModuleGraph(ModuleOf).Edges(typeof(MineGuard.Data.AppDbContext).Assembly.GetTypes());
        foreach (var ((from, to), example) in edges.OrderBy(e => e.Key.From).ThenBy(e => e.Key.To))
            output.WriteLine($"{(Forbidden(from, to) is null ? "  " : "XX")} {from} -> {to}   e.g. {example}");
        // The graph is real: the features' known uses of the shared registry and of Platform are found.
        Assert.Contains(("Features.Patrols", "Features.Adits"), edges.Keys);
        Assert.Contains(("Features.Adits", "Platform"), edges.Keys);
        var violations = Violations(edges);
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void A_forbidden_reference_fails_the_rule()
    {
        // Fixture types in this test assembly, laid out like the product's modules (namespace root below).
        const string root = "MineGuard.Tests.Architecture.Fixture";
        var types = typeof(ModuleWallsTests).Assembly.GetTypes().Where(t => t.Namespace?.StartsWith(root, StringComparison.Ordinal) == true);
        var edges = new ModuleGraph(t => ModuleOf(t, root)).Edges(types);
        var violations = Violations(edges);
        Assert.Contains(violations, v => v.StartsWith("Features.Tips -> Features.Petitions", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("Platform -> Features.Tips", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("Features.Petitions <-> Features.Tips", StringComparison.Ordinal));
        // Allowed: a feature using the shared registry and Platform.
        Assert.DoesNotContain(violations, v => v.StartsWith("Features.Tips -> Features.Adits", StringComparison.Ordinal));
        Assert.DoesNotContain(violations, v => v.StartsWith("Features.Tips -> Platform", StringComparison.Ordinal));
    }
}
