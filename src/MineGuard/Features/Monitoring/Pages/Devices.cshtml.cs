using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Monitoring.Pages;

/// <summary>设备台账: the devices in scope with their heartbeat (keyword, 50 a page, Excel), and registering one (office).</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class DevicesModel(AppDbContext db, DeviceCommands devices, CurrentUser me) : PageModel
{
    public sealed class DeviceForm
    {
        public string? Kind { get; set; }
        public string? Code { get; set; }
        public string? Name { get; set; }
        public Guid? ApiKeyId { get; set; }
        public string? AditNumber { get; set; }
        public string? DivisionCode { get; set; }
        public double? RadiusMeters { get; set; }
        public int? HeartbeatMinutes { get; set; }
    }

    public sealed class EditForm
    {
        public Guid Id { get; set; }
        public string? Name { get; set; }
        public string? Owner { get; set; }
        public string? AditNumber { get; set; }
        public int? HeartbeatMinutes { get; set; }
        public double? RadiusMeters { get; set; }
        [System.ComponentModel.DataAnnotations.MaxLength(Platform.Web.InputLimits.GeometryMaxLength)]
        public string? Polygon { get; set; }
    }

    [BindProperty] public DeviceForm Input { get; set; } = new();
    [BindProperty] public EditForm Edit { get; set; } = new();

    /// <summary>The device being edited (from <c>?id=</c>), null when none.</summary>
    public DeviceView? Editing { get; private set; }
    public Dictionary<Guid, string> OwnerNames { get; private set; } = [];

    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? P { get; set; }
    public PageOf<DeviceView> Result { get; private set; } = PageOf<DeviceView>.Empty();
    public IReadOnlyList<DeviceView> Items => Result.Items;
    public string? FilterError { get; private set; }
    public List<(Guid Id, string Name)> Keys { get; private set; } = [];
    public List<DivisionChoice> Divisions { get; private set; } = [];
    public Dictionary<string, string> DivisionNames { get; private set; } = [];
    public bool CanRegister => me.IsInRole(Roles.Office) || me.IsInRole(Roles.Admin);
    public bool ReadsVehicleFindings => MineGuard.Platform.People.VehiclePlates.MayReadFindings(me);
    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid? id, CancellationToken ct)
    {
        if (id is { } deviceId)
        {
            var device = await db.Devices().AsNoTracking().FirstOrDefaultAsync(d => d.Id == deviceId, ct);
            if (device is null) return NotFound();
            Editing = devices.View(device);
            Edit = new EditForm
            {
                Id = device.Id, Name = device.Name, HeartbeatMinutes = device.HeartbeatMinutes, RadiusMeters = device.RadiusMeters,
                Polygon = device.PolygonGeoJson,
                Owner = device.OwnerUserId is { } o ? await db.Users.Where(u => u.Id == o).Select(u => u.UserName).FirstOrDefaultAsync(ct) : null,
                AditNumber = device.AditId is { } a ? await db.Adits().Where(x => x.Id == a).Select(x => x.Number).FirstOrDefaultAsync(ct) : null,
            };
        }
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>Saves the edit form: name, owner (login or display name), linked adit (empty unlinks), heartbeat, radius, polygon.</summary>
    public async Task<IActionResult> OnPostUpdateAsync(CancellationToken ct)
    {
        if (!CanRegister) return Forbid();
        var device = await db.Devices().FirstOrDefaultAsync(d => d.Id == Edit.Id, ct);
        if (device is null) return NotFound();
        ModelState.Clear();
        Guid? aditId = null;
        if (!string.IsNullOrWhiteSpace(Edit.AditNumber))
        {
            var number = Edit.AditNumber.Trim();
            aditId = await db.Adits().Where(a => a.Number == number).Select(a => (Guid?)a.Id).FirstOrDefaultAsync(ct);
            if (aditId is null) ModelState.AddModelError("Edit.AditNumber", "未找到该编号的矿硐，或不在您的管辖范围内");
        }
        System.Text.Json.JsonElement? polygon = null;
        if (!string.IsNullOrWhiteSpace(Edit.Polygon))
        {
            try
            {
                polygon = System.Text.Json.JsonDocument.Parse(Edit.Polygon).RootElement.Clone();
            }
            catch (System.Text.Json.JsonException)
            {
                ModelState.AddModelError("Edit.Polygon", "围栏范围不是有效的 GeoJSON 面");
            }
        }
        if (ModelState.ErrorCount == 0)
        {
            try
            {
                var errors = await devices.UpdateAsync(device, new DeviceUpdate(Edit.Name ?? "", Edit.Owner ?? "", aditId, aditId is null, null, null, null,
                    Edit.RadiusMeters, polygon, string.IsNullOrWhiteSpace(Edit.Polygon), Edit.HeartbeatMinutes ?? 0), ct);
                if (errors.Ok)
                {
                    Message = $"已保存设备：{device.Name}";
                    Edit = new EditForm();
                    await LoadAsync(ct);
                    return Page();
                }
                ModelState.AddFieldErrors(errors, "Edit");
            }
            catch (BusinessRuleException ex)
            {
                ModelState.AddModelError("", ex.Message);
            }
        }
        Editing = devices.View(device);
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>The device just retired, offered for undo beside the message.</summary>
    public Guid? Undo { get; private set; }

    /// <summary>停用, only when confirmed (the dialog of js/confirm.js, or the required checkbox without script).</summary>
    public async Task<IActionResult> OnPostRetireAsync(Guid id, CancellationToken ct)
    {
        if (!CanRegister) return Forbid();
        var device = await db.Devices().FirstOrDefaultAsync(d => d.Id == id, ct);
        if (device is null) return NotFound();
        try
        {
            if (!ConfirmTagHelper.Confirmed(Request)) Message = $"未停用：请先确认停用设备 {device.Name}";
            else
            {
                await devices.RetireAsync(device, ct);
                Message = $"已停用设备：{device.Name}";
                Undo = device.Id;
            }
        }
        catch (BusinessRuleException ex)
        {
            Message = ex.Message;
        }
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>恢复使用 (the undo of 停用).</summary>
    public async Task<IActionResult> OnPostReinstateAsync(Guid id, CancellationToken ct)
    {
        if (!CanRegister) return Forbid();
        var device = await db.Devices().FirstOrDefaultAsync(d => d.Id == id, ct);
        if (device is null) return NotFound();
        try
        {
            await devices.ReinstateAsync(device, ct);
            Message = $"已恢复使用设备：{device.Name}";
        }
        catch (BusinessRuleException ex)
        {
            Message = ex.Message;
        }
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!CanRegister) return Forbid();
        Guid? aditId = null;
        if (!string.IsNullOrWhiteSpace(Input.AditNumber))
        {
            var number = Input.AditNumber.Trim();
            aditId = await db.Adits().Where(a => a.Number == number).Select(a => (Guid?)a.Id).FirstOrDefaultAsync(ct);
            if (aditId is null) ModelState.AddModelError("Input.AditNumber", "未找到该编号的矿硐，或不在您的管辖范围内");
        }
        if (ModelState.ErrorCount == 0)
        {
            var (device, errors) = await devices.RegisterAsync(new DeviceInput(Input.Kind, Input.Code, Input.Name, Input.ApiKeyId, aditId, null,
                Input.DivisionCode, null, null, Input.RadiusMeters, null, Input.HeartbeatMinutes), ct);
            if (device is not null)
            {
                Message = $"已登记设备：{device.Name}";
                Input = new DeviceForm();
                ModelState.Clear();
            }
            else ModelState.AddFieldErrors(errors);
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var (query, errors) = MonitoringApi.FilterDevices(db, null, Q);
        if (query is null) FilterError = string.Join("；", errors.Values.SelectMany(v => v));
        else
        {
            var page = await query.PageAsync(ListPaging.PageNumber(P), ct);
            Result = page.Select([.. page.Items.Select(devices.View)]);
            (DivisionNames, OwnerNames) = await MonitoringApi.DeviceNamesAsync(db, [.. page.Items], ct);
        }
        Keys = (await db.ApiKeys.AsNoTracking().Where(k => k.RevokedUtc == null).OrderBy(k => k.Name).Select(k => new { k.Id, k.Name }).ToListAsync(ct))
            .Select(k => (k.Id, k.Name)).ToList();
        await Villages.EnsureForAsync(db, me.Scope.Code, ct); // a county's villages to pick, on first need
        Divisions = await db.Divisions.ChoicesAsync(me.Scope, DivisionLevel.Village, ct);
    }
}
