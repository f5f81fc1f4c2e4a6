using MineGuard.Platform.Hosting;

namespace MineGuard.Features.Dashboard;

public sealed class DashboardFeature : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration config) => services.AddScoped<HomeSections>();

    public static void Map(IEndpointRouteBuilder app) { }
}
