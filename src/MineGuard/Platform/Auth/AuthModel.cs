using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Platform.Auth;

internal sealed class AppUserConfiguration : IEntityTypeConfiguration<AppUser>
{
    public void Configure(EntityTypeBuilder<AppUser> e)
    {
        e.Property(u => u.DisplayName).HasMaxLength(50);
        e.Property(u => u.DivisionCode).HasMaxLength(24);
        e.Property(u => u.DepartmentCode).HasMaxLength(40);
        e.HasOne<Division>().WithMany().HasForeignKey(u => u.DivisionCode).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Department>().WithMany().HasForeignKey(u => u.DepartmentCode).OnDelete(DeleteBehavior.Restrict);
        e.HasIndex(u => u.DivisionCode);
    }
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> e)
    {
        e.HasKey(k => k.Id);
        e.Property(k => k.Name).HasMaxLength(100);
        e.Property(k => k.Prefix).HasMaxLength(12);
        e.Property(k => k.SecretHash).HasMaxLength(64);
        e.Property(k => k.DivisionCode).HasMaxLength(24);
        e.HasIndex(k => k.Prefix).IsUnique();
        e.HasIndex(k => k.DivisionCode);
        e.HasOne<Division>().WithMany().HasForeignKey(k => k.DivisionCode).OnDelete(DeleteBehavior.Restrict);
        e.Ignore(k => k.IsActive);
    }
}
