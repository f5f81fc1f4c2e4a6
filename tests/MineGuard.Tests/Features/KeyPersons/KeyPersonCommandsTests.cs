using MineGuard.Platform.People;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Data;
using MineGuard.Features.KeyPersons;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Web;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.KeyPersons.KeyPersonFixtures;

namespace MineGuard.Tests.Features.KeyPersons;

/// <summary>The entry point the Excel import calls once per row: checks, adds, and leaves saving to the caller.</summary>
public sealed class KeyPersonCommandsTests
{
    private static KeyPersonInput Row(string name, string idNumber, string division, string level = "一般") =>
        new(name, idNumber, null, division, null, null, null, level);

    [Theory, OnSqlite, OnPostgres]
    public async Task Rows_are_checked_within_the_county_and_saved_by_the_caller(string provider)
    {
        var app = await TestApp.Shared(provider);
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.CurrentUser.ActAsSystem("test:import");
        var commands = scope.ServiceProvider.GetRequiredService<KeyPersonCommands>();
        var songxian = JurisdictionScope.Of("410325");

        // A village the county added, written the ways a ledger writes it.
        var villageCode = "410325109" + Random.Shared.Next(900, 999); // above the shipped villages (…109200–216), loaded on first need
        var villageName = UniqueName("村");
        db.Add(Division.Village(await db.Divisions.SingleAsync(d => d.Code == Fanpo), villageCode, villageName, false, DateTime.UtcNow));
        await db.SaveChangesAsync();

        var id1 = TestIds.Next();
        var (byTownship, e1) = await commands.ValidateAndCreateAsync(Row(UniqueName(), id1, "城关镇"), null, false, songxian, CancellationToken.None);
        Assert.True(e1.Ok, string.Join(";", e1.SelectMany(e => e.Value)));
        Assert.Equal(Chengguan, byTownship!.DivisionCode);
        var (bySlash, e2) = await commands.ValidateAndCreateAsync(Row(UniqueName(), TestIds.Next(), "饭坡镇/" + villageName, "严管"), null, false, songxian, CancellationToken.None);
        Assert.True(e2.Ok);
        Assert.Equal(villageCode, bySlash!.DivisionCode);
        Assert.Equal(ControlLevel.Strict, bySlash.ControlLevel);
        var (joined, e3) = await commands.ValidateAndCreateAsync(Row(UniqueName(), TestIds.Next(), "饭坡镇" + villageName), null, false, songxian, CancellationToken.None);
        Assert.True(e3.Ok);
        Assert.Equal(villageCode, joined!.DivisionCode);

        // 黔城镇 exists, but not in 嵩县; the same number twice in one batch is caught before anything is saved.
        var (_, outside) = await commands.ValidateAndCreateAsync(Row(UniqueName(), TestIds.Next(), "黔城镇"), null, false, songxian, CancellationToken.None);
        Assert.Contains("没有名为“黔城镇”", outside["Division"][0], StringComparison.Ordinal);
        var (_, repeated) = await commands.ValidateAndCreateAsync(Row(UniqueName(), id1, "城关镇"), null, false, songxian, CancellationToken.None);
        Assert.Equal("该身份证号已登记（与本批前面的一行重复）", repeated["IdNumber"][0]);

        // Nothing is stored until the caller saves.
        var names = new[] { byTownship.Name, bySlash.Name, joined.Name };
        Assert.Equal(0, await app.WithDbAsync(d => d.Set<KeyPerson>().CountAsync(p => names.Contains(p.Name))));
        await db.SaveChangesAsync();
        Assert.Equal(3, await app.WithDbAsync(d => d.Set<KeyPerson>().CountAsync(p => names.Contains(p.Name))));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_user_who_may_not_see_key_persons_cannot_import_them(string provider)
    {
        var app = await TestApp.Shared(provider);
        using var scope = app.Services.CreateScope();
        var commands = scope.ServiceProvider.GetRequiredService<KeyPersonCommands>();
        // No user at all.
        await Assert.ThrowsAsync<BusinessRuleException>(() =>
            commands.ValidateAndCreateAsync(Row("某人", TestIds.Next(), Fanpo), null, false, CancellationToken.None));

        // The import page is open to administrators; one who is not also office staff is still refused here.
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, Guid.NewGuid().ToString()), new Claim(ClaimTypes.Name, "sx-admin"),
             new Claim(ClaimTypes.Role, "admin"), new Claim("mg:scope", "410325"), new Claim("mg:dept", "natural-resources")], "test");
        scope.ServiceProvider.GetRequiredService<IHttpContextAccessor>().HttpContext = new DefaultHttpContext { User = new ClaimsPrincipal(identity) };
        var refused = await Assert.ThrowsAsync<BusinessRuleException>(() =>
            commands.ValidateAndCreateAsync(Row("某人", TestIds.Next(), Fanpo), null, false, CancellationToken.None));
        Assert.Contains("仅限打非办和公安人员", refused.Message, StringComparison.Ordinal);
    }
}
