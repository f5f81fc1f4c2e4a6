using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MineGuard.Features.Adits;
using MineGuard.Features.Assignments;
using MineGuard.Platform.Imports;

namespace MineGuard.Features.Sweeps;

internal sealed class SweepConfiguration : IEntityTypeConfiguration<Sweep>
{
    public void Configure(EntityTypeBuilder<Sweep> e)
    {
        e.ToTable("Sweeps");
        e.HasKey(s => s.Id);
        e.Property(s => s.DivisionCode).HasMaxLength(24);
        e.Property(s => s.Name).HasMaxLength(100);
        e.Property(s => s.Kind).HasMaxLength(20);
        e.HasIndex(s => new { s.DivisionCode, s.FromDate });
        e.HasMany(s => s.Areas).WithOne().HasForeignKey(a => a.SweepId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<Sweep>().WithMany().HasForeignKey(s => s.EarlierSweepId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<ChecklistTemplate>().WithMany().HasForeignKey(s => s.TemplateId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class SweepAreaConfiguration : IEntityTypeConfiguration<SweepArea>
{
    public void Configure(EntityTypeBuilder<SweepArea> e)
    {
        e.ToTable("SweepAreas");
        e.HasKey(a => a.Id);
        e.Property(a => a.DivisionCode).HasMaxLength(24);
        e.Property(a => a.Name).HasMaxLength(100);
        e.Property(a => a.Assignees).HasMaxLength(200);
        e.HasIndex(a => new { a.SweepId, a.DivisionCode }).IsUnique();
    }
}

internal sealed class ChecklistTemplateConfiguration : IEntityTypeConfiguration<ChecklistTemplate>
{
    public void Configure(EntityTypeBuilder<ChecklistTemplate> e)
    {
        e.ToTable("ChecklistTemplates");
        e.HasKey(t => t.Id);
        e.Property(t => t.DivisionCode).HasMaxLength(24);
        e.Property(t => t.Name).HasMaxLength(100);
        e.Property(t => t.Questions).HasMaxLength(4000);
        e.Ignore(t => t.QuestionList);
        e.HasIndex(t => t.DivisionCode);
    }
}

internal sealed class InspectionConfiguration : IEntityTypeConfiguration<Inspection>
{
    public void Configure(EntityTypeBuilder<Inspection> e)
    {
        e.ToTable("Inspections");
        e.HasKey(i => i.Id);
        e.Property(i => i.Id).ValueGeneratedNever();
        e.Property(i => i.DivisionCode).HasMaxLength(24);
        e.Property(i => i.PlaceKind).HasMaxLength(20);
        e.Property(i => i.PlaceName).HasMaxLength(200);
        e.Property(i => i.Answers).HasMaxLength(4000);
        e.Property(i => i.Note).HasMaxLength(2000);
        e.Property(i => i.InspectorName).HasMaxLength(100);
        e.Property(i => i.SignerName).HasMaxLength(100);
        e.Property(i => i.PayloadHash).HasMaxLength(64);
        e.HasIndex(i => new { i.SweepId, i.DivisionCode });
        e.HasIndex(i => new { i.DivisionCode, i.AtUtc });
        e.HasOne<Sweep>().WithMany().HasForeignKey(i => i.SweepId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Adit>().WithMany().HasForeignKey(i => i.AditId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ProblemConfiguration : IEntityTypeConfiguration<Problem>
{
    public void Configure(EntityTypeBuilder<Problem> e)
    {
        e.ToTable("Problems");
        e.HasKey(p => p.Id);
        e.Property(p => p.Id).ValueGeneratedNever();
        e.Property(p => p.DivisionCode).HasMaxLength(24);
        e.Property(p => p.Classification).HasMaxLength(20);
        e.Property(p => p.Description).HasMaxLength(1000);
        e.Property(p => p.Place).HasMaxLength(200);
        e.Property(p => p.FoundByName).HasMaxLength(100);
        e.Property(p => p.SignerName).HasMaxLength(100);
        e.Property(p => p.Requirement).HasMaxLength(1000);
        e.Property(p => p.Measures).HasMaxLength(1000);
        e.HasIndex(p => new { p.InspectionId, p.Seq }).IsUnique();
        e.HasIndex(p => new { p.DivisionCode, p.FoundUtc });
        // A sweep's coverage counts its problems by area (0035: it scanned the table).
        e.HasIndex(p => new { p.SweepId, p.DivisionCode });
        e.HasIndex(p => p.AssignmentId);
        e.HasIndex(p => p.ImportBatchId);
        e.HasOne<ImportBatch>().WithMany().HasForeignKey(p => p.ImportBatchId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Inspection>().WithMany().HasForeignKey(p => p.InspectionId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Assignment>().WithMany().HasForeignKey(p => p.AssignmentId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Adit>().WithMany().HasForeignKey(p => p.AditId).OnDelete(DeleteBehavior.Restrict);
    }
}
