using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Features.Analysis;
using MineGuard.Features.Monitoring;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Time;

namespace MineGuard.BrowserTests;

/// <summary>
/// A meter's chart in a real browser (issue 16): the hourly series drawn by ECharts with the finding's window shaded
/// (the chart's own option and the page's data-shaded marker) and the finding's Chinese explanation listed beside it.
/// </summary>
public sealed class MeterChartPageTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [BrowserFact]
    public async Task The_office_opens_a_meter_chart_with_the_finding_shaded_and_explained()
    {
        string code;
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.CurrentUser.ActAsSystem("test");
            var now = db.Clock.GetUtcNow().UtcDateTime;
            var today = DateOnly.FromDateTime(ChinaTime.ToLocal(now));
            var adit = Adit.Register($"EL-{Guid.NewGuid():N}"[..16], new Adit.Place("410325", "410325400", null, null), 111.7, 33.9,
                new Adit.Details("电表测试矿硐", 800, Mineral.Gold, AditOrigin.TheftPoint, null, null, null, null), now);
            adit.Seal(new Adit.SealWork(today.AddDays(-60), SealMethod.Concrete, null, "施工队", null, null), null, now);
            db.Add(adit);
            var key = ApiKey.Create($"电力-{Guid.NewGuid():N}"[..16], "410325", null, now);
            db.ApiKeys.Add(key.Key);
            code = $"meter-{Guid.NewGuid():N}"[..20];
            var meter = Device.Register(new Device.Spec(DeviceKind.Meter, code, "硐口电表", key.Key.Id, "410325400", adit.Id, null, null, null, null, null, null, 0), now);
            db.Add(meter);
            // 30 quiet days at 0.2 kW, the last week's nights at 8 kW.
            var first = today.AddDays(-31);
            for (var d = 0; d < 30; d++)
            {
                var day = first.AddDays(d);
                for (var h = 0; h < 24; h++)
                {
                    var kwh = d >= 23 && (h >= 22 || h < 6) ? 8 : 0.2;
                    db.Add(MineGuard.Features.Monitoring.MeterReading.Create(meter.Id, MeterDetector.DayStartUtc(day).AddHours(h), meter.DivisionCode, kwh, MeterReadingKind.Interval, "ingest", now));
                }
            }
            await db.SaveChangesAsync();
            await scope.ServiceProvider.GetRequiredService<MeterScanner>().ScanAsync(meter, default);
            await db.SaveChangesAsync();
        }

        var page = await app.NewPageAsync();
        var problems = page.WatchProblems(Watch.Errors | Watch.Responses);
        await app.LoginAsync(page, "sx-office");

        await page.GotoAsync($"{app.BaseUrl}/analysis/meters/{code}");
        await page.Locator("#meter-chart[data-ready='true']").WaitForAsync();
        Assert.Equal("1", await page.Locator("#meter-chart").GetAttributeAsync("data-shaded"));
        // The chart's own option: one shaded window over the night use, the series and the expected band drawn.
        var shaded = await page.EvaluateAsync<int>("() => { const m = echarts.getInstanceByDom(document.getElementById('meter-chart')).getOption().series[2].markArea; return (Array.isArray(m) ? m[0] : m).data.length; }");
        Assert.Equal(1, shaded);
        Assert.True(await page.Locator("#meter-chart canvas").CountAsync() >= 1);
        await Assertions.Expect(page.Locator("#meter-findings .explanation").First).ToContainTextAsync("该硐口已封闭");
        await Assertions.Expect(page.Locator("#meter-findings")).ToContainTextAsync("不应用电");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, "meter-chart.png"), FullPage = true });

        // 已说明: a permitted pump; the finding shows the explanation and the form is gone.
        await page.Locator(".explain-form input[name=Note]").First.FillAsync("许可的排水泵");
        await page.Locator(".explain-form input[name=ExtraKw]").First.FillAsync("8");
        await page.Locator(".explain-form button").First.ClickAsync();
        await Assertions.Expect(page.Locator("#meter-findings")).ToContainTextAsync("已说明：许可的排水泵");
        await Assertions.Expect(page.Locator(".explain-form")).ToHaveCountAsync(0);
        Assert.Empty(problems);
    }
}
