using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.People;

namespace MineGuard.Features.Monitoring;

/// <summary>The devices' 责任人 for <see cref="Responsibility"/>: the person named, else the owning user.</summary>
internal sealed class DeviceResponsible : IResponsiblePlaces
{
    public PlaceKind Kind => PlaceKind.Device;

    public async Task<Dictionary<Guid, NamedResponsible>> NamedAsync(AppDbContext db, IReadOnlyCollection<Guid> ids, CancellationToken ct) =>
        await db.Devices().Beyond(ScopeExit.SystemJudgement).AsNoTracking()
            .Where(d => ids.Contains(d.Id) && (d.ResponsiblePersonId != null || d.OwnerUserId != null))
            .Select(d => new { d.Id, d.ResponsiblePersonId, d.OwnerUserId })
            .ToDictionaryAsync(d => d.Id, d => new NamedResponsible(d.ResponsiblePersonId, d.OwnerUserId), ct);
}
