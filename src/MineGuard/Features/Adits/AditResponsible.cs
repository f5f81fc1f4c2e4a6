using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.People;

namespace MineGuard.Features.Adits;

/// <summary>The adits' 包保责任人 for <see cref="Responsibility"/>: the person named, else (not yet migrated) the user.</summary>
internal sealed class AditResponsible : IResponsiblePlaces
{
    public PlaceKind Kind => PlaceKind.Adit;

    public async Task<Dictionary<Guid, NamedResponsible>> NamedAsync(AppDbContext db, IReadOnlyCollection<Guid> ids, CancellationToken ct) =>
        await db.Adits().Beyond(ScopeExit.SystemJudgement).AsNoTracking()
            .Where(a => ids.Contains(a.Id) && (a.ResponsiblePersonId != null || a.ResponsibleUserId != null))
            .Select(a => new { a.Id, a.ResponsiblePersonId, a.ResponsibleUserId })
            .ToDictionaryAsync(a => a.Id, a => new NamedResponsible(a.ResponsiblePersonId, a.ResponsibleUserId), ct);
}
