using Microsoft.AspNetCore.Http.HttpResults;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Hosting;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Supervision;

/// <summary>督导看板 over HTTP: <c>GET /api/dashboard?division=…&amp;from=…&amp;to=…</c>, every figure with its link.</summary>
public sealed class SupervisionApi : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration config) => services.AddScoped<SupervisionDashboard>();

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGroup("/api").RequireAuthorization(Policies.Staff).WithTags("supervision")
            .MapGet("/dashboard", Dashboard)
            .WithSummary("督导看板：某区划及其下级在期间内的各项指标（division 为区划代码，默认本级；from、to 为起止日期，默认本月），每个数字附其明细列表的链接");

    public static async Task<Results<Ok<DashboardView>, ValidationProblem>> Dashboard(
        string? division, string? from, string? to, SupervisionDashboard dashboard, CancellationToken ct)
    {
        var (view, errors) = await dashboard.ReadAsync(division, from, to, ct);
        return view is null ? errors.ToProblem() : TypedResults.Ok(view);
    }
}
