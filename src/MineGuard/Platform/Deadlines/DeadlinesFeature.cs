using MineGuard.Platform.Hosting;

namespace MineGuard.Platform.Deadlines;

/// <summary>The one clock's services: the job (hosted, and a singleton tests call), its options, the working calendar.</summary>
public sealed class DeadlinesFeature : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration config)
    {
        services.Configure<DeadlineOptions>(config.GetSection("Deadlines"));
        services.AddScoped<WorkingCalendar>();
        services.AddSingleton<DeadlineJob>();
        services.AddHostedService(sp => sp.GetRequiredService<DeadlineJob>());
    }

    public static void Map(IEndpointRouteBuilder app)
    {
    }
}
