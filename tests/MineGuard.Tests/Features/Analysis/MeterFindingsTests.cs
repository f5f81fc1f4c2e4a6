using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MineGuard.Features.Adits;
using MineGuard.Features.Analysis;
using MineGuard.Features.Clues;
using MineGuard.Features.Mines;
using MineGuard.Features.Monitoring;
using MineGuard.Platform.Notifications;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Monitoring.MonitoringFixtures;

namespace MineGuard.Tests.Features.Analysis;

/// <summary>
/// 电力看矿 wired end to end: readings sent through ingestion, the meter re-scanned, findings stored (each kind raised on
/// its series and not on its legitimate twin), a use finding opened as a clue at the township and copied to the power
/// department, an explanation taught to the meter, and the contract read in scope.
/// </summary>
public sealed class MeterFindingsTests
{
    private sealed record Meter(HttpClient Office, HttpClient Integration, string Code, Guid Id, Guid? AditId = null);

    /// <summary>A meter registered over HTTP at an adit (sealed on 2026-10-01 unless told otherwise) or in the township.</summary>
    private static async Task<Meter> MeterAtAditAsync(TestApp app, bool sealedAdit = true, bool atAdit = true)
    {
        var office = await app.LoginAsync("sx-office");
        var (keyId, integration) = await IntegrationAsync(app);
        // Somewhere of its own in 嵩县, so that "near the adit" sees only this meter's findings.
        Guid? aditId = atAdit
            ? (await AditAsync(app, null, sealedAdit: sealedAdit, lon: 111.6 + (Random.Shared.NextDouble() * 0.3), lat: 33.8 + (Random.Shared.NextDouble() * 0.2))).Id
            : null;
        var device = await DeviceAsync(office, "meter", keyId, aditId, divisionCode: atAdit ? null : Township);
        return new Meter(office, integration, device.GetProperty("code").GetString()!, device.GetProperty("id").GetGuid(), aditId);
    }

    /// <summary>A meter at a licensed mine in this state (the registry's device API names no mine: registered directly).</summary>
    /// <summary>
    /// The test mine's boundary, a real polygon over its box: these mines live in the shared app, where other tests
    /// export and map every mine of the county (an empty "{}" made their export answer 500).
    /// </summary>
    private const string Square = """{"type":"Polygon","coordinates":[[[111.9,34.0],[111.91,34.0],[111.91,34.01],[111.9,34.01],[111.9,34.0]]]}""";

    private static async Task<Meter> MeterAtMineAsync(TestApp app, MineStatus status)
    {
        var office = await app.LoginAsync("sx-office");
        var (keyId, integration) = await IntegrationAsync(app);
        var code = $"meter-{Guid.NewGuid():N}"[..24];
        var id = await app.WithDbAsync(async db =>
        {
            var now = db.Clock.GetUtcNow().UtcDateTime;
            var mine = LicensedMine.Register(new LicensedMine.Licence($"测试金矿{code[^4..]}", "测试矿业公司", $"C41{Guid.NewGuid():N}"[..20], Mineral.Gold,
                new DateOnly(2020, 1, 1), new DateOnly(2030, 1, 1), status), "410325", Township, Square, (111.9, 34.0, 111.91, 34.01), now);
            db.Add(mine);
            var device = Device.Register(new Device.Spec(DeviceKind.Meter, code, "测试电表", keyId, Township, null, mine.Id, null, null, null, null, null, 0), now);
            db.Add(device);
            await db.SaveChangesAsync();
            return device.Id;
        });
        return new Meter(office, integration, code, id);
    }

    /// <summary>Hourly interval readings, China time, day by day; a null value sends nothing for that hour.</summary>
    private static async Task SendAsync(Meter meter, DateOnly from, int days, Func<DateOnly, int, double?> kwh, string at = "2026-11-02T09:30:00+08:00")
    {
        var readings = new List<object>();
        for (var d = 0; d < days; d++)
        {
            var day = from.AddDays(d);
            for (var h = 0; h < 24; h++)
                if (kwh(day, h) is { } v) readings.Add(new { at = $"{day:yyyy-MM-dd}T{h:00}:00:00+08:00", kwh = v });
        }
        // An event's data is stored whole (at most 20,000 characters): a day's readings per event.
        await IngestAsync(meter.Integration, [.. readings.Chunk(24).Select(chunk => Event(EventTypes.Meter, meter.Code, new { readings = chunk }, at: at))]);
    }

    private static async Task<JsonElement> ScanAsync(Meter meter)
    {
        var response = await meter.Office.PostAsync($"/api/analysis/meters/{meter.Code}/scan", null);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task<List<JsonElement>> FindingsAsync(HttpClient client, string meter)
    {
        var all = await client.GetFromJsonAsync<JsonElement>("/api/analysis/meter-findings?from=2026-08-01&to=2026-11-02");
        return all.EnumerateArray().Where(f => f.GetProperty("deviceId").GetString() == meter).ToList();
    }

    private static string Kind(JsonElement f) => f.GetProperty("kind").GetString()!;

    private static bool Night(int h) => h >= 22 || h < 6;

    [Theory, OnSqlite, OnPostgres]
    public async Task Use_at_a_sealed_adit_is_a_finding_routed_as_a_clue_and_a_declared_pump_stops_it_recurring(string provider)
    {
        var app = await TestApp.Shared(provider);
        var meter = await MeterAtAditAsync(app);
        // A 0.2 kW trickle after the seal (2026-10-01), then five nights at 6 kW.
        await SendAsync(meter, new DateOnly(2026, 10, 2), 30, (d, h) => d.Day is >= 20 and <= 24 && Night(h) ? 6 : 0.2);
        var scan = await ScanAsync(meter);
        Assert.Equal(1, scan.GetProperty("clues").GetInt32());

        var finding = Assert.Single(await FindingsAsync(meter.Office, meter.Code));
        Assert.Equal(MeterFindingKinds.UseWhereNone, Kind(finding));
        Assert.InRange(finding.GetProperty("score").GetDouble(), 0.01, 1);
        Assert.Contains("该硐口已封闭", finding.GetProperty("explanation").GetString(), StringComparison.Ordinal);
        Assert.Equal(new DateTime(2026, 10, 19, 16, 0, 0, DateTimeKind.Utc), finding.GetProperty("start").GetDateTime());
        Assert.Equal("routed", finding.GetProperty("status").GetString());

        // The clue: at the adit's township, given to the power department, its source the finding.
        var clueId = finding.GetProperty("clueId").GetGuid();
        var clue = await app.WithDbAsync(db => db.Set<Clue>().AsNoTracking().SingleAsync(c => c.Id == clueId));
        Assert.Equal(Township, clue.DivisionCode);
        Assert.Equal("power", clue.DepartmentCode);
        Assert.Contains(meter.Code, clue.Summary, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await meter.Office.GetAsync($"/api/clues/{clueId}")).StatusCode);
        // A power-department officer of the county sees it; the police do not.
        var power = await DepartmentUserAsync(app, "power", "13800000001");
        Assert.Equal(HttpStatusCode.OK, (await power.GetAsync($"/api/clues/{clueId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.LoginAsync("sx-police")).GetAsync($"/api/clues/{clueId}")).StatusCode);
        // The township's people were told.
        Assert.True(await app.WithDbAsync(db => db.Set<Notification>().AnyAsync(n => n.SourceType == "meter" && n.SourceId == clueId)));

        // A second scan changes nothing and opens no second clue.
        Assert.Equal(0, (await ScanAsync(meter)).GetProperty("found").GetInt32());

        // 已说明: a permitted drainage pump of 6 kW from the finding's start on; a rescan of a longer series raises nothing new.
        var explained = await meter.Office.PostAsJsonAsync($"/api/analysis/meter-findings/{finding.GetProperty("id").GetGuid()}/explain",
            new { note = "许可的排水泵（夜间抽水）", extraKw = 6.0 });
        Assert.Equal(HttpStatusCode.OK, explained.StatusCode);
        Assert.Equal("explained", (await explained.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        await SendAsync(meter, new DateOnly(2026, 11, 1), 1, (d, h) => Night(h) ? 6 : 0.2);
        var again = await ScanAsync(meter);
        Assert.Equal(0, again.GetProperty("found").GetInt32());
        var after = Assert.Single(await FindingsAsync(meter.Office, meter.Code));
        Assert.Equal("explained", after.GetProperty("status").GetString());
        Assert.Equal("许可的排水泵（夜间抽水）", after.GetProperty("explanationNote").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Night_use_at_a_stopped_mine_is_raised_and_a_register_reset_is_not(string provider)
    {
        var app = await TestApp.Shared(provider);
        var stopped = await MeterAtMineAsync(app, MineStatus.Suspended);
        // 明停暗开: quiet days, then a week of night work.
        await SendAsync(stopped, new DateOnly(2026, 10, 8), 24, (d, h) => d.Day is >= 22 and <= 28 && Night(h) ? 30 : 0.3);
        await ScanAsync(stopped);
        var finding = Assert.Single(await FindingsAsync(stopped.Office, stopped.Code));
        Assert.Equal(MeterFindingKinds.NightUse, Kind(finding));
        Assert.Contains("停产", finding.GetProperty("explanation").GetString(), StringComparison.Ordinal);

        // The twin: the same quiet meter read as a register that is reset (replaced) half-way: no spike, no finding.
        var reset = await MeterAtMineAsync(app, MineStatus.Suspended);
        var readings = new List<object>();
        var count = 5000.0;
        for (var i = 0; i < 24 * 24; i++)
        {
            var at = new DateTimeOffset(2026, 10, 8, 0, 0, 0, TimeSpan.FromHours(8)).AddHours(i);
            if (i == 24 * 12) count = 3; // the meter was replaced
            else count += 0.3;
            readings.Add(new { at = at.ToString("yyyy-MM-ddTHH:mm:sszzz"), kwh = Math.Round(count, 2) });
        }
        await IngestAsync(reset.Integration, [.. readings.Chunk(24).Select(chunk => Event(EventTypes.Meter, reset.Code, new { kind = "register", readings = chunk }))]);
        await ScanAsync(reset);
        Assert.Empty(await FindingsAsync(reset.Office, reset.Code));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_mine_stopped_part_way_is_judged_producing_before_the_day_it_stopped(string provider)
    {
        var app = await TestApp.Shared(provider);
        var meter = await MeterAtMineAsync(app, MineStatus.Producing);
        // Stopped from 2026-10-20 (the 停产 order's date), recorded afterwards.
        await app.WithDbAsync(async db =>
        {
            var mineId = await db.Devices().Where(d => d.Id == meter.Id).Select(d => d.MineId).SingleAsync();
            var mine = await db.Set<LicensedMine>().SingleAsync(m => m.Id == mineId);
            mine.Update(new LicensedMine.Licence(mine.Name, mine.RightsHolder, mine.LicenceNumber, mine.Mineral, mine.ValidFrom, mine.ValidTo, MineStatus.Suspended),
                mine.CountyCode, mine.DivisionCode, mine.BoundaryGeoJson, (mine.MinLon, mine.MinLat, mine.MaxLon, mine.MaxLat),
                db.Clock.GetUtcNow().UtcDateTime, new DateOnly(2026, 10, 20));
            await db.SaveChangesAsync();
            return 0;
        });
        // Day shifts at 40 kW while producing; after the order a 0.3 kW trickle, then a week of night work (明停暗开).
        await SendAsync(meter, new DateOnly(2026, 9, 1), 60, (d, h) =>
            d < new DateOnly(2026, 10, 20) ? (h is >= 8 and < 18 ? 40 : 1) : d.Day is >= 24 && d.Month == 10 && Night(h) ? 30 : 0.3);
        await ScanAsync(meter);
        var finding = Assert.Single(await FindingsAsync(meter.Office, meter.Code));
        Assert.Equal(MeterFindingKinds.NightUse, Kind(finding));
        Assert.True(finding.GetProperty("start").GetDateTime() >= new DateTime(2026, 10, 23, 16, 0, 0, DateTimeKind.Utc), finding.ToString());
        Assert.Contains("停产", finding.GetProperty("explanation").GetString(), StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_rise_at_a_producing_meter_is_raised_but_not_on_a_holiday_and_a_gap_is_a_gap(string provider)
    {
        var app = await TestApp.Shared(provider);
        static double Day(DateOnly d, int h) => h is >= 8 and < 18 ? 10 : 2;
        // Producing (an unsealed adit): five weeks of its profile, then a week of twice the load.
        var rising = await MeterAtAditAsync(app, sealedAdit: false);
        await SendAsync(rising, new DateOnly(2026, 8, 31), 56, (d, h) => d >= new DateOnly(2026, 10, 19) && d <= new DateOnly(2026, 10, 25) ? 2 * Day(d, h) : Day(d, h));
        await ScanAsync(rising);
        var kinds = (await FindingsAsync(rising.Office, rising.Code)).Select(Kind).ToList();
        Assert.Contains(MeterFindingKinds.Rise, kinds);
        Assert.DoesNotContain(MeterFindingKinds.Gap, kinds);

        // The twin: the same extra load over the National Day holiday (1–7 October) is not a finding.
        var holiday = await MeterAtAditAsync(app, sealedAdit: false);
        await SendAsync(holiday, new DateOnly(2026, 8, 31), 56, (d, h) => d >= new DateOnly(2026, 10, 1) && d <= new DateOnly(2026, 10, 7) ? 2 * Day(d, h) : Day(d, h));
        await ScanAsync(holiday);
        Assert.Empty(await FindingsAsync(holiday.Office, holiday.Code));

        // A day without readings is a gap: stored as its own kind, never a clue, never use.
        var gap = await MeterAtAditAsync(app, atAdit: false);
        await SendAsync(gap, new DateOnly(2026, 10, 10), 20, (d, h) => d == new DateOnly(2026, 10, 20) ? null : 0.2);
        var scan = await ScanAsync(gap);
        Assert.Equal(0, scan.GetProperty("clues").GetInt32());
        var g = Assert.Single(await FindingsAsync(gap.Office, gap.Code));
        Assert.Equal(MeterFindingKinds.Gap, Kind(g));
        Assert.Equal("open", g.GetProperty("status").GetString());
        Assert.Contains("数据中断", g.GetProperty("explanation").GetString(), StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_daily_job_scans_the_meters_that_sent_readings(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var meter = await MeterAtMineAsync(app, MineStatus.Closing);
        await SendAsync(meter, new DateOnly(2026, 10, 10), 20, (d, h) => d.Day >= 25 ? 12 : 0.1);
        var job = app.Services.GetServices<IHostedService>().OfType<MeterScanJob>().Single();
        var round = await job.RunOnceAsync(new DateTime(2026, 10, 28, 0, 0, 0, DateTimeKind.Utc), default);
        Assert.True(round.Meters >= 1 && round.Clues >= 1, round.ToString());
        var finding = Assert.Single(await FindingsAsync(meter.Office, meter.Code));
        Assert.Contains("该矿正在关闭", finding.GetProperty("explanation").GetString(), StringComparison.Ordinal);
        // Run again: the same finding, nothing new.
        Assert.Equal(0, (await job.RunOnceAsync(new DateTime(2026, 10, 28, 0, 0, 0, DateTimeKind.Utc), default)).Found);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_daily_scan_goes_on_from_what_it_kept_and_finds_what_a_whole_rescan_finds(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        // A producing mine (its profile learned, then a rise and a gap) and a stopped one (night use); each series twice:
        // one meter sent and scanned day by day by the job (incremental after its first day), its twin re-scanned whole.
        static double? Producing(DateOnly d, int h) => d == new DateOnly(2026, 10, 10) && h is >= 3 and < 9 ? null
            : (h is >= 8 and < 18 ? 10 : 2) * (d >= new DateOnly(2026, 10, 19) && d <= new DateOnly(2026, 10, 25) ? 2 : 1);
        static double? Stopped(DateOnly d, int h) => d.Month == 10 && d.Day is >= 12 and <= 14 && Night(h) ? 9 : 0.1;
        var daily = (P: await MeterAtMineAsync(app, MineStatus.Producing), S: await MeterAtMineAsync(app, MineStatus.Suspended));
        var whole = (P: await MeterAtMineAsync(app, MineStatus.Producing), S: await MeterAtMineAsync(app, MineStatus.Suspended));
        var job = app.Services.GetServices<IHostedService>().OfType<MeterScanJob>().Single();
        var first = new DateOnly(2026, 8, 31);
        var last = new DateOnly(2026, 10, 27);
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            app.Clock.Set(new DateTimeOffset(day.AddDays(1).ToDateTime(new TimeOnly(2, 0)), TimeSpan.FromHours(8))); // the scan hour, next day
            await SendAsync(daily.P, day, 1, Producing, at: $"{day.AddDays(1):yyyy-MM-dd}T01:30:00+08:00");
            await SendAsync(daily.S, day, 1, Stopped, at: $"{day.AddDays(1):yyyy-MM-dd}T01:30:00+08:00");
            await job.RunOnceAsync(app.Clock.GetUtcNow().UtcDateTime.AddDays(-2), default);
        }
        var kept = app.Services.GetRequiredService<MeterBaselines>();
        Assert.True(kept.TryGet(daily.P.Id, out var entry), "the job keeps the meter's baseline");
        Assert.Equal(MeterDetector.DayStartUtc(last), entry.CommittedEndUtc);
        await SendAsync(whole.P, first, last.DayNumber - first.DayNumber + 1, Producing, at: "2026-10-28T01:30:00+08:00");
        await SendAsync(whole.S, first, last.DayNumber - first.DayNumber + 1, Stopped, at: "2026-10-28T01:30:00+08:00");
        await ScanAsync(whole.P);
        await ScanAsync(whole.S);

        async Task<List<string>> Seen(Meter m) => (await FindingsAsync(m.Office, m.Code))
            .Select(f => $"{Kind(f)} {f.GetProperty("start")} {f.GetProperty("end")} {f.GetProperty("score").GetDouble():0.0000} {f.GetProperty("explanation")}").Order().ToList();
        var producing = await Seen(daily.P);
        Assert.Contains(producing, f => f.StartsWith(MeterFindingKinds.Rise, StringComparison.Ordinal));
        Assert.Contains(producing, f => f.StartsWith(MeterFindingKinds.Gap, StringComparison.Ordinal));
        Assert.Equal(await Seen(whole.P), producing);
        Assert.Contains(await Seen(daily.S), f => f.StartsWith(MeterFindingKinds.NightUse, StringComparison.Ordinal));
        Assert.Equal(await Seen(whole.S), await Seen(daily.S));

        // A late correction of a day the job had learned from: the next daily scan re-scans that meter whole.
        foreach (var m in new[] { daily.P, whole.P })
            await IngestAsync(m.Integration, [Event(EventTypes.Meter, m.Code, new { readings = new[] { new { at = "2026-10-20T23:00:00+08:00", kwh = 80.0 } } },
                at: "2026-10-28T01:45:00+08:00")]);
        await job.RunOnceAsync(app.Clock.GetUtcNow().UtcDateTime.AddDays(-2), default);
        await ScanAsync(whole.P);
        Assert.Equal(await Seen(whole.P), await Seen(daily.P));
        Assert.NotEqual(producing, await Seen(daily.P));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Findings_are_read_in_scope_and_bad_input_is_named_in_chinese(string provider)
    {
        var app = await TestApp.Shared(provider);
        var meter = await MeterAtAditAsync(app);
        await SendAsync(meter, new DateOnly(2026, 10, 2), 20, (d, h) => d.Day is >= 15 && Night(h) ? 8 : 0.1);
        await ScanAsync(meter);
        var finding = Assert.Single(await FindingsAsync(meter.Office, meter.Code));
        var id = finding.GetProperty("id").GetGuid();

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync("/api/analysis/meter-findings")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().PostAsync($"/api/analysis/meters/{meter.Code}/scan", null)).StatusCode);
        var police = await app.LoginAsync("sx-police");
        Assert.Equal(HttpStatusCode.Forbidden, (await police.PostAsync($"/api/analysis/meters/{meter.Code}/scan", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await police.PostAsJsonAsync($"/api/analysis/meter-findings/{id}/explain", new { note = "x", any = true })).StatusCode);

        var other = await app.LoginAsync("hj-office");
        Assert.Empty(await FindingsAsync(other, meter.Code));
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/api/analysis/meters/{meter.Code}/scan", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/analysis/meters/{meter.Code}/chart")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsJsonAsync($"/api/analysis/meter-findings/{id}/explain", new { note = "x", any = true })).StatusCode);

        var bad = await meter.Office.GetAsync("/api/analysis/meter-findings?from=昨天");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("开始时间", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("from")[0].GetString(), StringComparison.Ordinal);
        var noNote = await meter.Office.PostAsJsonAsync($"/api/analysis/meter-findings/{id}/explain", new { extraKw = -1 });
        Assert.Equal(HttpStatusCode.BadRequest, noNote.StatusCode);
        var errors = (await noNote.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("说明", errors.GetProperty("note")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("申报负荷", errors.GetProperty("extraKw")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("routed", Assert.Single(await FindingsAsync(meter.Office, meter.Code)).GetProperty("status").GetString());

        // The adit's risk score counts the open finding next to it (score-weighted), under its label.
        var risk = await meter.Office.GetFromJsonAsync<JsonElement>($"/api/adits/{meter.AditId}/risk");
        var meters = risk.GetProperty("contributions").EnumerateArray().Single(c => c.GetProperty("key").GetString() == "meters");
        Assert.Equal("附近电表异常", meters.GetProperty("label").GetString());
        Assert.StartsWith("1 条", meters.GetProperty("value").GetString(), StringComparison.Ordinal);
        Assert.True(meters.GetProperty("points").GetDouble() > 0);

        // The adit's page links the meter's chart.
        Assert.Contains($"/analysis/meters/{meter.Code}", await meter.Office.GetStringAsync($"/adits/{meter.AditId}"), StringComparison.Ordinal);

        // The chart: the series with its band and the finding.
        var chart = await meter.Office.GetFromJsonAsync<JsonElement>($"/api/analysis/meters/{meter.Code}/chart?from=2026-10-02&to=2026-10-22");
        Assert.Equal(20 * 24, chart.GetProperty("hours").GetArrayLength());
        Assert.Contains(chart.GetProperty("hours").EnumerateArray(), h => h.GetProperty("high").ValueKind == JsonValueKind.Number);
        Assert.Equal(id, Assert.Single(chart.GetProperty("findings").EnumerateArray()).GetProperty("id").GetGuid());
    }
}
