using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Admin;
using MineGuard.Platform.Geo;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.People;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Adits;

public sealed record SealInput(string? On, string? Method, string? Standard, string? PerformedBy, Guid? PerformedByUserId, string? Note);

public sealed record AcceptInput(string? On, string? Note);

public sealed record BreachInput(string? On, string? FoundBy, string? HowFound, string? Note);

/// <summary>
/// Registering and changing adits, shared by the API, the pages, the ledger import and the demo data. Field problems
/// come back as <see cref="FieldErrors"/>; a refused rule of the sealing lifecycle throws (409).
/// </summary>
public sealed class AditCommands(AppDbContext db)
{
    private DateTime Now => db.Clock.GetUtcNow().UtcDateTime;

    public DateOnly Today => DateOnly.FromDateTime(ChinaTime.ToLocal(Now));

    /// <summary>The county an adit goes into: the user's own county, or the one named when the user sees several.</summary>
    public async Task<(Division? County, FieldErrors Errors)> ResolveCountyAsync(string? county, string? township, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var scope = db.CurrentUser.Scope;
        string? code = null;
        if (!string.IsNullOrWhiteSpace(county)) code = Division.NormalizeCode(county);
        else if (Division.NormalizeCode(township ?? "") is { Length: >= 9 } t && t.All(char.IsAsciiDigit)) code = t[..6];
        else if (scope.Code.Length >= 6) code = scope.Code[..6];
        var found = code is null ? null : await db.Divisions.AsNoTracking().FirstOrDefaultAsync(d => d.Code == code && d.Level == DivisionLevel.County, ct);
        if (found is null)
            errors.Add(nameof(AditInput.County), code is null ? "请选择所在县（市、区）" : $"未知的县级区划代码：{county ?? code}");
        else if (!scope.Contains(found.Code) && !found.Code.StartsWith(scope.Code, StringComparison.Ordinal) && !scope.Code.StartsWith(found.Code, StringComparison.Ordinal))
            errors.Add(nameof(AditInput.County), $"“{found.Name}”超出您的管辖范围");
        else return (found, errors);
        return (null, errors);
    }

    public async Task<(Adit? Adit, FieldErrors Errors)> RegisterAsync(AditInput input, CancellationToken ct)
    {
        var (county, errors) = await ResolveCountyAsync(input.County, input.Township, ct);
        if (county is null) return (null, errors);
        var places = await AditPlaces.LoadAsync(db, county, ct);
        var neighbours = await NeighboursAsync(input, null, ct);
        var (valid, validation) = AditValidator.Validate(input, places, neighbours, db.CurrentUser.Scope, Today);
        if (valid is null) return (null, validation);
        valid = await WithPersonAsync(valid, ct);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var number = valid.Number ?? (await NumberAllocator.StartAsync(db, county.Code, ct)).Next();
        var adit = Create(valid, number, null, isDemo: false);
        db.Adits().Add(adit);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (adit, validation);
    }

    public async Task<FieldErrors> UpdateAsync(Adit adit, AditInput input, CancellationToken ct)
    {
        var county = await db.Divisions.AsNoTracking().FirstAsync(d => d.Code == adit.CountyCode, ct);
        var places = await AditPlaces.LoadAsync(db, county, ct);
        var neighbours = await NeighboursAsync(input, adit.Id, ct);
        var (valid, errors) = AditValidator.Validate(input with { SealState = null }, places, neighbours, db.CurrentUser.Scope, Today, adit.Number);
        if (valid is null) return errors;
        valid = await WithPersonAsync(valid, ct);
        adit.Relocate(valid.Place, valid.Lon, valid.Lat);
        adit.Describe(valid.Details, Now);
        if (valid.Number is { } number && number != adit.Number) adit.Renumber(number);
        await db.SaveChangesAsync(ct);
        return errors;
    }

    /// <summary>A responsible user named without a person record gets one (routing asks for persons).</summary>
    private async Task<ValidAdit> WithPersonAsync(ValidAdit valid, CancellationToken ct) =>
        valid.Details is { ResponsiblePersonId: null, ResponsibleUserId: { } user }
            ? valid with { Details = valid.Details with { ResponsiblePersonId = await db.PersonForUserAsync(user, ct) } }
            : valid;

    /// <summary>A new adit from checked input, with the sealing state a ledger reports (no save: the caller saves).</summary>
    public Adit Create(ValidAdit valid, string number, Guid? importBatchId, bool isDemo)
    {
        var adit = Adit.Register(number, valid.Place, valid.Lon, valid.Lat, valid.Details, Now, importBatchId, isDemo);
        if (valid.InitialState == SealState.Unsealed) return adit;
        var me = db.CurrentUser.Id;
        var on = valid.SealedOn!.Value;
        adit.Seal(new Adit.SealWork(on, valid.SealMethod!.Value, null, "台账导入", null, "据原台账登记"), me, Now);
        if (valid.InitialState == SealState.Accepted && me is { } acceptor) adit.Accept(on, acceptor, "据原台账登记的验收", Now);
        if (valid.InitialState == SealState.Breached) adit.RecordBreach(on, null, "据原台账登记", me, null, Now);
        return adit;
    }

    public async Task<(SealingEvent? Event, FieldErrors Errors)> SealAsync(Adit adit, SealInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var on = Day(input.On, nameof(input.On), errors);
        SealMethod method = default;
        if (string.IsNullOrWhiteSpace(input.Method) || !AditNames.TryParse(AditNames.Methods, input.Method, out method))
            errors.Add(nameof(input.Method), $"请选择封堵方式：{string.Join("、", AditNames.Methods.Values)}");
        var performer = input.PerformedByUserId ?? db.CurrentUser.Id;
        if (input.PerformedByUserId is { } chosen && !await db.Users.Within(db.CurrentUser.Scope, u => u.DivisionCode).AnyAsync(u => u.Id == chosen, ct))
            errors.Add(nameof(input.PerformedByUserId), "封堵负责人不是您辖区内的用户");
        if (!errors.Ok) return (null, errors);
        var e = adit.Seal(new Adit.SealWork(on!.Value, method, Blank(input.Standard), Blank(input.PerformedBy), performer, Blank(input.Note)), db.CurrentUser.Id, Now);
        await db.SaveChangesAsync(ct);
        return (e, errors);
    }

    public async Task<(SealingEvent? Event, FieldErrors Errors)> AcceptAsync(Adit adit, AcceptInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var on = Day(input.On, nameof(input.On), errors);
        if (!errors.Ok) return (null, errors);
        var e = adit.Accept(on!.Value, db.CurrentUser.Id!.Value, Blank(input.Note), Now);
        await db.SaveChangesAsync(ct);
        return (e, errors);
    }

    public async Task<(SealingEvent? Event, FieldErrors Errors)> BreachAsync(Adit adit, BreachInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var on = Day(input.On, nameof(input.On), errors);
        if (string.IsNullOrWhiteSpace(input.HowFound)) errors.Add(nameof(input.HowFound), "请填写发现方式（如：巡查发现、群众举报、视频监控）");
        if (!errors.Ok) return (null, errors);
        var e = adit.RecordBreach(on!.Value, Blank(input.FoundBy), input.HowFound!.Trim(), db.CurrentUser.Id, Blank(input.Note), Now);
        await db.SaveChangesAsync(ct);
        return (e, errors);
    }

    /// <summary>Existing numbers and positions near the input's position (and the number it asks for).</summary>
    private async Task<AditNeighbourhood> NeighboursAsync(AditInput input, Guid? self, CancellationToken ct)
    {
        var neighbours = new AditNeighbourhood();
        // Numbers are unique across the country, so look beyond the user's scope; only the fact of use is revealed.
        if (input.Number?.Trim() is { Length: > 0 } number
            && await db.Adits().Beyond(ScopeExit.Uniqueness).AnyAsync(a => a.Number == number && a.Id != self, ct))
            neighbours.Add(number, double.NaN, double.NaN);
        if (Dms.TryParse(input.Lon ?? "", out var lon, out _) && Dms.TryParse(input.Lat ?? "", out var lat, out _))
        {
            if (AditValidator.IsGcj02(input.Crs)) (lon, lat) = Gcj02.ToWgs84(lon, lat);
            const double d = 0.001; // ~100 m: wider than the 20 m rule
            var near = await db.Adits().Beyond(ScopeExit.Uniqueness).AsNoTracking()
                .Where(a => a.Id != self && a.Lon >= lon - d && a.Lon <= lon + d && a.Lat >= lat - d && a.Lat <= lat + d)
                .Select(a => new { a.Number, a.Lon, a.Lat }).ToListAsync(ct);
            foreach (var a in near) neighbours.Add(a.Number, a.Lon, a.Lat);
        }
        return neighbours;
    }

    private DateOnly? Day(string? text, string field, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text)) errors.Add(field, "请填写日期");
        else if (!CalendarDate.TryParse(text, out var d)) errors.Add(field, $"日期“{text}”无法识别（例：2024-09-26）");
        else if (d > Today) errors.Add(field, "日期不能晚于今天");
        else return d;
        return null;
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

/// <summary>Hands out "county code-serial" numbers; taken inside the caller's transaction, under a per-county lock.</summary>
public sealed class NumberAllocator
{
    private readonly string prefix;
    private int last;

    private NumberAllocator(string prefix, int last)
    {
        this.prefix = prefix;
        this.last = last;
    }

    public static async Task<NumberAllocator> StartAsync(AppDbContext db, string countyCode, CancellationToken ct)
    {
        await db.LockAsync(LockKey.AditNumbers, countyCode, ct);
        var prefix = countyCode + "-";
        // Serials are zero-padded to five digits, so the greatest number is the last serial (one index seek).
        var greatest = await db.Adits().Beyond(ScopeExit.Uniqueness)
            .Where(a => a.Number.StartsWith(prefix) && a.Number.Length == prefix.Length + 5)
            .OrderByDescending(a => a.Number).Select(a => a.Number).FirstOrDefaultAsync(ct);
        var last = greatest is not null && int.TryParse(greatest[prefix.Length..], out var s) ? s : 0;
        return new NumberAllocator(prefix, last);
    }

    public string Next() => $"{prefix}{++last:D5}";
}

public static class AditSets
{
    public static DbSet<Adit> Adits(this AppDbContext db) => db.Set<Adit>();

    public static DbSet<SealingEvent> SealingEvents(this AppDbContext db) => db.Set<SealingEvent>();

    public static DbSet<AditPhoto> AditPhotos(this AppDbContext db) => db.Set<AditPhoto>();
}
