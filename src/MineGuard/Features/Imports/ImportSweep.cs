using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MineGuard.Data;
using MineGuard.Platform.Imports;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Imports;

/// <summary>
/// Takes back imports whose node stopped part-way: every <c>Imports:SweepIntervalSeconds</c> (60), an importing batch
/// whose last chunk committed more than <c>Imports:StaleAfterSeconds</c> (300) ago is undone by the same code a failed
/// import runs (<see cref="LedgerImport.TakeBackAsync"/>): its rows go, its session is pending again and can be confirmed
/// again. A batch whose rows someone changed meanwhile is refused by the kind's undo and left as it is, with a warning
/// each round, for a person to settle.
/// </summary>
public sealed class ImportSweep(IServiceScopeFactory scopes, IOptions<ImportOptions> options, TimeProvider clock, ILogger<ImportSweep> log)
    : BackgroundService
{
    /// <summary>One sweep; returns the batches taken back.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var staleBefore = clock.GetUtcNow().UtcDateTime.AddSeconds(-options.Value.StaleAfterSeconds);
        List<Guid> stale;
        using (var scope = scopes.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.CurrentUser.ActAsSystem("system:imports");
            stale = await db.Set<ImportBatch>().Beyond(ScopeExit.SystemJudgement).AsNoTracking()
                .Where(b => b.Status == ImportBatch.Importing && (b.HeartbeatUtc ?? b.StartedUtc) < staleBefore)
                .Select(b => b.Id).ToListAsync(ct);
        }
        var taken = 0;
        foreach (var id in stale)
        {
            using var scope = scopes.CreateScope();
            scope.ServiceProvider.GetRequiredService<AppDbContext>().CurrentUser.ActAsSystem("system:imports");
            try
            {
                if (!await scope.ServiceProvider.GetRequiredService<LedgerImport>().TakeBackAsync(id, staleBefore, ct)) continue;
                taken++;
                log.LogWarning("Import batch {BatchId} stopped part-way (no chunk for {Seconds} s): its rows were taken back and its session is pending again",
                    id, options.Value.StaleAfterSeconds);
            }
            catch (BusinessRuleException refused)
            {
                log.LogWarning("Import batch {BatchId} stopped part-way and cannot be taken back: {Reason}", id, refused.Message);
            }
        }
        return taken;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(Math.Max(1, options.Value.SweepIntervalSeconds));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (DatabaseBusy.Is(ex))
            {
                log.LogInformation("import sweep: the database is busy; the sweep runs again at the next tick");
            }
            catch (Exception ex)
            {
                log.LogWarning(ex, "import sweep failed");
            }
            try
            {
                await Task.Delay(interval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
