using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Features.Help;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Help;

/// <summary>帮助 (issue 11): a help page per module for logged-in staff, each link of the index leading somewhere real.</summary>
public sealed partial class HelpPagesTests
{
    public static readonly TheoryData<string, string> Modules = new()
    {
        { "adits", "矿硐台账" }, { "patrols", "巡查" }, { "tips", "举报" }, { "alerts", "预警" }, { "petitions", "信访" },
        { "clues", "线索" }, { "assignments", "督办" }, { "persons", "责任人" }, { "imports", "台账导入" }, { "mines", "矿山" },
        { "key-persons", "重点人员" }, { "rewards", "举报奖励" }, { "cases", "案件" }, { "devices", "监测设备" }, { "alert-rules", "预警规则" },
        { "notifications", "我的通知" }, { "users", "用户管理" }, { "divisions", "区划与责任分工" }, { "holidays", "节假日与调休" },
        { "api-keys", "接口密钥" }, { "audit", "审计日志" }, { "meters", "电力看矿" }, { "incidents", "事件事故与安全警示" },
        { "sweeps", "排查行动" }, { "rectifications", "问题台账与整改台账" }, { "spot-checks", "抽查" },
    };

    [Theory, OnSqlite, OnPostgres]
    public async Task Every_module_has_a_help_page_for_staff_and_none_for_anonymous_callers(string provider)
    {
        var app = await TestApp.Shared(provider);
        var staff = await app.LoginAsync("sx-patrol");
        var anonymous = app.Anonymous();
        foreach (var (module, title) in Modules.Select(r => ((string)r[0], (string)r[1])))
        {
            var html = await staff.GetStringAsync($"/help/{module}");
            Assert.Contains($"<h1 class=\"h4 me-auto mb-0\">帮助：{title}</h1>", html, StringComparison.Ordinal);
            Assert.Contains("依据", html, StringComparison.Ordinal);
            var refused = await anonymous.GetAsync($"/help/{module}");
            Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
            Assert.StartsWith("/login", refused.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }
        var index = await anonymous.GetAsync("/help");
        Assert.Equal(HttpStatusCode.Redirect, index.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await staff.GetAsync("/help/no-such-module")).StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Every_link_of_the_help_index_resolves(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var admin = await app.LoginAsync("sx-admin");
        var html = await office.GetStringAsync("/help");
        var links = Link().Matches(html).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.Equal(Modules.Count, links.Count);
        foreach (var link in links)
        {
            var topic = await office.GetAsync(link);
            Assert.Equal(HttpStatusCode.OK, topic.StatusCode);
            // The module's own page named on its help page answers too (for the office, or the administrator for the
            // administrators' pages).
            var page = HelpTopics.Find(link["/help/".Length..])!.Page;
            Assert.Contains($"href=\"{page}\"", await topic.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            var opened = await office.GetAsync(page);
            if (page.StartsWith("/admin/", StringComparison.Ordinal) && opened.StatusCode != HttpStatusCode.OK) opened = await admin.GetAsync(page);
            // Spot checks are the drawing level's (a city): the county's office gets 404 there, as it must.
            if (page == "/spot-checks") opened = await (await app.LoginAsync("ly-office")).GetAsync(page);
            Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        }
    }

    [Fact]
    public void Every_rule_names_one_of_the_source_documents()
    {
        string[] documents = [HelpTopics.Songxian, HelpTopics.Hongjiang, HelpTopics.Jincheng, HelpTopics.Jilin, HelpTopics.Ministries];
        foreach (var topic in HelpTopics.All)
        {
            Assert.NotEmpty(topic.Rules);
            Assert.All(topic.Rules, r => Assert.Contains(r.Document, documents));
        }
    }

    /// <summary>Every list page of a module, with the help page its header line links to.</summary>
    public static readonly TheoryData<string, string> ListPages = new()
    {
        { "/adits", "adits" }, { "/mines", "mines" }, { "/persons", "persons" }, { "/imports", "imports" }, { "/key-persons", "key-persons" },
        { "/patrols", "patrols" }, { "/patrols/check-ins", "patrols" }, { "/patrols/compliance", "patrols" }, { "/patrols/plans", "patrols" },
        { "/patrols/teams", "patrols" }, { "/patrols/rules", "patrols" }, { "/tips", "tips" }, { "/tips/stats", "tips" },
        { "/petitions", "petitions" }, { "/clues", "clues" }, { "/assignments", "assignments" }, { "/alerts", "alerts" },
        { "/devices", "devices" }, { "/alert-rules", "alert-rules" }, { "/sms-outbox", "alerts" }, { "/notifications", "notifications" },
        { "/sweeps", "sweeps" }, { "/rectifications", "rectifications" }, { "/rectifications/problems", "rectifications" },
    };

    [Theory, OnSqlite, OnPostgres]
    public async Task Every_list_page_links_to_its_help_page(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        foreach (var (page, module) in ListPages.Select(r => ((string)r[0], (string)r[1])))
        {
            var html = await office.GetStringAsync(page);
            var link = HelpLink().Match(html);
            Assert.True(link.Success, $"{page} has no 帮助 link");
            Assert.Equal($"/help/{module}", link.Groups[1].Value);
        }
    }

    /// <summary>The help page each administrators' page links to; every page under /admin must be listed here.</summary>
    public static readonly Dictionary<string, string> AdminPages = new()
    {
        ["/admin/users"] = "users", ["/admin/users/{id:guid}"] = "users", ["/admin/divisions"] = "divisions",
        ["/admin/holidays"] = "holidays", ["/admin/api-keys"] = "api-keys", ["/admin/audit"] = "audit",
    };

    [Theory, OnSqlite, OnPostgres]
    public async Task Every_admin_page_and_my_notifications_link_to_a_help_page_that_answers(string provider)
    {
        var app = await TestApp.Shared(provider);
        var admin = await app.LoginAsync("sx-admin");
        // Every page of the endpoint list under /admin (a new one fails here until it gets its help link and a row above).
        var adminRoutes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Mvc.RazorPages.PageActionDescriptor>() is not null)
            .Select(e => "/" + (e.RoutePattern.RawText ?? "").TrimStart('/'))
            .Where(r => r.StartsWith("/admin/", StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(AdminPages.Keys.Order(StringComparer.Ordinal), adminRoutes);

        var patrolId = await app.WithDbAsync(db => db.Users.Where(u => u.UserName == "sx-patrol").Select(u => u.Id).SingleAsync());
        var pages = AdminPages.Select(p => (Page: p.Key.Replace("{id:guid}", patrolId.ToString(), StringComparison.Ordinal), Module: p.Value))
            .Append(("/notifications", "notifications"));
        foreach (var (page, module) in pages)
        {
            var html = await admin.GetStringAsync(page);
            var link = HelpLink().Match(html);
            Assert.True(link.Success, $"{page} has no 帮助 link");
            Assert.Equal($"/help/{module}", link.Groups[1].Value);
            var help = await admin.GetAsync(link.Groups[1].Value);
            Assert.Equal(HttpStatusCode.OK, help.StatusCode);
            var text = await help.Content.ReadAsStringAsync();
            Assert.Contains($"帮助：{HelpTopics.Find(module)!.Title}", text, StringComparison.Ordinal);
            Assert.Contains("依据", text, StringComparison.Ordinal);
        }
    }

    [GeneratedRegex("<a class=\"help-link\" href=\"(/help/[a-z-]+)\">帮助</a>")]
    private static partial Regex HelpLink();

    [GeneratedRegex("href=\"(/help/[a-z-]+)\"")]
    private static partial Regex Link();
}
