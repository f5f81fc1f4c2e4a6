using Microsoft.Extensions.Diagnostics.HealthChecks;
using MineGuard.Data;

namespace MineGuard.Platform.Web;

/// <summary>/healthz answers healthy only when the database answers.</summary>
public sealed class DatabaseHealthCheck(AppDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        await db.Database.CanConnectAsync(ct) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("database unreachable");
}
