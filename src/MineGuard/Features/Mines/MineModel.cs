using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MineGuard.Features.Imports;
using MineGuard.Platform.Imports;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Mines;

internal sealed class LicensedMineConfiguration : IEntityTypeConfiguration<LicensedMine>
{
    public void Configure(EntityTypeBuilder<LicensedMine> e)
    {
        e.ToTable("LicensedMines");
        e.HasKey(m => m.Id);
        e.Property(m => m.Name).HasMaxLength(200);
        e.Property(m => m.RightsHolder).HasMaxLength(200);
        e.Property(m => m.LicenceNumber).HasMaxLength(60);
        e.Property(m => m.CountyCode).HasMaxLength(24);
        e.Property(m => m.DivisionCode).HasMaxLength(24);
        e.HasIndex(m => m.LicenceNumber).IsUnique();
        e.HasIndex(m => new { m.MinLon, m.MaxLon, m.MinLat, m.MaxLat });
        e.HasIndex(m => m.DivisionCode);
        e.HasIndex(m => m.ImportBatchId);
        e.HasIndex(m => m.ResponsiblePersonId);
        e.HasOne<MineGuard.Platform.People.Person>().WithMany().HasForeignKey(m => m.ResponsiblePersonId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Division>().WithMany().HasForeignKey(m => m.DivisionCode).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<ImportBatch>().WithMany().HasForeignKey(m => m.ImportBatchId).OnDelete(DeleteBehavior.Restrict);
        e.HasMany(m => m.StatusChanges).WithOne().HasForeignKey(c => c.MineId).OnDelete(DeleteBehavior.Cascade);
        e.Navigation(m => m.StatusChanges).HasField("statusChanges");
    }
}
