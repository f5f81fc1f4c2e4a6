using System.Net;
using System.Net.Http.Json;
using AngleSharp.Html.Dom;
using MineGuard.Features.KeyPersons;
using MineGuard.Platform.Web;
using MineGuard.Tests.Features.KeyPersons;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Lists.ListSearchTests;

namespace MineGuard.Tests.Features.Lists;

/// <summary>
/// The ledger lists (adits, key persons, the persons' directory) page with the one pager of the other lists (issue 11):
/// with more rows than a page, page 2 shows the next rows and its links keep the keyword; "暂无" when nothing matches.
/// Each test makes its own rows under a keyword of its own, so demo rows and other tests' rows never count.
/// (The mines list is checked the same way in MinesPagesTests.)
/// </summary>
public sealed class LedgerListPagingTests
{
    [Theory, OnSqlite, OnPostgres]
    public async Task Adits_page_2_shows_the_next_adits_and_keeps_the_keyword(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var key = Key();
        var names = new List<string>();
        for (var i = 0; i < 51; i++)
        {
            var at = Spots.Songxian();
            names.Add($"{key}硐{i:D2}");
            var created = await office.PostAsJsonAsync("/api/adits", new
            {
                name = names[^1], township = "陶村林场", lon = at.Lon.ToString("F6"), lat = at.Lat.ToString("F6"), mineral = "金", origin = "盗采点",
            });
            Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        }

        await AssertTwoPagesAsync(office, "/adits", "q", key, "#adits", 50, names, row => row.Cells[1].TextContent);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Key_persons_page_2_shows_the_next_persons_and_keeps_the_name_searched(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var key = Key();
        var names = new List<string>();
        for (var i = 0; i <= KeyPersonQueries.DefaultPageSize; i++)
        {
            names.Add($"{key}人{i:D2}");
            await KeyPersonFixtures.CreateAsync(office, names[^1]);
        }

        await AssertTwoPagesAsync(office, "/key-persons", "name", key, "#key-persons", KeyPersonQueries.DefaultPageSize, names,
            row => row.Cells[0].QuerySelector("a")!.TextContent);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Persons_page_2_shows_the_next_persons_and_keeps_the_keyword(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var key = Key();
        var names = new List<string>();
        var phone = Random.Shared.Next(10_000_000, 99_999_900);
        for (var i = 0; i < 51; i++)
        {
            names.Add($"{key}员{i:D2}");
            var created = await office.PostAsJsonAsync("/api/persons", new { divisionCode = "410325400", name = names[^1], phone = $"137{phone + i}" });
            Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        }

        await AssertTwoPagesAsync(office, "/persons", "q", key, "#persons", 50, names, row => row.Cells[0].TextContent);
    }

    /// <summary>
    /// Page 1 holds <paramref name="size"/> of the keyword's rows and links to page 2 with the keyword; page 2 holds the
    /// rest, links back with the keyword, and together they show every row once; another keyword shows "暂无" and no pager.
    /// </summary>
    private static async Task AssertTwoPagesAsync(HttpClient client, string path, string keyName, string key, string table, int size,
        List<string> names, Func<IHtmlTableRowElement, string> name)
    {
        var first = await PageAsync(client, $"{path}?{keyName}={key}");
        var firstRows = first.QuerySelectorAll($"{table} tbody tr").Cast<IHtmlTableRowElement>().Select(name).ToList();
        Assert.Equal(size, firstRows.Count);
        Assert.Contains("第 1 / 2 页", first.QuerySelector(".pager .page-of")!.TextContent, StringComparison.Ordinal);
        Assert.Null(first.QuerySelector(".pager .page-prev"));
        var next = first.QuerySelector(".pager .page-next")!.GetAttribute("href")!;
        Assert.StartsWith(path + "?", next, StringComparison.Ordinal);
        Assert.Contains($"{keyName}={key}", next, StringComparison.Ordinal);
        Assert.EndsWith("p=2", next, StringComparison.Ordinal);

        var second = await PageAsync(client, next);
        var secondRows = second.QuerySelectorAll($"{table} tbody tr").Cast<IHtmlTableRowElement>().Select(name).ToList();
        Assert.Equal(names.Count - size, secondRows.Count);
        Assert.Contains("第 2 / 2 页", second.QuerySelector(".pager .page-of")!.TextContent, StringComparison.Ordinal);
        Assert.Null(second.QuerySelector(".pager .page-next"));
        var back = second.QuerySelector(".pager .page-prev")!.GetAttribute("href")!;
        Assert.Contains($"{keyName}={key}", back, StringComparison.Ordinal);
        Assert.DoesNotContain("p=", back, StringComparison.Ordinal);
        Assert.Equal(names.Order(StringComparer.Ordinal), firstRows.Concat(secondRows).Select(n => n.Trim()).Order(StringComparer.Ordinal));

        var none = await PageAsync(client, $"{path}?{keyName}={Key()}");
        Assert.Equal(EmptyRowTagHelper.Text, none.QuerySelector($"{table} tbody tr.empty")!.TextContent);
        Assert.Null(none.QuerySelector(".pager"));
    }
}
