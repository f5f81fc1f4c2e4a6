using MineGuard.Platform.Hosting;

namespace MineGuard.Platform.Audit;

/// <summary>Audit checkpoints: the signer, the timer and the witness client (the trail itself lives in AppDbContext).</summary>
public sealed class AuditFeature : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton<AuditCheckpoints>();
        services.AddHostedService<AuditCheckpointTimer>();
        services.AddHttpClient(AuditCheckpoints.WitnessClient, c => c.Timeout = TimeSpan.FromSeconds(10));
    }

    public static void Map(IEndpointRouteBuilder app)
    {
    }
}
