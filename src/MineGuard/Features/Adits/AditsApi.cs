using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Admin;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Files;
using MineGuard.Platform.Hosting;

namespace MineGuard.Features.Adits;

public sealed record SealingPartyInput(string? Party, string? Reason);

public sealed record WriteOffInput(string? Reason);

/// <summary>废弃矿硐台账 over HTTP: the list with filters, counts, one adit with its timeline, and the sealing lifecycle.</summary>
public sealed class AditsApi : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration config)
    {
        services.AddScoped<AditCommands>();
        services.AddScoped<AditQueries>();
        services.AddScoped<AditPhotoUploads>();
        services.AddSingleton<MineGuard.Platform.People.IResponsiblePlaces, AditResponsible>();
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api/adits").RequireAuthorization(Policies.Staff).WithTags("adits");
        read.MapGet("/", List).WithSummary("矿硐台账列表（可筛选）");
        read.MapGet("/counts", Counts).WithSummary("矿硐按封堵状态统计");
        read.MapGet("/{id:guid}", Get).WithSummary("矿硐详情");
        read.MapGet("/{id:guid}/photos/{photoId:guid}", Photo).WithSummary("矿硐照片");

        var write = app.MapGroup("/api/adits").RequireAuthorization(Policies.Writer).WithTags("adits");
        write.MapPost("/", Create).WithSummary("登记矿硐");
        write.MapPut("/{id:guid}", Update).WithSummary("修改矿硐信息");
        write.MapPut("/{id:guid}/sealing-party", SetSealingParty).WithSummary("设置封堵责任主体");
        write.MapPost("/{id:guid}/write-off", WriteOff).WithSummary("核销矿硐（移出台账）");
        write.MapPost("/{id:guid}/seal", Seal).WithSummary("记录封堵");
        write.MapPost("/{id:guid}/accept", Accept).WithSummary("封堵验收");
        write.MapPost("/{id:guid}/breach", Breach).WithSummary("记录封堵被破坏");
        // A form post: cookie callers send the anti-forgery token (header RequestVerificationToken).
        write.MapPost("/{id:guid}/photos", AddPhoto).WithSummary("上传矿硐照片");
    }

    public static async Task<Results<Ok<AditPage>, ValidationProblem>> List(
        [AsParameters] AditFilter filter, AditQueries queries, int? page, int? pageSize, string? sort, CancellationToken ct)
    {
        var errors = filter.Check();
        if (pageSize is < 1 or > 500) errors.Add("PageSize", "每页条数应在 1 到 500 之间");
        if (page is < 1) errors.Add("Page", "页码从 1 开始");
        if (sort is not null && !AditQueries.Sorts.Contains(sort)) errors.Add("Sort", $"排序只能是：{string.Join("、", AditQueries.Sorts)}");
        if (!errors.Ok) return errors.ToProblem();
        return TypedResults.Ok(await queries.ListAsync(filter, page ?? 1, pageSize ?? 50, sort, ct));
    }

    public static async Task<Results<Ok<CountsView>, ValidationProblem>> Counts([AsParameters] AditFilter filter, AditQueries queries, CancellationToken ct)
    {
        var errors = filter.Check();
        return errors.Ok ? TypedResults.Ok(await queries.CountsAsync(filter, ct)) : errors.ToProblem();
    }

    public static async Task<Results<Ok<AditDetail>, NotFound>> Get(Guid id, AditQueries queries, CancellationToken ct) =>
        await queries.DetailAsync(id, ct) is { } detail ? TypedResults.Ok(detail) : TypedResults.NotFound();

    public static async Task<Results<FileContentHttpResult, NotFound>> Photo(Guid id, Guid photoId, AppDbContext db, CancellationToken ct)
    {
        var photo = await db.AditPhotos().AsNoTracking().FirstOrDefaultAsync(p => p.Id == photoId && p.AditId == id, ct);
        if (photo is null) return TypedResults.NotFound();
        var file = await db.Set<StoredFile>().AsNoTracking().FirstAsync(f => f.Id == photo.FileId, ct);
        return TypedResults.File(file.Content, file.ContentType);
    }

    public static async Task<Results<Created<AditDetail>, ValidationProblem>> Create(AditInput input, AditCommands commands, AditQueries queries, CancellationToken ct)
    {
        var (adit, errors) = await commands.RegisterAsync(input, ct);
        if (adit is null) return errors.ToProblem();
        return TypedResults.Created($"/api/adits/{adit.Id}", (await queries.DetailAsync(adit.Id, ct))!);
    }

    public static async Task<Results<Ok<AditDetail>, NotFound, ValidationProblem>> Update(
        Guid id, AditInput input, AditCommands commands, AditQueries queries, AppDbContext db, CancellationToken ct)
    {
        var adit = await db.Adits().FirstOrDefaultAsync(a => a.Id == id, ct);
        if (adit is null) return TypedResults.NotFound();
        var errors = await commands.UpdateAsync(adit, input, ct);
        if (!errors.Ok) return errors.ToProblem();
        return TypedResults.Ok((await queries.DetailAsync(id, ct))!);
    }

    public static async Task<Results<Ok<AditDetail>, NotFound>> SetSealingParty(
        Guid id, SealingPartyInput input, AppDbContext db, AditQueries queries, CancellationToken ct)
    {
        var adit = await db.Adits().FirstOrDefaultAsync(a => a.Id == id, ct);
        if (adit is null) return TypedResults.NotFound();
        adit.OverrideSealingParty(input.Party, input.Reason);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok((await queries.DetailAsync(id, ct))!);
    }

    /// <summary>销号; a refused rule (not accepted yet, no reason) is a 409 with its code.</summary>
    public static async Task<Results<Ok<AditDetail>, NotFound>> WriteOff(
        Guid id, WriteOffInput input, AppDbContext db, AditQueries queries, CancellationToken ct)
    {
        var adit = await db.Adits().FirstOrDefaultAsync(a => a.Id == id, ct);
        if (adit is null) return TypedResults.NotFound();
        adit.WriteOff(input.Reason, db.Clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok((await queries.DetailAsync(id, ct))!);
    }

    public static Task<Results<Created<EventView>, NotFound, ValidationProblem>> Seal(Guid id, SealInput input, AditCommands commands, AditQueries queries, AppDbContext db, CancellationToken ct) =>
        Act(id, db, queries, ct, adit => commands.SealAsync(adit, input, ct));

    public static Task<Results<Created<EventView>, NotFound, ValidationProblem>> Accept(Guid id, AcceptInput input, AditCommands commands, AditQueries queries, AppDbContext db, CancellationToken ct) =>
        Act(id, db, queries, ct, adit => commands.AcceptAsync(adit, input, ct));

    public static Task<Results<Created<EventView>, NotFound, ValidationProblem>> Breach(Guid id, BreachInput input, AditCommands commands, AditQueries queries, AppDbContext db, CancellationToken ct) =>
        Act(id, db, queries, ct, adit => commands.BreachAsync(adit, input, ct));

    /// <summary>Load → not found → act → answer with the new timeline entry; a refused rule becomes a 409.</summary>
    private static async Task<Results<Created<EventView>, NotFound, ValidationProblem>> Act(
        Guid id, AppDbContext db, AditQueries queries, CancellationToken ct, Func<Adit, Task<(SealingEvent? Event, FieldErrors Errors)>> action)
    {
        var adit = await db.Adits().FirstOrDefaultAsync(a => a.Id == id, ct);
        if (adit is null) return TypedResults.NotFound();
        var (e, errors) = await action(adit);
        if (e is null) return errors.ToProblem();
        var detail = (await queries.DetailAsync(id, ct))!;
        return TypedResults.Created($"/api/adits/{id}", detail.Timeline.Single(t => t.Id == e.Id));
    }

    public static async Task<Results<Created<PhotoView>, NotFound, ValidationProblem>> AddPhoto(
        Guid id, IFormFile? file, [FromForm] Guid? sealingEventId, [FromForm] string? caption, AditPhotoUploads uploads, AppDbContext db, CancellationToken ct)
    {
        var adit = await db.Adits().Include(a => a.Events).FirstOrDefaultAsync(a => a.Id == id, ct);
        if (adit is null) return TypedResults.NotFound();
        var (photo, errors) = await uploads.AddAsync(adit, file, sealingEventId, caption, ct);
        if (photo is null) return errors.ToProblem();
        return TypedResults.Created($"/api/adits/{id}/photos/{photo.Id}", new PhotoView(
            photo.Id, photo.SealingEventId, photo.Caption, photo.TakenUtc, photo.TakenLon, photo.TakenLat, photo.UploadedUtc, $"/api/adits/{id}/photos/{photo.Id}"));
    }
}
