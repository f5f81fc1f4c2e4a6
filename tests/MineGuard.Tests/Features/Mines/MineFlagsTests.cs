using System.Net.Http.Json;
using System.Text.Json;
using MineGuard.Features.Mines;
using MineGuard.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static MineGuard.Tests.Features.Mines.MineData;

namespace MineGuard.Tests.Features.Mines;

/// <summary>Expired and closing marks, on a private app whose clock the test moves.</summary>
public sealed class MineFlagsTests
{
    [Theory, OnSqlite, OnPostgres]
    public async Task A_licence_expires_after_its_last_day_in_china_and_closing_mines_are_marked(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var office = await app.LoginAsync("sx-office");
        var tag = Unique("期限");
        var lastDay = await CreateAsync(office, Body(name: tag + "到期", validFrom: "2021-11-02", validTo: "2026/11/2"));
        var closing = await CreateAsync(office, Body(name: tag + "关闭", status: "关闭退出", validFrom: "", validTo: ""));
        Assert.True(closing.GetProperty("closing").GetBoolean());
        Assert.False(closing.GetProperty("expired").GetBoolean());

        // 2026-11-02 23:59 in Beijing (15:59 UTC): still the licence's last day.
        app.Clock.Set(new DateTimeOffset(2026, 11, 2, 15, 59, 0, TimeSpan.Zero));
        office = await app.LoginAsync("sx-office"); // the log-in cookie does not outlive a jump of hours
        Assert.False(await ExpiredAsync(office, lastDay));
        Assert.Empty(await NamesAsync(office, $"q={tag}&expired=true"));

        // Midnight in Beijing is 16:00 UTC: the server's own date would still say the 2nd.
        app.Clock.Set(new DateTimeOffset(2026, 11, 2, 16, 0, 0, TimeSpan.Zero));
        office = await app.LoginAsync("sx-office");
        Assert.True(await ExpiredAsync(office, lastDay));
        Assert.Equal([tag + "到期"], await NamesAsync(office, $"q={tag}&expired=true"));
        Assert.Equal([tag + "关闭"], await NamesAsync(office, $"q={tag}&expired=false"));

        using var scope = app.Services.CreateScope();
        Assert.Equal(new DateOnly(2026, 11, 3), scope.ServiceProvider.GetRequiredService<MineCommands>().Today);
    }

    private static async Task<bool> ExpiredAsync(HttpClient client, JsonElement mine) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/mines/{mine.GetProperty("id")}")).GetProperty("expired").GetBoolean();

    private static async Task<string[]> NamesAsync(HttpClient client, string query) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/mines?" + query)).GetProperty("items").EnumerateArray()
        .Select(i => i.GetProperty("name").GetString()!).ToArray();
}
