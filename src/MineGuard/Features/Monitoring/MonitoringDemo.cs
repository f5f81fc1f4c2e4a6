using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Hosting;

namespace MineGuard.Features.Monitoring;

/// <summary>
/// 演示监控: demo phone numbers for the demo users (so alerts show their SMS), a demo integration key per county (its
/// secret is never shown: create a real key under 接口密钥 to send events), a camera, an e-fence zone and an e-seal at
/// sealed demo adits, and one open alert per county for the alert desk.
/// </summary>
public sealed class MonitoringDemo : IDemoData
{
    public int Order => 30;

    /// <summary>The demo phone number of a demo user: 1380000 + four digits from the user's place in the list.</summary>
    public static string Phone(int index) => $"1380000{index + 1:D4}";

    public async Task SeedAsync(IServiceProvider services, AppDbContext db, IReadOnlyDictionary<string, Guid> users, CancellationToken ct)
    {
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var names = DemoLoader.AllUsers.Select(u => u.UserName).ToList();
        foreach (var user in await db.Users.Where(u => u.IsDemo).ToListAsync(ct))
        {
            user.PhoneNumber ??= Phone(names.IndexOf(user.UserName!));
        }
        var deadlines = new MonitoringOptions().Deadlines;
        foreach (var (county, prefix) in new[] { ("410325", "sx"), ("431281", "hj") })
        {
            var (key, _) = ApiKey.Create("演示视频与电子围栏平台", county, users[$"{prefix}-admin"], now);
            db.ApiKeys.Add(key);
            var adits = await db.Adits().Where(a => a.CountyCode == county && (a.State == SealState.Sealed || a.State == SealState.Accepted))
                .OrderBy(a => a.Number).Take(3).ToListAsync(ct);
            if (adits.Count < 3) continue;
            var owner = users[$"{prefix}-resp"];
            Device Make(DeviceKind kind, string code, string name, Adit adit, double? radius, int heartbeat) =>
                Device.Register(new Device.Spec(kind, code, name, key.Id, adit.DivisionCode, adit.Id, null, owner, adit.Lon, adit.Lat, radius, null, heartbeat),
                    now, isDemo: true);
            var camera = Make(DeviceKind.Camera, $"{prefix.ToUpperInvariant()}-CAM-001", $"演示摄像头（矿硐 {adits[0].Number}）", adits[0], null, 30);
            db.AddRange(camera,
                Make(DeviceKind.EFenceZone, $"{prefix.ToUpperInvariant()}-EF-001", $"演示电子围栏（矿硐 {adits[1].Number}）", adits[1], 200, 0),
                Make(DeviceKind.ESeal, $"{prefix.ToUpperInvariant()}-SEAL-001", $"演示电子封条（矿硐 {adits[2].Number}）", adits[2], null, 60));
            var alert = Alert.Open(new Alert.Opening(adits[0].DivisionCode, county, $"adit:{adits[0].Id}", adits[0].Id, camera.Id,
                "default:sealed-adit-camera", EventTypes.Camera, $"矿硐 {adits[0].Number}：视频监控发现（演示）", AlertSeverity.High,
                "public-security", adits[0].Lon, adits[0].Lat), now, deadlines, isDemo: true);
            db.Add(alert);
            AlertEscalation.Open(db, alert);
            db.Add(AlertEntry.Create(alert, "received", $"收到信号（规则：已封堵矿硐摄像头发现人员或车辆）：摄像头“{camera.Name}”发现人员（演示）", now));
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// At every later start: the demo alerts, their history lines and their deadlines move forward by the whole days since
    /// the demo was loaded, so the alert desk shows an alert of today (escalated or not, as the clock left it), not one
    /// opened weeks ago.
    /// </summary>
    public async Task BringUpToDateAsync(IServiceProvider services, AppDbContext db, IReadOnlyDictionary<string, Guid> users, CancellationToken ct)
    {
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var newest = await db.Alerts().Where(a => a.IsDemo).OrderByDescending(a => a.OpenedUtc).Select(a => (DateTime?)a.OpenedUtc).FirstOrDefaultAsync(ct);
        var days = DemoDates.DaysBehind(newest, 0, now);
        if (days == 0) return;
        var alerts = await db.Alerts().Where(a => a.IsDemo).ToListAsync(ct);
        var ids = alerts.Select(a => a.Id).ToList();
        var entries = await db.AlertEntries().Where(e => ids.Contains(e.AlertId)).ToListAsync(ct);
        var deadlines = await DemoDates.DeadlinesOfAsync(db, AlertEscalation.Subject, ids, ct);
        DemoDates.Shift(db, [.. alerts, .. entries, .. deadlines], days, now);
        await db.SaveChangesAsync(ct);
    }
}
