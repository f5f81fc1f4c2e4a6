using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MineGuard.Platform.Jurisdiction;

internal sealed class DivisionConfiguration : IEntityTypeConfiguration<Division>
{
    public void Configure(EntityTypeBuilder<Division> e)
    {
        e.HasKey(d => d.Code);
        e.Property(d => d.Code).HasMaxLength(24);
        e.Property(d => d.Name).HasMaxLength(100);
        e.Property(d => d.ParentCode).HasMaxLength(24);
        e.HasOne<Division>().WithMany().HasForeignKey(d => d.ParentCode).OnDelete(DeleteBehavior.Restrict);
        e.HasIndex(d => d.ParentCode);
        e.HasOne<MineGuard.Platform.People.Person>().WithMany().HasForeignKey(d => d.ResponsiblePersonId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<MineGuard.Platform.People.Person>().WithMany().HasForeignKey(d => d.LeaderPersonId).OnDelete(DeleteBehavior.Restrict);
        e.Ignore(d => d.StatisticalCode);
    }
}

internal sealed class DepartmentConfiguration : IEntityTypeConfiguration<Department>
{
    public void Configure(EntityTypeBuilder<Department> e)
    {
        e.HasKey(d => d.Code);
        e.Property(d => d.Code).HasMaxLength(40);
        e.Property(d => d.Name).HasMaxLength(40);
    }
}
