using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Features.Clues;
using MineGuard.Features.Mines;
using MineGuard.Features.Monitoring;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Notifications;
using MineGuard.Platform.People;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Analysis;

/// <summary>What one meter's scan did.</summary>
public sealed record MeterScanResult(string DeviceId, int Found, int Updated, int Clues, int Findings);

/// <summary>
/// The wiring of the electricity detector (电力看矿) to the registry and the stored readings: builds a meter's
/// <see cref="MeterContext"/> from what it is attached to (a sealed adit → Sealed from the seal's day; its mine's 生产状态
/// → Stopped / Suspended / Closing; an expired licence → Expired from the day after <c>ValidTo</c>; otherwise Producing)
/// and the explanations declared on its findings, re-scans its hourly series (<see cref="MeterSeries.Hourly"/>, the
/// same series the chart draws) and upserts <see cref="MeterFindingRecord"/>s (same meter + kind + start = same finding).
/// Each new use finding becomes a clue (source "meter") at the township of the meter's adit or mine, copied to the power
/// department. Works in the caller's unit of work; the caller saves.
/// </summary>
public sealed class MeterScanner(AppDbContext db, Responsibility responsibility)
{
    /// <summary>How far back a scan reads a meter's readings (a producing baseline needs weeks; the chart shows a year).</summary>
    public const int ScanDays = 400;

    public const string ClueSource = "meter";
    public const string PowerDepartment = "power";

    private const ScopeExit Judgement = ScopeExit.SystemJudgement;

    /// <summary>Scans one meter and adds what changed to the unit of work (not saved).</summary>
    public async Task<MeterScanResult> ScanAsync(Device meter, CancellationToken ct)
    {
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var place = await PlaceAsync(meter, ct);
        var stored = await db.MeterFindings().Beyond(Judgement).Where(f => f.DeviceId == meter.Id).ToListAsync(ct);
        var context = await ContextAsync(meter, place, stored, ct);

        var since = now.AddDays(-ScanDays);
        var span = await db.MeterReadings().Beyond(Judgement).Where(r => r.DeviceId == meter.Id && r.Utc >= since)
            .GroupBy(r => r.DeviceId).Select(g => new { First = g.Min(r => r.Utc), Last = g.Max(r => r.Utc) }).FirstOrDefaultAsync(ct);
        if (span is null) return new MeterScanResult(meter.Code, 0, 0, 0, stored.Count);
        var firstDay = DateOnly.FromDateTime(ChinaTime.ToLocal(span.First));
        var lastDay = DateOnly.FromDateTime(ChinaTime.ToLocal(span.Last));
        var from = MeterDetector.DayStartUtc(firstDay);
        var to = MeterDetector.DayStartUtc(lastDay.AddDays(1)); // whole days only: hours after the last reading are not a gap yet
        var hourly = await HourlyAsync(meter.Id, from, to, ct);
        var findings = MeterDetector.Scan(context, from, hourly);

        var byKey = stored.ToDictionary(f => (f.Kind, f.StartUtc));
        int found = 0, updated = 0, clues = 0;
        foreach (var f in findings)
        {
            if (byKey.TryGetValue((f.Kind, f.Start), out var existing))
            {
                if (existing.Refresh(f, now)) updated++;
                continue;
            }
            var record = MeterFindingRecord.Create(meter, place.Lon, place.Lat, place.MineId, f, now);
            db.Add(record);
            byKey[(f.Kind, f.Start)] = record;
            found++;
            if (record.IsUse && await RouteAsync(meter, place, record, f, ct)) clues++;
        }
        return new MeterScanResult(meter.Code, found, updated, clues, byKey.Count);
    }

    /// <summary>The meter's hourly kWh from <paramref name="from"/> to <paramref name="to"/> (NaN = no data).</summary>
    public async Task<float[]> HourlyAsync(Guid deviceId, DateTime from, DateTime to, CancellationToken ct)
    {
        var lookback = from.AddHours(-MeterSeries.MaxSpreadHours);
        var readings = await db.MeterReadings().Beyond(Judgement).AsNoTracking().Where(r => r.DeviceId == deviceId && r.Utc >= lookback && r.Utc <= to)
            .OrderBy(r => r.Utc).Select(r => new { r.Utc, r.Kwh, r.Kind }).ToListAsync(ct);
        var (hours, _) = MeterSeries.Hourly(readings.Select(r => (r.Utc, r.Kwh, r.Kind)).ToList(), from, to);
        return hours.Select(h => h.Kwh is { } v ? (float)v : float.NaN).ToArray();
    }

    /// <summary>Where a meter is and what it is attached to.</summary>
    public sealed record MeterPlace(Guid? AditId, string? AditNumber, Guid? MineId, string? MineName, string Township, double? Lon, double? Lat,
        List<MeterStatePeriod> States);

    public async Task<MeterPlace> PlaceAsync(Device meter, CancellationToken ct)
    {
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var states = new List<MeterStatePeriod> { new(DateTime.MinValue, MeterState.Producing) };
        var township = meter.DivisionCode.Length >= 9 ? meter.DivisionCode[..9] : meter.DivisionCode;
        double? lon = meter.Lon, lat = meter.Lat;
        Guid? mineId = meter.MineId;
        string? mineName = null, aditNumber = null;
        if (mineId is { } mid)
        {
            var mine = await db.Set<LicensedMine>().Beyond(Judgement).AsNoTracking().Where(m => m.Id == mid)
                .Select(m => new { m.Name, m.Status, m.ValidTo, m.DivisionCode, m.MinLon, m.MinLat, m.MaxLon, m.MaxLat }).FirstOrDefaultAsync(ct);
            if (mine is not null)
            {
                mineName = mine.Name;
                if (mine.DivisionCode.Length >= 9) township = mine.DivisionCode[..9];
                lon ??= (mine.MinLon + mine.MaxLon) / 2;
                lat ??= (mine.MinLat + mine.MaxLat) / 2;
                // Each day is judged by the status in force that day (the mine's status history), a producing one
                // as expired from the day after its licence ran out.
                var history = await db.Set<MineStatusChange>().Beyond(ScopeExit.ChildrenOfVisible).AsNoTracking().Where(c => c.MineId == mid)
                    .OrderBy(c => c.SinceOn).ThenBy(c => c.RecordedUtc).Select(c => new { c.SinceOn, c.Status }).ToListAsync(ct);
                var expiredFrom = mine.ValidTo is { } validTo && validTo < DateOnly.FromDateTime(ChinaTime.ToLocal(now))
                    ? MeterDetector.DayStartUtc(validTo.AddDays(1)) : (DateTime?)null;
                states = MineStates(history.Count > 0 ? history.Select(h => (h.SinceOn, h.Status)).ToList() : [(null, mine.Status)], expiredFrom);
            }
        }
        if (meter.AditId is { } aid)
        {
            var adit = await db.Adits().Beyond(Judgement).AsNoTracking().Where(a => a.Id == aid)
                .Select(a => new { a.Number, a.TownshipCode, a.Lon, a.Lat }).FirstOrDefaultAsync(ct);
            if (adit is not null)
            {
                aditNumber = adit.Number;
                township = adit.TownshipCode;
                lon ??= adit.Lon;
                lat ??= adit.Lat;
                // Sealed from the first seal's day on; a breach does not make use legitimate.
                var sealedOn = await db.SealingEvents().Beyond(Judgement).AsNoTracking()
                    .Where(e => e.AditId == aid && e.Kind != SealingEventKind.Breached)
                    .OrderBy(e => e.OccurredOn).Select(e => (DateOnly?)e.OccurredOn).FirstOrDefaultAsync(ct);
                if (sealedOn is { } on)
                {
                    var at = MeterDetector.DayStartUtc(on);
                    states.RemoveAll(s => s.FromUtc >= at);
                    states.Add(new(at, MeterState.Sealed));
                }
            }
        }
        return new MeterPlace(meter.AditId, aditNumber, mineId, mineName, township, lon, lat, states);
    }

    /// <summary>
    /// A mine's state timeline from its status history (a null day: since ever; the same day twice: the later entry),
    /// producing periods from <paramref name="expiredFrom"/> on read as Expired.
    /// </summary>
    public static List<MeterStatePeriod> MineStates(IReadOnlyList<(DateOnly? SinceOn, MineStatus Status)> history, DateTime? expiredFrom)
    {
        static MeterState Of(MineStatus s) => s switch
        {
            MineStatus.Suspended => MeterState.Stopped,
            MineStatus.Rectifying => MeterState.Suspended,
            MineStatus.Closing => MeterState.Closing,
            _ => MeterState.Producing,
        };
        var byStart = new SortedDictionary<DateTime, MeterState>();
        foreach (var (since, status) in history) byStart[since is { } on ? MeterDetector.DayStartUtc(on) : DateTime.MinValue] = Of(status);
        if (expiredFrom is { } at)
        {
            // Split the period in force when the licence ran out, then every producing period after it is expired.
            var inForce = byStart.Where(p => p.Key <= at).Select(p => (MeterState?)p.Value).LastOrDefault() ?? byStart.First().Value;
            byStart.TryAdd(at, inForce);
            foreach (var key in byStart.Keys.Where(k => k >= at).ToList())
                if (byStart[key] == MeterState.Producing) byStart[key] = MeterState.Expired;
        }
        var states = byStart.Select(p => new MeterStatePeriod(p.Key, p.Value)).ToList();
        states[0] = states[0] with { FromUtc = DateTime.MinValue };
        return states;
    }

    public Task<MeterContext> ContextAsync(Device meter, MeterPlace place, IReadOnlyList<MeterFindingRecord> stored, CancellationToken ct) =>
        Task.FromResult(new MeterContext(place.States, stored.Select(f => f.Declared).OfType<MeterExplanation>().ToList()));

    /// <summary>Opens the finding's clue at the township, copied to the power department, and tells both.</summary>
    private async Task<bool> RouteAsync(Device meter, MeterPlace place, MeterFindingRecord record, MeterFinding f, CancellationToken ct)
    {
        var at = place.AditNumber is { } n ? $"矿硐 {n} " : place.MineName is { } m ? $"{m} " : "";
        var summary = $"{at}电表 {meter.Name}（{meter.Code}）{f.KindName}（分值 {f.Score:0.00}）：{f.Explanation}";
        var clue = await FindingClues.OpenAsync(db, responsibility, new ClueLead(ClueSource, record.Id, summary, place.Township, place.AditId, PowerDepartment),
            new Place(place.Township, place.AditId, meter.Id, place.MineId), "电表异常线索", ct);
        if (clue is null) return false;
        record.Routed(clue.Id, db.Clock.GetUtcNow().UtcDateTime);
        return true;
    }
}
