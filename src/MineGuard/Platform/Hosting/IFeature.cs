namespace MineGuard.Platform.Hosting;

/// <summary>A feature folder's entry point: found by reflection at start-up, so adding a feature never touches Program.cs.</summary>
public interface IFeature
{
    static virtual void AddServices(IServiceCollection services, IConfiguration config) { }

    static abstract void Map(IEndpointRouteBuilder app);
}
