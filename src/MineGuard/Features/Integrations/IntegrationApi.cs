using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Hosting;

namespace MineGuard.Features.Integrations;

public sealed record IntegrationIdentity(string Name, string Scope);

/// <summary>What an integration calls first to check that its key works (the ingestion API comes with the alerts issue).</summary>
public sealed class IntegrationApi : IFeature
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/integration").RequireAuthorization(Policies.Integration).WithTags("integration");
        api.MapGet("/whoami", WhoAmI).WithSummary("检查接口密钥是否可用");
    }

    public static Ok<IntegrationIdentity> WhoAmI(ClaimsPrincipal user, CurrentUser me) =>
        TypedResults.Ok(new IntegrationIdentity(user.Identity!.Name!["apikey:".Length..], me.Scope.Code));
}
