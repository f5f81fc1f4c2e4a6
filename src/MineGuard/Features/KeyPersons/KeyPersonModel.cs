using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MineGuard.Features.Adits;
using MineGuard.Features.Imports;
using MineGuard.Platform.Imports;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.KeyPersons;

internal sealed class KeyPersonConfiguration : IEntityTypeConfiguration<KeyPerson>
{
    public void Configure(EntityTypeBuilder<KeyPerson> e)
    {
        e.ToTable("KeyPersons");
        e.HasKey(p => p.Id);
        e.Property(p => p.Name).HasMaxLength(50);
        e.Property(p => p.IdNumberProtected).HasMaxLength(1000);
        e.Property(p => p.IdNumberHash).HasMaxLength(64);
        e.Property(p => p.IdNumberLast4).HasMaxLength(4);
        e.Property(p => p.Phone).HasMaxLength(30);
        e.Property(p => p.DivisionCode).HasMaxLength(24);
        e.Property(p => p.Address).HasMaxLength(200);
        e.Property(p => p.History).HasMaxLength(2000);
        e.Property(p => p.PriorCases).HasMaxLength(2000);
        e.Property(p => p.Plates).HasMaxLength(KeyPersonCommands.PlatesMax);
        e.HasIndex(p => p.IdNumberHash).IsUnique();
        e.HasIndex(p => p.DivisionCode);
        e.HasIndex(p => p.ImportBatchId);
        e.HasOne<Division>().WithMany().HasForeignKey(p => p.DivisionCode).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<ImportBatch>().WithMany().HasForeignKey(p => p.ImportBatchId).OnDelete(DeleteBehavior.Restrict);
        e.Ignore(p => p.MaskedIdNumber);
    }
}

internal sealed class HomeVisitConfiguration : IEntityTypeConfiguration<HomeVisit>
{
    public void Configure(EntityTypeBuilder<HomeVisit> e)
    {
        e.ToTable("HomeVisits");
        e.HasKey(v => v.Id);
        e.Property(v => v.DivisionCode).HasMaxLength(24);
        e.Property(v => v.VisitedBy).HasMaxLength(200);
        e.Property(v => v.Outcome).HasMaxLength(2000);
        e.HasIndex(v => new { v.KeyPersonId, v.VisitedOn });
        e.HasOne<KeyPerson>().WithMany().HasForeignKey(v => v.KeyPersonId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class KeyPersonAditConfiguration : IEntityTypeConfiguration<KeyPersonAdit>
{
    public void Configure(EntityTypeBuilder<KeyPersonAdit> e)
    {
        e.ToTable("KeyPersonAdits");
        e.HasKey(l => new { l.KeyPersonId, l.AditId });
        e.Property(l => l.Relation).HasMaxLength(100);
        e.HasIndex(l => l.AditId);
        e.HasOne<KeyPerson>().WithMany().HasForeignKey(l => l.KeyPersonId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<Adit>().WithMany().HasForeignKey(l => l.AditId).OnDelete(DeleteBehavior.Cascade);
    }
}
