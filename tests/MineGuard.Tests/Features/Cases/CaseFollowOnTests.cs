using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Adits;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Cases.CaseFixtures;
using static MineGuard.Tests.Features.Monitoring.MonitoringFixtures;

namespace MineGuard.Tests.Features.Cases;

/// <summary>What follows a case on the ledger: a theft confirmed at a sealed adit is a breach of its seal.</summary>
public sealed class CaseFollowOnTests
{
    private static Task<Adit> ReadAsync(TestApp app, Guid id) =>
        app.WithDbAsync(db => db.Adits().AsNoTracking().Include(a => a.Events).SingleAsync(a => a.Id == id));

    [Theory, OnSqlite, OnPostgres]
    public async Task A_penalty_for_theft_records_the_breach_on_the_sealed_adit_once_and_leaves_the_others(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var sealedAdit = await AditAsync(app, null);
        var neverSealed = await AditAsync(app, null, sealedAdit: false);
        var officers = (await OfficersAsync(app, "natural-resources")).Select(o => o.Id).ToArray();
        async Task<Guid> FileAsync(string type, params Guid[] adits) => (await OkAsync(office.PostAsJsonAsync("/api/cases", new
        {
            type, title = $"盗采 {Guid.NewGuid():N}", divisionCode = "410325400", departmentCode = "natural-resources", officerIds = officers,
            aditIds = adits, sourceNote = "市打非办交办",
        }))).GetProperty("id").GetGuid();
        async Task<System.Text.Json.JsonElement> DecideAsync(Guid id, string text)
        {
            await OkAsync(office.PostAsJsonAsync($"/api/cases/{id}/notice", new { text = "拟" + text }));
            return await OkAsync(office.PostAsJsonAsync($"/api/cases/{id}/decision", new { text }));
        }

        var id = await FileAsync("reopened-adit", sealedAdit.Id, neverSealed.Id);
        var number = await app.WithDbAsync(db => db.Set<MineGuard.Features.Cases.Case>().Where(c => c.Id == id).Select(c => c.Number).SingleAsync());
        // Filing alone confirms nothing.
        Assert.Equal(SealState.Sealed, (await ReadAsync(app, sealedAdit.Id)).State);

        var decided = await DecideAsync(id, "没收违法所得，罚款 5 万元");
        var adit = await ReadAsync(app, sealedAdit.Id);
        Assert.Equal((SealState.Breached, 1), (adit.State, adit.BreachCount));
        var breach = Assert.Single(adit.Events, e => e.Kind == SealingEventKind.Breached);
        Assert.Contains(number, breach.HowFound, StringComparison.Ordinal);
        Assert.Contains(decided.GetProperty("entries").EnumerateArray(), h => h.GetProperty("text").GetString()!.Contains($"矿硐 {sealedAdit.Number} 登记为封堵被破坏", StringComparison.Ordinal));
        // An adit never sealed has no seal to break.
        var untouched = await ReadAsync(app, neverSealed.Id);
        Assert.Equal((SealState.Unsealed, 0), (untouched.State, untouched.BreachCount));

        // A second case on the same adit finds the breach already on the ledger: not recorded twice.
        var again = await FileAsync("unlicensed", sealedAdit.Id);
        await DecideAsync(again, "罚款 1000 元");
        Assert.Equal(1, (await ReadAsync(app, sealedAdit.Id)).BreachCount);

        // Not a theft (为盗采提供条件 is aiding, not taking ore at the adit): the seal stays as it is.
        var other = await AditAsync(app, null);
        var aiding = await FileAsync("facilitating", other.Id);
        await DecideAsync(aiding, "警告");
        Assert.Equal(SealState.Sealed, (await ReadAsync(app, other.Id)).State);

        // The hj office cannot decide the case (and so cannot touch the adit).
        var hj = await app.LoginAsync("hj-office");
        Assert.Equal(HttpStatusCode.NotFound, (await hj.PostAsJsonAsync($"/api/cases/{id}/decision", new { text = "x" })).StatusCode);
    }
}
