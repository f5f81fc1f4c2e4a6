using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MineGuard.Features.Adits;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Files;
using MineGuard.Platform.People;

namespace MineGuard.Features.Assignments;

internal sealed class AssignmentConfiguration : IEntityTypeConfiguration<Assignment>
{
    public void Configure(EntityTypeBuilder<Assignment> e)
    {
        e.ToTable("Assignments");
        e.HasKey(a => a.Id);
        e.Property(a => a.DivisionCode).HasMaxLength(24);
        e.Property(a => a.Kind).HasMaxLength(30);
        e.Property(a => a.SourceType).HasMaxLength(40);
        e.Property(a => a.Title).HasMaxLength(200);
        e.Property(a => a.Detail).HasMaxLength(2000);
        e.Property(a => a.ResponsibleUnit).HasMaxLength(100);
        e.Property(a => a.DepartmentCode).HasMaxLength(20);
        e.Property(a => a.Measures).HasMaxLength(Assignment.TextMax);
        e.Property(a => a.Resolution).HasMaxLength(Assignment.TextMax);
        e.Property(a => a.HiddenBelow).HasMaxLength(24);
        e.HasIndex(a => new { a.DivisionCode, a.Status, a.DueOn });
        e.HasIndex(a => new { a.SourceType, a.SourceId });
        e.HasIndex(a => a.ResponsiblePersonId);
        e.HasIndex(a => a.ResponsibleUserId);
        e.HasOne<Adit>().WithMany().HasForeignKey(a => a.AditId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Person>().WithMany().HasForeignKey(a => a.ResponsiblePersonId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<AppUser>().WithMany().HasForeignKey(a => a.ResponsibleUserId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class EvidenceFileConfiguration : IEntityTypeConfiguration<EvidenceFile>
{
    public void Configure(EntityTypeBuilder<EvidenceFile> e)
    {
        e.ToTable("EvidenceFiles");
        e.HasKey(f => f.Id);
        e.Property(f => f.SubjectType).HasMaxLength(20);
        e.Property(f => f.DivisionCode).HasMaxLength(24);
        e.Property(f => f.FileName).HasMaxLength(200);
        e.Property(f => f.ContentType).HasMaxLength(100);
        e.HasIndex(f => new { f.SubjectType, f.SubjectId });
        e.HasIndex(f => new { f.SubjectType, f.SubjectId, f.ClientId }).IsUnique();
        e.HasOne<StoredFile>().WithMany().HasForeignKey(f => f.StoredFileId).OnDelete(DeleteBehavior.Restrict);
    }
}
