using MineGuard.Platform.Jurisdiction;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Hosting;

namespace MineGuard.Features.FollowUps;

public sealed record FollowUpView(
    Guid Id, string DivisionCode, Guid? AditId, string? AditNumber, string SourceType, string SourceName, Guid? SourceId, string Title,
    string? Detail, Guid? AssigneeUserId, string? AssigneeName, DateOnly? DueOn, string Status, DateTime CreatedUtc, DateTime? ClosedUtc,
    string? Resolution, string? Link);

public sealed record FollowUpCloseInput(string? Resolution);

/// <summary>待办事项 in the user's scope: list by status and source, close with what was done.</summary>
public sealed class FollowUpsApi : IFeature
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/follow-ups").RequireAuthorization(Policies.Staff).WithTags("follow-ups");
        api.MapGet("/", List);
        api.MapGet("/{id:guid}", Get);
        api.MapPost("/{id:guid}/close", Close).RequireAuthorization(Policies.Writer);
    }

    public static async Task<Results<Ok<List<FollowUpView>>, ValidationProblem>> List(
        string? status, string? sourceType, bool? mine, AppDbContext db, CancellationToken ct)
    {
        var (items, errors) = await ListAsync(db, status, sourceType, mine == true, ct);
        return items is null ? errors.ToProblem() : TypedResults.Ok(items);
    }

    public static async Task<(List<FollowUpView>? Items, FieldErrors Errors)> ListAsync(
        AppDbContext db, string? status, string? sourceType, bool mine, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var query = db.Set<FollowUp>().AsNoTracking();
        switch (status)
        {
            case null or "" or "open": query = query.Where(f => f.Status == FollowUpStatus.Open); break;
            case "done": query = query.Where(f => f.Status == FollowUpStatus.Done); break;
            case "all": break;
            default: errors.Add("status", "状态只能是 open（待办）、done（已办结）或 all"); break;
        }
        if (sourceType is { Length: > 40 }) errors.Add("sourceType", "来源类型不能超过 40 个字符");
        if (!errors.Ok) return (null, errors);
        if (!string.IsNullOrEmpty(sourceType)) query = query.Where(f => f.SourceType == sourceType);
        if (mine)
        {
            var me = db.CurrentUser.Id;
            query = query.Where(f => f.AssigneeUserId == me);
        }
        var rows = await query.OrderBy(f => f.Status).ThenBy(f => f.DueOn).ThenByDescending(f => f.CreatedUtc).Take(500).ToListAsync(ct);
        return (await ViewsAsync(db, rows, ct), errors);
    }

    public static async Task<Results<Ok<FollowUpView>, NotFound>> Get(Guid id, AppDbContext db, CancellationToken ct)
    {
        var f = await db.Set<FollowUp>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        return f is null ? TypedResults.NotFound() : TypedResults.Ok((await ViewsAsync(db, [f], ct))[0]);
    }

    public static async Task<Results<Ok<FollowUpView>, NotFound, ValidationProblem>> Close(
        Guid id, FollowUpCloseInput input, AppDbContext db, CancellationToken ct)
    {
        var f = await db.Set<FollowUp>().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (f is null) return TypedResults.NotFound();
        var errors = await CloseAsync(db, f, input, ct);
        if (!errors.Ok) return errors.ToProblem();
        return TypedResults.Ok((await ViewsAsync(db, [f], ct))[0]);
    }

    public static async Task<FieldErrors> CloseAsync(AppDbContext db, FollowUp f, FollowUpCloseInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var resolution = input.Resolution?.Trim();
        if (string.IsNullOrEmpty(resolution)) errors.Add(nameof(input.Resolution), "请填写办理结果");
        else if (resolution.Length > 2000) errors.Add(nameof(input.Resolution), "办理结果不能超过 2000 个字符");
        if (!errors.Ok) return errors;
        f.Close(resolution!, db.CurrentUser.Id, db.Clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return errors;
    }

    public static string SourceName(string sourceType) => sourceType switch
    {
        "alert" => "监控预警", "patrol-finding" => "巡查发现", "tip" => "群众举报", _ => sourceType,
    };

    /// <summary>Where the thing that produced the item is shown, for the sources this app knows.</summary>
    public static string? Link(string sourceType, Guid? sourceId) => sourceId is not { } id ? null : sourceType switch
    {
        "alert" => $"/alerts/{id}", "patrol-finding" => $"/patrols/check-ins/{id}", "tip" => $"/tips/{id}", _ => null,
    };

    private static async Task<List<FollowUpView>> ViewsAsync(AppDbContext db, IReadOnlyList<FollowUp> rows, CancellationToken ct)
    {
        var aditIds = rows.Where(r => r.AditId is not null).Select(r => r.AditId!.Value).Distinct().ToList();
        var numbers = await db.Set<Adits.Adit>().Beyond(ScopeExit.LinkedLabel).Where(a => aditIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Number, ct);
        var userIds = rows.Where(r => r.AssigneeUserId is not null).Select(r => r.AssigneeUserId!.Value).Distinct().ToList();
        var names = await db.Users.Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        return rows.Select(f => new FollowUpView(f.Id, f.DivisionCode, f.AditId, f.AditId is { } a ? numbers.GetValueOrDefault(a) : null,
            f.SourceType, SourceName(f.SourceType), f.SourceId, f.Title, f.Detail, f.AssigneeUserId,
            f.AssigneeUserId is { } u ? names.GetValueOrDefault(u) : null, f.DueOn, f.Status == FollowUpStatus.Open ? "open" : "done",
            f.CreatedUtc, f.ClosedUtc, f.Resolution, Link(f.SourceType, f.SourceId))).ToList();
    }
}
