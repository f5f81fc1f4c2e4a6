using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Mines;

/// <summary>
/// One entry of a mine's 生产状态 history: the status and the day it took effect (China date; null for the status a mine
/// was registered with, taken to hold as far back as anything is known). A licence edit or import that changes the status
/// adds one, effective on the day given (状态变更日期, e.g. the date of a 停产 order) or today. The electricity detector
/// judges each day by the status in force that day, not by today's.
/// </summary>
public sealed class MineStatusChange : IInJurisdiction
{
    private MineStatusChange() { }

    public Guid Id { get; private set; }
    public Guid MineId { get; private set; }
    public string DivisionCode { get; private set; } = "";
    public MineStatus Status { get; private set; }
    public DateOnly? SinceOn { get; private set; }
    public DateTime RecordedUtc { get; private set; }

    internal static MineStatusChange Create(Guid mineId, string divisionCode, MineStatus status, DateOnly? sinceOn, DateTime nowUtc) => new()
    {
        Id = Guid.CreateVersion7(), MineId = mineId, DivisionCode = divisionCode, Status = status, SinceOn = sinceOn, RecordedUtc = nowUtc,
    };
}

internal sealed class MineStatusChangeConfiguration : IEntityTypeConfiguration<MineStatusChange>
{
    public void Configure(EntityTypeBuilder<MineStatusChange> e)
    {
        e.ToTable("MineStatusChanges");
        e.HasKey(c => c.Id);
        e.Property(c => c.DivisionCode).HasMaxLength(24);
        e.HasIndex(c => new { c.MineId, c.SinceOn });
        e.HasIndex(c => c.DivisionCode);
    }
}
