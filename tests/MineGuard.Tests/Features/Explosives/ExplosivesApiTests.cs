using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Features.Monitoring;
using MineGuard.Platform.Notifications;
using MineGuard.Features.Explosives;
using MineGuard.Tests.Features.Mines;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Monitoring.MonitoringFixtures;

namespace MineGuard.Tests.Features.Explosives;

/// <summary>
/// 民爆物品、氰化钠闭环 over HTTP: each gap kind on a holder of its own raises exactly one gap with its numbers and one
/// alert copied to the police, a balanced loop raises none, a second check raises nothing again; a gap is closed with a reason; a batch keeps its good
/// records and refuses the bad ones by index; resends are stored once; scope, department and log-in are enforced.
/// </summary>
public sealed class ExplosivesApiTests
{
    private const string Area = Township;
    private const string Outside = "410325100";

    /// <summary>Fresh 13-character shell codes (maker, year, month, day, feature, serial) no other test uses.</summary>
    private static List<string> Codes(int n)
    {
        var r = Random.Shared;
        var head = $"{r.Next(10, 99)}{r.Next(0, 9)}{r.Next(1, 12):00}{r.Next(1, 28):00}{(char)('A' + r.Next(0, 26))}";
        var start = r.Next(0, 90000);
        return Enumerable.Range(start, n).Select(i => $"{head}{i:00000}").ToList();
    }

    private static async Task<Guid> HolderAsync(HttpClient office, double? need = null, Guid? mineId = null, object[]? permits = null, string kind = "mine")
    {
        var response = await office.PostAsJsonAsync("/api/explosives/holders", new
        {
            clientId = Guid.NewGuid(), name = Spots.Unique("测试涉爆单位"), kind, divisionCode = Area, mineId, permittedArea = Area, monthlyNeedKg = need,
            permits = permits ?? [],
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
    }

    private static object M(Guid holder, string kind, string material, string at, double? quantity = null, List<string>? codes = null, string? arrival = null,
        double? routeHours = null, string? site = null, string? permit = null, Guid? id = null) => new
    {
        id = id ?? Guid.NewGuid(), holderId = holder, kind, material, quantity, at = $"2026-{at}+08:00", codes,
        arrivalAt = arrival is null ? null : $"2026-{arrival}+08:00", routeHours, vehicle = kind == "transport" ? "豫C12345" : null,
        siteDivisionCode = kind is "issue" or "use" ? site ?? Area : null, site = kind == "use" ? "3号采场" : null, shotFirer = kind == "use" ? "张爆破" : null,
        permitNumber = permit,
    };

    private static async Task<JsonElement> SendAsync(HttpClient client, params object[] movements)
    {
        var response = await client.PostAsJsonAsync("/api/explosives/movements", new { movements });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task<List<JsonElement>> GapsAsync(HttpClient client, Guid holder) =>
        [.. (await client.GetFromJsonAsync<JsonElement>($"/api/explosives/gaps?holder={holder}")).EnumerateArray()];

    private static object Permit(string kind, string number, string from = "2026-01-01", string to = "2027-12-31") =>
        new { kind, number, scope = "嵩县饭坡镇", validFrom = from, validTo = to, authority = "嵩县公安局" };

    [Theory, OnSqlite, OnPostgres]
    public async Task Each_gap_kind_raises_one_gap_with_its_numbers_and_a_balanced_loop_none(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");

        // A balanced loop: explosives and detonators bought, carried, issued, used, the rest returned, counted right.
        var purchasePermit = Spots.Unique("GM");
        var balanced = await HolderAsync(office, need: 500, permits: [Permit("purchase", purchasePermit), Permit("blasting", Spots.Unique("BP")), Permit("transport", Spots.Unique("YS"))]);
        var bc = Codes(5);
        var ok = await SendAsync(office,
            M(balanced, "purchase", "explosive", "10-20T08:00:00", 100, permit: purchasePermit),
            M(balanced, "transport", "explosive", "10-20T09:00:00", 100, arrival: "10-20T10:30:00", routeHours: 2),
            M(balanced, "receipt", "explosive", "10-20T10:40:00", 100),
            M(balanced, "issue", "explosive", "10-21T07:00:00", 40),
            M(balanced, "use", "explosive", "10-21T10:00:00", 38),
            M(balanced, "return", "explosive", "10-21T16:00:00", 2),
            M(balanced, "stock", "explosive", "10-25T18:00:00", 60),
            M(balanced, "purchase", "detonator", "10-20T08:00:00", codes: bc),
            M(balanced, "issue", "detonator", "10-21T07:00:00", codes: bc[..3]),
            M(balanced, "use", "detonator", "10-21T10:00:00", codes: bc[..3]),
            M(balanced, "stock", "detonator", "10-25T18:00:00", 2));
        Assert.Equal(11, ok.GetProperty("accepted").GetInt32());
        Assert.Empty(ok.GetProperty("rejected").EnumerateArray());

        var shortStock = await HolderAsync(office);
        await SendAsync(office, M(shortStock, "purchase", "explosive", "10-20T08:00:00", 100), M(shortStock, "use", "explosive", "10-21T10:00:00", 30),
            M(shortStock, "stock", "explosive", "10-25T18:00:00", 65));
        var reused = await HolderAsync(office);
        var rc = Codes(2);
        await SendAsync(office, M(reused, "purchase", "detonator", "10-20T08:00:00", codes: rc), M(reused, "issue", "detonator", "10-21T07:00:00", codes: rc),
            M(reused, "use", "detonator", "10-21T10:00:00", codes: rc[..1]), M(reused, "use", "detonator", "10-22T10:00:00", codes: rc[..1]));
        var notIssued = await HolderAsync(office);
        var nc = Codes(1);
        await SendAsync(office, M(notIssued, "purchase", "detonator", "10-20T08:00:00", codes: nc), M(notIssued, "use", "detonator", "10-21T10:00:00", codes: nc));
        var outside = await HolderAsync(office);
        await SendAsync(office, M(outside, "purchase", "explosive", "10-20T08:00:00", 50), M(outside, "issue", "explosive", "10-21T07:00:00", 20, site: Outside));
        var mine = (await MineData.CreateAsync(office, new(MineData.Body(status: "停产中")) { ["statusSince"] = "2026-09-01" })).GetProperty("id").GetGuid();
        var stopped = await HolderAsync(office, mineId: mine);
        await SendAsync(office, M(stopped, "purchase", "explosive", "10-20T08:00:00", 50), M(stopped, "use", "explosive", "10-21T10:00:00", 12));
        var greedy = await HolderAsync(office, need: 100);
        await SendAsync(office, M(greedy, "purchase", "explosive", "10-20T08:00:00", 80), M(greedy, "purchase", "explosive", "10-27T08:00:00", 70));
        var slow = await HolderAsync(office);
        await SendAsync(office, M(slow, "transport", "explosive", "10-20T08:00:00", 30, arrival: "10-20T14:00:00", routeHours: 2));
        var oldPermit = Spots.Unique("GM");
        var expired = await HolderAsync(office, permits: [Permit("purchase", oldPermit, "2025-01-01", "2026-09-30")]);
        await SendAsync(office, M(expired, "purchase", "explosive", "10-20T08:00:00", 30, permit: oldPermit));
        var silent = await HolderAsync(office);
        await SendAsync(office, M(silent, "purchase", "explosive", "09-01T08:00:00", 30));

        var check = await office.PostAsync("/api/explosives/gaps/check", null);
        Assert.True(check.StatusCode == HttpStatusCode.OK, await check.Content.ReadAsStringAsync());

        Assert.Empty(await GapsAsync(office, balanced));
        var holder = (await office.GetFromJsonAsync<JsonElement>($"/api/explosives/holders/{balanced}")).GetProperty("balance").EnumerateArray()
            .Single(b => b.GetProperty("material").GetString() == "explosive");
        Assert.Equal(60, holder.GetProperty("expected").GetDouble());
        Assert.Equal(60, holder.GetProperty("counted").GetDouble());

        async Task<JsonElement> One(Guid h, string kind)
        {
            var gaps = await GapsAsync(office, h);
            var gap = Assert.Single(gaps);
            Assert.Equal(kind, gap.GetProperty("kind").GetString());
            Assert.NotEqual(JsonValueKind.Null, gap.GetProperty("alertId").ValueKind);
            Assert.Equal("open", gap.GetProperty("state").GetString());
            Assert.NotEmpty(gap.GetProperty("records").EnumerateArray());
            return gap;
        }

        var balance = await One(shortStock, "balance");
        Assert.Equal(70, balance.GetProperty("expected").GetDouble());
        Assert.Equal(65, balance.GetProperty("actual").GetDouble());
        Assert.Contains("短少 5千克", balance.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var twice = await One(reused, "detonator-reused");
        Assert.Equal(2, twice.GetProperty("actual").GetDouble());
        Assert.Contains(rc[0], twice.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, twice.GetProperty("records").GetArrayLength());
        Assert.Contains(nc[0], (await One(notIssued, "detonator-not-issued")).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains(Outside, (await One(outside, "issued-outside-area")).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("停产", (await One(stopped, "mine-licence")).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var over = await One(greedy, "purchase-over-production");
        Assert.Equal((100d, 150d), (over.GetProperty("expected").GetDouble(), over.GetProperty("actual").GetDouble()));
        Assert.Contains("超出 50千克", over.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var transport = await One(slow, "transport-slow");
        Assert.Equal((2d, 6d), (transport.GetProperty("expected").GetDouble(), transport.GetProperty("actual").GetDouble()));
        var permitGap = await One(expired, "permit-expired");
        Assert.Equal(20, permitGap.GetProperty("actual").GetDouble());
        Assert.Contains(oldPermit, permitGap.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True((await One(silent, "stopped-reporting")).GetProperty("actual").GetDouble() > GapCheck.SilentDays);

        // Raised like every alert: one alert per gap, with the numbers and the records, routed with its deadline on the one
        // clock and copied to the police.
        var alertId = balance.GetProperty("alertId").GetGuid();
        var alert = await app.WithDbAsync(db => db.Alerts().IgnoreQueryFilters().AsNoTracking().SingleAsync(a => a.Id == alertId));
        Assert.Equal(EventTypes.ExplosivesGap, alert.EventType);
        Assert.Equal("public-security", alert.NotifyDepartment);
        Assert.Equal(AlertSeverity.High, alert.Severity);
        Assert.NotNull(alert.RoutedUtc);
        Assert.Contains("账实不符（应为 70，实为 65）", alert.Title, StringComparison.Ordinal);
        var received = await app.WithDbAsync(db => db.AlertEntries().IgnoreQueryFilters().Where(e => e.AlertId == alertId && e.Kind == "received").SingleAsync());
        Assert.Contains("短少 5千克", received.Text, StringComparison.Ordinal);
        Assert.Contains(balance.GetProperty("records")[0].GetString()!, received.Text, StringComparison.Ordinal);
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<MineGuard.Platform.Deadlines.Deadline>().IgnoreQueryFilters().CountAsync(d => d.SubjectId == alertId)));
        var police = await UserIdAsync(app, "sx-police");
        Assert.Contains(await app.WithDbAsync(db => db.Set<Notification>().IgnoreQueryFilters().Where(n => n.SourceId == alertId).ToListAsync()),
            n => n.UserId == police && n.Title.Contains("抄送", StringComparison.Ordinal));
        var policeClient = await app.LoginAsync("sx-police");
        Assert.Equal(HttpStatusCode.OK, (await policeClient.GetAsync($"/api/alerts/{alertId}")).StatusCode);
        var alertIds = new List<Guid>();
        foreach (var h in new[] { shortStock, reused, notIssued, outside, stopped, greedy, slow, expired, silent })
            alertIds.Add((await GapsAsync(office, h)).Single().GetProperty("alertId").GetGuid());
        Assert.Equal(9, alertIds.Distinct().Count());

        // Checking again raises nothing twice.
        Assert.Equal(HttpStatusCode.OK, (await office.PostAsync("/api/explosives/gaps/check", null)).StatusCode);
        foreach (var h in new[] { shortStock, reused, notIssued, outside, stopped, greedy, slow, expired, silent }) Assert.Single(await GapsAsync(office, h));
        Assert.Empty(await GapsAsync(office, balanced));
        Assert.Equal(9, await app.WithDbAsync(db => db.Alerts().IgnoreQueryFilters().CountAsync(a => alertIds.Contains(a.Id))));
        Assert.Equal(1, await app.WithDbAsync(db => db.Alerts().IgnoreQueryFilters().CountAsync(a => a.CorrelationKey == $"explosives-gap:{balance.GetProperty("id").GetGuid()}")));

        // Closing a gap: a reason is needed; closed, it is not raised again and the holder counts no open gap.
        var gapId = balance.GetProperty("id").GetGuid();
        var noReason = await Problems.ErrorsAsync(await office.PostAsJsonAsync($"/api/explosives/gaps/{gapId}/close", new { reason = " " }));
        Assert.True(noReason.TryGetProperty("reason", out _), noReason.ToString());
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.LoginAsync("sx-leader")).PostAsJsonAsync($"/api/explosives/gaps/{gapId}/close", new { reason = "核实" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.LoginAsync("hj-office")).PostAsJsonAsync($"/api/explosives/gaps/{gapId}/close", new { reason = "核实" })).StatusCode);
        var closed = await policeClient.PostAsJsonAsync($"/api/explosives/gaps/{gapId}/close", new { reason = "盘点漏记 5 千克，已补录" });
        Assert.True(closed.StatusCode == HttpStatusCode.OK, await closed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Conflict, (await office.PostAsJsonAsync($"/api/explosives/gaps/{gapId}/close", new { reason = "再关一次" })).StatusCode);
        var closedGap = Assert.Single(await GapsAsync(office, shortStock));
        Assert.Equal(("closed", "盘点漏记 5 千克，已补录"), (closedGap.GetProperty("state").GetString(), closedGap.GetProperty("closeReason").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await office.PostAsync("/api/explosives/gaps/check", null)).StatusCode);
        Assert.Single(await GapsAsync(office, shortStock));
        Assert.Equal(0, (await office.GetFromJsonAsync<JsonElement>($"/api/explosives/holders/{shortStock}")).GetProperty("openGaps").GetInt32());

        // The holder's history as Excel.
        var xlsx = await office.GetAsync($"/api/explosives/holders/{balanced}/history.xlsx");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType?.MediaType);
        var csv = await (await office.GetAsync($"/api/explosives/holders/{balanced}/history.xlsx?format=csv")).Content.ReadAsStringAsync();
        Assert.Contains("库存盘点", csv, StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_batch_keeps_good_records_refuses_bad_ones_by_index_and_stores_resends_once(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var holder = await HolderAsync(office);
        var other = await HolderAsync(office);
        var goodId = Guid.NewGuid();
        var good = M(holder, "purchase", "explosive", "10-20T08:00:00", 100, id: goodId);
        var batch = new[]
        {
            good,
            M(holder, "purchase", "detonator", "10-20T08:00:00", codes: ["123"]),
            M(other, "use", "explosive", "10-21T08:00:00", 5),
            M(holder, "use", "explosive", "10-21T08:00:00", 500),
            M(holder, "bury", "explosive", "10-21T08:00:00", 5),
            M(holder, "transport", "explosive", "10-21T08:00:00", 5, arrival: "10-21T06:00:00", routeHours: 1),
        };
        var result = await SendAsync(office, batch);
        Assert.Equal(1, result.GetProperty("accepted").GetInt32());
        var rejected = result.GetProperty("rejected").EnumerateArray().ToList();
        Assert.Equal([1, 2, 3, 4, 5], rejected.Select(r => r.GetProperty("index").GetInt32()));
        Assert.Equal(["codes", "at", "quantity", "kind", "arrivalAt"], rejected.Select(r => r.GetProperty("field").GetString()));
        Assert.All(rejected, r => Assert.StartsWith($"第 {r.GetProperty("index").GetInt32() + 1} 条记录", r.GetProperty("reason").GetString(), StringComparison.Ordinal));
        Assert.Contains("13 位", rejected[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("早于", rejected[1].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("库存为负", rejected[2].GetProperty("reason").GetString(), StringComparison.Ordinal);

        // Sent again: stored once; the same id with other content is refused.
        var again = await SendAsync(office, good);
        Assert.Equal((0, 1), (again.GetProperty("accepted").GetInt32(), again.GetProperty("duplicates").GetInt32()));
        var changed = await SendAsync(office, M(holder, "purchase", "explosive", "10-20T08:00:00", 90, id: goodId));
        Assert.Equal("id", changed.GetProperty("rejected")[0].GetProperty("field").GetString());
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<ExplosiveMovement>().CountAsync(m => m.HolderId == holder)));

        // A holder sent twice with its client id is stored once; bad holder fields are named.
        var clientId = Guid.NewGuid();
        var body = new { clientId, name = Spots.Unique("重复单位"), kind = "plant", divisionCode = Area };
        Assert.Equal(HttpStatusCode.Created, (await office.PostAsJsonAsync("/api/explosives/holders", body)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await office.PostAsJsonAsync("/api/explosives/holders", body)).StatusCode);
        var errors = await Problems.ErrorsAsync(await office.PostAsJsonAsync("/api/explosives/holders", new
        {
            name = "", kind = "shop", divisionCode = "450000", permits = new[] { new { kind = "x", number = "", validFrom = "2026-13-01", validTo = "2026-01-01", authority = "" } },
        }));
        foreach (var field in new[] { "name", "kind", "divisionCode", "permits[0].kind", "permits[0].number", "permits[0].validFrom", "permits[0].authority" })
            Assert.True(errors.TryGetProperty(field, out _), $"{field}: {errors}");
        Assert.True((await Problems.ErrorsAsync(await office.PostAsJsonAsync("/api/explosives/movements", new { movements = Array.Empty<object>() })))
            .TryGetProperty("movements", out _));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_same_movements_posted_twice_at_once_are_stored_once_and_answered_as_duplicates(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var police = await app.LoginAsync("sx-police");
        var holder = await HolderAsync(office);
        var codes = Codes(20);
        var batch = new { movements = new[] { M(holder, "purchase", "explosive", "10-20T08:00:00", 100), M(holder, "purchase", "detonator", "10-20T08:00:00", codes: codes) } };
        for (var round = 0; round < 3; round++)
        {
            var fresh = round == 0 ? batch : new { movements = new[] { M(holder, "purchase", "explosive", $"10-2{round}T08:00:00", 10) } };
            var answers = await Task.WhenAll(office.PostAsJsonAsync("/api/explosives/movements", fresh), police.PostAsJsonAsync("/api/explosives/movements", fresh));
            var bodies = new List<JsonElement>();
            foreach (var answer in answers)
            {
                var text = await answer.Content.ReadAsStringAsync();
                Assert.True(answer.StatusCode == HttpStatusCode.OK, text);
                bodies.Add(JsonDocument.Parse(text).RootElement.Clone());
            }
            var n = fresh.movements.Length;
            Assert.All(bodies, b => Assert.Empty(b.GetProperty("rejected").EnumerateArray()));
            Assert.All(bodies, b => Assert.Equal(n, b.GetProperty("accepted").GetInt32() + b.GetProperty("duplicates").GetInt32()));
            Assert.Equal(n, bodies.Sum(b => b.GetProperty("accepted").GetInt32()));
        }
        Assert.Equal(4, await app.WithDbAsync(db => db.Set<ExplosiveMovement>().CountAsync(m => m.HolderId == holder)));
        Assert.Equal(20, await app.WithDbAsync(db => db.Set<ExplosiveDetonator>().IgnoreQueryFilters().CountAsync(d => d.HolderId == holder)));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Movements_come_in_through_the_ingestion_api_once_per_event_id_with_bad_ones_refused_by_index(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var holder = await HolderAsync(office);
        var (keyId, integration) = await IntegrationAsync(app);
        var run = Guid.NewGuid().ToString("N")[..8];
        static object Ev(string id, string at, object movement) =>
            new Dictionary<string, object?> { ["id"] = id, ["type"] = MovementEvents.Type, ["occurredAt"] = $"2026-{at}+08:00", ["movement"] = movement };
        var codes = Codes(3);
        var batch = new[]
        {
            Ev($"{run}-1", "10-20T08:00:00", new { holderId = holder, kind = "purchase", material = "explosive", quantity = 50 }),
            Ev($"{run}-2", "10-20T08:00:00", new { holderId = holder, kind = "purchase", material = "detonator", codes }),
            Ev($"{run}-3", "10-21T08:00:00", new { holderId = holder, kind = "use", material = "explosive", quantity = 80, siteDivisionCode = Area, site = "1号采场", shotFirer = "李爆破" }),
            Ev($"{run}-4", "10-21T08:00:00", new { holderId = holder, kind = "purchase", material = "detonator", codes = new[] { "12" } }),
            Ev($"{run}-5", "10-21T08:00:00", "not a movement"),
        };
        var result = await IngestAsync(integration, batch);
        Assert.True((2, 3) == (result.GetProperty("acceptedCount").GetInt32(), result.GetProperty("rejectedCount").GetInt32()), result.ToString());
        var rejected = result.GetProperty("rejected").EnumerateArray().ToList();
        Assert.Equal([2, 3, 4], rejected.Select(r => r.GetProperty("index").GetInt32()));
        Assert.Equal(["movement.quantity", "movement.codes", "movement"], rejected.Select(r => r.GetProperty("errors").EnumerateObject().Single().Name));
        Assert.Contains("库存为负", rejected[0].GetProperty("errors").GetProperty("movement.quantity")[0].GetString(), StringComparison.Ordinal);
        Assert.StartsWith("第 3 个事件（序号 2）", rejected[0].GetProperty("errors").GetProperty("movement.quantity")[0].GetString(), StringComparison.Ordinal);

        // Sent again: the stored ones are duplicates, nothing is stored twice; the movement's id comes from the key and event id.
        var again = await IngestAsync(integration, batch);
        Assert.Equal((0, 2), (again.GetProperty("acceptedCount").GetInt32(), again.GetProperty("duplicateCount").GetInt32()));
        Assert.Equal(2, await app.WithDbAsync(db => db.Set<ExplosiveMovement>().IgnoreQueryFilters().CountAsync(m => m.HolderId == holder)));
        var first = MovementEvents.IdOf(keyId, $"{run}-1");
        Assert.Equal(50, await app.WithDbAsync(db => db.Set<ExplosiveMovement>().IgnoreQueryFilters().Where(m => m.Id == first).Select(m => m.Quantity).SingleAsync()));
        Assert.Equal(3, await app.WithDbAsync(db => db.Set<ExplosiveDetonator>().IgnoreQueryFilters().CountAsync(d => d.HolderId == holder)));

        // A key of another county cannot write to this holder; without a key nothing is taken.
        var (_, other) = await IntegrationAsync(app, "431281");
        var foreign = await IngestAsync(other, Ev($"{run}-6", "10-22T08:00:00", new { holderId = holder, kind = "purchase", material = "explosive", quantity = 5 }));
        Assert.True(foreign.GetProperty("rejected")[0].GetProperty("errors").TryGetProperty("movement.holderId", out _), foreign.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().PostAsJsonAsync("/api/ingest/events", new { events = new[] { batch[0] } })).StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_daily_job_raises_a_new_gap_as_an_alert_once(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var holder = await HolderAsync(office);
        await SendAsync(office, M(holder, "purchase", "explosive", "10-20T08:00:00", 100), M(holder, "stock", "explosive", "10-25T18:00:00", 90));
        var job = app.Services.GetRequiredService<GapCheckJob>();
        var first = await job.RunOnceAsync(CancellationToken.None);
        var gap = Assert.Single(first.Gaps, g => g.HolderId == holder && g.Kind == "balance");
        Assert.Equal((100d, 90d), (gap.Expected, gap.Actual));
        Assert.NotNull(gap.AlertId);
        var second = await job.RunOnceAsync(CancellationToken.None);
        Assert.DoesNotContain(second.Gaps, g => g.HolderId == holder);
        Assert.Single(await GapsAsync(office, holder), g => g.GetProperty("kind").GetString() == "balance");
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Scope_department_and_log_in_are_enforced(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var holder = await HolderAsync(office);
        await SendAsync(office, M(holder, "purchase", "explosive", "10-20T08:00:00", 10));

        var anonymous = app.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/explosives/holders")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/explosives/movements", new { movements = Array.Empty<object>() })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/explosives/gaps/check", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync($"/api/explosives/gaps/{Guid.NewGuid()}/close", new { reason = "x" })).StatusCode);

        // Another county: not in its lists, 404 on the holder, its batch refused record by record.
        var hj = await app.LoginAsync("hj-office");
        Assert.DoesNotContain(holder.ToString(), await hj.GetStringAsync("/api/explosives/holders"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await hj.GetAsync($"/api/explosives/holders/{holder}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hj.GetAsync($"/api/explosives/holders/{holder}/history.xlsx")).StatusCode);
        Assert.DoesNotContain(holder.ToString(), await hj.GetStringAsync("/api/explosives/movements"), StringComparison.Ordinal);
        var refused = await SendAsync(hj, M(holder, "purchase", "explosive", "10-20T09:00:00", 10));
        Assert.Equal("holderId", refused.GetProperty("rejected")[0].GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await hj.PostAsJsonAsync("/api/explosives/holders", new { name = "越界", kind = "mine", divisionCode = Area })).StatusCode);

        // A department that holds no source system sees none of it; the police see it; patrol members may not read it.
        var power = await DepartmentUserAsync(app, "power", "13800000031");
        Assert.DoesNotContain(holder.ToString(), await power.GetStringAsync("/api/explosives/holders"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await power.GetAsync($"/api/explosives/holders/{holder}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await power.PostAsJsonAsync("/api/explosives/movements", new { movements = Array.Empty<object>() })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await power.PostAsJsonAsync($"/api/explosives/gaps/{Guid.NewGuid()}/close", new { reason = "x" })).StatusCode);
        var police = await app.LoginAsync("sx-police");
        Assert.Equal(HttpStatusCode.OK, (await police.GetAsync($"/api/explosives/holders/{holder}")).StatusCode);
        Assert.Contains(holder.ToString(), await police.GetStringAsync($"/api/explosives/movements?holder={holder}"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.LoginAsync("sx-patrol")).GetAsync("/api/explosives/holders")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.LoginAsync("sx-leader")).PostAsync("/api/explosives/gaps/check", null)).StatusCode);

        // The county page lists the holder for its county only; patrol members are sent to the access-denied page.
        Assert.Contains($"id=\"h-{holder}\"", await office.GetStringAsync("/explosives"), StringComparison.Ordinal);
        Assert.DoesNotContain(holder.ToString(), await hj.GetStringAsync("/explosives"), StringComparison.Ordinal);
        // A holder's balance over time is drawn for its county only.
        var chart = await office.GetStringAsync($"/explosives?holder={holder}");
        Assert.Contains($"data-holder=\"{holder}\"", chart, StringComparison.Ordinal);
        Assert.Contains("<svg class=\"balance-chart\" data-material=\"explosive\"", chart, StringComparison.Ordinal);
        Assert.Contains("<polyline points=", chart, StringComparison.Ordinal);
        Assert.DoesNotContain("balance-chart", await hj.GetStringAsync($"/explosives?holder={holder}"), StringComparison.Ordinal);
        Assert.DoesNotContain(holder.ToString(), await power.GetStringAsync("/explosives"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Found, (await (await app.LoginAsync("sx-patrol")).GetAsync("/explosives")).StatusCode); // to the access-denied page
    }

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, byte[] content, string fileName, Guid? holderId = null)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(content), "file", fileName } };
        if (holderId is { } h) form.Add(new StringContent(h.ToString()), "holderId");
        return await client.PostAsync("/api/explosives/movements/upload", form);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_source_systems_monthly_export_is_taken_row_by_row_once_and_bad_rows_are_named(string provider)
    {
        var app = await TestApp.Shared(provider);
        var police = await app.LoginAsync("sx-police");
        var holder = await HolderAsync(police, permits: [Permit("purchase", "GM-XLSX-1"), Permit("blasting", "BP-XLSX-1")]);
        var name = (await police.GetFromJsonAsync<JsonElement>($"/api/explosives/holders/{holder}")).GetProperty("name").GetString()!;
        var codes = Codes(3);
        using var xlsx = new MemoryStream();
        using (var writer = MineGuard.Platform.Excel.XlsxWriter.Create(xlsx, "流向", [new("单据号"), new("企业名称"), new("业务环节"), new("品名"), new("数量"),
                   new("发生时间"), new("雷管码"), new("爆破地点"), new("地点区划代码"), new("爆破作业人员"), new("许可证编号")]))
        {
            writer.WriteRow(["D-001", name, "购买", "工业炸药", 100.0, "2026-10-01 08:00", null, null, null, null, "GM-XLSX-1"]);
            writer.WriteRow(["D-002", name, "purchase", "雷管", null, "2026-10-01 08:30", string.Join("，", codes), null, null, null, "GM-XLSX-1"]);
            writer.WriteRow(["D-003", name, "爆破使用", "炸药", 40.0, "2026-10-05 14:00", null, "3号采场", Area, "张爆破", "BP-XLSX-1"]);
            writer.WriteRow(["D-004", name, "爆破使用", "炸药", 500.0, "2026-10-06 14:00", null, "3号采场", Area, "张爆破", "BP-XLSX-1"]);
            writer.WriteRow(["D-005", name, "借出", "炸药", 5.0, "2026-10-06 15:00", null, null, null, null, null]);
            writer.WriteRow(["D-006", "不存在的单位", "购买", "炸药", 5.0, "2026-10-06 15:00", null, null, null, null, null]);
            writer.WriteRow(["D-007", name, "购买", "雷管", null, "2026-10-07 09:00", "12345", null, null, null, "GM-XLSX-1"]);
            writer.WriteRow(["D-008", name, "购买", "炸药", 10.0, "十月八日", null, null, null, null, "GM-XLSX-1"]);
        }
        var response = await UploadAsync(police, xlsx.ToArray(), "2026年10月流向.xlsx");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var result = JsonDocument.Parse(body).RootElement;
        Assert.Equal((8, 3, 0), (result.GetProperty("rows").GetInt32(), result.GetProperty("accepted").GetInt32(), result.GetProperty("duplicates").GetInt32()));
        var errors = result.GetProperty("errors").EnumerateArray().Select(e => (Row: e.GetProperty("row").GetInt32(), Column: e.GetProperty("column").GetString()!,
            Message: e.GetProperty("message").GetString()!)).ToList();
        // The sheet's own row numbers (header on row 1) and its own column headers.
        Assert.Equal([5, 6, 7, 8, 9], errors.Select(e => e.Row));
        Assert.Equal(("数量", true), (errors[0].Column, errors[0].Message.Contains("第 5 行", StringComparison.Ordinal)));
        Assert.Equal("业务环节", errors[1].Column);
        Assert.Contains("不存在的单位", errors[2].Message, StringComparison.Ordinal);
        Assert.Equal("雷管码", errors[3].Column);
        Assert.Equal("发生时间", errors[4].Column);
        var stored = await police.GetFromJsonAsync<JsonElement>($"/api/explosives/movements?holder={holder}");
        Assert.Equal(["purchase", "purchase", "use"], stored.EnumerateArray().Select(m => m.GetProperty("kind").GetString()));
        Assert.Equal(3, stored.EnumerateArray().ElementAt(1).GetProperty("quantity").GetDouble());

        // The same file again: nothing stored twice.
        var again = JsonDocument.Parse(await (await UploadAsync(police, xlsx.ToArray(), "2026年10月流向.xlsx")).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((0, 3), (again.GetProperty("accepted").GetInt32(), again.GetProperty("duplicates").GetInt32()));

        // A CSV without a unit column, for a unit chosen for the whole file.
        var csv = System.Text.Encoding.UTF8.GetBytes("类型,物品,数量,时间\r\n退回,炸药,10,2026-10-09 10:00\r\n");
        var chosen = JsonDocument.Parse(await (await UploadAsync(police, csv, "退库.csv", holder)).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(1, chosen.GetProperty("accepted").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, (await UploadAsync(police, csv, "退库.csv")).StatusCode);

        // Bad input, another county, another department, no log-in.
        var notSheet = await UploadAsync(police, [1, 2, 3], "x.xlsx");
        Assert.Equal(HttpStatusCode.BadRequest, notSheet.StatusCode);
        Assert.True((await Problems.ErrorsAsync(notSheet)).TryGetProperty("file", out _));
        Assert.True((await Problems.ErrorsAsync(await UploadAsync(police, csv, "退库.csv", Guid.NewGuid()))).TryGetProperty("holderId", out _));
        var hj = await app.LoginAsync("hj-office");
        Assert.True((await Problems.ErrorsAsync(await UploadAsync(hj, csv, "退库.csv", holder))).TryGetProperty("holderId", out _));
        var foreign = JsonDocument.Parse(await (await UploadAsync(hj, xlsx.ToArray(), "流向.xlsx")).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(0, foreign.GetProperty("accepted").GetInt32());
        var power = await DepartmentUserAsync(app, "power", "13800000032");
        Assert.Equal(HttpStatusCode.Forbidden, (await UploadAsync(power, csv, "退库.csv", holder)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await UploadAsync(app.Anonymous(), csv, "退库.csv", holder)).StatusCode);
        Assert.Equal(4, (await police.GetFromJsonAsync<JsonElement>($"/api/explosives/movements?holder={holder}")).GetArrayLength());

        // The page's form takes the same file through the same checks: the summary and the bad rows by row and column.
        using var page = new MultipartFormDataContent
        {
            { new StringContent(await TestApp.AntiForgeryTokenAsync(police, "/explosives")), "__RequestVerificationToken" },
            { new ByteArrayContent(xlsx.ToArray()), "file", "2026年10月流向.xlsx" },
        };
        var html = await (await police.PostAsync("/explosives?handler=Upload", page)).Content.ReadAsStringAsync();
        Assert.Contains("共 8 行：新增 0 条，已导入过 3 条，有误 5 行", html, StringComparison.Ordinal);
        Assert.Contains("<td>9</td><td>发生时间</td>", html, StringComparison.Ordinal);
        using var empty = new MultipartFormDataContent { { new StringContent(await TestApp.AntiForgeryTokenAsync(police, "/explosives")), "__RequestVerificationToken" } };
        Assert.Contains("请选择要上传的文件", await (await police.PostAsync("/explosives?handler=Upload", empty)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
