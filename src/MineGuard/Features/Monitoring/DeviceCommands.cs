using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Platform.Geo;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.People;

namespace MineGuard.Features.Monitoring;

public sealed record DeviceInput(
    string? Kind, string? Code, string? Name, Guid? ApiKeyId, Guid? AditId, Guid? OwnerUserId, string? DivisionCode,
    double? Lon, double? Lat, double? RadiusMeters, JsonElement? Polygon, int? HeartbeatMinutes);

public sealed record DeviceView(
    Guid Id, string Kind, string KindName, string Code, string Name, Guid ApiKeyId, string DivisionCode, Guid? AditId, Guid? OwnerUserId,
    double? Lon, double? Lat, double? RadiusMeters, int HeartbeatMinutes, DateTime? LastSeenUtc, bool Silent, string? PolygonGeoJson,
    DateTime? RetiredUtc);

/// <summary>An edit of a device: fields left out (null) keep their value.</summary>
public sealed record DeviceUpdate(
    string? Name, string? Owner, Guid? AditId, bool? ClearAdit, string? DivisionCode, double? Lon, double? Lat, double? RadiusMeters,
    JsonElement? Polygon, bool? ClearPolygon, int? HeartbeatMinutes);

public sealed record RuleInput(
    string? Name, string? DivisionCode, string[]? EventTypes, string[]? Subjects, string[]? Actions, Guid? AditId,
    bool? SealedAditsOnly, bool? AditZonesOnly, bool? NightOnly, string? Severity, string? NotifyDepartment, bool? Enabled, string? DefaultKey);

/// <summary>
/// A rule as listed: codes for programs, and beside them the Chinese names a person reads (<c>EventTypeNames</c>,
/// <c>SubjectNames</c>, <c>ActionNames</c>, <c>SeverityName</c>, <c>Conditions</c>: the whole condition in one line).
/// </summary>
public sealed record RuleView(
    string Key, string Name, string DivisionCode, string[] EventTypes, string[] Subjects, string[] Actions, Guid? AditId,
    bool SealedAditsOnly, bool AditZonesOnly, bool NightOnly, string Severity, string? NotifyDepartment, bool Enabled, bool IsDefault)
{
    public string[] EventTypeNames => [.. EventTypes.Select(t => Monitoring.EventTypes.Chinese.GetValueOrDefault(t) ?? t)];
    public string[] SubjectNames => [.. Subjects.Select(s => EventParser.SubjectNames.GetValueOrDefault(s) ?? s)];
    public string[] ActionNames => [.. Actions.Select(a => EventParser.SealActionNames.GetValueOrDefault(a) ?? a)];
    public string SeverityName => AlertNames.Severities.Values.FirstOrDefault(s => s.Code == Severity).Chinese ?? Severity;

    /// <summary>"仅已封堵矿硐；仅夜间；人员、车辆" (the adit, named by number, is the caller's to add).</summary>
    public string Conditions => (SealedAditsOnly ? "仅已封堵矿硐；" : "") + (AditZonesOnly ? "仅矿硐围栏；" : "") + (NightOnly ? "仅夜间；" : "")
        + string.Join("、", SubjectNames.Concat(ActionNames));
}

/// <summary>Registering devices and alert rules (office work), with the checks an integrator needs to get right.</summary>
public sealed class DeviceCommands(AppDbContext db, EFenceIndex zones)
{
    private DateTime Now => db.Clock.GetUtcNow().UtcDateTime;

    public static int DefaultHeartbeat(DeviceKind kind) => kind switch
    {
        DeviceKind.Camera or DeviceKind.Checkpoint => 30,
        DeviceKind.ESeal => 60,
        DeviceKind.Meter => 1440,
        _ => 0,
    };

    public async Task<(Device? Device, FieldErrors Errors)> RegisterAsync(DeviceInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var kind = DeviceNames.Parse(input.Kind);
        if (kind is null) errors.Add(nameof(input.Kind), $"设备类型须为{AlertNames.Listed(DeviceNames.Kinds.Values)}");
        var code = input.Code?.Trim();
        if (string.IsNullOrEmpty(code) || code.Length > 100) errors.Add(nameof(input.Code), "请填写设备编号（接入系统发来的事件里的设备编号 deviceId，不超过 100 个字符）");
        var name = input.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200) errors.Add(nameof(input.Name), "请填写设备名称（不超过 200 个字符）");
        if (input.ApiKeyId is not { } keyId || !await db.ApiKeys.AnyAsync(k => k.Id == keyId && k.RevokedUtc == null, ct))
            errors.Add(nameof(input.ApiKeyId), "请选择本辖区内有效的接口密钥（发送该设备数据的系统）");
        else if (code is { Length: > 0 } && await db.Devices().Beyond(ScopeExit.Uniqueness).AnyAsync(d => d.ApiKeyId == keyId && d.Code == code, ct))
            errors.Add(nameof(input.Code), $"该接口下已有编号为 {code} 的设备");
        string? division = null;
        double? lon = input.Lon, lat = input.Lat;
        if (input.AditId is { } aditId)
        {
            var adit = await db.Adits().AsNoTracking().Where(a => a.Id == aditId).Select(a => new { a.DivisionCode, a.Lon, a.Lat }).FirstOrDefaultAsync(ct);
            if (adit is null) errors.Add(nameof(input.AditId), "未找到该矿硐，或不在您的管辖范围内");
            else (division, lon, lat) = (adit.DivisionCode, lon ?? adit.Lon, lat ?? adit.Lat);
        }
        else if (Platform.Jurisdiction.Division.NormalizeCode(input.DivisionCode ?? "") is { Length: > 0 } d)
        {
            if (!db.CurrentUser.Scope.Contains(d) || !await db.Divisions.AnyAsync(x => x.Code == d, ct))
                errors.Add(nameof(input.DivisionCode), "所在区划不存在或超出您的管辖范围");
            else division = d;
        }
        else errors.Add(nameof(input.DivisionCode), "请指定关联矿硐或所在区划");
        if (input.OwnerUserId is { } owner)
        {
            var ownerDivision = await db.Users.Where(u => u.Id == owner).Select(u => u.DivisionCode).FirstOrDefaultAsync(ct);
            if (ownerDivision is null || !db.CurrentUser.Scope.Contains(ownerDivision))
                errors.Add(nameof(input.OwnerUserId), "责任人不存在或不在您的管辖范围内");
        }
        var polygon = CheckPlace(kind, lon, lat, input.RadiusMeters, input.Polygon, input.HeartbeatMinutes, errors);
        if (!errors.Ok) return (null, errors);

        var device = Device.Register(new Device.Spec(kind!.Value, code!, name!, input.ApiKeyId!.Value, division!, input.AditId, null, input.OwnerUserId,
            lon, lat, kind == DeviceKind.EFenceZone && polygon is null ? input.RadiusMeters ?? 200 : input.RadiusMeters, polygon,
            input.HeartbeatMinutes ?? DefaultHeartbeat(kind.Value)), Now);
        // Routing asks for persons: the owner's person record (made from the account when there is none yet).
        if (input.OwnerUserId is { } ownerId) device.NameResponsible(await db.PersonForUserAsync(ownerId, ct));
        db.Devices().Add(device);
        await db.SaveChangesAsync(ct);
        if (device.Kind == DeviceKind.EFenceZone) zones.Invalidate();
        return (device, errors);
    }

    /// <summary>
    /// Checks shared by registering and editing: position in China, e-fence polygon (normalised GeoJSON, returned) or radius,
    /// heartbeat interval. Field names are those of <see cref="DeviceInput"/> and <see cref="DeviceUpdate"/>.
    /// </summary>
    private static string? CheckPlace(DeviceKind? kind, double? lon, double? lat, double? radius, JsonElement? polygonInput, int? heartbeat, FieldErrors errors)
    {
        // "is not (>= and <=)" also refuses NaN and infinity, which every "< or >" comparison lets through.
        if (lon is not null != lat is not null || lon is not (null or (>= 73 and <= 136)) || lat is not (null or (>= 3 and <= 54)))
            errors.Add(nameof(DeviceInput.Lon), "位置须同时给出经纬度，且在中国境内");
        string? polygon = null;
        if (polygonInput is { ValueKind: JsonValueKind.Object } p)
        {
            try
            {
                var g = GeoJson.ReadGeometry(p);
                if (g.Dimension != NetTopologySuite.Geometries.Dimension.Surface || !g.IsValid) errors.Add(nameof(DeviceInput.Polygon), "围栏范围须为有效的面（Polygon）");
                else polygon = GeoJson.Write(g);
            }
            catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or ArgumentException or KeyNotFoundException)
            {
                errors.Add(nameof(DeviceInput.Polygon), "围栏范围不是有效的 GeoJSON 面");
            }
        }
        else if (polygonInput is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) })
            errors.Add(nameof(DeviceInput.Polygon), "围栏范围须为 GeoJSON 面对象（Polygon）");
        if (radius is not (null or (>= 10 and <= 5000))) errors.Add(nameof(DeviceInput.RadiusMeters), "围栏半径须在 10 到 5000 米之间");
        if (kind == DeviceKind.EFenceZone && polygon is null && lon is null)
            errors.Add(nameof(DeviceInput.Polygon), "电子围栏须有范围：多边形，或以矿硐/给定位置为圆心的半径");
        if (heartbeat is < 0 or > 10080) errors.Add(nameof(DeviceInput.HeartbeatMinutes), "心跳间隔须在 0 到 10080 分钟之间（0 表示不检查）");
        return polygon;
    }

    /// <summary>
    /// Edits a device found in the caller's scope. A field left out keeps its value; <c>owner: ""</c> removes the owner,
    /// <c>clearAdit</c> unlinks the adit (then <c>divisionCode</c> says where the device is). The owner is named by login
    /// name or display name, among users inside the caller's jurisdiction.
    /// </summary>
    public async Task<FieldErrors> UpdateAsync(Device device, DeviceUpdate input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        Rule.Check(device.RetiredUtc is null, "DeviceRetired", "该设备已停用，不能再修改");
        var name = input.Name is null ? device.Name : input.Name.Trim();
        if (name.Length is 0 or > 200) errors.Add(nameof(input.Name), "请填写设备名称（不超过 200 个字符）");
        var (division, aditId, lon, lat) = (device.DivisionCode, device.AditId, input.Lon ?? device.Lon, input.Lat ?? device.Lat);
        if (input.AditId is { } newAdit && newAdit != device.AditId)
        {
            var adit = await db.Adits().AsNoTracking().Where(a => a.Id == newAdit).Select(a => new { a.DivisionCode, a.Lon, a.Lat }).FirstOrDefaultAsync(ct);
            if (adit is null) errors.Add(nameof(input.AditId), "未找到该矿硐，或不在您的管辖范围内");
            else (division, aditId, lon, lat) = (adit.DivisionCode, newAdit, input.Lon ?? adit.Lon, input.Lat ?? adit.Lat);
        }
        else if (input.ClearAdit == true) aditId = null;
        if (Platform.Jurisdiction.Division.NormalizeCode(input.DivisionCode ?? "") is { Length: > 0 } d && input.AditId is null)
        {
            if (aditId is not null) errors.Add(nameof(input.DivisionCode), "已关联矿硐的设备随矿硐所在区划，请先取消关联");
            else if (!db.CurrentUser.Scope.Contains(d) || !await db.Divisions.AnyAsync(x => x.Code == d, ct))
                errors.Add(nameof(input.DivisionCode), "所在区划不存在或超出您的管辖范围");
            else division = d;
        }
        var owner = device.OwnerUserId;
        if (input.Owner is { } ownerName)
        {
            ownerName = ownerName.Trim();
            if (ownerName.Length == 0) owner = null;
            else
            {
                var found = await db.Users.Within(db.CurrentUser.Scope, u => u.DivisionCode).Where(u => !u.IsDisabled)
                    .Where(u => u.UserName == ownerName || u.DisplayName == ownerName).Select(u => u.Id).Order().Take(2).ToListAsync(ct);
                if (found.Count == 1) owner = found[0];
                else errors.Add(nameof(input.Owner), found.Count == 0
                    ? $"您的管辖范围内没有名为 {ownerName} 的用户"
                    : $"管辖范围内有多个名为 {ownerName} 的用户，请填写登录名");
            }
        }
        var polygon = input.Polygon is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } ? null : device.PolygonGeoJson;
        polygon = CheckPlace(null, lon, lat, input.RadiusMeters, input.Polygon, input.HeartbeatMinutes, errors) ?? polygon;
        if (input.ClearPolygon == true) polygon = null;
        var radius = input.RadiusMeters ?? device.RadiusMeters;
        if (device.Kind == DeviceKind.EFenceZone && polygon is null && lon is null && !errors.ContainsKey(nameof(input.Polygon)))
            errors.Add(nameof(input.Polygon), "电子围栏须有范围：多边形，或以矿硐/给定位置为圆心的半径");
        if (!errors.Ok) return errors;

        if (device.Kind == DeviceKind.EFenceZone && polygon is null) radius ??= 200;
        if (owner != device.OwnerUserId) device.NameResponsible(owner is { } o ? await db.PersonForUserAsync(o, ct) : null);
        device.Update(new Device.Changes(name, division, aditId, owner, lon, lat, radius, polygon, input.HeartbeatMinutes ?? device.HeartbeatMinutes));
        await db.SaveChangesAsync(ct);
        if (device.Kind == DeviceKind.EFenceZone) zones.Invalidate();
        return errors;
    }

    /// <summary>恢复使用: undoes a retirement (audited as an update like any save).</summary>
    public async Task ReinstateAsync(Device device, CancellationToken ct)
    {
        device.Reinstate();
        await db.SaveChangesAsync(ct);
        if (device.Kind == DeviceKind.EFenceZone) zones.Invalidate();
    }

    /// <summary>停用: the device stays on record, is no longer watched for silence and its e-fence zone no longer counts.</summary>
    public async Task RetireAsync(Device device, CancellationToken ct)
    {
        device.Retire(Now);
        await db.SaveChangesAsync(ct);
        if (device.Kind == DeviceKind.EFenceZone) zones.Invalidate();
    }

    public DeviceView View(Device d) => new(d.Id, DeviceNames.Kinds[d.Kind].Code, DeviceNames.Kinds[d.Kind].Chinese, d.Code, d.Name, d.ApiKeyId,
        d.DivisionCode, d.AditId, d.OwnerUserId, d.Lon, d.Lat, d.RadiusMeters, d.HeartbeatMinutes, d.LastSeenUtc, d.IsSilent(Now), d.PolygonGeoJson, d.RetiredUtc);

    public async Task<(AlertRule? Rule, FieldErrors Errors)> CreateRuleAsync(RuleInput input, CancellationToken ct)
    {
        var (spec, errors) = await CheckRuleAsync(input, null, ct);
        if (spec is null) return (null, errors);
        var rule = AlertRule.Create(spec, Now);
        db.AlertRules().Add(rule);
        await db.SaveChangesAsync(ct);
        return (rule, errors);
    }

    /// <summary>Edits a stored rule (found in the caller's scope); its division and default key stay as they were.</summary>
    public async Task<FieldErrors> UpdateRuleAsync(AlertRule rule, RuleInput input, CancellationToken ct)
    {
        var (spec, errors) = await CheckRuleAsync(input, rule, ct);
        if (spec is null) return errors;
        rule.Update(spec);
        await db.SaveChangesAsync(ct);
        return errors;
    }

    /// <summary>Switches a stored rule on or off without touching what it matches.</summary>
    public async Task SetRuleEnabledAsync(AlertRule rule, bool enabled, CancellationToken ct)
    {
        var c = rule.Check;
        rule.Update(new AlertRule.Spec(rule.DivisionCode, rule.Name, c.EventTypes, c.Subjects, c.Actions, rule.AditId, rule.SealedAditsOnly,
            rule.AditZonesOnly, rule.NightOnly, rule.Severity, rule.NotifyDepartment, enabled, rule.DefaultKey));
        await db.SaveChangesAsync(ct);
    }

    public async Task DeleteRuleAsync(AlertRule rule, CancellationToken ct)
    {
        db.AlertRules().Remove(rule);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The checks shared by creating and editing a rule; an existing rule keeps its division and default key.</summary>
    private async Task<(AlertRule.Spec? Spec, FieldErrors Errors)> CheckRuleAsync(RuleInput input, AlertRule? existing, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var name = input.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200) errors.Add(nameof(input.Name), "请填写规则名称（不超过 200 个字符）");
        var division = existing?.DivisionCode ?? Platform.Jurisdiction.Division.NormalizeCode(input.DivisionCode ?? db.CurrentUser.Scope.Code);
        if (existing is null && (!db.CurrentUser.Scope.Contains(division) || !await db.Divisions.AnyAsync(d => d.Code == division, ct)))
            errors.Add(nameof(input.DivisionCode), "规则适用区划不存在或超出您的管辖范围");
        var defaultKey = existing?.DefaultKey;
        if (existing is null && input.DefaultKey is { Length: > 0 } dk)
        {
            defaultKey = dk.StartsWith("default:", StringComparison.Ordinal) ? dk : "default:" + dk;
            if (DefaultRules.All.All(r => r.Key != defaultKey)) errors.Add(nameof(input.DefaultKey), $"没有名为 {dk} 的默认规则");
        }
        var types = input.EventTypes ?? [];
        if (defaultKey is null && (types.Length == 0 || types.Any(t => !EventTypes.Chinese.ContainsKey(t) || t is EventTypes.Heartbeat)))
            errors.Add(nameof(input.EventTypes), $"请选择事件类型：{AlertNames.Listed(EventTypes.Chinese.Where(t => t.Key != EventTypes.Heartbeat).Select(t => (t.Key, t.Value)))}");
        if ((input.Subjects ?? []).Any(s => !EventParser.Subjects.Contains(s))) errors.Add(nameof(input.Subjects), $"发现对象只能是{AlertNames.Listed(EventParser.SubjectNames.Select(n => (n.Key, n.Value)))}");
        if ((input.Actions ?? []).Any(s => !EventParser.SealActions.Contains(s))) errors.Add(nameof(input.Actions), $"封条事件只能是{AlertNames.Listed(EventParser.SealActionNames.Select(n => (n.Key, n.Value)))}");
        var severity = AlertNames.Parse(AlertNames.Severities, input.Severity ?? "medium");
        if (severity is null) errors.Add(nameof(input.Severity), $"级别只能是{AlertNames.Listed(AlertNames.Severities.Values)}");
        if (input.NotifyDepartment is { Length: > 0 } dept && Platform.Jurisdiction.Department.Catalogue.All(c => c.Code != dept))
            errors.Add(nameof(input.NotifyDepartment), $"未知的部门：{dept}");
        if (input.AditId is { } aditId && !await db.Adits().AnyAsync(a => a.Id == aditId, ct))
            errors.Add(nameof(input.AditId), "未找到该矿硐，或不在您的管辖范围内");
        if (!errors.Ok) return (null, errors);
        return (new AlertRule.Spec(division, name!, types, input.Subjects ?? [], input.Actions ?? [], input.AditId,
            input.SealedAditsOnly ?? false, input.AditZonesOnly ?? false, input.NightOnly ?? false, severity!.Value,
            string.IsNullOrEmpty(input.NotifyDepartment) ? null : input.NotifyDepartment, input.Enabled ?? true, defaultKey), errors);
    }

    public static RuleView View(RuleCheck r, bool isDefault, bool enabled) => new(r.Key, r.Name, r.DivisionCode, r.EventTypes, r.Subjects, r.Actions,
        r.AditId, r.SealedAditsOnly, r.AditZonesOnly, r.NightOnly, AlertNames.Severities[r.Severity].Code, r.NotifyDepartment, enabled, isDefault);
}
