namespace MineGuard.Platform.Time;

/// <summary>
/// The loop of a daily background job: sleeps until the next <c>hour</c> o'clock China time, runs the round, and on a
/// failure logs it and tries again the next day; returns when the host stops.
/// </summary>
public static class DailyAt
{
    public static async Task RunAsync(TimeProvider clock, int hour, Func<CancellationToken, Task> round, ILogger log, string failure, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var local = ChinaTime.ToLocal(clock.GetUtcNow().UtcDateTime);
            var next = local.Date.AddHours(hour);
            if (next <= local) next = next.AddDays(1);
            try
            {
                await Task.Delay(next - local, stoppingToken);
                await round(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
#pragma warning disable CA2254 // the failure text is the job's own constant
                log.LogError(e, failure);
#pragma warning restore CA2254
            }
        }
    }
}
