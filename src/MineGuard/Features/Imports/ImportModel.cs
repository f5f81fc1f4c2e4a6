using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MineGuard.Platform.Files;
using MineGuard.Platform.Imports;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Imports;

internal sealed class ImportSessionConfiguration : IEntityTypeConfiguration<ImportSession>
{
    public void Configure(EntityTypeBuilder<ImportSession> e)
    {
        e.ToTable("ImportSessions");
        e.HasKey(s => s.Id);
        e.Property(s => s.Kind).HasMaxLength(20);
        e.Property(s => s.CountyCode).HasMaxLength(24);
        e.Property(s => s.DivisionCode).HasMaxLength(24);
        e.Property(s => s.FileName).HasMaxLength(260);
        e.HasIndex(s => new { s.DivisionCode, s.Status, s.CreatedUtc });
        e.HasIndex(s => s.FileId);
        e.HasIndex(s => s.BatchId);
        e.HasOne<Division>().WithMany().HasForeignKey(s => s.DivisionCode).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<StoredFile>().WithMany().HasForeignKey(s => s.FileId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<ImportBatch>().WithMany().HasForeignKey(s => s.BatchId).OnDelete(DeleteBehavior.Restrict);
    }
}
