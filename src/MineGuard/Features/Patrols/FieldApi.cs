using MineGuard.Platform.Files;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Hosting;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Patrols;

public sealed record FieldAdit(Guid Id, string Number, string? Name, double Lat, double Lon, string State, string StateText,
    string? Township, DateTime? LastVerifiedUtc, Guid? PhotoId);

public sealed record FieldPlanItem(Guid AditId, int Rank, string Reason);

public sealed record FieldPlan(Guid Id, bool IsCross, DateOnly PeriodStart, DateOnly PeriodEnd, IReadOnlyList<FieldPlanItem> Items);

public sealed record FieldTeam(Guid Id, string Name, string Kind, IReadOnlyList<FieldPlan> Plans);

/// <summary>
/// One of the eight checks as the app asks it (answer format 2): "is this problem there? 有/无", true = 有 = a problem;
/// <paramref name="AppliesTo"/> lists the adit states it is asked for (null: all).
/// </summary>
public sealed record FieldQuestion(string Key, string Question, IReadOnlyList<string>? AppliesTo);

public sealed record FieldRules(double MaxDistanceMetres, double MaxAccuracyMetres, bool RequirePhoto);

/// <summary>Everything the phone needs to work with no signal: teams, plans, adits, the county outline's code, the rules.</summary>
public sealed record FieldBundle(string User, string DisplayName, string CountyCode, IReadOnlyList<FieldTeam> Teams,
    IReadOnlyList<FieldAdit> Adits, IReadOnlyList<FieldQuestion> Questions, FieldRules Rules, DateTime GeneratedUtc,
    int AnswerFormat = CheckList.CurrentFormat);

/// <summary>What the server did with each chunk of a batch.</summary>
public sealed record TrackBatchResult(IReadOnlyList<SyncResult> Chunks);

/// <summary>A check-in's verdict as the app shows it; <paramref name="Pending"/>: what arrived of its patrol is still to be
/// judged (<see cref="PatrolJudgeJob"/>, seconds after the phone's last request), the verdict shown is the last one.</summary>
public sealed record CheckInState(Guid Id, bool Verified, IReadOnlyList<string> Reasons, IReadOnlyList<string> Flags, double DistanceMetres,
    bool Pending = false);

/// <summary>
/// The field app's API (/api/field). Writes are PUTs to the record's own (phone-made) id: 201 when stored, 200 when it was
/// already there, 409 when the same id comes with different content. Every write carries the phone's clock in
/// <c>X-Device-Time</c> (Unix milliseconds), so clock tampering is visible.
/// </summary>
public sealed class FieldApi : IFeature
{
    public const string DeviceTimeHeader = "X-Device-Time";

    public static void AddServices(IServiceCollection services, IConfiguration config)
    {
        services.AddScoped<FieldSync>();
        services.AddScoped<PatrolEvaluator>();
        services.AddSingleton<TrackMemo>();
        services.Configure<JudgeOptions>(config.GetSection("PatrolJudgements"));
        services.AddSingleton<PatrolJudgeJob>();
        services.AddHostedService(sp => sp.GetRequiredService<PatrolJudgeJob>());
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api/field").RequireAuthorization(Policies.Staff).WithTags("field").AddEndpointFilter(FieldDevice.RecordClock);
        read.MapGet("/bundle", Bundle).WithSummary("外勤应用离线数据包（计划、矿硐、规则）");
        read.MapGet("/check-ins", States).WithSummary("我已上传的打卡的处理状态");

        var write = app.MapGroup("/api/field").RequireAuthorization(Policies.Writer).WithTags("field").AddEndpointFilter(FieldDevice.RecordClock);
        write.MapPut("/patrols/{id:guid}", PutPatrol).WithSummary("上传一次巡查（离线生成编号）");
        write.MapPut("/patrols/{id:guid}/track/{chunkId:guid}", PutTrack).WithSummary("上传一段巡查轨迹");
        write.MapPost("/patrols/{id:guid}/track", PostTracks).WithSummary("批量上传巡查轨迹（自上次发送以来的各段，每段自带编号）");
        write.MapPut("/check-ins/{id:guid}", PutCheckIn).WithSummary("上传一次矿硐打卡（八查）");
        write.MapPut("/photos/{id:guid}", PutPhoto).DisableAntiforgery().WithSummary("上传打卡照片");
        write.MapPost("/sync", PostBatch).DisableAntiforgery().WithMetadata(new RequestSizeLimitAttribute(FieldBatch.MaxBytes))
            .WithSummary("批量上传离线记录（签到、照片、轨迹，一个请求一个事务）")
            .WithDescription("multipart/form-data：先是名为 batch 的 JSON 部分（checkIns、tracks、photos，各带手机生成的编号），"
                + "再是各张照片的内容，每部分以照片编号为名。全部存下（或已存在）时 200，逐条给出 created/duplicate；"
                + "有一条不属于本人（404）、内容与已存的不同（409）或格式不对（400，指明是哪一条）时整批不存，APP 再逐条发送。");
    }

    public static async Task<Ok<FieldBundle>> Bundle(AppDbContext db, CancellationToken ct)
    {
        var me = db.CurrentUser.Id!.Value;
        var today = DateOnly.FromDateTime(ChinaTime.ToLocal(db.Clock.GetUtcNow().UtcDateTime));
        var teams = await db.PatrolTeams().Beyond(ScopeExit.AssignedToCaller).AsNoTracking().Include(t => t.Areas)
            .Where(t => t.Members.Any(m => m.UserId == me)).OrderBy(t => t.Name).ToListAsync(ct);
        var teamIds = teams.Select(t => t.Id).ToList();
        var plans = await db.PatrolPlans().Beyond(ScopeExit.AssignedToCaller).AsNoTracking().Include(p => p.Items)
            .Where(p => teamIds.Contains(p.TeamId) && p.PeriodEnd >= today).OrderBy(p => p.PeriodStart).ToListAsync(ct);

        // The adits of the teams' areas (the scope filter keeps them inside the member's own jurisdiction too) and of
        // the current plans (a cross plan names adits elsewhere).
        var areas = teams.SelectMany(t => t.Areas.Select(a => a.AreaCode)).Distinct().ToList();
        var planned = plans.SelectMany(p => p.Items.Select(i => i.AditId)).Distinct().ToList();
        var inArea = areas.Count == 0 ? [] : await db.Adits().AsNoTracking().Where(a => a.Status == AditStatus.Active)
            .Where(AreaPredicate(areas)).Select(a => a.Id).ToListAsync(ct);
        var ids = inArea.Concat(planned).Distinct().ToList();
        var adits = await AditViewsAsync(db, ids, ct);
        var county = db.CurrentUser.Scope.Code.Length >= 6 ? db.CurrentUser.Scope.Code[..6] : db.CurrentUser.Scope.Code;
        var rules = await db.PatrolRulesAsync(db.CurrentUser.Scope.Code, ct);
        return TypedResults.Ok(new FieldBundle(db.CurrentUser.Name, db.CurrentUser.DisplayName, county,
            teams.Select(t => new FieldTeam(t.Id, t.Name, PatrolText.Kind(t.Kind), plans.Where(p => p.TeamId == t.Id)
                .Select(p => new FieldPlan(p.Id, p.IsCross, p.PeriodStart, p.PeriodEnd,
                    p.Items.OrderBy(i => i.Rank).Select(i => new FieldPlanItem(i.AditId, i.Rank, i.Reason)).ToList())).ToList())).ToList(),
            adits, CheckList.Questions.Select(q => new FieldQuestion(q.Key, q.Problem, q.AppliesTo?.Select(s => s.ToString()).ToList())).ToList(),
            new FieldRules(rules.MaxDistanceMetres, rules.MaxAccuracyMetres, rules.RequirePhoto), db.Clock.GetUtcNow().UtcDateTime));
    }

    /// <summary>adit.DivisionCode starts with one of the area codes, as an expression EF translates.</summary>
    public static System.Linq.Expressions.Expression<Func<Adit, bool>> AreaPredicate(IReadOnlyList<string> areas)
    {
        var a = System.Linq.Expressions.Expression.Parameter(typeof(Adit), "a");
        System.Linq.Expressions.Expression? body = null;
        foreach (var code in areas)
        {
            System.Linq.Expressions.Expression<Func<Adit, bool>> one = x =>
                string.Compare(x.DivisionCode, code) >= 0 && string.Compare(x.DivisionCode, code + "~") < 0;
            var replaced = new ParameterSwap(one.Parameters[0], a).Visit(one.Body);
            body = body is null ? replaced : System.Linq.Expressions.Expression.OrElse(body, replaced);
        }

        return System.Linq.Expressions.Expression.Lambda<Func<Adit, bool>>(body ?? System.Linq.Expressions.Expression.Constant(false), a);
    }

    private sealed class ParameterSwap(System.Linq.Expressions.ParameterExpression from, System.Linq.Expressions.ParameterExpression to)
        : System.Linq.Expressions.ExpressionVisitor
    {
        protected override System.Linq.Expressions.Expression VisitParameter(System.Linq.Expressions.ParameterExpression node) =>
            node == from ? to : base.VisitParameter(node);
    }

    private static async Task<List<FieldAdit>> AditViewsAsync(AppDbContext db, List<Guid> ids, CancellationToken ct)
    {
        var rows = await db.Adits().Beyond(ScopeExit.AssignedToCaller).AsNoTracking().Where(a => ids.Contains(a.Id))
            .Select(a => new { a.Id, a.Number, a.Name, a.Lat, a.Lon, a.State, a.TownshipCode }).ToListAsync(ct);
        var townships = rows.Select(r => r.TownshipCode).Distinct().ToList();
        var names = await db.DivisionNamesAsync(townships, ct);
        var last = await db.CheckIns().Beyond(ScopeExit.AssignedToCaller).AsNoTracking()
            .Where(c => ids.Contains(c.AditId)).Where(CheckIn.Proven)
            .GroupBy(c => c.AditId).Select(g => new { g.Key, Last = g.Max(c => c.AtUtc) }).ToDictionaryAsync(x => x.Key, x => x.Last, ct);
        // The latest photo of each (PostgreSQL has no max() over uuid, so pick in memory from the narrow rows).
        var photos = (await db.AditPhotos().Beyond(ScopeExit.AssignedToCaller).AsNoTracking().Where(p => ids.Contains(p.AditId))
                .Select(p => new { p.AditId, p.Id, p.UploadedUtc }).ToListAsync(ct))
            .GroupBy(p => p.AditId).ToDictionary(g => g.Key, g => g.MaxBy(p => p.UploadedUtc)!.Id);
        return rows.OrderBy(r => r.Number).Select(r => new FieldAdit(r.Id, r.Number, r.Name, r.Lat, r.Lon, r.State.ToString(),
            AditNames.States[r.State], names.GetValueOrDefault(r.TownshipCode), last.TryGetValue(r.Id, out var l) ? l : null,
            photos.TryGetValue(r.Id, out var p) ? p : null)).ToList();
    }

    /// <summary>The verification of the member's own check-ins (the app shows it once they are sent).</summary>
    public static async Task<Results<Ok<List<CheckInState>>, ValidationProblem>> States(string? ids, AppDbContext db, CancellationToken ct)
    {
        var parsed = (ids ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => Guid.TryParse(s, out var g) ? g : (Guid?)null).ToList();
        if (parsed.Count == 0 || parsed.Count > 200 || parsed.Any(g => g is null))
        {
            var errors = new FieldErrors();
            errors.Add("Ids", "请提供 1 到 200 个签到编号，以逗号分隔");
            return errors.ToProblem();
        }

        var me = db.CurrentUser.Id!.Value;
        var wanted = parsed.Select(g => g!.Value).ToList();
        var rows = await db.Own<CheckIn>(me).AsNoTracking().Where(c => wanted.Contains(c.Id) && c.UserId == me).ToListAsync(ct);
        var patrolIds = rows.Select(c => c.PatrolId).Distinct().ToList();
        var marked = await db.Set<PatrolJudgement>().Beyond(ScopeExit.SystemJudgement).AsNoTracking().Where(j => patrolIds.Contains(j.PatrolId))
            .Select(j => j.PatrolId).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(c => new CheckInState(c.Id, c.Verified, Lines(c.Reasons), Lines(c.Flags), c.DistanceMetres,
            c.EvaluatedUtc is null || marked.Contains(c.PatrolId))).ToList());
    }

    public static IReadOnlyList<string> Lines(string? text) => text?.Split('\n') ?? [];

    public static async Task<Results<Created<SyncResult>, Ok<SyncResult>, NotFound, ValidationProblem>> PutPatrol(
        Guid id, PatrolInput input, HttpContext http, FieldSync sync, AppDbContext db, CancellationToken ct)
    {
        var errors = FieldSync.Check(input);
        var skew = DeviceSkew(http, db, errors);
        if (!errors.Ok) return errors.ToProblem();
        return Answer(id, await sync.PutPatrolAsync(id, input, skew, ct, FieldDevice.Id(http)));
    }

    public static async Task<Results<Created<SyncResult>, Ok<SyncResult>, NotFound, ValidationProblem>> PutTrack(
        Guid id, Guid chunkId, TrackInput input, HttpContext http, FieldSync sync, AppDbContext db, CancellationToken ct)
    {
        var errors = FieldSync.Check(input);
        DeviceSkew(http, db, errors);
        if (!errors.Ok) return errors.ToProblem();
        return Answer(chunkId, await sync.PutTrackAsync(id, chunkId, input.Seq!.Value, FieldSync.Points(input.Points!), ct, FieldSync.Pauses(input.Pauses)));
    }

    /// <summary>
    /// The chunks gathered since the app's last send, each with its own id: 200 with each chunk's status (created or
    /// duplicate); 409 when one of them was stored before with other content (then none is stored).
    /// </summary>
    public static async Task<Results<Ok<TrackBatchResult>, NotFound, ValidationProblem>> PostTracks(
        Guid id, TrackBatchInput input, HttpContext http, FieldSync sync, AppDbContext db, CancellationToken ct)
    {
        var errors = FieldSync.Check(input);
        DeviceSkew(http, db, errors);
        if (!errors.Ok) return errors.ToProblem();
        var (outcome, chunks) = await sync.PutTracksAsync(id, FieldSync.Pieces(input), ct);
        return outcome == SyncOutcome.NotFound ? TypedResults.NotFound() : TypedResults.Ok(new TrackBatchResult(chunks));
    }

    public static async Task<Results<Created<SyncResult>, Ok<SyncResult>, NotFound, ValidationProblem>> PutCheckIn(
        Guid id, CheckInInput input, HttpContext http, FieldSync sync, AppDbContext db, CancellationToken ct)
    {
        var errors = FieldSync.Check(input);
        var skew = DeviceSkew(http, db, errors);
        if (!errors.Ok) return errors.ToProblem();
        var (outcome, checkIn) = await sync.PutCheckInAsync(id, input, skew, ct);
        if (checkIn is null) return TypedResults.NotFound();
        var result = FieldSync.CheckInResult(id, outcome, checkIn);
        return outcome == SyncOutcome.Created ? TypedResults.Created($"/api/field/check-ins/{id}", result) : TypedResults.Ok(result);
    }

    /// <summary>
    /// Several records of the app's queue in one request (<see cref="FieldBatch"/>): a check-in, its photos and the track
    /// before it. A cross-site form cannot send it: the request needs the <c>X-Device-Time</c> header.
    /// </summary>
    public static async Task<Results<Ok<FieldBatchResult>, NotFound, ValidationProblem>> PostBatch(
        HttpContext http, FieldSync sync, AppDbContext db, Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
        CancellationToken ct)
    {
        var errors = new FieldErrors();
        var skew = DeviceSkew(http, db, errors);
        if (!errors.Ok) return errors.ToProblem();
        var (batch, found) = await FieldBatch.ReadAsync(http.Request, json.Value.SerializerOptions, ct);
        if (batch is null) return found.ToProblem();
        var (outcome, records) = await sync.PutBatchAsync(batch, skew, ct);
        return outcome == SyncOutcome.NotFound ? TypedResults.NotFound() : TypedResults.Ok(new FieldBatchResult(records));
    }

    /// <summary>The photo's bytes as the body (image/jpeg or image/png); which check-in and when in the query.</summary>
    public static async Task<Results<Created<SyncResult>, Ok<SyncResult>, NotFound, ValidationProblem>> PutPhoto(
        Guid id, [FromQuery] Guid? checkInId, [FromQuery] long? takenAt, HttpContext http, FieldSync sync, AppDbContext db, CancellationToken ct)
    {
        var tooLong = http.Request.ContentLength is > FieldSync.MaxPhotoBytes;
        byte[] bytes = tooLong ? [] : await UploadBytes.ReadAsync(http.Request, ct);
        var signature = http.Request.Headers[CaptureSignature.Header].ToString() is { Length: > 0 } sent ? sent : null;
        var errors = FieldSync.CheckPhoto(checkInId, takenAt, signature, bytes, out var type, http.Request.ContentLength);
        DeviceSkew(http, db, errors);
        if (!errors.Ok) return errors.ToProblem();
        var taken = DateTimeOffset.FromUnixTimeMilliseconds(takenAt!.Value).UtcDateTime;
        return Answer(id, await sync.PutPhotoAsync(id, checkInId!.Value, taken, bytes, type!, ct, signature));
    }

    /// <summary>Device clock minus server clock, in seconds, from the request's <c>X-Device-Time</c>.</summary>
    private static double DeviceSkew(HttpContext http, AppDbContext db, FieldErrors errors)
    {
        if (FieldDevice.Time(http) is null)
        {
            errors.Add("DeviceTime", $"缺少请求头 {DeviceTimeHeader}（手机当前时间，Unix 毫秒）");
            return 0;
        }

        if (FieldDevice.Skew(http, db.Clock.GetUtcNow()) is { } skew) return skew;
        errors.Add("DeviceTime", $"请求头 {DeviceTimeHeader} 不是有效的时间（应为 2000 至 2100 年间的 Unix 毫秒时间戳）");
        return 0;
    }

    private static Results<Created<SyncResult>, Ok<SyncResult>, NotFound, ValidationProblem> Answer(Guid id, SyncOutcome outcome) =>
        outcome switch
        {
            SyncOutcome.Created => TypedResults.Created((string?)null, new SyncResult(id, "created")),
            SyncOutcome.Duplicate => TypedResults.Ok(new SyncResult(id, "duplicate")),
            _ => TypedResults.NotFound(),
        };
}

public static class PatrolText
{
    public static string Kind(PatrolTeamKind kind) => kind switch
    {
        PatrolTeamKind.CityJoint => "市联合巡查队",
        PatrolTeamKind.Township => "乡镇日常巡查队",
        _ => "林场巡查队",
    };
}
