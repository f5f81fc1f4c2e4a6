using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Admin;
using MineGuard.Platform.Geo;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.People;
using MineGuard.Platform.Time;
using NetTopologySuite.Geometries.Prepared;

namespace MineGuard.Features.Mines;

/// <summary>
/// A licence as typed in a form, a JSON body or an Excel row: every field is text, read by <see cref="MineCommands"/>.
/// County is needed only by users above county level; Township is a name or a code, blank for the county itself.
/// BoundaryCrs is blank or "WGS84" (CGCS2000 lon/lat), or "GCJ-02" for coordinates read off a Chinese web map.
/// </summary>
public sealed record MineInput(
    string? Name, string? RightsHolder, string? LicenceNumber, string? Mineral, string? Township,
    [property: System.ComponentModel.DataAnnotations.MaxLength(Platform.Web.InputLimits.GeometryMaxLength)] string? Boundary,
    string? ValidFrom, string? ValidTo, string? Status, string? County = null, string? BoundaryCrs = null,
    [property: System.ComponentModel.DataAnnotations.MaxLength(100)] string? Responsible = null, string? StatusSince = null);

/// <summary>
/// 矿山台账: registering and changing licensed mines, shared by the API, the pages and the Excel import, so all of them
/// refuse the same things with the same messages. Every division is checked against the acting user's scope.
/// </summary>
public sealed partial class MineCommands(AppDbContext db)
{
    // An import validates thousands of rows against the same county; read its outline and townships once.
    private readonly Dictionary<string, (Division County, IPreparedGeometry? Outline, List<Division> Townships)> counties = [];

    private JurisdictionScope Scope => db.CurrentUser.Scope;

    /// <summary>The mines the current user may see (the global jurisdiction filter applies).</summary>
    public IQueryable<LicensedMine> Mines => db.Set<LicensedMine>();

    /// <summary>Today's date in China: licences run to a calendar day there, whatever the server's zone.</summary>
    public DateOnly Today => DateOnly.FromDateTime(ChinaTime.ToLocal(db.Clock.GetUtcNow().UtcDateTime));

    /// <summary>
    /// Reads and checks one licence and returns the new mine, not yet added to the context, so the Excel import
    /// decides what to keep. A licence number already added to this context (an earlier row of the same file)
    /// counts as taken.
    /// </summary>
    public async Task<(LicensedMine? Mine, FieldErrors Errors)> ValidateAndCreateAsync(
        MineInput input, Guid? importBatchId, bool isDemo, CancellationToken ct)
    {
        var (valid, errors) = await ValidateAsync(input, null, ct);
        if (valid is null) return (null, errors);
        var mine = LicensedMine.Register(valid.Licence, valid.CountyCode, valid.DivisionCode, valid.GeoJson, valid.Box,
            db.Clock.GetUtcNow().UtcDateTime, importBatchId, isDemo, valid.StatusSince);
        mine.NameResponsible(valid.ResponsiblePersonId);
        return (mine, errors);
    }

    public async Task<(LicensedMine? Mine, FieldErrors Errors)> CreateAsync(MineInput input, CancellationToken ct)
    {
        // A demo account's entries are demo data too, and are marked as such wherever they appear.
        var (mine, errors) = await ValidateAndCreateAsync(input, null, db.CurrentUser.IsDemo, ct);
        if (mine is null) return (null, errors);
        db.Add(mine);
        return await SaveAsync(mine, input, errors, ct) ? (mine, errors) : (null, errors);
    }

    public async Task<FieldErrors> UpdateAsync(LicensedMine mine, MineInput input, CancellationToken ct)
    {
        var (valid, errors) = await ValidateAsync(input, mine.Id, ct);
        if (valid is null) return errors;
        mine.Update(valid.Licence, valid.CountyCode, valid.DivisionCode, valid.GeoJson, valid.Box, db.Clock.GetUtcNow().UtcDateTime, valid.StatusSince);
        mine.NameResponsible(valid.ResponsiblePersonId);
        await SaveAsync(mine, input, errors, ct);
        return errors;
    }

    /// <summary>Two people registering the same licence at once: the unique index decides, and the loser is told why.</summary>
    private async Task<bool> SaveAsync(LicensedMine mine, MineInput input, FieldErrors errors, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            if (await LicenceTakenAsync(mine.LicenceNumber, mine.Id, ct) is not { } taken) throw;
            db.Entry(mine).State = EntityState.Detached;
            errors.Add(nameof(input.LicenceNumber), taken);
            return false;
        }
    }

    private sealed record Valid(
        LicensedMine.Licence Licence, string CountyCode, string DivisionCode, string GeoJson,
        (double MinLon, double MinLat, double MaxLon, double MaxLat) Box, Guid? ResponsiblePersonId, DateOnly? StatusSince);

    private async Task<(Valid?, FieldErrors)> ValidateAsync(MineInput input, Guid? self, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var name = Text(input.Name, nameof(input.Name), "请填写矿山名称", 200, errors);
        var holder = Text(input.RightsHolder, nameof(input.RightsHolder), "请填写矿业权人", 200, errors);
        var licence = LicenceFields.NormalizeLicenceNumber(input.LicenceNumber);
        if (licence.Length == 0) errors.Add(nameof(input.LicenceNumber), "请填写许可证号");
        else if (licence.Length > 60) errors.Add(nameof(input.LicenceNumber), "许可证号不能超过 60 个字符");
        else if (await LicenceTakenAsync(licence, self, ct) is { } taken) errors.Add(nameof(input.LicenceNumber), taken);

        if (!LicenceFields.TryParseMineral(input.Mineral, out var mineral))
            errors.Add(nameof(input.Mineral), string.IsNullOrWhiteSpace(input.Mineral) ? "请选择矿种"
                : $"未知的矿种“{input.Mineral.Trim()}”，应为：{LicenceFields.MineralList}");
        var statusOk = LicenceFields.TryParseStatus(input.Status, out var status);
        if (!statusOk)
            errors.Add(nameof(input.Status), string.IsNullOrWhiteSpace(input.Status) ? "请选择生产状态"
                : $"未知的状态“{input.Status.Trim()}”，应为：{LicenceFields.StatusList}");
        var (from, to) = ReadValidity(input, statusOk && status == MineStatus.Closing, errors);
        DateOnly? since = null;
        if (!string.IsNullOrWhiteSpace(input.StatusSince))
        {
            if (!LicenceFields.TryParseDate(input.StatusSince, out var day, out var dateError)) errors.Add(nameof(input.StatusSince), dateError!);
            else if (day > Today) errors.Add(nameof(input.StatusSince), "状态变更日期不能晚于今天");
            else since = day;
        }

        var place = await PlaceAsync(input, errors, ct);
        if (!LicenceFields.TryParseCrs(input.BoundaryCrs, out var gcj02))
            errors.Add(nameof(input.BoundaryCrs), "坐标系只能是 WGS84（含 CGCS2000 经纬度）或 GCJ-02");
        else if (!MineBoundary.TryRead(input.Boundary, gcj02, out var boundary, out var why))
            errors.Add(nameof(input.Boundary), why!);
        else if (place is { } p && MineBoundary.CheckCounty(boundary, p.Outline, p.County.Name) is { } outside)
            errors.Add(nameof(input.Boundary), outside);
        else if (errors.Ok && place is { } at)
        {
            // The mine's safety officer or owner who answers for it (a 责任人 of the county; a ledger import names them itself).
            var responsible = string.IsNullOrWhiteSpace(input.Responsible) ? null
                : await (await CountyPeople.LoadAsync(db, at.County.Code, ct)).PersonAsync(db, input.Responsible, nameof(input.Responsible), errors, ct);
            if (!errors.Ok) return (null, errors);
            var e = boundary.EnvelopeInternal;
            return (new Valid(new LicensedMine.Licence(name!, holder!, licence, mineral, from, to, status), at.County.Code,
                at.DivisionCode, GeoJson.Write(boundary), (e.MinX, e.MinY, e.MaxX, e.MaxY), responsible, since), errors);
        }

        return (null, errors);
    }

    private static string? Text(string? value, string field, string missing, int max, FieldErrors errors)
    {
        var t = value?.Trim();
        if (string.IsNullOrEmpty(t)) errors.Add(field, missing);
        else if (t.Length > max) errors.Add(field, $"不能超过 {max} 个字符");
        else return t;
        return null;
    }

    /// <summary>
    /// Both dates are required, except for a mine closing down: the ledgers of old closed mines often have lost them,
    /// and refusing those rows would leave the mines off the map altogether.
    /// </summary>
    private static (DateOnly? From, DateOnly? To) ReadValidity(MineInput input, bool closing, FieldErrors errors)
    {
        DateOnly? Read(string? text, string field)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                if (!closing) errors.Add(field, field == nameof(input.ValidFrom) ? "请填写有效期起始日期" : "请填写有效期截止日期");
                return null;
            }

            if (LicenceFields.TryParseDate(text, out var date, out var error)) return date;
            errors.Add(field, error!);
            return null;
        }

        var from = Read(input.ValidFrom, nameof(input.ValidFrom));
        var to = Read(input.ValidTo, nameof(input.ValidTo));
        if (from > to) errors.Add(nameof(input.ValidTo), "有效期截止日期不能早于起始日期");
        return (from, to);
    }

    /// <summary>
    /// Licence numbers are unique nationwide, so the check looks past the jurisdiction filter; a clash outside the
    /// user's scope says only that the number is taken, not by whom.
    /// </summary>
    private async Task<string?> LicenceTakenAsync(string licence, Guid? self, CancellationToken ct)
    {
        if (db.ChangeTracker.Entries<LicensedMine>().Any(e => e.State == EntityState.Added && e.Entity.Id != self && e.Entity.LicenceNumber == licence))
            return $"许可证号“{licence}”在本次导入中重复";
        var other = await Mines.Beyond(ScopeExit.Uniqueness).AsNoTracking()
            .Where(m => m.LicenceNumber == licence && m.Id != self)
            .Select(m => new { m.Name, m.DivisionCode }).FirstOrDefaultAsync(ct);
        if (other is null) return null;
        return Scope.Contains(other.DivisionCode) ? $"许可证号“{licence}”已登记（{other.Name}）" : $"许可证号“{licence}”已在其他辖区登记";
    }

    private sealed record Place(Division County, IPreparedGeometry? Outline, string DivisionCode);

    /// <summary>The county (from the input, or the user's own) and the township within it, inside the user's scope.</summary>
    private async Task<Place?> PlaceAsync(MineInput input, FieldErrors errors, CancellationToken ct)
    {
        var countyText = input.County?.Trim();
        if (string.IsNullOrEmpty(countyText))
        {
            // A county or township user works in their own county.
            if (Scope.IsAll || Scope.IsNone || Scope.Code.Length < 6 || !Scope.Code[..6].All(char.IsAsciiDigit))
            {
                errors.Add(nameof(input.County), "请填写所在县（市、区）");
                return null;
            }
            countyText = Scope.Code[..6];
        }

        var county = await CountyAsync(countyText, ct);
        if (county is null)
        {
            errors.Add(nameof(input.County), $"未知的县（市、区）：{countyText}");
            return null;
        }

        var (division, outline, townships) = county.Value;
        if (!Scope.Contains(division.Code) && !Scope.Code.StartsWith(division.Code, StringComparison.Ordinal))
        {
            errors.Add(nameof(input.County), $"“{division.Name}”超出您的管辖范围");
            return null;
        }

        var townshipText = input.Township?.Trim();
        if (string.IsNullOrEmpty(townshipText))
        {
            if (Scope.Contains(division.Code)) return new Place(division, outline, division.Code);
            errors.Add(nameof(input.Township), "请选择所在乡镇（您的管辖范围在乡镇一级）");
            return null;
        }

        var code = Division.NormalizeCode(townshipText);
        var matches = townships.Where(t => t.Code == code || t.Name == townshipText).ToList();
        // "饭坡" for "饭坡镇": ledgers often drop the 镇/乡; accept it when only one township fits.
        if (matches.Count == 0) matches = townships.Where(t => t.Name.StartsWith(townshipText, StringComparison.Ordinal)).ToList();
        if (matches.Count != 1)
        {
            errors.Add(nameof(input.Township), $"“{townshipText}”不是“{division.Name}”的乡镇");
            return null;
        }

        if (!Scope.Contains(matches[0].Code))
        {
            errors.Add(nameof(input.Township), $"“{matches[0].Name}”超出您的管辖范围");
            return null;
        }

        return new Place(division, outline, matches[0].Code);
    }

    private async Task<(Division County, IPreparedGeometry? Outline, List<Division> Townships)?> CountyAsync(string text, CancellationToken ct)
    {
        var code = Division.NormalizeCode(text);
        if (counties.TryGetValue(code, out var cached)) return cached;
        var county = await db.Divisions.AsNoTracking()
            .Where(d => d.Level == DivisionLevel.County && (d.Code == code || d.Name == text))
            .OrderBy(d => d.Code).ToListAsync(ct);
        // A name like 城关区 is shared by several counties; only the one the user may see is meant.
        var match = county.Count == 1 ? county[0] : county.FirstOrDefault(d => Scope.Contains(d.Code) || Scope.Code.StartsWith(d.Code, StringComparison.Ordinal));
        if (match is null) return null;
        if (counties.TryGetValue(match.Code, out cached)) return cached;
        var townships = await db.Divisions.AsNoTracking()
            .Where(d => d.ParentCode == match.Code && d.Level == DivisionLevel.Township).OrderBy(d => d.Code).ToListAsync(ct);
        var outline = match.BoundaryGeoJson is { } json ? MineBoundary.PrepareCounty(GeoJson.ReadFirstGeometry(json)) : null;
        cached = (match, outline, townships);
        counties[match.Code] = cached;
        return cached;
    }
}
