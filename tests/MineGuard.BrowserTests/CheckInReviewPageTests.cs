using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Features.Patrols;

namespace MineGuard.BrowserTests;

/// <summary>
/// The office's review of a check-in in a real browser (issue 15): the stretch of the track where the member "moved" 5 km
/// in minutes is drawn in red on the map, the adit's earlier photos load beside it, and 标记为伪造 asks before it marks.
/// </summary>
public sealed class CheckInReviewPageTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [BrowserFact]
    public async Task Reviewer_sees_the_jump_on_the_map_and_the_photos_and_marks_the_check_in_faked()
    {
        Guid checkInId;
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.CurrentUser.ActAsSystem("test");
            var now = db.Clock.GetUtcNow().UtcDateTime;
            // An adit of 嵩县 that demo check-ins photographed, and a demo team's member.
            var photographed = await db.Set<CheckInPhoto>().Join(db.Set<CheckIn>(), p => p.CheckInId, c => c.Id, (p, c) => c)
                .Where(c => c.DivisionCode.StartsWith("410325")).OrderBy(c => c.AtUtc).FirstAsync();
            var adit = await db.Set<Adit>().SingleAsync(a => a.Id == photographed.AditId);
            var patrolOf = await db.Set<Patrol>().SingleAsync(p => p.Id == photographed.PatrolId);
            var team = await db.Set<PatrolTeam>().SingleAsync(t => t.Id == patrolOf.TeamId);

            var start = now.AddHours(-2);
            var random = new Random(7);
            var track = Enumerable.Range(0, 40).Select(i =>
            {
                var f = i / 39.0;
                var lat = adit.Lat + 0.006 * (1 - f) + (i < 12 ? 0.045 : 0) + (random.NextDouble() - 0.5) * 4e-5;
                var lon = adit.Lon + 0.001 * (1 - f) + (random.NextDouble() - 0.5) * 4e-5;
                return new TrackPoint(lat, lon, Math.Round(5 + random.NextDouble() * 7, 1), start.AddSeconds(50 * i).AddMilliseconds(random.Next(1, 400)));
            }).ToList();
            var patrol = Patrol.Start(Guid.NewGuid(), team, patrolOf.UserId, null, start, PatrolSource.App, start.AddMinutes(1), 0, "review-test");
            patrol.End(start.AddMinutes(40));
            db.Add(patrol);
            db.Add(TrackChunk.Create(Guid.NewGuid(), patrol.Id, patrolOf.UserId, patrol.DivisionCode, 0, track.Take(20).ToList(), start.AddMinutes(20)));
            db.Add(TrackChunk.Create(Guid.NewGuid(), patrol.Id, patrolOf.UserId, patrol.DivisionCode, 1, track.Skip(20).ToList(), start.AddMinutes(35)));
            var checkIn = CheckIn.Create(Guid.NewGuid(), patrol.Id, adit.Id, patrolOf.UserId, adit.DivisionCode, track[^1].Utc.AddSeconds(20),
                adit.Lat + 0.00004, adit.Lon - 0.00003, 8, new CheckList(true, false, false, false, false, false, false, false), false, null,
                track[^1].Utc.AddMinutes(1), 0, "review-test");
            db.Add(checkIn);
            await db.SaveChangesAsync();
            await scope.ServiceProvider.GetRequiredService<PatrolEvaluator>().EvaluateAsync([patrol.Id], default);
            checkInId = checkIn.Id;
        }

        var page = await app.NewPageAsync();
        var problems = page.WatchProblems(Watch.Errors | Watch.Responses);
        await app.LoginAsync(page, "sx-office");

        await page.GotoAsync($"{app.BaseUrl}/patrols/check-ins/{checkInId}");
        await page.Locator("#patrol-map[data-ready='true']").WaitForAsync();
        Assert.True(await page.Locator("#patrol-map path.fired-window").CountAsync() >= 1, "the too-fast stretch is drawn over the track");
        await Assertions.Expect(page.Locator("#windows tr.window[data-rule=FastLeg]")).ToContainTextAsync("公里/小时");
        await Assertions.Expect(page.Locator(".check-ins .flag").First).ToBeVisibleAsync();

        // The adit's earlier check-in photos beside this one's (which has none): each loads as a picture.
        await Assertions.Expect(page.Locator("#photos .this")).ToContainTextAsync("暂无");
        var earlier = page.Locator("#photos .earlier img");
        Assert.True(await earlier.CountAsync() >= 1);
        await earlier.First.ScrollIntoViewIfNeededAsync();
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('#photos img')].every(i => i.complete && i.naturalWidth > 0)");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "check-in-review.png"), FullPage = true });

        // 标记为伪造: the dialog asks; 取消 sends nothing; confirmed, the page shows the finding and the forms are gone.
        await page.Locator("#FakedNote").FillAsync("轨迹14分钟内北移5公里，本人承认未到现场");
        await page.Locator("#mark-faked button").ClickAsync();
        await page.Locator("#confirm-cancel").ClickAsync();
        await Assertions.Expect(page.Locator("#mark-faked")).ToBeVisibleAsync();
        await page.Locator("#mark-faked button").ClickAsync();
        await page.Locator("#confirm-ok").ClickAsync();
        await Assertions.Expect(page.Locator(".check-ins .faked")).ToContainTextAsync("认定伪造：轨迹14分钟内北移5公里");
        await Assertions.Expect(page.Locator("#mark-faked")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#clear-flags")).ToHaveCountAsync(0);
        Assert.Empty(problems);
    }
}
