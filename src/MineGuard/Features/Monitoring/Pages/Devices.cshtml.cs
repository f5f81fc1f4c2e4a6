using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Platform.Auth;

namespace MineGuard.Features.Monitoring.Pages;

/// <summary>设备台账: the devices in scope with their heartbeat, and registering one (office).</summary>
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

    [BindProperty] public DeviceForm Input { get; set; } = new();

    public List<DeviceView> Items { get; private set; } = [];
    public List<(Guid Id, string Name)> Keys { get; private set; } = [];
    public bool CanRegister => me.IsInRole(Roles.Office) || me.IsInRole(Roles.Admin);
    public string? Message { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

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
        var rows = await db.Devices().AsNoTracking().OrderBy(d => d.DivisionCode).ThenBy(d => d.Code).Take(1000).ToListAsync(ct);
        Items = rows.Select(devices.View).ToList();
        Keys = (await db.ApiKeys.AsNoTracking().Where(k => k.RevokedUtc == null).OrderBy(k => k.Name).Select(k => new { k.Id, k.Name }).ToListAsync(ct))
            .Select(k => (k.Id, k.Name)).ToList();
    }
}
