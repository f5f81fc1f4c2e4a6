using Microsoft.AspNetCore.Http.HttpResults;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Hosting;

namespace MineGuard.Features.Assignments;

/// <summary>
/// The old follow-up items' addresses (跟进事项, retired by migration 0019: every item became an assignment with the same
/// id in 0018). People's pages redirect (302: where to depends on who asks): office, leaders and administrators to the
/// assignments of their scope, everyone else to 我的待办; an item's id to that assignment. The API answers 410 Gone with a
/// Chinese ProblemDetails naming the new address instead of redirecting: the assignments' JSON and status codes differ
/// (done → completed/closed), so a client following a redirect would misread what it gets.
/// </summary>
public sealed class FollowUpsMoved : IFeature
{
    public const string Code = "FollowUpsMoved";

    public static void Map(IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/follow-ups").RequireAuthorization(Policies.Staff).ExcludeFromDescription();
        pages.MapGet("/", (string? status, CurrentUser me) => TypedResults.Redirect(ListFor(me, status)));
        pages.MapGet("/{id:guid}", (Guid id) => TypedResults.Redirect($"/assignments/{id}"));

        var api = app.MapGroup("/api/follow-ups").RequireAuthorization(Policies.Staff).WithTags("follow-ups");
        api.MapGet("/", () => Gone("/api/assignments")).WithSummary("（已停用）跟进事项列表，请改用督办事项");
        api.MapGet("/{id:guid}", (Guid id) => Gone($"/api/assignments/{id}")).WithSummary("（已停用）跟进事项详情，请改用督办事项");
        api.MapPost("/{id:guid}/close", (Guid id) => Gone($"/api/assignments/{id}")).WithSummary("（已停用）关闭跟进事项，请改用督办事项");
    }

    /// <summary>Where a person who opened the old list goes: the scope's assignments (the status carried over) or their own work.</summary>
    public static string ListFor(CurrentUser me, string? status) => !me.SeesAllDepartments ? "/my-work" : status switch
    {
        "done" => "/assignments?status=closed",
        "all" => "/assignments?status=all",
        _ => "/assignments",
    };

    public static ProblemHttpResult Gone(string movedTo) => TypedResults.Problem(
        title: "跟进事项接口已停用",
        detail: $"跟进事项已并入督办事项，事项编号不变；请改用 {movedTo}（办结改为 complete 报告完成、verify 验收销号）。",
        statusCode: StatusCodes.Status410Gone,
        extensions: new Dictionary<string, object?> { ["code"] = Code, ["movedTo"] = movedTo });
}
