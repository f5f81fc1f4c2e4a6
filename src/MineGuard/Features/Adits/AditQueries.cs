using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.People;

namespace MineGuard.Features.Adits;

/// <summary>Reads for the list, the counts and the detail page, shared by the API and the pages. Scoped by the filter on Adit.</summary>
public sealed class AditQueries(AppDbContext db)
{
    public static readonly string[] Sorts = ["number", "-number", "township", "state", "-breaches", "-sealed", "-created"];

    public async Task<AditPage> ListAsync(AditFilter filter, int page, int pageSize, string? sort, CancellationToken ct)
    {
        var query = filter.Apply(db.Adits().AsNoTracking());
        var total = await query.CountAsync(ct);
        query = sort switch
        {
            "-number" => query.OrderByDescending(a => a.Number),
            "township" => query.OrderBy(a => a.TownshipCode).ThenBy(a => a.Number),
            "state" => query.OrderBy(a => a.State).ThenBy(a => a.Number),
            "-breaches" => query.OrderByDescending(a => a.BreachCount).ThenBy(a => a.Number),
            "-sealed" => query.OrderByDescending(a => a.LastSealedOn).ThenBy(a => a.Number),
            "-created" => query.OrderByDescending(a => a.CreatedUtc).ThenBy(a => a.Number),
            _ => query.OrderBy(a => a.Number),
        };
        var adits = await query.Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        return new AditPage(total, page, pageSize, await RowsAsync(adits, ct));
    }

    public async Task<List<AditRow>> RowsAsync(List<Adit> adits, CancellationToken ct)
    {
        var codes = adits.SelectMany(a => new[] { a.TownshipCode, a.VillageCode, a.GridCode }).OfType<string>().Distinct().ToList();
        var names = await db.DivisionNamesAsync(codes, ct);
        var userIds = adits.Select(a => a.ResponsibleUserId).OfType<Guid>().Distinct().ToList();
        var users = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var personIds = adits.Select(a => a.ResponsiblePersonId).OfType<Guid>().Distinct().ToList();
        var persons = personIds.Count == 0 ? [] : await db.Beyond<Person>(ScopeExit.LinkedLabel).AsNoTracking().Where(p => personIds.Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        return adits.Select(a => new AditRow(
            a.Id, a.Number, a.Name, names.GetValueOrDefault(a.TownshipCode, a.TownshipCode),
            a.VillageCode is null ? null : names.GetValueOrDefault(a.VillageCode), a.GridCode is null ? null : names.GetValueOrDefault(a.GridCode),
            a.Lon, a.Lat, AditNames.Minerals[a.Mineral], AditNames.Origins[a.Origin], AditNames.States[a.State], a.IsWeakSeal,
            a.IsNeverAccepted, a.BreachCount, a.ResponsiblePersonId is { } rp && persons.TryGetValue(rp, out var pn) ? pn
                : a.ResponsibleUserId is { } r ? users.GetValueOrDefault(r) : null, a.LastSealedOn, a.IsDemo)).ToList();
    }

    /// <summary>Counts by township and state, and the three warning flags, for the current filter.</summary>
    public async Task<CountsView> CountsAsync(AditFilter filter, CancellationToken ct)
    {
        var query = filter.Apply(db.Adits().AsNoTracking());
        var groups = await query.GroupBy(a => new { a.TownshipCode, a.State }).Select(g => new { g.Key.TownshipCode, g.Key.State, Count = g.Count() }).ToListAsync(ct);
        var codes = groups.Select(g => g.TownshipCode).Distinct().ToList();
        var names = await db.DivisionNamesAsync(codes, ct);
        var townships = groups.GroupBy(g => g.TownshipCode).OrderBy(g => g.Key)
            .Select(g => new TownshipCount(g.Key, names.GetValueOrDefault(g.Key, g.Key), g.Sum(x => x.Count),
                g.ToDictionary(x => AditNames.States[x.State], x => x.Count))).ToList();
        var weak = await AditFilter.WeakSeals(query).CountAsync(ct);
        var unaccepted = await query.CountAsync(a => a.State == SealState.Sealed, ct);
        var repeat = await query.CountAsync(a => a.BreachCount >= 2, ct);
        return new CountsView(townships, townships.Sum(t => t.Total), weak, unaccepted, repeat);
    }

    public async Task<AditDetail?> DetailAsync(Guid id, CancellationToken ct)
    {
        var adit = await db.Adits().AsNoTracking().Include(a => a.Events).FirstOrDefaultAsync(a => a.Id == id, ct);
        var assignedOnly = false;
        if (adit is null)
        {
            adit = await AssignedToMeAsync(id, ct);
            assignedOnly = adit is not null;
        }
        if (adit is null) return null;
        var row = (await RowsAsync([adit], ct))[0];
        var county = await db.Divisions.AsNoTracking().Where(d => d.Code == adit.CountyCode).Select(d => d.Name).FirstAsync(ct);
        var userIds = adit.Events.SelectMany(e => new[] { e.PerformedByUserId, e.RecordedById }).OfType<Guid>().Distinct().ToList();
        var users = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var timeline = adit.Events.OrderBy(e => e.OccurredOn).ThenBy(e => e.RecordedUtc).Select(e => new EventView(
            e.Id, e.Kind.ToString(), AditNames.EventKinds[e.Kind], e.OccurredOn, e.Method is { } m ? AditNames.Methods[m] : null,
            e.Method == SealMethod.LooseRocks, e.Standard, e.PerformedBy,
            e.PerformedByUserId is { } p ? users.GetValueOrDefault(p) : null, e.HowFound, e.Note,
            e.RecordedById is { } r ? users.GetValueOrDefault(r) : null, e.RecordedUtc)).ToList();
        var photoSet = assignedOnly ? db.AditPhotos().Beyond(ScopeExit.ChildrenOfVisible) : db.AditPhotos();
        var photos = await photoSet.AsNoTracking().Where(p => p.AditId == id).OrderBy(p => p.UploadedUtc)
            .Select(p => new PhotoView(p.Id, p.SealingEventId, p.Caption, p.TakenUtc, p.TakenLon, p.TakenLat, p.UploadedUtc, $"/api/adits/{id}/photos/{p.Id}"))
            .ToListAsync(ct);
        return new AditDetail(row, county, adit.Elevation, adit.RightsHolder, adit.ClosureParty, adit.SealingParty(row.Township),
            adit.SealingPartyOverride is not null, adit.SealingPartyOverrideReason, adit.Description, AditNames.Statuses[adit.Status], adit.StatusReason,
            timeline, photos, assignedOnly ? [] : AllowedActions(adit), adit.CountyCode);
    }

    /// <summary>
    /// An adit outside the caller's scope whose responsible person is the caller (their user, or a person record linked
    /// to it, or one merged into such a record): the 包保责任人 reads the adit they answer for, wherever the scope is drawn.
    /// Read-only: every command still loads adits within the scope.
    /// </summary>
    private async Task<Adit?> AssignedToMeAsync(Guid id, CancellationToken ct)
    {
        if (db.CurrentUser.Id is not { } me) return null;
        var mine = await db.Beyond<Person>(ScopeExit.AssignedToCaller).Where(p => p.UserId == me).Select(p => p.Id).ToListAsync(ct);
        if (mine.Count > 0)
            mine.AddRange(await db.Beyond<Person>(ScopeExit.AssignedToCaller).Where(p => p.MergedIntoId != null && mine.Contains(p.MergedIntoId.Value))
                .Select(p => p.Id).ToListAsync(ct));
        return await db.Adits().Beyond(ScopeExit.AssignedToCaller).AsNoTracking().Include(a => a.Events)
            .FirstOrDefaultAsync(a => a.Id == id && (a.ResponsibleUserId == me || (a.ResponsiblePersonId != null && mine.Contains(a.ResponsiblePersonId.Value))), ct);
    }

    /// <summary>What the sealing lifecycle allows next, so the page offers only those forms.</summary>
    public static string[] AllowedActions(Adit adit) => adit.Status == AditStatus.WrittenOff ? [] : adit.State switch
    {
        SealState.Unsealed => ["seal"],
        SealState.Sealed => ["accept", "breach"],
        SealState.Accepted => ["breach", "write-off"],
        SealState.Breached => ["reseal"],
        _ => [],
    };

    /// <summary>Users in the scope, for the responsible-person choices.</summary>
    public async Task<List<(Guid Id, string Name)>> PeopleAsync(JurisdictionScope scope, CancellationToken ct) =>
        (await db.Users.AsNoTracking().Within(scope, u => u.DivisionCode).Where(u => !u.IsDisabled)
            .OrderBy(u => u.DisplayName).Select(u => new { u.Id, u.DisplayName, u.UserName }).ToListAsync(ct))
        .Select(u => (u.Id, $"{u.DisplayName}（{u.UserName}）")).ToList();
}
