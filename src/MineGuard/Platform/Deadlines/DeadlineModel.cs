using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MineGuard.Platform.Deadlines;

internal sealed class DeadlineConfiguration : IEntityTypeConfiguration<Deadline>
{
    public void Configure(EntityTypeBuilder<Deadline> e)
    {
        e.ToTable("Deadlines");
        e.HasKey(d => d.Id);
        e.Property(d => d.SubjectType).HasMaxLength(40);
        e.Property(d => d.DivisionCode).HasMaxLength(24);
        e.Property(d => d.DepartmentCode).HasMaxLength(20);
        // The job's question: open and due to look at; the overdue lists': open and past due in a scope.
        e.HasIndex(d => new { d.ClosedUtc, d.EscalateAtUtc });
        e.HasIndex(d => new { d.SubjectType, d.SubjectId });
        e.HasIndex(d => new { d.DivisionCode, d.DueUtc });
    }
}

internal sealed class HolidayConfiguration : IEntityTypeConfiguration<Holiday>
{
    public void Configure(EntityTypeBuilder<Holiday> e)
    {
        e.ToTable("Holidays");
        e.HasKey(h => h.Date);
        e.Property(h => h.Name).HasMaxLength(40);
    }
}
