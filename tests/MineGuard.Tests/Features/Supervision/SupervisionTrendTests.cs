using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Adits;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Supervision.SupervisionDashboardTests;

namespace MineGuard.Tests.Features.Supervision;

/// <summary>
/// Trends over months (issue 18): a measure of a village of the test's own, month by month up to the shared clock's
/// November 2026, each point the board's figure for that month with its link; bad input named; scope and log-in.
/// </summary>
public sealed class SupervisionTrendTests
{
    [Theory, OnSqlite, OnPostgres]
    public async Task A_measure_month_by_month_is_the_boards_figure_for_each_month(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var place = await PlaceAsync(app);
        // Two adits registered now (November), one moved to September 15th: 1, 0, 2 new adits in September to November.
        var moved = await AditAsync(office, place.GridA);
        await AditAsync(office, place.GridA);
        await AditAsync(office, place.GridB);
        await app.WithDbAsync(db => db.Set<Adit>().IgnoreQueryFilters().Where(a => a.Id == moved)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.CreatedUtc, new DateTime(2026, 9, 15, 2, 0, 0, DateTimeKind.Utc))));

        var response = await office.GetAsync($"/api/dashboard/trend?division={place.Village}&measure=ledger.new&months=3");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var trend = await response.Content.ReadFromJsonAsync<JsonElement>();
        var points = trend.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(["2026-09", "2026-10", "2026-11"], points.Select(p => p.GetProperty("month").GetString()));
        Assert.Equal([1, 0, 2], points.Select(p => p.GetProperty("value").GetInt32()));
        Assert.Equal("本期新登记", trend.GetProperty("name").GetString());
        // A point's link is the board's for that month: the adit list holds what it counts.
        Assert.Equal($"/adits?division={place.Village}&from=2026-09-01&to=2026-09-30", points[0].GetProperty("link").GetString());
        var list = await office.GetFromJsonAsync<JsonElement>("/api" + points[0].GetProperty("link").GetString());
        Assert.Equal(1, list.ValueKind == JsonValueKind.Array ? list.GetArrayLength() : list.GetProperty("total").GetInt32());
        // The month so far is the board's default period.
        var board = await DashboardAsync(office, $"division={place.Village}");
        Assert.Equal(2, Figure(Measure(board, "ledger", "new"), place.Village).GetProperty("value").GetInt32());
        // Twelve months by default.
        Assert.Equal(12, (await office.GetFromJsonAsync<JsonElement>($"/api/dashboard/trend?division={place.Village}&measure=ledger.known")).GetProperty("points").GetArrayLength());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Bad_measures_and_months_are_named_and_other_counties_refused(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        async Task<string> Error(string query, string field) =>
            (await Problems.ErrorsAsync(await office.GetAsync("/api/dashboard/trend?" + query))).GetProperty(field)[0].GetString()!;
        Assert.Contains("月数", await Error("measure=ledger.new&months=0", "months"), StringComparison.Ordinal);
        Assert.Contains("月数", await Error("measure=ledger.new&months=abc", "months"), StringComparison.Ordinal);
        Assert.Contains("月数", await Error("measure=ledger.new&months=25", "months"), StringComparison.Ordinal);
        Assert.Contains("指标", await Error("months=2", "measure"), StringComparison.Ordinal);
        Assert.Contains("分区", await Error("measure=weather.rain&months=2", "measure"), StringComparison.Ordinal);
        Assert.Contains("指标", await Error("measure=ledger.rain&months=2", "measure"), StringComparison.Ordinal);
        var hongjiang = await app.LoginAsync("hj-office");
        var foreign = await Problems.ErrorsAsync(await hongjiang.GetAsync("/api/dashboard/trend?division=410325&measure=ledger.new&months=2"));
        Assert.Contains("管辖范围", foreign.GetProperty("division")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync("/api/dashboard/trend?measure=ledger.new")).StatusCode);
        // The page carries the trend chart and the coloured list of children.
        var page = await office.GetStringAsync("/supervision");
        Assert.Contains("trend-chart", page, StringComparison.Ordinal);
        Assert.Contains("child-colours", page, StringComparison.Ordinal);
    }
}
