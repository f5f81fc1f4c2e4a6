using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Imports;

internal sealed class ImportBatchConfiguration : IEntityTypeConfiguration<ImportBatch>
{
    public void Configure(EntityTypeBuilder<ImportBatch> e)
    {
        e.ToTable("ImportBatches");
        e.HasKey(b => b.Id);
        e.Property(b => b.Kind).HasMaxLength(20);
        e.Property(b => b.FileName).HasMaxLength(260);
        e.Property(b => b.DivisionCode).HasMaxLength(24);
        e.HasIndex(b => new { b.DivisionCode, b.CreatedUtc });
        e.HasOne<Division>().WithMany().HasForeignKey(b => b.DivisionCode).OnDelete(DeleteBehavior.Restrict);
    }
}
