using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MineGuard.Features.Petitions;

internal sealed class PetitionConfiguration : IEntityTypeConfiguration<Petition>
{
    public void Configure(EntityTypeBuilder<Petition> e)
    {
        e.ToTable("Petitions");
        e.HasKey(p => p.Id);
        e.Property(p => p.DivisionCode).HasMaxLength(24);
        e.Property(p => p.Number).HasMaxLength(50);
        e.Property(p => p.Petitioner).HasMaxLength(100);
        e.Property(p => p.Contact).HasMaxLength(100);
        e.Property(p => p.Content).HasMaxLength(4000);
        e.Property(p => p.DepartmentCode).HasMaxLength(40);
        e.Property(p => p.Reply).HasMaxLength(4000);
        e.HasIndex(p => new { p.DivisionCode, p.Status, p.DueOn });
        e.HasIndex(p => new { p.DepartmentCode, p.Status });
    }
}
