using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Imports;

namespace MineGuard.Platform.People;

internal sealed class PersonConfiguration : IEntityTypeConfiguration<Person>
{
    public void Configure(EntityTypeBuilder<Person> e)
    {
        e.ToTable("Persons");
        e.HasKey(p => p.Id);
        e.Property(p => p.DivisionCode).HasMaxLength(24);
        e.Property(p => p.Name).HasMaxLength(50);
        e.Property(p => p.Phone).HasMaxLength(20);
        e.Property(p => p.Unit).HasMaxLength(100);
        e.Property(p => p.Post).HasMaxLength(50);
        e.Property(p => p.Note).HasMaxLength(500);
        e.HasIndex(p => new { p.DivisionCode, p.Name });
        e.HasIndex(p => p.Phone);
        e.HasIndex(p => p.UserId);
        e.HasIndex(p => p.ImportBatchId);
        e.HasOne<AppUser>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Person>().WithMany().HasForeignKey(p => p.MergedIntoId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<ImportBatch>().WithMany().HasForeignKey(p => p.ImportBatchId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ProtectedSecretConfiguration : IEntityTypeConfiguration<ProtectedSecret>
{
    public void Configure(EntityTypeBuilder<ProtectedSecret> e)
    {
        e.ToTable("ProtectedSecrets");
        e.HasKey(s => s.Name);
        e.Property(s => s.Name).HasMaxLength(100);
        e.Property(s => s.ProtectedValue).HasMaxLength(2000);
    }
}
