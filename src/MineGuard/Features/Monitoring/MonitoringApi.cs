using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Excel;
using MineGuard.Platform.Hosting;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Time;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Monitoring;

/// <summary>
/// 技防预警 over HTTP: the ingestion endpoint for integrations (API key), devices and rules for the office, alerts for
/// everyone in scope (acknowledge and close for writers).
/// </summary>
public sealed class MonitoringApi : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration config)
    {
        services.Configure<MonitoringOptions>(config.GetSection("Monitoring"));
        services.AddScoped<AlertDesk>();
        services.AddScoped<AlertRouting>();
        services.AddScoped<FindingAlerts>();
        services.AddScoped<Platform.Deadlines.IEscalation, AlertEscalation>();
        services.AddScoped<AlertCommands>();
        services.AddScoped<DeviceCommands>();
        services.AddSingleton<MineGuard.Platform.People.IResponsiblePlaces, DeviceResponsible>();
        services.AddScoped<EventIngestion>();
        services.AddSingleton<EFenceIndex>();
        services.AddSingleton<AlertJobs>();
        services.AddHostedService(sp => sp.GetRequiredService<AlertJobs>());
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        var ingest = app.MapGroup("/api/ingest").RequireAuthorization(Policies.Integration).WithTags("ingest");
        ingest.MapPost("/events", Ingest).WithSummary("推送一批监控事件").AddOpenApiOperationTransformer(IngestDocument.Describe);
        ingest.MapGet("/openapi.json", OpenApi).WithSummary("接口说明文档（旧地址，凭密钥）");
        app.MapGet("/api/monitoring/openapi.json", OpenApi).RequireAuthorization(Policies.Staff).WithTags("monitoring").WithSummary("接口说明文档（旧地址，工作人员）");

        var devices = app.MapGroup("/api/devices").RequireAuthorization(Policies.Staff).WithTags("monitoring");
        devices.MapGet("/", ListDevices).WithSummary("设备台账列表（q 为关键字，p 为页码，每页 2000 台）");
        devices.MapExport("/export.xlsx", ExportDevices, "导出设备台账");
        devices.MapGet("/{id:guid}", GetDevice).WithSummary("设备详情");
        devices.MapPost("/", RegisterDevice).RequireAuthorization(Policies.Office).WithSummary("登记设备");
        devices.MapPut("/{id:guid}", UpdateDevice).RequireAuthorization(Policies.Office).WithSummary("修改设备");
        devices.MapPost("/{id:guid}/retire", RetireDevice).RequireAuthorization(Policies.Office).WithSummary("停用设备");
        devices.MapPost("/{id:guid}/reinstate", ReinstateDevice).RequireAuthorization(Policies.Office).WithSummary("恢复使用设备");

        var rules = app.MapGroup("/api/alert-rules").RequireAuthorization(Policies.Staff).WithTags("monitoring");
        rules.MapGet("/", ListRules).WithSummary("预警规则列表");
        rules.MapPost("/", CreateRule).RequireAuthorization(Policies.Office).WithSummary("新建预警规则");
        rules.MapPut("/{id:guid}", UpdateRule).RequireAuthorization(Policies.Office).WithSummary("修改预警规则");
        rules.MapDelete("/{id:guid}", DeleteRule).RequireAuthorization(Policies.Office).WithSummary("删除预警规则");

        var alerts = app.MapGroup("/api/alerts").RequireAuthorization(Policies.Staff).WithTags("monitoring");
        alerts.MapGet("/", ListAlerts).WithSummary("预警列表（take 为每页条数，p 为页码，q 为关键字）");
        alerts.MapExport("/export.xlsx", ExportAlerts, "导出预警列表");
        alerts.MapGet("/overdue-count", OverdueCount).WithSummary("逾期未处置的预警数");
        alerts.MapGet("/{id:guid}", GetAlert).WithSummary("预警详情");
        alerts.MapPost("/{id:guid}/acknowledge", Acknowledge).RequireAuthorization(Policies.Writer).WithSummary("签收预警");
        alerts.MapPost("/{id:guid}/close", Close).RequireAuthorization(Policies.Writer).WithSummary("核实并关闭预警");
    }

    public static async Task<Results<Ok<IngestResult>, ValidationProblem>> Ingest(
        IngestRequest? request, ClaimsPrincipal user, EventIngestion ingestion, CancellationToken ct)
    {
        if (request?.Events is not { Count: > 0 } events)
            return new FieldErrors { ["events"] = ["请在 events 中提交至少一个事件"] }.ToProblem();
        if (events.Count > EventIngestion.MaxBatch)
            return new FieldErrors { ["events"] = [$"一批最多 {EventIngestion.MaxBatch} 个事件，请分批提交"] }.ToProblem();
        var keyId = Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!);
        return TypedResults.Ok(await ingestion.IngestAsync(keyId, events, ct));
    }

    /// <summary>The old addresses of the ingest description answer with the one generated document (integrators keep them).</summary>
    public static async Task<ContentHttpResult> OpenApi(IServiceProvider services, CancellationToken ct) =>
        TypedResults.Text(await ApiDocument.JsonAsync(services, ct), "application/json", System.Text.Encoding.UTF8);

    public static async Task<Results<Ok<List<DeviceView>>, ValidationProblem>> ListDevices(string? kind, AppDbContext db, DeviceCommands devices, CancellationToken ct,
        string? q = null, int? p = null)
    {
        var (query, errors) = FilterDevices(db, kind, q);
        if (query is null) return errors.ToProblem();
        return TypedResults.Ok((await query.PageAsync(p, ct, 2000)).Items.Select(devices.View).ToList());
    }

    /// <summary>
    /// The devices in scope with the list's filters (kind, keyword in code, name and township/village name), by division
    /// and code; the page, the API and the export share it.
    /// </summary>
    public static (IOrderedQueryable<Device>? Query, FieldErrors Errors) FilterDevices(AppDbContext db, string? kind, string? q)
    {
        var errors = new FieldErrors();
        var query = db.Devices().AsNoTracking();
        if (!string.IsNullOrEmpty(kind))
        {
            if (DeviceNames.Parse(kind) is { } k) query = query.Where(d => d.Kind == k);
            else errors.Add("kind", "设备类型不存在");
        }
        if (ListPaging.Keyword(q, errors) is { } text)
        {
            var places = db.Divisions.Where(d => d.Name.Contains(text)).Select(d => d.Code);
            query = query.Where(d => d.Code.Contains(text) || d.Name.Contains(text) || places.Contains(d.DivisionCode));
        }
        if (!errors.Ok) return (null, errors);
        return (query.OrderBy(d => d.DivisionCode).ThenBy(d => d.Code).ThenBy(d => d.Id), errors);
    }

    public static readonly IReadOnlyList<XlsxWriter.Column> DeviceColumns =
    [
        new("类型", 10), new("编号", 18), new("名称", 24), new("区划", 16), new("责任人", 12), new("心跳间隔", 10), new("最近信号", 17), new("状态", 8),
    ];

    /// <summary>The filtered device list, all pages, to Excel (the columns the page shows).</summary>
    public static async Task<Results<FileStreamHttpResult, Accepted<ExportJobView>, ValidationProblem>> ExportDevices(string? kind, string? q, string? format, AppDbContext db,
        HttpContext http, CancellationToken ct)
    {
        var (query, errors) = FilterDevices(db, kind, q);
        if (query is null) return errors.ToProblem();
        return await ListExport.SendAsync(http, format, "设备台账", DeviceColumns, nameof(Device), q?.Trim(), services =>
        {
            var (db, devices) = (services.GetRequiredService<AppDbContext>(), services.GetRequiredService<DeviceCommands>());
            return new ListRows<Device>(FilterDevices(db, kind, q).Query!, async (list, token) =>
            {
                var names = await DeviceNamesAsync(db, list, token);
                return list.Select(devices.View).Select(d => new object?[]
                {
                    d.KindName, d.Code, d.Name, names.Places.GetValueOrDefault(d.DivisionCode) ?? d.DivisionCode,
                    d.OwnerUserId is { } o ? names.Owners.GetValueOrDefault(o) : null, d.HeartbeatMinutes == 0 ? "不检查" : $"{d.HeartbeatMinutes} 分钟",
                    ChinaTime.Format(d.LastSeenUtc), d.RetiredUtc is not null ? "已停用" : d.Silent ? "离线" : "正常",
                });
            });
        }, ct);
    }

    /// <summary>The township/village names and owner names the device list shows beside its rows, looked up once.</summary>
    public static async Task<(Dictionary<string, string> Places, Dictionary<Guid, string> Owners)> DeviceNamesAsync(AppDbContext db, List<Device> rows, CancellationToken ct)
    {
        var owners = rows.Where(d => d.OwnerUserId is not null).Select(d => d.OwnerUserId!.Value).Distinct().ToList();
        var codes = rows.Select(d => d.DivisionCode).Distinct().ToList();
        return (await db.DivisionNamesAsync(codes, ct),
            await db.Users.Where(u => owners.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct));
    }

    public static async Task<Results<Ok<DeviceView>, NotFound>> GetDevice(Guid id, AppDbContext db, DeviceCommands devices, CancellationToken ct)
    {
        var device = await db.Devices().AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, ct);
        return device is null ? TypedResults.NotFound() : TypedResults.Ok(devices.View(device));
    }

    public static async Task<Results<Created<DeviceView>, ValidationProblem>> RegisterDevice(DeviceInput input, DeviceCommands devices, CancellationToken ct)
    {
        var (device, errors) = await devices.RegisterAsync(input, ct);
        if (device is null) return errors.ToProblem();
        return TypedResults.Created($"/api/devices/{device.Id}", devices.View(device));
    }

    public static async Task<Results<Ok<DeviceView>, NotFound, ValidationProblem>> UpdateDevice(
        Guid id, DeviceUpdate input, AppDbContext db, DeviceCommands devices, CancellationToken ct)
    {
        var device = await db.Devices().FirstOrDefaultAsync(d => d.Id == id, ct);
        if (device is null) return TypedResults.NotFound();
        var errors = await devices.UpdateAsync(device, input, ct);
        if (!errors.Ok) return errors.ToProblem();
        return TypedResults.Ok(devices.View(device));
    }

    public static async Task<Results<Ok<DeviceView>, NotFound>> RetireDevice(Guid id, AppDbContext db, DeviceCommands devices, CancellationToken ct)
    {
        var device = await db.Devices().FirstOrDefaultAsync(d => d.Id == id, ct);
        if (device is null) return TypedResults.NotFound();
        await devices.RetireAsync(device, ct);
        return TypedResults.Ok(devices.View(device));
    }

    /// <summary>恢复使用: puts a retired device back into service (409 DeviceNotRetired when it is in service).</summary>
    public static async Task<Results<Ok<DeviceView>, NotFound>> ReinstateDevice(Guid id, AppDbContext db, DeviceCommands devices, CancellationToken ct)
    {
        var device = await db.Devices().FirstOrDefaultAsync(d => d.Id == id, ct);
        if (device is null) return TypedResults.NotFound();
        await devices.ReinstateAsync(device, ct);
        return TypedResults.Ok(devices.View(device));
    }

    public static async Task<Ok<List<RuleView>>> ListRules(AppDbContext db, CancellationToken ct)
    {
        var stored = await db.AlertRules().AsNoTracking().OrderBy(r => r.DivisionCode).ThenBy(r => r.CreatedUtc).ToListAsync(ct);
        // Defaults apply everywhere; a stored rule that switches one off for its division is listed as itself.
        return TypedResults.Ok(DefaultRules.All.Select(r => DeviceCommands.View(r, true, true))
            .Concat(stored.Select(r => DeviceCommands.View(r.Check, false, r.Enabled))).ToList());
    }

    public static async Task<Results<Created<RuleView>, ValidationProblem>> CreateRule(RuleInput input, DeviceCommands devices, CancellationToken ct)
    {
        var (rule, errors) = await devices.CreateRuleAsync(input, ct);
        if (rule is null) return errors.ToProblem();
        return TypedResults.Created($"/api/alert-rules/{rule.Id}", DeviceCommands.View(rule.Check, false, rule.Enabled));
    }

    public static async Task<Results<Ok<RuleView>, NotFound, ValidationProblem>> UpdateRule(
        Guid id, RuleInput input, AppDbContext db, DeviceCommands devices, CancellationToken ct)
    {
        var rule = await db.AlertRules().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (rule is null) return TypedResults.NotFound();
        var errors = await devices.UpdateRuleAsync(rule, input, ct);
        if (!errors.Ok) return errors.ToProblem();
        return TypedResults.Ok(DeviceCommands.View(rule.Check, false, rule.Enabled));
    }

    public static async Task<Results<NoContent, NotFound>> DeleteRule(Guid id, AppDbContext db, DeviceCommands devices, CancellationToken ct)
    {
        var rule = await db.AlertRules().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (rule is null) return TypedResults.NotFound();
        await devices.DeleteRuleAsync(rule, ct);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<AlertList>, ValidationProblem>> ListAlerts(
        [AsParameters] AlertListQuery query, AlertCommands alerts, CancellationToken ct)
    {
        var (list, errors) = await alerts.ListAsync(query, ct);
        return list is null ? errors.ToProblem() : TypedResults.Ok(list);
    }

    public static readonly IReadOnlyList<XlsxWriter.Column> AlertColumns =
    [
        new("级别", 8), new("预警", 30), new("类型", 12), new("矿硐编号", 16), new("状态", 10), new("是否逾期", 8), new("信号次数", 8),
        new("首次信号", 17), new("最近信号", 17), new("签收时限", 17), new("核实时限", 17), new("责任人", 14), new("处置结果", 12),
    ];

    /// <summary>The filtered alert list, all pages, to Excel.</summary>
    public static async Task<Results<FileStreamHttpResult, Accepted<ExportJobView>, ValidationProblem>> ExportAlerts(
        [AsParameters] AlertListQuery query, string? format, AlertCommands alerts, HttpContext http, CancellationToken ct)
    {
        var (items, errors) = alerts.Filter(query);
        if (items is null) return errors.ToProblem();
        return await ListExport.SendAsync(http, format, "预警列表", AlertColumns, nameof(Alert), query.Q?.Trim(), services =>
        {
            var alerts = services.GetRequiredService<AlertCommands>();
            return new ListRows<Alert>(alerts.Filter(query).Alerts!, async (list, token) => (await alerts.ViewsAsync(list, token))
                .Select(a => new object?[] { a.SeverityName, a.Title, a.TypeName, a.AditNumber, a.StatusName, a.Overdue ? "是" : "否", a.SignalCount,
                    ChinaTime.Format(a.OpenedUtc), ChinaTime.Format(a.LastSignalUtc), ChinaTime.Format(a.AckDueUtc), ChinaTime.Format(a.VerifyDueUtc),
                    a.AssigneeName, a.Outcome }));
        }, ct);
    }

    public sealed record OverdueView(int Overdue);

    public static async Task<Ok<OverdueView>> OverdueCount(AlertCommands alerts, CancellationToken ct) =>
        TypedResults.Ok(new OverdueView(await alerts.OverdueCountAsync(ct)));

    public static async Task<Results<Ok<AlertDetail>, NotFound>> GetAlert(Guid id, AlertCommands alerts, CancellationToken ct)
    {
        var alert = await alerts.Alerts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct);
        return alert is null ? TypedResults.NotFound() : TypedResults.Ok(await alerts.DetailAsync(alert, ct));
    }

    public static async Task<Results<Ok<AlertDetail>, NotFound>> Acknowledge(Guid id, AlertCommands alerts, CancellationToken ct)
    {
        var alert = await alerts.Alerts.FirstOrDefaultAsync(a => a.Id == id, ct);
        if (alert is null) return TypedResults.NotFound();
        await alerts.AcknowledgeAsync(alert, ct);
        return TypedResults.Ok(await alerts.DetailAsync(alert, ct));
    }

    public static async Task<Results<Ok<AlertDetail>, NotFound, ValidationProblem>> Close(
        Guid id, CloseInput input, AlertCommands alerts, CancellationToken ct)
    {
        var alert = await alerts.Alerts.FirstOrDefaultAsync(a => a.Id == id, ct);
        if (alert is null) return TypedResults.NotFound();
        var errors = await alerts.CloseAsync(alert, input, ct);
        if (!errors.Ok) return errors.ToProblem();
        return TypedResults.Ok(await alerts.DetailAsync(alert, ct));
    }
}
