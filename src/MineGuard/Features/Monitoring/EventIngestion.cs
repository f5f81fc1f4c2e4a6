using MineGuard.Platform.Jurisdiction;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Platform.Notifications;

namespace MineGuard.Features.Monitoring;

public sealed record IngestRequest(List<JsonElement>? Events);

public sealed record IngestAccepted(int Index, string Id, Guid EventId, Guid? AlertId);

public sealed record IngestDuplicate(int Index, string Id);

public sealed record IngestRejected(int Index, string? Id, Dictionary<string, string[]> Errors);

/// <summary>A device (or e-fence zone) as ingestion reads it: the columns it uses, and its adit when in scope.</summary>
public sealed record IngestDevice(Guid Id, string Code, string Name, DeviceKind Kind, string DivisionCode, double? Lon, double? Lat,
    DateTime? LastSeenUtc, DateTime? RetiredUtc, IngestAdit? Adit);

/// <summary>The adit a device watches, as ingestion reads it (null when outside the integration's scope).</summary>
public sealed record IngestAdit(Guid Id, string Number, string? Name, string DivisionCode, SealState State, double Lon, double Lat);

/// <summary>What happened to each event of a batch: accepted (stored), duplicate (stored before), rejected (with reasons).</summary>
public sealed record IngestResult(
    int AcceptedCount, int DuplicateCount, int RejectedCount, int AlertsOpened,
    List<IngestAccepted> Accepted, List<IngestDuplicate> Duplicates, List<IngestRejected> Rejected);

/// <summary>
/// POST /api/ingest/events: stores a batch of an integration's events once each (by the integration's own event id),
/// rejects malformed ones by index, matches rules, groups signals into alerts, sends the e-fence warning to the phone
/// that entered a zone — all in one transaction audited as ONE event, so a batch of 1,000 writes one audit record.
/// People are told by the router right after the commit (<see cref="AlertJobs"/>).
/// </summary>
public sealed class EventIngestion(AppDbContext db, AlertDesk desk, AlertRouting routing, EFenceIndex zones, AlertJobs jobs, SmsSender sms,
    IEnumerable<IIngestedEvents> features)
{
    public const int MaxBatch = 1000;

    /// <summary>A batch opening at most this many alerts routes them itself, in its own transaction, so their SMS are in
    /// the outbox at the commit. Every batch does (its rows go in set-based, so routing 250 alerts in place costs a few
    /// bulk-inserted rows, not a router round per 50 holding SQLite's writer while the next batch waits).</summary>
    public const int RouteInPlaceMax = MaxBatch;

    /// <summary>How stale a device's last-seen time may get before a batch writes it again (a fraction of the shortest
    /// heartbeat, one minute).</summary>
    public static readonly TimeSpan LastSeenResolution = TimeSpan.FromSeconds(10);

    public async Task<IngestResult> IngestAsync(Guid apiKeyId, IReadOnlyList<JsonElement> events, CancellationToken ct)
    {
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var scope = db.CurrentUser.Scope;
        var rejected = new List<IngestRejected>();
        var parsed = new List<ParsedEvent>();
        var handlers = features.ToList();
        var featureTypes = handlers.SelectMany(h => h.Types.Keys).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < events.Count; i++)
        {
            var (p, errors) = EventParser.Parse(i, events[i], now, featureTypes);
            if (p is null) rejected.Add(new(i, events[i].ValueKind == JsonValueKind.Object ? EventParser.Text(events[i], "id") : null, errors));
            else parsed.Add(p);
        }

        // Devices of this integration, inside its scope (the jurisdiction filter applies to the key's own scope).
        var codes = parsed.Where(p => p.DeviceCode is not null).Select(p => p.DeviceCode!).Distinct().ToList();
        var devices = await Briefs(db.Devices().Where(d => d.ApiKeyId == apiKeyId && codes.Contains(d.Code))).ToDictionaryAsync(d => d.Code, ct);
        var valid = new List<(ParsedEvent Event, IngestDevice? Device, List<IngestDevice> Zones)>();
        foreach (var p in parsed)
        {
            IngestDevice? device = null;
            if (p.DeviceCode is not null && !devices.TryGetValue(p.DeviceCode, out device))
            {
                rejected.Add(new(p.Index, p.ExternalId, new() { ["deviceId"] = [$"未登记的设备：{p.DeviceCode}（请先在设备台账中登记，并指定本接口密钥）"] }));
                continue;
            }
            if (device is { RetiredUtc: not null })
            {
                rejected.Add(new(p.Index, p.ExternalId, new() { ["deviceId"] = [$"设备“{device.Name}”已停用，不再接收其事件（如已重新启用，请新登记）"] }));
                continue;
            }
            if (device is not null && !Fits(p.Type, device.Kind))
            {
                rejected.Add(new(p.Index, p.ExternalId, new() { ["type"] = [$"设备“{device.Name}”是{DeviceNames.Kinds[device.Kind].Chinese}，不能发送“{EventTypes.Chinese[p.Type]}”事件"] }));
                continue;
            }
            valid.Add((p, device, []));
        }
        // An e-fence ping with a position but no zone: the zones (in this scope) that contain it, the batch's pings in one
        // call of the grid.
        var pinged = valid.Where(v => v.Event.Type == EventTypes.EFence && v.Device is null).ToList();
        if (pinged.Count > 0)
        {
            var pings = pinged.Select(v => (v.Event.Lon!.Value, v.Event.Lat!.Value)).ToArray();
            var offsets = new int[pings.Length + 1];
            var hits = new Guid[pings.Length * 4];
            var total = zones.ContainingBatch(pings, hits, offsets);
            if (total > hits.Length) zones.ContainingBatch(pings, hits = new Guid[total], offsets);
            var zoneIds = hits.AsSpan(0, total).ToArray().Distinct().ToList();
            var found = zoneIds.Count == 0 ? []
                : await Briefs(db.Devices().Where(d => zoneIds.Contains(d.Id))).ToDictionaryAsync(d => d.Id, ct);
            for (var i = 0; i < pinged.Count; i++)
            {
                for (var k = offsets[i]; k < offsets[i + 1]; k++)
                    if (found.TryGetValue(hits[k], out var zone)) pinged[i].Zones.Add(zone);
            }
        }

        var rules = await desk.RulesAsync(ct);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        using var batch = db.AuditAsBatch("ingest", "DeviceEvent", apiKeyId.ToString(), scope.Code);
        var candidates = valid.Select(v => (v.Event, v.Device, v.Zones, Raised: Evaluate(v.Event, v.Device, v.Zones, rules, scope.Code))).ToList();
        await desk.LockAsync([$"ingest:{apiKeyId}", .. candidates.SelectMany(c => c.Raised).Select(r => r.CorrelationKey)], ct);

        var ids = valid.Select(v => v.Event.ExternalId).Distinct().ToList();
        var seen = (await db.DeviceEvents().Beyond(ScopeExit.Uniqueness).Where(e => e.ApiKeyId == apiKeyId && ids.Contains(e.ExternalId))
            .Select(e => e.ExternalId).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var duplicates = new List<IngestDuplicate>();
        var fresh = new List<(ParsedEvent Event, IngestDevice? Device, List<IngestDevice> Zones, List<Raised> Raised, Guid Id)>();
        foreach (var c in candidates)
        {
            if (!seen.Add(c.Event.ExternalId)) duplicates.Add(new(c.Event.Index, c.Event.ExternalId));
            else fresh.Add((c.Event, c.Device, c.Zones, c.Raised, Guid.CreateVersion7()));
        }
        // Other features' events (explosives movements): checked and added by their feature; the refused ones are not stored.
        foreach (var handler in handlers)
        {
            var theirs = fresh.Where(f => handler.Types.ContainsKey(f.Event.Type)).Select(f => f.Event).ToList();
            if (theirs.Count == 0) continue;
            var refused = await handler.AddAsync(apiKeyId, theirs, ct);
            foreach (var (index, errors) in refused) rejected.Add(new(index, theirs.First(e => e.Index == index).ExternalId, errors));
            fresh.RemoveAll(f => refused.ContainsKey(f.Event.Index));
        }
        // The event ids are known before the alerts, so each timeline line can point at its event.
        var raised = fresh.SelectMany(f => f.Raised.Select(r => r with { EventId = f.Id })).ToList();
        // A device with an open "offline" alert has spoken again: its alert says so (people still close it). Read with the
        // batch's open alerts, in the same query.
        var offlineKeys = fresh.Select(f => f.Device?.Id).OfType<Guid>().Distinct().Select(d => $"offline:{d}").ToList();
        var (alertOf, entries, opened, joined, backOnline) = await desk.RaiseAsync(raised, now, isDemo: false, ct, offlineKeys);
        var routedHere = 0;
        if (opened is > 0 and <= RouteInPlaceMax)
        {
            var newAlerts = db.ChangeTracker.Entries<Alert>().Where(e => e.State == EntityState.Added && e.Entity.RoutedUtc == null).Select(e => e.Entity).ToList();
            entries.AddRange(await routing.RouteOpenedAsync(newAlerts, now, ct));
            routedHere = newAlerts.Count;
        }
        var alertOfEvent = new Dictionary<Guid, Guid>(raised.Count);
        foreach (var r in raised) alertOfEvent.TryAdd(r.EventId!.Value, alertOf[r]);

        var rows = new List<object>(fresh.Count);
        var accepted = new List<IngestAccepted>(fresh.Count);
        foreach (var f in fresh)
        {
            Guid? alertId = alertOfEvent.TryGetValue(f.Id, out var a) ? a : null;
            var division = f.Device?.DivisionCode ?? f.Zones.FirstOrDefault()?.DivisionCode ?? scope.Code;
            rows.Add(DeviceEvent.Create(f.Id, division, apiKeyId, f.Event.ExternalId, f.Event.Type, f.Device?.Id ?? f.Zones.FirstOrDefault()?.Id,
                f.Event.OccurredUtc, now, f.Event.Lon, f.Event.Lat, f.Event.Data, alertId));
            accepted.Add(new(f.Event.Index, f.Event.ExternalId, f.Id, alertId));
            // 洪江 plan: the operator's e-fence warns the phone that entered a danger zone, whatever the rules say.
            if (f.Event is { Type: EventTypes.EFence, Phone: { } phone } && (f.Device ?? f.Zones.FirstOrDefault()) is { } zone)
                db.Phone(phone, desk.Options.EFenceWarningText, zone.DivisionCode, "efence-warning", f.Id);
        }
        rows.AddRange(entries);
        rows.AddRange(backOnline.Select(a => AlertEntry.Create(a.Id, a.DivisionCode, "signal", "设备已恢复信号", now)));
        // Set-based: the new alerts, deadlines, notifications and SMS go in with the events and timeline lines.
        await desk.WriteRaisedAsync(rows, joined, ct);
        var meters = await MeterReadings.StoreAsync(db, MeterReadings.FromEvents(fresh.Select(f => (f.Event, f.Device))), MeterReadings.Ingest, now, ct);
        var passages = await VehiclePassages.StoreAsync(db, VehiclePassages.FromEvents(fresh.Select(f => (f.Event, f.Device, f.Id))), now, ct);
        // A device heard from within the last LastSeenResolution keeps its time: a busy camera does not rewrite its row
        // every batch (the silent check counts heartbeats in minutes).
        var seenDevices = fresh.Select(f => f.Device).OfType<IngestDevice>().Where(d => d.LastSeenUtc is not { } seen || seen < now - LastSeenResolution)
            .Select(d => d.Id).Distinct().ToList();
        if (seenDevices.Count > 0)
        {
            // Bookkeeping (the heartbeat), not a change anyone reviews: no audit record per device.
            await db.Devices().Beyond(ScopeExit.SystemJudgement).Where(d => seenDevices.Contains(d.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.LastSeenUtc, now), ct);
        }
        batch.Complete($"接收 {accepted.Count} 条，重复 {duplicates.Count} 条，拒收 {rejected.Count} 条，新预警 {opened} 条"
            + (routedHere > 0 ? $"（已推送 {routedHere} 条）" : "") + (meters.Summary.Length > 0 ? $"；{meters.Summary}" : "") + (passages.Summary.Length > 0 ? $"；{passages.Summary}" : ""));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        if (opened > routedHere) jobs.Wake();
        if (routedHere > 0 || fresh.Any(f => f.Event.Phone is not null)) sms.Wake();
        return new IngestResult(accepted.Count, duplicates.Count, rejected.Count, opened, accepted, duplicates,
            [.. rejected.OrderBy(r => r.Index)]);
    }

    /// <summary>The batch's devices (or zones) with their adits, in ONE query of the columns used: whole devices and a
    /// second query for the adits cost twice as much (ids and times parsed from text on SQLite for columns never read).</summary>
    private IQueryable<IngestDevice> Briefs(IQueryable<Device> devices) =>
        from d in devices.AsNoTracking()
        join a in db.Adits() on d.AditId equals (Guid?)a.Id into ofDevice
        from a in ofDevice.DefaultIfEmpty()
        select new IngestDevice(d.Id, d.Code, d.Name, d.Kind, d.DivisionCode, d.Lon, d.Lat, d.LastSeenUtc, d.RetiredUtc,
            a == null ? null : new IngestAdit(a.Id, a.Number, a.Name, a.DivisionCode, a.State, a.Lon, a.Lat));

    private static List<Raised> Evaluate(ParsedEvent e, IngestDevice? device, List<IngestDevice> zones, List<RuleCheck> rules, string scopeCode)
    {
        var result = new List<Raised>();
        // The device that sent it, or the zones a position ping fell into, or no place at all (a drone over open ground).
        IEnumerable<IngestDevice?> places = device is not null ? [device] : zones.Count > 0 ? zones : new IngestDevice?[] { null };
        foreach (var d in places)
        {
            var adit = d?.Adit;
            var division = adit?.DivisionCode ?? d?.DivisionCode ?? scopeCode;
            var sealedAdit = adit?.State is SealState.Sealed or SealState.Accepted;
            var signal = new Signal(e.Type, division, adit?.Id, sealedAdit, d?.Id, e.Subject, e.Action, e.OccurredUtc);
            if (AlertDesk.Match(signal, rules) is not { } rule) continue;
            var where = adit is not null ? $"矿硐 {adit.Number}{(adit.Name is null ? "" : $"（{adit.Name}）")}" : d?.Name ?? "辖区内";
            var what = e.Type switch
            {
                EventTypes.Camera => $"摄像头“{d?.Name}”发现{SubjectName(e.Subject)}",
                EventTypes.EFence => $"有人进入电子围栏“{d?.Name}”",
                EventTypes.ESeal => $"电子封条“{d?.Name}”{ActionName(e.Action)}",
                _ => $"{EventTypes.Chinese[e.Type]}（{d?.Name ?? "无设备"}）",
            };
            var county = division.Length >= 6 ? division[..6] : division;
            result.Add(new Raised(signal, rule, county, $"{where}：{EventTypes.Chinese[e.Type]}", e.Lon ?? adit?.Lon ?? d?.Lon,
                e.Lat ?? adit?.Lat ?? d?.Lat, null, $"{what}，{Platform.Time.ChinaTime.Format(e.OccurredUtc)}"));
        }
        return result;
    }

    public static string SubjectName(string? s) => s is not null && EventParser.SubjectNames.TryGetValue(s, out var name) ? name : "目标";

    public static string ActionName(string? s) => s switch { "opened" => "被开启", "tampered" => "被破坏", "power-on" => "检测到通电", _ => "报警" };

    private static bool Fits(string type, DeviceKind kind) => type switch
    {
        EventTypes.Camera => kind == DeviceKind.Camera,
        EventTypes.Drone => kind == DeviceKind.Drone,
        EventTypes.EFence => kind == DeviceKind.EFenceZone,
        EventTypes.ESeal => kind == DeviceKind.ESeal,
        EventTypes.Meter => kind == DeviceKind.Meter,
        EventTypes.Checkpoint => kind is DeviceKind.Checkpoint or DeviceKind.Camera,
        EventTypes.Satellite => kind == DeviceKind.Satellite,
        _ => true,
    };
}
