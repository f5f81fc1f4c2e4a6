using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Files;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Patrols;

internal sealed class PatrolTeamConfiguration : IEntityTypeConfiguration<PatrolTeam>
{
    public void Configure(EntityTypeBuilder<PatrolTeam> e)
    {
        e.ToTable("PatrolTeams");
        e.HasKey(t => t.Id);
        e.Property(t => t.DivisionCode).HasMaxLength(24);
        e.Property(t => t.Name).HasMaxLength(100);
        e.HasIndex(t => t.DivisionCode);
        e.HasOne<Division>().WithMany().HasForeignKey(t => t.DivisionCode).OnDelete(DeleteBehavior.Restrict);
        e.HasMany(t => t.Areas).WithOne().HasForeignKey(a => a.TeamId).OnDelete(DeleteBehavior.Cascade);
        e.HasMany(t => t.Members).WithOne().HasForeignKey(m => m.TeamId).OnDelete(DeleteBehavior.Cascade);
        e.Navigation(t => t.Areas).UsePropertyAccessMode(PropertyAccessMode.Field);
        e.Navigation(t => t.Members).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class PatrolTeamAreaConfiguration : IEntityTypeConfiguration<PatrolTeamArea>
{
    public void Configure(EntityTypeBuilder<PatrolTeamArea> e)
    {
        e.ToTable("PatrolTeamAreas");
        e.HasKey(a => a.Id);
        e.Property(a => a.AreaCode).HasMaxLength(24);
        e.HasIndex(a => new { a.TeamId, a.AreaCode }).IsUnique();
        e.HasIndex(a => a.AreaCode);
    }
}

internal sealed class PatrolTeamMemberConfiguration : IEntityTypeConfiguration<PatrolTeamMember>
{
    public void Configure(EntityTypeBuilder<PatrolTeamMember> e)
    {
        e.ToTable("PatrolTeamMembers");
        e.HasKey(m => m.Id);
        e.HasIndex(m => new { m.TeamId, m.UserId }).IsUnique();
        e.HasIndex(m => m.UserId);
        e.HasOne<AppUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PatrolPlanConfiguration : IEntityTypeConfiguration<PatrolPlan>
{
    public void Configure(EntityTypeBuilder<PatrolPlan> e)
    {
        e.ToTable("PatrolPlans");
        e.HasKey(p => p.Id);
        e.Property(p => p.DivisionCode).HasMaxLength(24);
        e.Property(p => p.Note).HasMaxLength(500);
        e.HasIndex(p => new { p.TeamId, p.PeriodStart });
        e.HasIndex(p => p.DivisionCode);
        e.HasOne<PatrolTeam>().WithMany().HasForeignKey(p => p.TeamId).OnDelete(DeleteBehavior.Cascade);
        e.HasMany(p => p.Items).WithOne().HasForeignKey(i => i.PlanId).OnDelete(DeleteBehavior.Cascade);
        e.Navigation(p => p.Items).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class PatrolPlanItemConfiguration : IEntityTypeConfiguration<PatrolPlanItem>
{
    public void Configure(EntityTypeBuilder<PatrolPlanItem> e)
    {
        e.ToTable("PatrolPlanItems");
        e.HasKey(i => i.Id);
        e.Property(i => i.Reason).HasMaxLength(100);
        e.HasIndex(i => new { i.PlanId, i.AditId }).IsUnique();
        e.HasIndex(i => i.AditId);
        e.HasOne<Adit>().WithMany().HasForeignKey(i => i.AditId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PatrolConfiguration : IEntityTypeConfiguration<Patrol>
{
    public void Configure(EntityTypeBuilder<Patrol> e)
    {
        e.ToTable("Patrols");
        e.HasKey(p => p.Id);
        e.Property(p => p.DivisionCode).HasMaxLength(24);
        e.Property(p => p.PayloadHash).HasMaxLength(64);
        e.Property(p => p.CaptureKey).HasMaxLength(64);
        e.HasIndex(p => new { p.DivisionCode, p.StartedUtc });
        e.HasIndex(p => new { p.TeamId, p.StartedUtc });
        e.HasIndex(p => new { p.UserId, p.StartedUtc });
        e.HasIndex(p => new { p.DeviceId, p.StartedUtc });
        e.HasOne<PatrolTeam>().WithMany().HasForeignKey(p => p.TeamId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<AppUser>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class TrackChunkConfiguration : IEntityTypeConfiguration<TrackChunk>
{
    public void Configure(EntityTypeBuilder<TrackChunk> e)
    {
        e.ToTable("TrackChunks");
        e.HasKey(t => t.Id);
        e.Property(t => t.DivisionCode).HasMaxLength(24);
        e.Property(t => t.PayloadHash).HasMaxLength(64);
        // No foreign key to the patrol: a chunk may arrive first.
        e.HasIndex(t => new { t.PatrolId, t.Seq });
        // Other members' tracks of the same hours (the copy rule): chunks that end after a track begins, newest first.
        e.HasIndex(t => new { t.LastUtc, t.FirstUtc });
    }
}

internal sealed class CheckInConfiguration : IEntityTypeConfiguration<CheckIn>
{
    public void Configure(EntityTypeBuilder<CheckIn> e)
    {
        e.ToTable("CheckIns");
        e.HasKey(c => c.Id);
        e.Property(c => c.DivisionCode).HasMaxLength(24);
        e.Property(c => c.Note).HasMaxLength(1000);
        e.Property(c => c.PayloadHash).HasMaxLength(64);
        e.Property(c => c.Reasons).HasMaxLength(4000);
        e.Property(c => c.Flags).HasMaxLength(4000);
        e.Property(c => c.FlagsClearedNote).HasMaxLength(500);
        e.Property(c => c.FakedNote).HasMaxLength(CheckIn.FakedNoteMax);
        e.HasIndex(c => c.PatrolId);
        e.HasIndex(c => new { c.DivisionCode, c.AtUtc });
        // A period over a whole province or city (dashboard, compliance): check-ins arrive nearly in time order, so a
        // BRIN range on PostgreSQL reads the period's pages only; a B-tree on SQLite.
        e.HasIndex(c => c.AtUtc).HasMethod("brin");
        e.HasIndex(c => new { c.AditId, c.AtUtc });
        e.HasIndex(c => new { c.UserId, c.AtUtc });
        e.HasIndex(c => new { c.Lat, c.Lon });
        e.HasOne<Adit>().WithMany().HasForeignKey(c => c.AditId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<AppUser>().WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Restrict);
        e.Ignore(c => c.Answers);
        e.Ignore(c => c.Counts);
    }
}

internal sealed class CheckInPhotoConfiguration : IEntityTypeConfiguration<CheckInPhoto>
{
    public void Configure(EntityTypeBuilder<CheckInPhoto> e)
    {
        e.ToTable("CheckInPhotos");
        e.HasKey(p => p.Id);
        e.Property(p => p.DivisionCode).HasMaxLength(24);
        e.Property(p => p.Sha256).HasMaxLength(64);
        e.Property(p => p.CaptureSignature).HasMaxLength(64);
        e.HasIndex(p => p.CheckInId);
        e.HasIndex(p => p.Sha256);
        e.HasOne<StoredFile>().WithMany().HasForeignKey(p => p.FileId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class PatrolRuleSetConfiguration : IEntityTypeConfiguration<PatrolRuleSet>
{
    public void Configure(EntityTypeBuilder<PatrolRuleSet> e)
    {
        e.ToTable("PatrolRuleSets");
        e.HasKey(r => r.Id);
        e.Property(r => r.DivisionCode).HasMaxLength(24);
        e.HasIndex(r => r.DivisionCode).IsUnique();
    }
}

public static class PatrolSets
{
    public static DbSet<PatrolTeam> PatrolTeams(this AppDbContext db) => db.Set<PatrolTeam>();
    public static DbSet<PatrolPlan> PatrolPlans(this AppDbContext db) => db.Set<PatrolPlan>();
    public static DbSet<Patrol> Patrols(this AppDbContext db) => db.Set<Patrol>();
    public static DbSet<TrackChunk> TrackChunks(this AppDbContext db) => db.Set<TrackChunk>();
    public static DbSet<CheckIn> CheckIns(this AppDbContext db) => db.Set<CheckIn>();
    public static DbSet<CheckInPhoto> CheckInPhotos(this AppDbContext db) => db.Set<CheckInPhoto>();
    public static DbSet<PatrolRuleSet> PatrolRuleSets(this AppDbContext db) => db.Set<PatrolRuleSet>();

    /// <summary>The rules in force at a division (its own or its nearest ancestor's).</summary>
    public static async Task<PatrolRuleSet> PatrolRulesAsync(this AppDbContext db, string divisionCode, CancellationToken ct) =>
        PatrolRuleSet.For(divisionCode, await db.PatrolRuleRowsAsync(divisionCode, ct));

    /// <summary>
    /// The rule rows that can be in force at a division or anywhere below it: its own, its ancestors' and its
    /// descendants' (<see cref="PatrolRuleSet.For"/> picks a division's from them).
    /// </summary>
    public static Task<List<PatrolRuleSet>> PatrolRuleRowsAsync(this AppDbContext db, string divisionCode, CancellationToken ct)
    {
        var prefixes = Enumerable.Range(2, Math.Max(0, divisionCode.Length - 1)).Select(n => divisionCode[..n]).ToList();
        return db.PatrolRuleSets().Beyond(ScopeExit.InheritedSettings).AsNoTracking()
            .Where(r => prefixes.Contains(r.DivisionCode) || r.DivisionCode.StartsWith(divisionCode)).ToListAsync(ct);
    }
}
