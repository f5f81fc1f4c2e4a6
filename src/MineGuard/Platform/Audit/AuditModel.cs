using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MineGuard.Platform.Audit;

internal sealed class AuditRecordConfiguration : IEntityTypeConfiguration<AuditRecord>
{
    public void Configure(EntityTypeBuilder<AuditRecord> e)
    {
        e.HasKey(a => a.Sequence);
        e.Property(a => a.Sequence).ValueGeneratedNever();
        e.Property(a => a.ActorName).HasMaxLength(AuditRecord.ActorNameMax);
        e.Property(a => a.Action).HasMaxLength(40);
        e.Property(a => a.EntityType).HasMaxLength(100);
        e.Property(a => a.EntityId).HasMaxLength(AuditRecord.EntityIdMax);
        e.Property(a => a.DivisionCode).HasMaxLength(24);
        e.Property(a => a.Address).HasMaxLength(64);
        e.Property(a => a.PreviousHash).HasMaxLength(64);
        e.Property(a => a.Hash).HasMaxLength(64);
        e.HasIndex(a => new { a.DivisionCode, a.AtUtc });
        e.HasIndex(a => new { a.EntityType, a.EntityId });
        e.HasIndex(a => a.AtUtc);
    }
}
