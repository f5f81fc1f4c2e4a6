using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.People;

namespace MineGuard.Features.Mines;

/// <summary>The licensed mines' responsible persons for <see cref="Responsibility"/>.</summary>
internal sealed class MineResponsible : IResponsiblePlaces
{
    public PlaceKind Kind => PlaceKind.Mine;

    public async Task<Dictionary<Guid, NamedResponsible>> NamedAsync(AppDbContext db, IReadOnlyCollection<Guid> ids, CancellationToken ct) =>
        await db.Beyond<LicensedMine>(ScopeExit.SystemJudgement).AsNoTracking()
            .Where(m => ids.Contains(m.Id) && m.ResponsiblePersonId != null)
            .Select(m => new { m.Id, m.ResponsiblePersonId })
            .ToDictionaryAsync(m => m.Id, m => new NamedResponsible(m.ResponsiblePersonId, null), ct);
}
