using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Features.Clues;
using MineGuard.Features.Incidents;
using MineGuard.Features.KeyPersons;
using MineGuard.Features.Monitoring;
using MineGuard.Features.Patrols;
using MineGuard.Features.Tips;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Risk;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Analysis;

/// <summary>
/// Loads what the risk score reads for a set of adits, set-based: one query per signal over the whole set (check-ins
/// grouped by adit; alerts, clues and tips inside the set's bounding box widened by the radius; key persons grouped by
/// home village), then scores in memory with <see cref="RiskModel"/>. The signals are read beyond the caller's scope
/// (a system judgement: an alert filed under the next village still counts), only counts are shown.
/// </summary>
public sealed class RiskScorer(AppDbContext db, IConfiguration config) : IAditRiskRanking
{
    private const ScopeExit Judgement = ScopeExit.SystemJudgement;

    /// <summary>From this many adits (<c>Risk:WholeTablesFrom</c>, default 5,000) the per-adit signals are read grouped over
    /// the set's counties, not through the set's ids.</summary>
    private int WholeTablesFrom => config.GetValue("Risk:WholeTablesFrom", 5_000);

    public async Task<Dictionary<Guid, AditRiskScore>> ScoreAsync(IQueryable<Adit> adits, CancellationToken ct)
    {
        var list = await adits.AsNoTracking().Select(a => new RiskAdit(a.Id, a.CountyCode, a.VillageCode, a.Lon, a.Lat, a.State,
            a.CurrentSealMethod, a.BreachCount, a.LastBreachedOn)).ToListAsync(ct);
        if (list.Count == 0) return [];
        var weights = await WeightsAsync(list.Select(a => a.CountyCode).Distinct().ToList(), ct);
        var byId = list.ToDictionary(a => a.Id);

        // The bounding box of the set, widened by the largest radius in use.
        var near = weights.Values.Select(w => w.NearMetres).DefaultIfEmpty(RiskModel.DefaultNearMetres).Max();
        var padLat = near / 111_000.0;
        var padLon = near / (111_000.0 * Math.Max(0.05, Math.Cos(Math.Min(89, list.Max(a => Math.Abs(a.Lat)) + 1) * Math.PI / 180)));
        var (minLon, maxLon) = (list.Min(a => a.Lon) - padLon, list.Max(a => a.Lon) + padLon);
        var (minLat, maxLat) = (list.Min(a => a.Lat) - padLat, list.Max(a => a.Lat) + padLat);

        var now = db.Clock.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(ChinaTime.ToLocal(now));
        // The set's query is run once. A large set reads the per-adit signals grouped over the whole table and keeps its
        // own adits in memory: the set's query as a subquery, evaluated again by each signal, cost about 2 s each for
        // 100,000 adits on SQLite (see RiskScaleBench), and a view's bounding box is a scan of the adits table.
        var whole = list.Count >= WholeTablesFrom;
        // A large set's grouped reads are bounded by the counties the set lies in (the longest code prefix its counties
        // share: 嵩县's set reads 嵩县, not the province); rows carry their adit's division, so none of the set's is missed.
        var counties = whole ? JurisdictionScope.Of(SharedPrefix(list.Select(a => a.CountyCode))) : JurisdictionScope.All;
        // A smaller set's ids go as one parameter (json_each on SQLite, = ANY on PostgreSQL), not as the set's query again.
        List<Guid> ids = whole ? [] : list.Select(a => a.Id).ToList();
        var checkIns = db.CheckIns().Beyond(Judgement).AsNoTracking().Where(CheckIn.Proven);
        checkIns = whole ? checkIns.Within(counties, c => c.DivisionCode) : checkIns.Where(c => ids.Contains(c.AditId));
        var lastProven = new Dictionary<Guid, DateOnly>(list.Count);
        foreach (var r in await checkIns.GroupBy(c => c.AditId).Select(g => new { g.Key, Last = g.Max(c => c.AtUtc) }).ToListAsync(ct))
        {
            if (byId.ContainsKey(r.Key)) lastProven[r.Key] = DateOnly.FromDateTime(ChinaTime.ToLocal(r.Last));
        }

        var alerts = await db.Set<Alert>().Beyond(Judgement).AsNoTracking().Where(a => a.Status != AlertStatus.Closed)
            .Where(a => a.Lon != null && a.Lat != null && a.Lon >= minLon && a.Lon <= maxLon && a.Lat >= minLat && a.Lat <= maxLat
                        || a.Lon == null && a.AditId != null && (whole || ids.Contains(a.AditId.Value)))
            .Select(a => new { a.Lon, a.Lat, a.AditId }).ToListAsync(ct);

        var clues = await (from c in db.Set<Clue>().Beyond(Judgement)
                join a in db.Adits().Beyond(Judgement) on c.AditId equals a.Id
                where c.State != ClueState.Closed && c.State != ClueState.Merged
                      && a.Lon >= minLon && a.Lon <= maxLon && a.Lat >= minLat && a.Lat <= maxLat
                select new { a.Lon, a.Lat }).AsNoTracking().ToListAsync(ct);

        var since = now.AddDays(-RiskModel.TipDays);
        var tips = await db.Set<Tip>().Beyond(Judgement).AsNoTracking()
            .Where(t => t.ReceivedUtc >= since && t.MergedIntoId == null && t.Outcome != TipOutcome.False)
            .Where(t => t.Lon != null && t.Lat != null && t.Lon >= minLon && t.Lon <= maxLon && t.Lat >= minLat && t.Lat <= maxLat
                        || t.Lon == null && t.AditId != null && (whole || ids.Contains(t.AditId.Value)))
            .Select(t => new { t.Lon, t.Lat, t.AditId }).ToListAsync(ct);

        // Open meter findings of use (not gaps, not explained), at their meter's place, weighted by their score.
        var meters = await db.MeterFindings().Beyond(Judgement).AsNoTracking()
            .Where(f => f.Kind != MeterFindingKinds.Gap && f.Status != MeterFindingStatus.Explained)
            .Where(f => f.Lon != null && f.Lat != null && f.Lon >= minLon && f.Lon <= maxLon && f.Lat >= minLat && f.Lat <= maxLat
                        || f.Lon == null && f.AditId != null && (whole || ids.Contains(f.AditId.Value)))
            .Select(f => new { f.Lon, f.Lat, f.AditId, f.Score }).ToListAsync(ct);

        // Checkpoints with night passages in the last days, at their place, weighted by the count.
        var nightSince = now.AddDays(-RiskModel.VehicleDays);
        var vehicles = await (from p in db.Set<VehiclePassage>().Beyond(Judgement)
                join d in db.Devices().Beyond(Judgement) on p.DeviceId equals d.Id
                where p.IsNight && p.Utc >= nightSince
                      && (d.Lon != null && d.Lat != null && d.Lon >= minLon && d.Lon <= maxLon && d.Lat >= minLat && d.Lat <= maxLat
                          || d.Lon == null && d.AditId != null && (whole || ids.Contains(d.AditId.Value)))
                group p by new { d.Id, d.Lon, d.Lat, d.AditId } into g
                select new { g.Key.Lon, g.Key.Lat, g.Key.AditId, Count = g.Count() }).AsNoTracking().ToListAsync(ct);

        var incidentSince = now.AddDays(-RiskModel.IncidentDays);
        var incidentRows = db.Set<Incident>().Beyond(Judgement).AsNoTracking().Where(i => i.OccurredUtc >= incidentSince);
        incidentRows = whole ? incidentRows.Within(counties, i => i.DivisionCode) : incidentRows.Where(i => ids.Contains(i.AditId));
        var incidents = (await incidentRows.GroupBy(i => i.AditId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct))
            .Where(g => byId.ContainsKey(g.Key)).ToDictionary(g => g.Key, g => g.Count);

        var villages = list.Where(a => a.VillageCode != null).Select(a => a.VillageCode!).Distinct().ToList();
        var byHome = await db.Set<KeyPerson>().Beyond(Judgement).AsNoTracking().Where(k => villages.Contains(k.DivisionCode))
            .GroupBy(k => k.DivisionCode).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var setAdits = db.Adits().Beyond(Judgement).Within(counties, a => a.DivisionCode);
        var linkRows = whole ? db.Set<KeyPersonAdit>().Where(l => setAdits.Any(a => a.Id == l.AditId)) : db.Set<KeyPersonAdit>().Where(l => ids.Contains(l.AditId));
        var links = (await (from l in linkRows
                join k in db.Set<KeyPerson>().Beyond(Judgement) on l.KeyPersonId equals k.Id
                select new { l.AditId, k.DivisionCode }).AsNoTracking().ToListAsync(ct)).Where(l => byId.ContainsKey(l.AditId)).ToList();

        RiskPoint? At(double? lon, double? lat, Guid? aditId) =>
            lon is { } x && lat is { } y ? new RiskPoint(x, y) : aditId is { } id && byId.TryGetValue(id, out var a) ? new RiskPoint(a.Lon, a.Lat) : null;

        var inputs = new RiskInputs
        {
            Adits = list,
            LastProven = lastProven,
            Alerts = alerts.Select(a => At(a.Lon, a.Lat, a.AditId)).OfType<RiskPoint>().ToList(),
            Clues = clues.Select(c => new RiskPoint(c.Lon, c.Lat)).ToList(),
            Tips = tips.Select(t => At(t.Lon, t.Lat, t.AditId)).OfType<RiskPoint>().ToList(),
            Meters = meters.Select(m => At(m.Lon, m.Lat, m.AditId) is { } p ? p with { Weight = m.Score } : (RiskPoint?)null).OfType<RiskPoint>().ToList(),
            Vehicles = vehicles.Select(v => At(v.Lon, v.Lat, v.AditId) is { } p ? p with { Weight = v.Count } : (RiskPoint?)null).OfType<RiskPoint>().ToList(),
            Incidents = incidents,
            KeyPersonsByHome = byHome,
            KeyPersonLinks = links.Where(l => l.DivisionCode != byId[l.AditId].VillageCode).GroupBy(l => l.AditId).ToDictionary(g => g.Key, g => g.Count()),
        };
        return RiskModel.Score(inputs, c => weights.GetValueOrDefault(c) ?? RiskModel.Weights.Default, today);
    }

    /// <summary>The longest prefix the codes share ("" when they share none).</summary>
    private static string SharedPrefix(IEnumerable<string> codes)
    {
        string? prefix = null;
        foreach (var code in codes)
        {
            if (prefix is null) { prefix = code; continue; }
            var n = 0;
            while (n < prefix.Length && n < code.Length && prefix[n] == code[n]) n++;
            if (n < prefix.Length) prefix = prefix[..n];
            if (prefix.Length == 0) break;
        }
        return prefix ?? "";
    }

    /// <summary>The weights in force for these counties (the county's office's, else the defaults): settings set above the caller.</summary>
    public async Task<Dictionary<string, RiskModel.Weights>> WeightsAsync(IReadOnlyCollection<string> counties, CancellationToken ct) =>
        (await db.Set<RiskWeights>().Beyond(ScopeExit.InheritedSettings).AsNoTracking().Where(w => counties.Contains(w.DivisionCode)).ToListAsync(ct))
        .ToDictionary(w => w.DivisionCode, w => w.ToWeights());

    public async Task<IReadOnlyDictionary<Guid, AditRiskRank>> RankAsync(IReadOnlyCollection<Guid> aditIds, CancellationToken ct)
    {
        var scores = await ScoreAsync(db.Adits().Where(a => aditIds.Contains(a.Id)), ct);
        return scores.ToDictionary(s => s.Key, s => new AditRiskRank(s.Value.Score, s.Value.Reason, s.Value.LastProvenOn));
    }
}
