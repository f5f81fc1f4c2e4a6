using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MineGuard.Data;

namespace MineGuard.Features.Monitoring;

/// <summary>
/// The alerts' background work: route new alerts and raise "device offline" for silent devices. Overdue alerts are
/// escalated by the one clock (<see cref="Platform.Deadlines.DeadlineJob"/> calling <see cref="AlertEscalation"/>).
/// Each round works from the database alone (no in-memory queue to lose), each alert under its own claim, so any
/// number of nodes may run it together. Tests call <see cref="RunOnceAsync"/> after moving the clock.
/// </summary>
public sealed class AlertJobs(IServiceScopeFactory scopes, IOptions<MonitoringOptions> options, Platform.Notifications.SmsSender sms, ILogger<AlertJobs> log)
    : BackgroundService
{
    private const int Batch = 200;
    private readonly SemaphoreSlim wake = new(0, 1);

    /// <summary>Starts the next round now (a new alert on this node), instead of at the next interval.</summary>
    public void Wake()
    {
        if (wake.CurrentCount == 0)
        {
            try
            {
                wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already woken.
            }
        }
    }

    /// <summary>What a round did; More when it stopped at its batch limit and work is still waiting.</summary>
    public sealed record Round(int Routed, int Offline, bool More = false);

    public async Task<Round> RunOnceAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.CurrentUser.ActAsSystem("system:alerts");
        var routing = scope.ServiceProvider.GetRequiredService<AlertRouting>();
        var offline = await RaiseOfflineAsync(db, scope.ServiceProvider.GetRequiredService<AlertDesk>(), ct);

        var routed = 0;
        var unrouted = await db.Alerts().Where(a => a.RoutedUtc == null && a.Status != AlertStatus.Closed)
            .OrderBy(a => a.OpenedUtc).Select(a => a.Id).Take(Batch).ToListAsync(ct);
        foreach (var chunk in unrouted.Chunk(50))
        {
            routed += await routing.RouteAsync(chunk, ct);
            db.ChangeTracker.Clear();
        }

        if (routed > 0) sms.Wake();
        return new Round(routed, offline, unrouted.Count == Batch);
    }

    /// <summary>Devices silent beyond their interval with no open offline alert get one (locked per device key).</summary>
    private static async Task<int> RaiseOfflineAsync(AppDbContext db, AlertDesk desk, CancellationToken ct)
    {
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var watched = await db.Devices().AsNoTracking().Where(d => d.HeartbeatMinutes > 0 && d.RetiredUtc == null).ToListAsync(ct);
        var silent = watched.Where(d => d.IsSilent(now)).ToList();
        if (silent.Count == 0) return 0;
        var keys = silent.Select(d => $"offline:{d.Id}").ToList();
        var alreadyOpen = (await db.Alerts().Where(a => keys.Contains(a.CorrelationKey) && a.Status != AlertStatus.Closed)
            .Select(a => a.CorrelationKey).ToListAsync(ct)).ToHashSet();
        silent = silent.Where(d => !alreadyOpen.Contains($"offline:{d.Id}")).ToList();
        if (silent.Count == 0) return 0;

        var rules = await desk.RulesAsync(ct);
        var aditIds = silent.Where(d => d.AditId is not null).Select(d => d.AditId!.Value).ToList();
        var adits = await db.Set<Adits.Adit>().AsNoTracking().Where(a => aditIds.Contains(a.Id))
            .Select(a => new { a.Id, a.Number, a.DivisionCode }).ToDictionaryAsync(a => a.Id, ct);
        var raised = new List<Raised>();
        foreach (var d in silent)
        {
            var adit = d.AditId is { } aid ? adits.GetValueOrDefault(aid) : null;
            var division = adit?.DivisionCode ?? d.DivisionCode;
            var signal = new Signal(EventTypes.Offline, division, adit?.Id, false, d.Id, null, null, now);
            if (AlertDesk.Match(signal, rules) is not { } rule) continue;
            var last = d.LastSeenUtc is { } seen ? $"最后一次信号 {Platform.Time.ChinaTime.Format(seen)}" : "登记后从未收到信号";
            raised.Add(new Raised(signal, rule, division[..Math.Min(6, division.Length)],
                $"{DeviceNames.Kinds[d.Kind].Chinese}“{d.Name}”离线{(adit is null ? "" : $"（矿硐 {adit.Number}）")}",
                d.Lon, d.Lat, null, $"超过 {d.HeartbeatMinutes} 分钟无信号，{last}"));
        }
        if (raised.Count == 0) return 0;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await desk.LockAsync(raised.Select(r => r.CorrelationKey), ct);
        // Re-read under the locks: another node may have raised them meanwhile.
        var nowOpen = (await db.Alerts().Where(a => keys.Contains(a.CorrelationKey) && a.Status != AlertStatus.Closed)
            .Select(a => a.CorrelationKey).ToListAsync(ct)).ToHashSet();
        raised = raised.Where(r => !nowOpen.Contains(r.CorrelationKey)).ToList();
        var (_, entries, opened, joined, _) = await desk.RaiseAsync(raised, now, isDemo: false, ct);
        await desk.WriteJoinedAsync(joined, ct);
        db.AddRange(entries);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return opened;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RunJobs) return;
        var interval = TimeSpan.FromSeconds(Math.Max(1, options.Value.JobIntervalSeconds));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // A backlog (a burst of new alerts) is worked off at once, not one round per interval.
                while ((await RunOnceAsync(stoppingToken)).More) { }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (DatabaseBusy.Is(ex))
            {
                // SQLite's writer was held beyond the busy timeout (a long write elsewhere): the chunk in hand rolled back,
                // nothing is lost, and the next tick routes it.
                log.LogInformation("alert jobs: the database is busy; the round runs again at the next tick");
            }
            catch (Exception ex)
            {
                // A failed round changes nothing half-way (each alert is its own transaction); the next round retries.
                log.LogWarning(ex, "alert jobs round failed");
            }
            try
            {
                await wake.WaitAsync(interval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
