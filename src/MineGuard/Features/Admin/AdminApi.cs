using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Hosting;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Admin;

public sealed record UserView(
    Guid Id, string UserName, string DisplayName, string DivisionCode, string DepartmentCode, string[] Roles,
    string? PhoneNumber, bool Disabled, bool IsDemo);


public sealed record ApiKeyView(Guid Id, string Name, string Prefix, string DivisionCode, DateTime CreatedUtc, DateTime? LastUsedUtc, bool Active);

public sealed record CreatedApiKey(ApiKeyView Key, string PlainKey, string Notice);

/// <summary>Administration over HTTP: the same commands as the admin pages, for scripts and integrations set-up.</summary>
public sealed class AdminApi : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration config) => services.AddScoped<AdminCommands>();

    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/admin").RequireAuthorization(Policies.Admin).WithTags("admin");
        api.MapGet("/users", ListUsers).WithSummary("用户列表");
        api.MapGet("/users/{id:guid}", GetUser).WithSummary("用户详情");
        api.MapPost("/users", CreateUser).WithSummary("新建用户");
        api.MapPut("/users/{id:guid}", UpdateUser).WithSummary("修改用户（角色、管辖范围、停用）");
        api.MapPost("/divisions", AddDivision).WithSummary("新增行政区划（村、网格）");
        api.MapGet("/api-keys", ListApiKeys).WithSummary("接口密钥列表");
        api.MapPost("/api-keys", CreateApiKey).WithSummary("创建接口密钥（只显示一次）");
        api.MapDelete("/api-keys/{id:guid}", RevokeApiKey).WithSummary("吊销接口密钥");
    }

    public static async Task<Ok<List<UserView>>> ListUsers(AdminCommands admin, AppDbContext db, CancellationToken ct)
    {
        var list = await admin.UsersInScope().OrderBy(u => u.DivisionCode).ThenBy(u => u.UserName).ToListAsync(ct);
        return TypedResults.Ok(await ViewsAsync(db, list, ct));
    }

    public static async Task<Results<Ok<UserView>, NotFound>> GetUser(Guid id, AdminCommands admin, AppDbContext db, CancellationToken ct)
    {
        var user = await admin.UsersInScope().FirstOrDefaultAsync(u => u.Id == id, ct);
        return user is null ? TypedResults.NotFound() : TypedResults.Ok((await ViewsAsync(db, [user], ct))[0]);
    }

    public static async Task<Results<Created<UserView>, ValidationProblem>> CreateUser(
        UserInput input, AdminCommands admin, AppDbContext db, CancellationToken ct)
    {
        var (user, errors) = await admin.CreateUserAsync(input, ct);
        if (user is null) return errors.ToProblem();
        return TypedResults.Created($"/api/admin/users/{user.Id}", (await ViewsAsync(db, [user], ct))[0]);
    }

    public static async Task<Results<Ok<UserView>, NotFound, ValidationProblem>> UpdateUser(
        Guid id, UserUpdate input, AdminCommands admin, AppDbContext db, CancellationToken ct)
    {
        var user = await admin.UsersInScope().FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null) return TypedResults.NotFound();
        var errors = await admin.UpdateUserAsync(user, input, ct);
        if (!errors.Ok) return errors.ToProblem();
        return TypedResults.Ok((await ViewsAsync(db, [user], ct))[0]);
    }

    public static async Task<Results<Created<DivisionView>, ValidationProblem>> AddDivision(
        DivisionInput input, AdminCommands admin, CancellationToken ct)
    {
        var (division, errors) = await admin.AddDivisionAsync(input, ct);
        if (division is null) return errors.ToProblem();
        return TypedResults.Created($"/api/divisions/{division.Code}", View(division));
    }

    public static async Task<Ok<List<ApiKeyView>>> ListApiKeys(AppDbContext db, CancellationToken ct) =>
        TypedResults.Ok((await db.ApiKeys.OrderByDescending(k => k.CreatedUtc).ToListAsync(ct)).Select(View).ToList());

    public static async Task<Results<Created<CreatedApiKey>, ValidationProblem>> CreateApiKey(
        ApiKeyInput input, AdminCommands admin, CancellationToken ct)
    {
        var (plain, key, errors) = await admin.CreateApiKeyAsync(input, ct);
        if (key is null) return errors.ToProblem();
        return TypedResults.Created($"/api/admin/api-keys/{key.Id}",
            new CreatedApiKey(View(key), plain!, "密钥只显示这一次，请立即保存；系统只保存其哈希值。"));
    }

    public static async Task<Results<NoContent, NotFound>> RevokeApiKey(Guid id, AppDbContext db, CancellationToken ct)
    {
        // Keys outside the admin's scope are filtered out, so they are simply not found.
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, ct);
        if (key is null) return TypedResults.NotFound();
        key.Revoke(db.Clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    public static DivisionView View(Division d) => DivisionView.Of(d);

    public static ApiKeyView View(ApiKey k) => new(k.Id, k.Name, k.Prefix, k.DivisionCode, k.CreatedUtc, k.LastUsedUtc, k.IsActive);

    public static async Task<List<UserView>> ViewsAsync(AppDbContext db, List<AppUser> users, CancellationToken ct)
    {
        var ids = users.Select(u => u.Id).ToList();
        var roles = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where ids.Contains(ur.UserId)
                           select new { ur.UserId, r.Name }).ToListAsync(ct);
        return users.Select(u => new UserView(
            u.Id, u.UserName!, u.DisplayName, u.DivisionCode, u.DepartmentCode,
            roles.Where(r => r.UserId == u.Id).Select(r => r.Name!).Order().ToArray(),
            u.PhoneNumber, u.IsDisabled, u.IsDemo)).ToList();
    }
}
