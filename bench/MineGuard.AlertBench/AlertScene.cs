using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Adits;
using MineGuard.Features.Monitoring;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Notifications;

namespace MineGuard.AlertBench;

/// <summary>What the alert benchmarks arrange and read back: cameras at sealed adits, and each camera's first SMS.</summary>
internal static class AlertScene
{
    /// <summary>
    /// Sealed adits in 陶村林场's first grid (numbers BENCH-…, seeded positions), each with sx-resp named and a camera of
    /// one new integration; the integration's plain key and id, and the cameras' codes.
    /// </summary>
    public static Task<(string Key, Guid KeyId, List<string> Cameras)> ArrangeAsync(WebApplication app, int count, string platform, string cameraPrefix, int seed) =>
        BenchHost.WithDbAsync(app.Services, async db =>
        {
            var now = db.Clock.GetUtcNow().UtcDateTime;
            var resp = await db.Users.Where(u => u.UserName == "sx-resp").Select(u => u.Id).SingleAsync();
            var (key, plain) = ApiKey.Create(platform, "410325", null, now);
            db.ApiKeys.Add(key);
            await db.SaveChangesAsync();
            var cameras = new List<string>();
            await using var tx = await db.Database.BeginTransactionAsync();
            using (var batch = db.AuditAsBatch("bench", "Adit", "bench", "410325"))
            {
                var random = new Random(seed);
                for (var i = 0; i < count; i++)
                {
                    var (lon, lat) = (111.7 + random.NextDouble() * 0.4, 33.9 + random.NextDouble() * 0.3);
                    var adit = Adit.Register($"BENCH-{i:D6}", new Adit.Place("410325", "410325400", null, "410325400G001"), lon, lat,
                        new Adit.Details(null, null, Mineral.Gold, AditOrigin.TheftPoint, null, null, resp, null), now);
                    adit.Seal(new Adit.SealWork(new DateOnly(2026, 10, 1), SealMethod.Concrete, null, null, null, null), null, now);
                    db.Add(adit);
                    var code = $"{cameraPrefix}{i:D6}";
                    db.Add(Device.Register(new Device.Spec(DeviceKind.Camera, code, code, key.Id, adit.DivisionCode, adit.Id, null, null, lon, lat, null, null, 0), now));
                    cameras.Add(code);
                }
                await db.SaveChangesAsync();
                batch.Complete($"{count} bench adits");
                await db.SaveChangesAsync();
            }
            await tx.CommitAsync();
            return (plain, key.Id, cameras);
        });

    /// <summary>Milliseconds from each camera's first arrival to the first SMS of its alert being in the outbox, sorted.</summary>
    public static async Task<List<double>> ArrivalToSmsAsync(WebApplication app, IReadOnlyDictionary<string, DateTime> arrival)
    {
        var firstSms = await BenchHost.WithDbAsync(app.Services, db =>
            (from a in db.Alerts().Where(a => !a.IsDemo)
             join d in db.Devices() on a.DeviceId equals d.Id
             join s in db.Set<SmsMessage>() on a.Id equals s.SourceId
             group s by d.Code into g
             select new { Code = g.Key, First = g.Min(s => s.CreatedUtc) }).ToListAsync());
        return firstSms.Where(f => arrival.ContainsKey(f.Code)).Select(f => (f.First - arrival[f.Code]).TotalMilliseconds).Order().ToList();
    }
}
