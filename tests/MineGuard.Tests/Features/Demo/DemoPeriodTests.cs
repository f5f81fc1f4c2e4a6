using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Features.Demo;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Demo;

/// <summary>The demo opens on the current period, however long ago it was loaded; a month not yet over is in progress.</summary>
public sealed class DemoPeriodTests
{
    private static readonly HtmlParser Parser = new();

    [Theory, OnSqlite, OnPostgres]
    public async Task A_demo_loaded_weeks_ago_covers_the_current_month_after_the_next_start(string provider)
    {
        await using var app = await TestApp.StartAsync(provider); // loaded on 2 November 2026
        var office = await app.LoginAsync("sx-office");
        var october = await office.GetFromJsonAsync<JsonElement>("/api/patrols?month=2026-10");
        Assert.NotEqual(0, october.GetArrayLength());
        // 2 November is the month's first Monday: the month still opens with a patrol, on Sunday the 1st.
        Assert.Equal([1], PatrolDays(await office.GetFromJsonAsync<JsonElement>("/api/patrols?month=2026-11")));

        // Six weeks later the app starts again on the same database: start-up brings the demo up to date.
        app.Clock.Set(new DateTimeOffset(2026, 12, 17, 2, 0, 0, TimeSpan.Zero));
        using (var scope = app.Services.CreateScope()) await MineGuard.Platform.Hosting.DemoLoader.SeedAsync(scope.ServiceProvider, CancellationToken.None);

        office = await app.LoginAsync("sx-office");
        var december = await office.GetFromJsonAsync<JsonElement>("/api/patrols?month=2026-12");
        // Monday, Wednesday and Friday up to yesterday (16 December), never today.
        Assert.Equal([2, 4, 7, 9, 11, 14, 16], PatrolDays(december));
        var plans = await office.GetFromJsonAsync<JsonElement>("/api/patrol-plans");
        Assert.Contains(plans.EnumerateArray(), p => p.GetProperty("periodStart").GetString() == "2026-12-01");

        // A second start on the same day adds nothing.
        var count = december.GetArrayLength();
        using (var scope = app.Services.CreateScope()) await MineGuard.Platform.Hosting.DemoLoader.SeedAsync(scope.ServiceProvider, CancellationToken.None);
        Assert.Equal(count, (await office.GetFromJsonAsync<JsonElement>("/api/patrols?month=2026-12")).GetArrayLength());

        // The month is not over: a team short of its figures so far is in progress, not failed.
        var page = Parser.ParseDocument(await office.GetStringAsync("/patrols/compliance"));
        var verdicts = page.QuerySelectorAll("#teams .verdict").Select(v => v.TextContent.Trim()).ToList();
        Assert.NotEmpty(verdicts);
        Assert.DoesNotContain("未达标", verdicts);
        Assert.Contains("本月尚未结束", page.Body!.TextContent, StringComparison.Ordinal);

        // On a month's first day (a Friday, 10:00 in China) the month opens with that morning's patrol.
        app.Clock.Set(new DateTimeOffset(2027, 1, 1, 2, 0, 0, TimeSpan.Zero));
        using (var scope = app.Services.CreateScope()) await MineGuard.Platform.Hosting.DemoLoader.SeedAsync(scope.ServiceProvider, CancellationToken.None);
        office = await app.LoginAsync("sx-office");
        var january = await office.GetFromJsonAsync<JsonElement>("/api/patrols?month=2027-01");
        Assert.Equal([1], PatrolDays(january));
        Assert.All(january.EnumerateArray(), p => Assert.True(DateTimeOffset.Parse(p.GetProperty("startedUtc").GetString()!) < app.Clock.GetUtcNow()));
    }

    private static List<int> PatrolDays(JsonElement patrols) =>
        [.. patrols.EnumerateArray().Select(p => DateTimeOffset.Parse(p.GetProperty("startedUtc").GetString()!).ToOffset(TimeSpan.FromHours(8)).Day).Distinct().Order()];
}
