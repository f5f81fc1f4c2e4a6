using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MineGuard.Features.Satellite;

internal sealed class SatelliteBatchConfiguration : IEntityTypeConfiguration<SatelliteBatch>
{
    public void Configure(EntityTypeBuilder<SatelliteBatch> e)
    {
        e.ToTable("SatelliteBatches");
        e.HasKey(x => x.Id);
        e.Property(x => x.DivisionCode).HasMaxLength(24);
        e.Property(x => x.BatchKey).HasMaxLength(100);
        e.Property(x => x.Crs).HasMaxLength(10);
        e.HasIndex(x => x.BatchKey).IsUnique();
        e.HasIndex(x => x.DivisionCode);
    }
}

internal sealed class SatellitePatchConfiguration : IEntityTypeConfiguration<SatellitePatch>
{
    public void Configure(EntityTypeBuilder<SatellitePatch> e)
    {
        e.ToTable("SatellitePatches");
        e.HasKey(x => x.Id);
        e.Property(x => x.DivisionCode).HasMaxLength(24);
        e.Property(x => x.PatchKey).HasMaxLength(100);
        e.Property(x => x.ChangeType).HasMaxLength(40);
        e.Property(x => x.BeforeImage).HasMaxLength(500);
        e.Property(x => x.AfterImage).HasMaxLength(500);
        e.Property(x => x.MineIds).HasMaxLength(1500);
        e.Property(x => x.AditIds).HasMaxLength(1500);
        e.Property(x => x.EarlierPatchIds).HasMaxLength(1500);
        e.Property(x => x.OpenClueIds).HasMaxLength(1500);
        e.Property(x => x.CaseIds).HasMaxLength(1500);
        e.Property(x => x.FindingNote).HasMaxLength(2000);
        e.Property(x => x.ReviewNote).HasMaxLength(2000);
        e.Property(x => x.FindingProof).HasMaxLength(1000);
        e.HasIndex(x => new { x.BatchId, x.PatchKey }).IsUnique();
        // The box columns make matching index-backed on both engines: candidates by box, exact tests in code.
        e.HasIndex(x => new { x.MinLon, x.MaxLon, x.MinLat, x.MaxLat });
        e.HasIndex(x => new { x.DivisionCode, x.State });
        e.HasIndex(x => x.AssignmentId);
        e.HasOne<SatelliteBatch>().WithMany().HasForeignKey(x => x.BatchId).OnDelete(DeleteBehavior.Restrict);
    }
}
