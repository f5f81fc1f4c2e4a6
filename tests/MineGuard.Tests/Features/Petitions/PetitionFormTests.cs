using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Petitions;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Petitions;

/// <summary>The petition form on /petitions: a refused post keeps everything typed and names the bad field beside it (issue 11).</summary>
public sealed class PetitionFormTests
{
    private static async Task<(HttpStatusCode Status, IHtmlDocument Page)> PostAsync(HttpClient client, params (string Key, string Value)[] fields)
    {
        var token = await TestApp.AntiForgeryTokenAsync(client, "/petitions");
        var form = fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)).Append(new("__RequestVerificationToken", token));
        var response = await client.PostAsync("/petitions", new FormUrlEncodedContent(form));
        return (response.StatusCode, new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync()));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_bad_date_comes_back_with_every_other_field_still_filled_and_the_message_beside_the_date(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("hj-office");
        var content = "反映后山夜里有人挖洞 " + Guid.NewGuid().ToString("N")[..6];
        var (status, page) = await PostAsync(office, ("Input.DivisionCode", "431281101"), ("Input.Nature", "IllegalMining"),
            ("Input.ReceivedOn", "2026年13月45日"), ("Input.Petitioner", "张三"), ("Input.Contact", "13900000000"), ("Input.Content", content));
        Assert.Equal(HttpStatusCode.OK, status);

        Assert.Equal("431281101", ((IHtmlSelectElement)page.QuerySelector("#p-division")!).Value);
        Assert.Equal("IllegalMining", ((IHtmlSelectElement)page.QuerySelector("#p-nature")!).Value);
        Assert.Equal("2026年13月45日", ((IHtmlInputElement)page.QuerySelector("#p-received")!).Value);
        Assert.Equal("张三", ((IHtmlInputElement)page.QuerySelector("#p-petitioner")!).Value);
        Assert.Equal("13900000000", ((IHtmlInputElement)page.QuerySelector("#p-contact")!).Value);
        Assert.Equal(content, ((IHtmlTextAreaElement)page.QuerySelector("#p-content")!).Value);

        var beside = page.QuerySelector("[data-for='Input.ReceivedOn']")!.TextContent;
        Assert.Contains("收到日期不存在", beside, StringComparison.Ordinal);
        Assert.DoesNotContain("日期日期", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal("", page.QuerySelector("[data-for='Input.Content']")!.TextContent.Trim());
        Assert.False(await app.WithDbAsync(db => db.Set<Petition>().AnyAsync(p => p.Content == content)));

        // A date in the wrong shape says what shape, naming the field once.
        (_, page) = await PostAsync(office, ("Input.DivisionCode", "431281101"), ("Input.Nature", "IllegalMining"), ("Input.ReceivedOn", "上周"),
            ("Input.Content", content));
        Assert.StartsWith("收到日期格式应为", page.QuerySelector("[data-for='Input.ReceivedOn']")!.TextContent.Trim(), StringComparison.Ordinal);

        // Missing content: the message is beside the content and the date typed stays.
        (_, page) = await PostAsync(office, ("Input.DivisionCode", "431281101"), ("Input.Nature", "IllegalMining"), ("Input.ReceivedOn", "2026-11-20"));
        Assert.Contains("请填写信访内容", page.QuerySelector("[data-for='Input.Content']")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("2026-11-20", ((IHtmlInputElement)page.QuerySelector("#p-received")!).Value);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_form_needs_a_log_in_and_a_writer(string provider)
    {
        var app = await TestApp.Shared(provider);
        var anonymous = await app.Anonymous().GetAsync("/petitions");
        Assert.NotEqual(HttpStatusCode.OK, anonymous.StatusCode);
        var leader = await app.LoginAsync("hj-leader");
        Assert.DoesNotContain("id=\"petition-form\"", await leader.GetStringAsync("/petitions"), StringComparison.Ordinal);
    }
}
