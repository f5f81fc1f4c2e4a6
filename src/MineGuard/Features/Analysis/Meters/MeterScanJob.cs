using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Monitoring;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Analysis;

/// <summary>
/// The daily scan of the meters (电力看矿): once a day after <c>Meters:ScanHour</c> (China time, default 2) every meter
/// with readings in the last two days is re-scanned by <see cref="MeterScanner"/>, a batch of meters per round of queries,
/// the whole run one transaction as the system. The scan is incremental: what each meter's detector learned is kept in
/// <see cref="MeterBaselines"/> and the next day's scan reads only the new readings (see <see cref="MeterScanner.ScanManyAsync"/>);
/// the first run after a start re-scans each meter whole. <c>Meters:RunJob</c> (default true) switches it off. Tests and the office's
/// on-demand rescan (<c>POST /api/analysis/meters/{code}/scan</c>) call <see cref="RunOnceAsync"/> or the scanner.
/// </summary>
public sealed class MeterScanJob(IServiceScopeFactory scopes, MeterBaselines kept, IConfiguration config, TimeProvider clock, ILogger<MeterScanJob> log)
    : BackgroundService
{
    /// <summary>Meters read per round of queries (places, findings, readings); the whole run is one transaction.</summary>
    public const int Batch = 2_000;

    public sealed record Round(int Meters, int Found, int Clues);

    /// <summary>
    /// Scans every meter with readings since <paramref name="sinceUtc"/> in one transaction as the system,
    /// <see cref="Batch"/> meters per round of queries; what each meter's detector learned is kept once committed.
    /// </summary>
    public async Task<Round> RunOnceAsync(DateTime sinceUtc, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.CurrentUser.ActAsSystem("system:meters");
        var scanner = scope.ServiceProvider.GetRequiredService<MeterScanner>();
        // Late readings: every writer that noted one before the tick has committed, so this run reads it.
        await Features.Monitoring.MeterReadings.WaitForWritersAsync(db, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var readTick = MeterSeriesChanges.Tick;
        // A probe of each meter's key (DeviceId, Utc), not a distinct over the days' readings (0.3 s for 4,000 meters).
        var devices = await db.Devices().AsNoTracking().Where(d => d.Kind == DeviceKind.Meter && d.RetiredUtc == null
                && db.MeterReadings().Any(r => r.DeviceId == d.Id && r.Utc >= sinceUtc))
            .OrderBy(d => d.Id).ToListAsync(ct);
        // The new readings of every meter in one query (the meters kept after the same day, as on most days all are).
        var recent = await scanner.ReadRecentAsync(devices, kept, ct);
        var outcomes = new List<MeterScanner.MeterScanOutcome>(devices.Count);
        foreach (var chunk in devices.Chunk(Batch))
        {
            outcomes.AddRange(await scanner.ScanManyAsync(chunk, kept, readTick, recent, ct));
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
        await tx.CommitAsync(ct);
        // Kept only once committed: a rolled-back run is scanned again from what was kept before.
        foreach (var o in outcomes)
        {
            if (o.Keep is not { } keep) continue;
            kept.Set(o.MeterId, keep);
            MeterSeriesChanges.Forget(o.MeterId, keep.ReadTick);
        }
        return new Round(outcomes.Count, outcomes.Sum(o => o.Result.Found), outcomes.Sum(o => o.Result.Clues));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!config.GetValue("Meters:RunJob", true)) return;
        var hour = Math.Clamp(config.GetValue("Meters:ScanHour", 2), 0, 23);
        while (!stoppingToken.IsCancellationRequested)
        {
            // Sleep until the next scan hour in China time.
            var now = clock.GetUtcNow().UtcDateTime;
            var local = ChinaTime.ToLocal(now);
            var next = local.Date.AddHours(hour);
            if (next <= local) next = next.AddDays(1);
            try
            {
                await Task.Delay(next - local, stoppingToken);
                await RunOnceAsync(clock.GetUtcNow().UtcDateTime.AddDays(-2), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A failed batch rolls back whole; tomorrow's scan reads the same readings again.
                log.LogWarning(ex, "meter scan failed");
            }
        }
    }
}
