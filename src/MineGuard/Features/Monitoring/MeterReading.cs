using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MineGuard.Data;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Monitoring;

/// <summary>What a meter reading counts: the kWh used in an interval, or the meter's register (示数, cumulative).</summary>
public enum MeterReadingKind
{
    Interval = 0,
    Register = 1,
}

/// <summary>
/// One electricity meter reading (电表读数), stored once per meter and time: the key is (device, time), so a reading sent
/// again with the same value changes nothing and one sent with another value replaces it (the value it replaced is kept
/// in <see cref="ReplacedKwh"/>). In the jurisdiction of its meter's division. On PostgreSQL the table is partitioned by
/// month on <see cref="Utc"/> (see <see cref="MeterReadings"/>).
/// </summary>
public sealed class MeterReading : IInJurisdiction
{
    private MeterReading() { }

    public Guid DeviceId { get; private set; }

    /// <summary>The reading's time (UTC): an interval's start, or the instant a register was read.</summary>
    public DateTime Utc { get; private set; }

    public string DivisionCode { get; private set; } = "";
    public double Kwh { get; private set; }
    public MeterReadingKind Kind { get; private set; }

    /// <summary>Where it came from: "ingest" (the integration API) or "upload" (the power company's export).</summary>
    public string Source { get; private set; } = "";

    /// <summary>When it was stored or last replaced.</summary>
    public DateTime StoredUtc { get; private set; }

    /// <summary>The value a later, different reading for the same meter and time replaced (null when never replaced).</summary>
    public double? ReplacedKwh { get; private set; }

    public static MeterReading Create(Guid deviceId, DateTime utc, string divisionCode, double kwh, MeterReadingKind kind, string source, DateTime storedUtc) => new()
    {
        DeviceId = deviceId, Utc = utc, DivisionCode = divisionCode, Kwh = kwh, Kind = kind, Source = source, StoredUtc = storedUtc,
    };
}

internal sealed class MeterReadingConfiguration : IEntityTypeConfiguration<MeterReading>
{
    public void Configure(EntityTypeBuilder<MeterReading> e)
    {
        e.ToTable("MeterReadings");
        // The partition column is part of the key (PostgreSQL requires it of every unique index on a partitioned table);
        // the key is also the B-tree (device, time) that a meter's series reads.
        e.HasKey(r => new { r.DeviceId, r.Utc });
        e.Property(r => r.DivisionCode).HasMaxLength(24);
        e.Property(r => r.Source).HasMaxLength(10);
        // BRIN on PostgreSQL (readings arrive roughly in time order; a day's scan over all meters); a B-tree on SQLite.
        e.HasIndex(r => r.Utc).HasMethod("brin");
        e.HasOne<Device>().WithMany().HasForeignKey(r => r.DeviceId).OnDelete(DeleteBehavior.Restrict);
    }
}

public static class MeterReadingSets
{
    public static DbSet<MeterReading> MeterReadings(this AppDbContext db) => db.Set<MeterReading>();
}
