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

internal sealed class ImportValueMappingConfiguration : IEntityTypeConfiguration<ImportValueMapping>
{
    public void Configure(EntityTypeBuilder<ImportValueMapping> e)
    {
        e.ToTable("ImportValueMappings");
        e.HasKey(m => m.Id);
        e.Property(m => m.Kind).HasMaxLength(20);
        e.Property(m => m.CountyCode).HasMaxLength(24);
        e.Property(m => m.DivisionCode).HasMaxLength(24);
        e.Property(m => m.Field).HasMaxLength(40);
        e.Property(m => m.Value).HasMaxLength(ValueMap.MaxValueChars);
        e.Property(m => m.Known).HasMaxLength(40);
        e.HasIndex(m => new { m.CountyCode, m.Kind, m.Field, m.Value }).IsUnique();
        e.HasIndex(m => m.DivisionCode);
        e.HasOne<Division>().WithMany().HasForeignKey(m => m.DivisionCode).OnDelete(DeleteBehavior.Restrict);
    }
}
