using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MineGuard.Features.Campaigns;

internal sealed class CampaignConfiguration : IEntityTypeConfiguration<Campaign>
{
    public void Configure(EntityTypeBuilder<Campaign> e)
    {
        e.ToTable("Campaigns");
        e.HasKey(x => x.Id);
        e.Property(x => x.DivisionCode).HasMaxLength(24);
        e.Property(x => x.Level).HasMaxLength(20);
        e.Property(x => x.Title).HasMaxLength(200);
        e.Property(x => x.DocumentNumber).HasMaxLength(100);
        e.Property(x => x.PlanFileName).HasMaxLength(200);
        e.HasIndex(x => x.DivisionCode);
        e.HasIndex(x => new { x.ParentId, x.DivisionCode }).IsUnique();
        e.HasIndex(x => x.ClientId).IsUnique();
        e.HasOne<Campaign>().WithMany().HasForeignKey(x => x.ParentId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CampaignPhaseConfiguration : IEntityTypeConfiguration<CampaignPhase>
{
    public void Configure(EntityTypeBuilder<CampaignPhase> e)
    {
        e.ToTable("CampaignPhases");
        e.HasKey(x => x.Id);
        e.Property(x => x.DivisionCode).HasMaxLength(24);
        e.Property(x => x.Name).HasMaxLength(100);
        e.HasIndex(x => new { x.CampaignId, x.Ordinal }).IsUnique();
        e.HasOne<Campaign>().WithMany().HasForeignKey(x => x.CampaignId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CampaignTaskConfiguration : IEntityTypeConfiguration<CampaignTask>
{
    public void Configure(EntityTypeBuilder<CampaignTask> e)
    {
        e.ToTable("CampaignTasks");
        e.HasKey(x => x.Id);
        e.Property(x => x.DivisionCode).HasMaxLength(24);
        e.Property(x => x.DepartmentCode).HasMaxLength(20);
        e.Property(x => x.Title).HasMaxLength(200);
        e.HasIndex(x => x.CampaignId);
        e.HasIndex(x => x.ClientId).IsUnique();
        e.HasOne<Campaign>().WithMany().HasForeignKey(x => x.CampaignId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<CampaignPhase>().WithMany().HasForeignKey(x => x.PhaseId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CampaignReportConfiguration : IEntityTypeConfiguration<CampaignReport>
{
    public void Configure(EntityTypeBuilder<CampaignReport> e)
    {
        e.ToTable("CampaignReports");
        e.HasKey(x => x.Id);
        e.Property(x => x.DivisionCode).HasMaxLength(24);
        e.Property(x => x.FileName).HasMaxLength(200);
        e.Property(x => x.Note).HasMaxLength(2000);
        e.HasIndex(x => x.CampaignId);
        e.HasIndex(x => x.PhaseId).IsUnique();
        e.HasOne<CampaignPhase>().WithMany().HasForeignKey(x => x.PhaseId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class JointOperationConfiguration : IEntityTypeConfiguration<JointOperation>
{
    public void Configure(EntityTypeBuilder<JointOperation> e)
    {
        e.ToTable("JointOperations");
        e.HasKey(x => x.Id);
        e.Property(x => x.DivisionCode).HasMaxLength(24);
        e.Property(x => x.Area).HasMaxLength(200);
        e.Property(x => x.Departments).HasMaxLength(400);
        e.Property(x => x.People).HasMaxLength(1000);
        e.Property(x => x.Targets).HasMaxLength(2000);
        e.Property(x => x.Findings).HasMaxLength(2000);
        e.Ignore(x => x.DepartmentCodes);
        e.HasIndex(x => new { x.DivisionCode, x.OnDate });
        e.HasIndex(x => x.ClientId).IsUnique();
    }
}

internal sealed class JointOperationSeizureConfiguration : IEntityTypeConfiguration<JointOperationSeizure>
{
    public void Configure(EntityTypeBuilder<JointOperationSeizure> e)
    {
        e.ToTable("JointOperationSeizures");
        e.HasKey(x => x.Id);
        e.Property(x => x.DivisionCode).HasMaxLength(24);
        e.Property(x => x.Description).HasMaxLength(500);
        e.HasIndex(x => x.OperationId);
        e.HasOne<JointOperation>().WithMany().HasForeignKey(x => x.OperationId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class MeetingConfiguration : IEntityTypeConfiguration<Meeting>
{
    public void Configure(EntityTypeBuilder<Meeting> e)
    {
        e.ToTable("Meetings");
        e.HasKey(x => x.Id);
        e.Property(x => x.DivisionCode).HasMaxLength(24);
        e.Property(x => x.Title).HasMaxLength(200);
        e.Property(x => x.Departments).HasMaxLength(400);
        e.Property(x => x.Participants).HasMaxLength(Meeting.ParticipantsMax);
        e.Property(x => x.ClueIds).HasMaxLength(4000);
        e.Property(x => x.CaseIds).HasMaxLength(4000);
        e.Property(x => x.Minutes).HasMaxLength(4000);
        e.Ignore(x => x.Clues);
        e.Ignore(x => x.Cases);
        e.HasIndex(x => new { x.DivisionCode, x.OnDate });
        e.HasIndex(x => x.ClientId).IsUnique();
    }
}

internal sealed class PublicityActivityConfiguration : IEntityTypeConfiguration<PublicityActivity>
{
    public void Configure(EntityTypeBuilder<PublicityActivity> e)
    {
        e.ToTable("PublicityActivities");
        e.HasKey(x => x.Id);
        e.Property(x => x.DivisionCode).HasMaxLength(24);
        e.Property(x => x.Kind).HasMaxLength(40);
        e.Property(x => x.Place).HasMaxLength(200);
        e.Property(x => x.Topic).HasMaxLength(500);
        e.Property(x => x.Departments).HasMaxLength(400);
        e.Ignore(x => x.DepartmentCodes);
        e.HasIndex(x => new { x.DivisionCode, x.OnDate });
        e.HasIndex(x => x.ClientId).IsUnique();
        e.HasOne<Campaign>().WithMany().HasForeignKey(x => x.CampaignId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class PublicityVillageConfiguration : IEntityTypeConfiguration<PublicityVillage>
{
    public void Configure(EntityTypeBuilder<PublicityVillage> e)
    {
        e.ToTable("PublicityVillages");
        e.HasKey(x => x.Id);
        e.Property(x => x.DivisionCode).HasMaxLength(24);
        e.HasIndex(x => new { x.ActivityId, x.DivisionCode }).IsUnique();
        e.HasIndex(x => new { x.DivisionCode, x.OnDate });
        e.HasOne<PublicityActivity>().WithMany().HasForeignKey(x => x.ActivityId).OnDelete(DeleteBehavior.Restrict);
    }
}
