using MineGuard.Data;
using MineGuard.Platform.People;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Analysis;

/// <summary>
/// The daily vehicle scan (卡口车辆研判): once a day after <c>Vehicles:ScanHour</c> (China time, default 3) the last
/// <see cref="VehicleFindingsApi.DefaultDays"/> days of checkpoint passages are analysed as the system and the findings from
/// <see cref="VehicleFindingsApi.ClueScore"/> become clues routed like meter findings (<see cref="VehicleFindingsApi.RouteAsync"/>:
/// the township and the police; the same plate, township and cause once; an explained one never again). The police follow
/// key persons' vehicles, so the system's analysis counts those links. <c>Vehicles:RunJob</c> (default true) switches it off.
/// </summary>
public sealed class VehicleScanJob(IServiceScopeFactory scopes, IConfiguration config, TimeProvider clock, ILogger<VehicleScanJob> log) : BackgroundService
{
    /// <summary>Analyses the <see cref="VehicleFindingsApi.DefaultDays"/> days up to <paramref name="nowUtc"/> and routes the findings.</summary>
    public async Task<VehicleFindingsApi.VehicleCluesView> RunOnceAsync(DateTime nowUtc, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.CurrentUser.ActAsSystem("system:vehicles");
        var responsibility = scope.ServiceProvider.GetRequiredService<Responsibility>();
        var view = await VehicleFindingsApi.RouteAsync(db, responsibility, nowUtc.AddDays(-VehicleFindingsApi.DefaultDays), nowUtc, keyPersons: true, ct);
        await db.SaveChangesAsync(ct);
        return view;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!config.GetValue("Vehicles:RunJob", true)) return;
        await DailyAt.RunAsync(clock, Math.Clamp(config.GetValue("Vehicles:ScanHour", 3), 0, 23), async ct =>
        {
            var round = await RunOnceAsync(clock.GetUtcNow().UtcDateTime, ct);
            if (round.Opened > 0) log.LogInformation("Vehicle scan: {Opened} clues opened of {Findings} findings", round.Opened, round.Findings);
        }, log, "Vehicle scan: the daily analysis failed; tried again tomorrow", stoppingToken);
    }
}
