using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MineGuard.Data;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.People;

namespace MineGuard.Features.Monitoring;

/// <summary>
/// One vehicle passing a checkpoint (卡口过车), stored once per checkpoint, time and plate: the key is (device, time,
/// plate), so a passage sent again, under the same or another event id, changes nothing. The plate is normalised
/// (<see cref="VehiclePlates.Normalise"/>). In the jurisdiction of its checkpoint's division. <see cref="IsNight"/> is
/// fixed at storing (22:00–06:00 China time), so the risk score counts night passages with an index, not a clock.
/// </summary>
public sealed class VehiclePassage : IInJurisdiction
{
    private VehiclePassage() { }

    public Guid DeviceId { get; private set; }
    public DateTime Utc { get; private set; }
    public string Plate { get; private set; } = "";
    public string DivisionCode { get; private set; } = "";

    /// <summary>"in" or "out" when the checkpoint says so.</summary>
    public string? Direction { get; private set; }

    /// <summary>The lane (车道) when the checkpoint says so.</summary>
    public string? Lane { get; private set; }

    public bool IsNight { get; private set; }

    /// <summary>The ingested event it came from (null for a passage stored another way, e.g. the benchmark).</summary>
    public Guid? EventId { get; private set; }

    public DateTime StoredUtc { get; private set; }

    public static VehiclePassage Create(in VehiclePassageInput p, DateTime storedUtc) => new()
    {
        DeviceId = p.DeviceId, Utc = p.Utc, Plate = p.Plate, DivisionCode = p.DivisionCode, Direction = p.Direction, Lane = p.Lane,
        IsNight = VehiclePlates.IsNight(p.Utc), EventId = p.EventId, StoredUtc = storedUtc,
    };
}

internal sealed class VehiclePassageConfiguration : IEntityTypeConfiguration<VehiclePassage>
{
    public void Configure(EntityTypeBuilder<VehiclePassage> e)
    {
        e.ToTable("VehiclePassages");
        // The key is also the (device, time) B-tree a checkpoint's passages and the risk score's night count read.
        e.HasKey(p => new { p.DeviceId, p.Utc, p.Plate });
        e.Property(p => p.Plate).HasMaxLength(20);
        e.Property(p => p.DivisionCode).HasMaxLength(24);
        e.Property(p => p.Direction).HasMaxLength(3);
        e.Property(p => p.Lane).HasMaxLength(10);
        e.HasIndex(p => new { p.Plate, p.Utc });
        e.HasIndex(p => p.Utc);
        e.HasOne<Device>().WithMany().HasForeignKey(p => p.DeviceId).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>A passage to store: the checkpoint, its division, the time (UTC), the normalised plate, direction and lane.</summary>
public readonly record struct VehiclePassageInput(Guid DeviceId, string DivisionCode, DateTime Utc, string Plate, string? Direction, string? Lane, Guid? EventId);

/// <summary>What storing a set of passages did: new rows and rows already there.</summary>
public sealed record VehicleStoreResult(int Stored, int Unchanged)
{
    public static readonly VehicleStoreResult None = new(0, 0);

    public string Summary => Stored + Unchanged == 0 ? "" : $"卡口过车新增 {Stored} 条，重复 {Unchanged} 条";
}

/// <summary>
/// The checkpoint passages: stored set-based and idempotently in the caller's transaction (ingestion, any bulk load).
/// The set is de-duplicated, the rows of its checkpoints in its time range read once, the new ones inserted with
/// <see cref="BulkInsert"/> (COPY on PostgreSQL). A passage already stored is a no-op, whatever its event id.
/// </summary>
public static class VehiclePassages
{
    public static DbSet<VehiclePassage> Set(AppDbContext db) => db.Set<VehiclePassage>();

    public static async Task<VehicleStoreResult> StoreAsync(AppDbContext db, IReadOnlyList<VehiclePassageInput> passages, DateTime nowUtc, CancellationToken ct)
    {
        if (passages.Count == 0) return VehicleStoreResult.None;
        if (db.Database.CurrentTransaction is null) throw new InvalidOperationException("VehiclePassages.StoreAsync writes inside the caller's transaction.");
        var unique = new Dictionary<(Guid, DateTime, string), VehiclePassageInput>(passages.Count);
        foreach (var p in passages) unique.TryAdd((p.DeviceId, p.Utc, p.Plate), p);
        var devices = unique.Values.Select(p => p.DeviceId).Distinct().ToList();
        // One writer per checkpoint at a time, so two batches carrying the same passage store it once.
        await db.LockAllAsync(LockKey.VehiclePassages, devices.Select(d => d.ToString()), ct);
        var from = unique.Values.Min(p => p.Utc);
        var to = unique.Values.Max(p => p.Utc);
        var existing = new HashSet<(Guid, DateTime, string)>();
        foreach (var chunk in devices.Chunk(500))
        {
            var rows = await Set(db).Beyond(ScopeExit.Uniqueness).AsNoTracking()
                .Where(p => chunk.Contains(p.DeviceId) && p.Utc >= from && p.Utc <= to)
                .Select(p => new { p.DeviceId, p.Utc, p.Plate }).ToListAsync(ct);
            foreach (var r in rows) existing.Add((r.DeviceId, r.Utc, r.Plate));
        }
        var fresh = new List<object>();
        foreach (var (key, p) in unique)
        {
            if (!existing.Contains(key)) fresh.Add(VehiclePassage.Create(p, nowUtc));
        }
        if (fresh.Count > 0) await db.InsertAsync(fresh, ct);
        return new VehicleStoreResult(fresh.Count, passages.Count - fresh.Count);
    }

    /// <summary>The passages of <c>checkpoint.passage</c> events (already checked by <see cref="EventParser"/>).</summary>
    public static List<VehiclePassageInput> FromEvents(IEnumerable<(ParsedEvent Event, IngestDevice? Device, Guid EventId)> events)
    {
        var result = new List<VehiclePassageInput>();
        foreach (var (e, device, id) in events)
        {
            if (e.Type != EventTypes.Checkpoint || device is null) continue;
            using var doc = JsonDocument.Parse(e.Data);
            var plate = VehiclePlates.Normalise(EventParser.Text(doc.RootElement, "plate"));
            if (plate.Length == 0) continue;
            var lane = EventParser.Text(doc.RootElement, "lane") is { Length: > 0 } l ? l.Trim()[..Math.Min(10, l.Trim().Length)] : null;
            result.Add(new(device.Id, device.DivisionCode, MeterReadings.TruncateToSecond(e.OccurredUtc), plate,
                EventParser.Text(doc.RootElement, "direction"), lane, id));
        }
        return result;
    }
}
