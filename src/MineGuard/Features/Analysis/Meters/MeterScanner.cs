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

    /// <summary>Scans one meter whole (its readings up to <see cref="ScanDays"/> back) and adds what changed to the unit of work (not saved).</summary>
    public async Task<MeterScanResult> ScanAsync(Device meter, CancellationToken ct)
    {
        var place = await PlaceAsync(meter, ct);
        var stored = await db.MeterFindings().Beyond(Judgement).Where(f => f.DeviceId == meter.Id).ToListAsync(ct);
        var context = await ContextAsync(meter, place, stored, ct);
        return (await FullAsync(meter, place, stored, context, MeterSeriesChanges.Tick, ct)).Result;
    }

    /// <summary>What one meter's scan did, and what the daily scan keeps of it (null: keep what was kept).</summary>
    public sealed record MeterScanOutcome(Guid MeterId, MeterScanResult Result, MeterBaselines.Entry? Keep);

    /// <summary>
    /// The daily scan of a set of meters (<see cref="MeterScanJob"/>), set-based: their places, stored findings and, for
    /// each meter with a kept baseline still valid (<see cref="MeterBaselines"/>), only the readings after the kept day,
    /// read in one query; the detector goes on from the kept baseline, so the findings are those a whole re-scan gives.
    /// Other meters are re-scanned whole. Adds what changed to the unit of work (not saved); the caller keeps the
    /// outcomes' entries once it has committed. <paramref name="readTick"/>: taken once no writer of readings was still
    /// open (<see cref="Features.Monitoring.MeterReadings.WaitForWritersAsync"/>), before anything was read.
    /// </summary>
    public async Task<List<MeterScanOutcome>> ScanManyAsync(IReadOnlyList<Device> meters, MeterBaselines kept, long readTick, RecentReadings? recent,
        CancellationToken ct)
    {
        var ids = meters.Select(m => m.Id).ToList();
        var places = await PlacesAsync(meters, ct);
        var storedBy = (await db.MeterFindings().Beyond(Judgement).Where(f => ids.Contains(f.DeviceId)).ToListAsync(ct))
            .GroupBy(f => f.DeviceId).ToDictionary(g => g.Key, g => g.ToList());
        var outcomes = new List<MeterScanOutcome>(meters.Count);
        var warm = new List<(Device Meter, MeterContext Context, string Key, MeterBaselines.Entry Entry)>();
        foreach (var meter in meters)
        {
            var stored = storedBy.GetValueOrDefault(meter.Id) ?? [];
            var context = await ContextAsync(meter, places[meter.Id], stored, ct);
            var key = MeterBaselines.KeyOf(context);
            if (kept.TryGet(meter.Id, out var entry) && entry.ContextKey == key
                && !MeterSeriesChanges.ChangedBefore(meter.Id, entry.CommittedEndUtc, entry.ReadTick))
                warm.Add((meter, context, key, entry));
            else outcomes.Add(await FullAsync(meter, places[meter.Id], stored, context, readTick, ct));
        }

        var now = db.Clock.GetUtcNow().UtcDateTime;
        foreach (var group in warm.GroupBy(w => w.Entry.CommittedEndUtc))
        {
            var lookback = group.Key.AddHours(-MeterSeries.MaxSpreadHours);
            var groupIds = group.Select(w => w.Meter.Id).ToList();
            var readings = recent is not null && recent.FromUtc <= lookback
                ? groupIds.Where(recent.ByMeter.ContainsKey).ToDictionary(id => id, id => recent.ByMeter[id].Where(r => r.Utc >= lookback).ToList())
                : (await db.MeterReadings().Beyond(Judgement).AsNoTracking().Where(r => groupIds.Contains(r.DeviceId) && r.Utc >= lookback)
                        .Select(r => new { r.DeviceId, r.Utc, r.Kwh, r.Kind }).ToListAsync(ct))
                    .GroupBy(r => r.DeviceId).ToDictionary(g => g.Key, g => g.Select(r => (r.Utc, r.Kwh, r.Kind)).ToList());
            foreach (var (meter, context, key, entry) in group)
            {
                var stored = storedBy.GetValueOrDefault(meter.Id) ?? [];
                var series = readings.GetValueOrDefault(meter.Id);
                if (series is null || series.Max(r => r.Utc) < entry.CommittedEndUtc)
                {
                    outcomes.Add(new(meter.Id, new MeterScanResult(meter.Code, 0, 0, 0, stored.Count), null));
                    continue;
                }
                var firstDay = DateOnly.FromDateTime(ChinaTime.ToLocal(entry.CommittedEndUtc));
                var lastDay = DateOnly.FromDateTime(ChinaTime.ToLocal(series.Max(r => r.Utc)));
                var (hours, _) = MeterSeries.Hourly(series, entry.CommittedEndUtc, MeterDetector.DayStartUtc(lastDay.AddDays(1)));
                var hourly = hours.Select(h => h.Kwh is { } v ? (float)v : float.NaN).ToArray();
                var (findings, committed) = ScanKeeping(entry.Committed, context, firstDay, hourly);
                var result = await UpsertAsync(meter, places[meter.Id], stored, findings, now, ct);
                outcomes.Add(new(meter.Id, result, new(committed, MeterDetector.DayStartUtc(lastDay), key, readTick)));
            }
        }
        return outcomes;
    }

    /// <summary>The readings of every meter from <paramref name="FromUtc"/> on, read once for a daily scan (<see cref="ReadRecentAsync"/>).</summary>
    public sealed record RecentReadings(DateTime FromUtc, Dictionary<Guid, List<(DateTime Utc, double Kwh, MeterReadingKind Kind)>> ByMeter);

    /// <summary>
    /// The readings the daily scan of these meters needs, in one set-based query: from the day most of them were kept
    /// up to (less the hours a register reading may spread over) on, for every meter; null when none was kept.
    /// </summary>
    public async Task<RecentReadings?> ReadRecentAsync(IReadOnlyList<Device> meters, MeterBaselines kept, CancellationToken ct)
    {
        var common = meters.Select(m => kept.TryGet(m.Id, out var e) ? e.CommittedEndUtc : (DateTime?)null).OfType<DateTime>()
            .GroupBy(d => d).OrderByDescending(g => g.Count()).Select(g => (DateTime?)g.Key).FirstOrDefault();
        if (common is not { } end) return null;
        var from = end.AddHours(-MeterSeries.MaxSpreadHours);
        var byMeter = new Dictionary<Guid, List<(DateTime Utc, double Kwh, MeterReadingKind Kind)>>(meters.Count);
        await foreach (var r in db.MeterReadings().Beyond(Judgement).AsNoTracking().Where(r => r.Utc >= from)
                           .Select(r => new { r.DeviceId, r.Utc, r.Kwh, r.Kind }).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (!byMeter.TryGetValue(r.DeviceId, out var list)) byMeter[r.DeviceId] = list = [];
            list.Add((r.Utc, r.Kwh, r.Kind));
        }
        return new RecentReadings(from, byMeter);
    }

    /// <summary>A whole re-scan of one meter, keeping its baseline for the daily scan.</summary>
    private async Task<MeterScanOutcome> FullAsync(Device meter, MeterPlace place, List<MeterFindingRecord> stored, MeterContext context, long readTick,
        CancellationToken ct)
    {
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var since = now.AddDays(-ScanDays);
        var span = await db.MeterReadings().Beyond(Judgement).Where(r => r.DeviceId == meter.Id && r.Utc >= since)
            .GroupBy(r => r.DeviceId).Select(g => new { First = g.Min(r => r.Utc), Last = g.Max(r => r.Utc) }).FirstOrDefaultAsync(ct);
        if (span is null) return new(meter.Id, new MeterScanResult(meter.Code, 0, 0, 0, stored.Count), null);
        var firstDay = DateOnly.FromDateTime(ChinaTime.ToLocal(span.First));
        var lastDay = DateOnly.FromDateTime(ChinaTime.ToLocal(span.Last));
        var from = MeterDetector.DayStartUtc(firstDay);
        var to = MeterDetector.DayStartUtc(lastDay.AddDays(1)); // whole days only: hours after the last reading are not a gap yet
        var hourly = await HourlyAsync(meter.Id, from, to, ct);
        var (findings, committed) = ScanKeeping(new MeterBaseline(), context, firstDay, hourly);
        var result = await UpsertAsync(meter, place, stored, findings, now, ct);
        return new(meter.Id, result, new(committed, MeterDetector.DayStartUtc(lastDay), MeterBaselines.KeyOf(context), readTick));
    }

    /// <summary>
    /// <see cref="MeterDetector.Scan"/> from a baseline over whole days from <paramref name="firstDay"/>, keeping the
    /// baseline after the last day but one (the last day may still be incomplete: it is scanned on a copy, then every
    /// open finding is closed on that copy, as a whole re-scan does). A gap still open at the end is not closed: the
    /// hours after the last reading are not a gap yet (the scan runs at 02:00, when the last day holds two hours).
    /// </summary>
    public static (List<MeterFinding> Findings, MeterBaseline Committed) ScanKeeping(MeterBaseline start, MeterContext context, DateOnly firstDay,
        ReadOnlySpan<float> hourly)
    {
        var committed = start.Clone();
        var findings = new List<MeterFinding>();
        var days = hourly.Length / 24;
        for (var d = 0; d < days - 1; d++) MeterDetector.ScanDay(committed, context, firstDay.AddDays(d), hourly.Slice(d * 24, 24), findings);
        var last = committed.Clone();
        if (days > 0) MeterDetector.ScanDay(last, context, firstDay.AddDays(days - 1), hourly.Slice((days - 1) * 24, 24), findings);
        last.InGap = false;
        MeterDetector.Flush(last, findings);
        return (findings, committed);
    }

    /// <summary>Same meter + kind + start is the same finding: refreshed while not explained; a new use finding is routed.</summary>
    private async Task<MeterScanResult> UpsertAsync(Device meter, MeterPlace place, List<MeterFindingRecord> stored, List<MeterFinding> findings,
        DateTime now, CancellationToken ct)
    {
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

    public async Task<MeterPlace> PlaceAsync(Device meter, CancellationToken ct) => (await PlacesAsync([meter], ct))[meter.Id];

    /// <summary>The places of a set of meters: one query each for their mines, the mines' status histories, adits and the adits' sealing days.</summary>
    public async Task<Dictionary<Guid, MeterPlace>> PlacesAsync(IReadOnlyList<Device> meters, CancellationToken ct)
    {
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var mineIds = meters.Where(m => m.MineId != null).Select(m => m.MineId!.Value).Distinct().ToList();
        var mines = mineIds.Count == 0 ? [] : await db.Set<LicensedMine>().Beyond(Judgement).AsNoTracking().Where(m => mineIds.Contains(m.Id))
            .Select(m => new { m.Id, m.Name, m.Status, m.ValidTo, m.DivisionCode, m.MinLon, m.MinLat, m.MaxLon, m.MaxLat }).ToDictionaryAsync(m => m.Id, ct);
        var histories = (mineIds.Count == 0 ? [] : await db.Set<MineStatusChange>().Beyond(ScopeExit.ChildrenOfVisible).AsNoTracking()
                .Where(c => mineIds.Contains(c.MineId)).OrderBy(c => c.SinceOn).ThenBy(c => c.RecordedUtc)
                .Select(c => new { c.MineId, c.SinceOn, c.Status }).ToListAsync(ct))
            .ToLookup(c => c.MineId, c => (c.SinceOn, c.Status));
        var aditIds = meters.Where(m => m.AditId != null).Select(m => m.AditId!.Value).Distinct().ToList();
        var adits = aditIds.Count == 0 ? [] : await db.Adits().Beyond(Judgement).AsNoTracking().Where(a => aditIds.Contains(a.Id))
            .Select(a => new { a.Id, a.Number, a.TownshipCode, a.Lon, a.Lat }).ToDictionaryAsync(a => a.Id, ct);
        // Sealed from the first seal's day on; a breach does not make use legitimate.
        var sealedOn = aditIds.Count == 0 ? [] : (await db.SealingEvents().Beyond(Judgement).AsNoTracking()
                .Where(e => aditIds.Contains(e.AditId) && e.Kind != SealingEventKind.Breached).Select(e => new { e.AditId, e.OccurredOn }).ToListAsync(ct))
            .GroupBy(e => e.AditId).ToDictionary(g => g.Key, g => g.Min(e => e.OccurredOn));

        var result = new Dictionary<Guid, MeterPlace>(meters.Count);
        foreach (var meter in meters)
        {
            var states = new List<MeterStatePeriod> { new(DateTime.MinValue, MeterState.Producing) };
            var township = meter.DivisionCode.Length >= 9 ? meter.DivisionCode[..9] : meter.DivisionCode;
            double? lon = meter.Lon, lat = meter.Lat;
            Guid? mineId = meter.MineId;
            string? mineName = null, aditNumber = null;
            if (mineId is { } mid && mines.TryGetValue(mid, out var mine))
            {
                mineName = mine.Name;
                if (mine.DivisionCode.Length >= 9) township = mine.DivisionCode[..9];
                lon ??= (mine.MinLon + mine.MaxLon) / 2;
                lat ??= (mine.MinLat + mine.MaxLat) / 2;
                // Each day is judged by the status in force that day (the mine's status history), a producing one
                // as expired from the day after its licence ran out.
                var history = histories[mid].ToList();
                var expiredFrom = mine.ValidTo is { } validTo && validTo < DateOnly.FromDateTime(ChinaTime.ToLocal(now))
                    ? MeterDetector.DayStartUtc(validTo.AddDays(1)) : (DateTime?)null;
                states = MineStates(history.Count > 0 ? history : [(null, mine.Status)], expiredFrom);
            }
            if (meter.AditId is { } aid && adits.TryGetValue(aid, out var adit))
            {
                aditNumber = adit.Number;
                township = adit.TownshipCode;
                lon ??= adit.Lon;
                lat ??= adit.Lat;
                if (sealedOn.TryGetValue(aid, out var on))
                {
                    var at = MeterDetector.DayStartUtc(on);
                    states.RemoveAll(s => s.FromUtc >= at);
                    states.Add(new(at, MeterState.Sealed));
                }
            }
            result[meter.Id] = new MeterPlace(meter.AditId, aditNumber, mineId, mineName, township, lon, lat, states);
        }
        return result;
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
