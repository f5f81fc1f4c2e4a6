using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Assignments;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Dashboard;

/// <summary>The home page (/) shows each role its own work; a person with several roles sees each role's section.</summary>
public sealed class HomePageTests
{
    private static readonly HtmlParser Parser = new();

    private static readonly string[] Sections = ["home-office", "home-leader", "home-patrol", "home-responsible", "home-reward", "home-department", "home-admin"];

    private static async Task<IHtmlDocument> HomeAsync(HttpClient client) => Parser.ParseDocument(await client.GetStringAsync("/"));

    private static string[] SectionsOf(IHtmlDocument doc) => Sections.Where(s => doc.GetElementById(s) is not null).ToArray();

    [Theory, OnSqlite, OnPostgres]
    public async Task Each_demo_role_sees_the_section_of_its_own_work_and_no_other(string provider)
    {
        var app = await TestApp.Shared(provider);
        Assert.Equal(HttpStatusCode.Redirect, (await app.Anonymous().GetAsync("/")).StatusCode);
        foreach (var (user, expected) in new[]
                 {
                     ("sx-office", new[] { "home-office" }), ("sx-leader", ["home-leader"]), ("sx-patrol", ["home-patrol"]),
                     ("sx-resp", ["home-responsible"]), ("sx-reward", ["home-reward"]), ("hj-petitions", ["home-department"]),
                     ("sx-police", ["home-department"]), ("sx-admin", ["home-admin"]),
                 })
        {
            var doc = await HomeAsync(await app.LoginAsync(user));
            Assert.Equal(expected, SectionsOf(doc));
            Assert.NotNull(doc.GetElementById("map"));
        }
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_patrol_member_sees_the_week_plan_and_the_field_app_link(string provider)
    {
        var app = await TestApp.Shared(provider);
        var doc = await HomeAsync(await app.LoginAsync("sx-patrol"));
        var section = doc.GetElementById("home-patrol")!;
        Assert.Equal("/field", section.QuerySelector("#open-field")!.GetAttribute("href"));
        // The demo team's plan for the current month covers this week: its adits are listed, highest priority first.
        Assert.NotEmpty(section.QuerySelectorAll(".home-adits tbody tr"));
        Assert.Contains("本周已巡查", section.TextContent, StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task An_overdue_assignment_is_on_the_responsible_person_s_home_and_on_the_office_s_overdue_list_but_not_in_another_county(string provider)
    {
        var app = await TestApp.Shared(provider);
        var title = "首页测试待办 " + Guid.NewGuid().ToString("N")[..8];
        await app.WithDbAsync(async db =>
        {
            var resp = await db.Users.SingleAsync(u => u.UserName == "sx-resp");
            // Long overdue, so it sorts first on every list.
            db.Add(Assignment.Open("410325400G001", null, AssignmentKinds.FollowUp, "test", null, title, null, null, null, resp.Id, null,
                new DateOnly(2020, 1, 1), null, null, DateTime.UtcNow));
            return await db.SaveChangesAsync();
        });

        var mine = (await HomeAsync(await app.LoginAsync("sx-resp"))).GetElementById("home-responsible")!;
        var item = mine.QuerySelectorAll(".home-list li").First(li => li.TextContent.Contains(title, StringComparison.Ordinal));
        Assert.Contains("overdue", item.ClassName);
        Assert.Contains("已逾期 · 2020-01-01", item.TextContent, StringComparison.Ordinal);

        var office = (await HomeAsync(await app.LoginAsync("sx-office"))).GetElementById("home-office")!;
        Assert.True(int.Parse(office.QuerySelector("#overdue-assignments")!.TextContent) >= 1);
        Assert.Contains(title, office.QuerySelector("#office-overdue")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(office.QuerySelector("#office-new-tips"));
        Assert.NotNull(office.QuerySelector("#office-alerts"));

        var other = (await HomeAsync(await app.LoginAsync("hj-office"))).GetElementById("home-office")!;
        Assert.DoesNotContain(title, other.TextContent, StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_leader_sees_figures_and_six_months_of_trends_for_the_charts(string provider)
    {
        var app = await TestApp.Shared(provider);
        var doc = await HomeAsync(await app.LoginAsync("sx-leader"));
        var section = doc.GetElementById("home-leader")!;
        Assert.Contains("进行中", section.QuerySelector("h2")!.TextContent, StringComparison.Ordinal); // 2 November: the month has begun
        Assert.Matches(@"^\d+ / \d+$", section.QuerySelector("#teams-ok")!.TextContent.Trim());
        Assert.True(int.Parse(section.QuerySelector("#adits-sealed")!.TextContent) > 0);
        var trend = JsonDocument.Parse(section.QuerySelector("#trends")!.GetAttribute("data-trend")!).RootElement;
        Assert.Equal(["2026年6月", "2026年7月", "2026年8月", "2026年9月", "2026年10月", "2026年11月"],
            trend.GetProperty("months").EnumerateArray().Select(m => m.GetString()));
        foreach (var series in new[] { "tips", "alerts", "breaches", "patrols", "verifiedCheckIns" })
            Assert.Equal(6, trend.GetProperty(series).GetArrayLength());
        Assert.True(trend.GetProperty("patrols").EnumerateArray().Sum(p => p.GetInt32()) > 0);
        // ECharts is served by the app itself.
        Assert.NotNull(doc.QuerySelector("script[src='/lib/echarts/echarts.min.js']"));
        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous().GetAsync("/lib/echarts/echarts.min.js")).StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_department_officer_finds_the_clues_and_assignments_given_to_the_department_on_the_home_page(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var mark = Guid.NewGuid().ToString("N")[..8];
        var ids = new Dictionary<string, Guid>();
        foreach (var department in new[] { "public-security", "discipline" })
        {
            var clue = await office.PostAsJsonAsync("/api/clues", new { sourceType = "media", summary = $"首页线索 {mark} {department}", divisionCode = "410325400", departmentCode = department });
            Assert.Equal(HttpStatusCode.Created, clue.StatusCode);
            ids["clue-" + department] = (await clue.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            var assignment = await office.PostAsJsonAsync("/api/assignments", new
            {
                divisionCode = "410325400", kind = "rectification", title = $"首页督办 {mark} {department}", departmentCode = department,
                dueOn = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(10).ToString("yyyy-MM-dd"),
            });
            Assert.Equal(HttpStatusCode.Created, assignment.StatusCode);
            ids["assignment-" + department] = (await assignment.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        }

        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await office.PostAsJsonAsync("/api/clues", new { sourceType = "media", summary = $"首页线索 {mark} 另 {i}", divisionCode = "410325400", departmentCode = "public-security" })).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await office.PostAsJsonAsync("/api/assignments", new
            {
                divisionCode = "410325400", kind = "rectification", title = $"首页督办 {mark} 另 {i}", departmentCode = "public-security",
                dueOn = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(20).ToString("yyyy-MM-dd"),
            })).StatusCode);
        }
        var police = await app.LoginAsync("sx-police");
        var section = (await HomeAsync(police)).GetElementById("home-department")!;
        // On the page's short list (most urgent first), or, when other work crowds it out, behind the list's 全部 link.
        foreach (var (item, more) in new[] { ($"/clues/{ids["clue-public-security"]}", ".more-clues"), ($"/assignments/{ids["assignment-public-security"]}", ".more-assignments") })
        {
            var link = section.QuerySelector(more); // the test gave the department more than the short list holds
            Assert.NotNull(link);
            Assert.Matches(@"^全部 \d+ ", link.TextContent);
            if (section.QuerySelector($"a[href='{item}']") is not null) continue;
            var list = await Parser.ParseDocumentAsync(await police.GetStringAsync(link.GetAttribute("href") + "?q=" + mark));
            Assert.NotNull(list.QuerySelector($"a[href='{item}']"));
        }
        // Another department's work is not on the police officer's page.
        Assert.DoesNotContain($"{mark} discipline", section.TextContent, StringComparison.Ordinal);
        // Nor on another county's department officer's.
        Assert.DoesNotContain(mark, (await HomeAsync(await app.LoginAsync("hj-police"))).Body!.TextContent, StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_person_with_several_roles_sees_the_section_of_each(string provider)
    {
        var app = await TestApp.Shared(provider);
        var admin = await app.LoginAsync("sx-admin");
        var name = $"home-{Guid.NewGuid():N}"[..20];
        var created = await admin.PostAsJsonAsync("/api/admin/users", new
        {
            userName = name, displayName = "多角色用户", password = "test-pass-123", divisionCode = "410325",
            departmentCode = "public-security", roles = new[] { "leader", "department", "reward" },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var doc = await HomeAsync(await app.LoginAsync(name, "test-pass-123"));
        Assert.Equal(["home-leader", "home-reward", "home-department"], SectionsOf(doc));
    }
}
