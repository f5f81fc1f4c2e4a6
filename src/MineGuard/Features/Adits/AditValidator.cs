using System.Globalization;
using MineGuard.Features.Admin;
using MineGuard.Platform.Geo;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.People;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Adits;

/// <summary>An adit's input, checked and turned into values.</summary>
public sealed record ValidAdit(
    string? Number, Adit.Place Place, double Lon, double Lat, Adit.Details Details,
    SealState InitialState, SealMethod? SealMethod, DateOnly? SealedOn)
{
    /// <summary>Which village a name that was not the village's own was taken for (黄庄村 → 黄庄村民委员会), for a ledger's row note.</summary>
    public string? VillageNote { get; init; }
}

/// <summary>
/// Checks one adit as typed, field by field, with a Chinese reason for each problem. The named rules of the registry
/// live here: the location must lie inside the adit's county, and an adit within 20 m of another needs confirming.
/// </summary>
public static class AditValidator
{
    public static (ValidAdit? Adit, FieldErrors Errors) Validate(
        AditInput input, AditPlaces places, AditNeighbourhood neighbours, JurisdictionScope scope, DateOnly today, string? ownNumber = null)
    {
        var errors = new FieldErrors();
        var number = input.Number?.Trim();
        if (number is { Length: > 40 }) errors.Add(nameof(input.Number), "编号不能超过 40 个字符");
        else if (!string.IsNullOrEmpty(number) && number != ownNumber && neighbours.HasNumber(number))
            errors.Add(nameof(input.Number), $"编号“{number}”已被使用");

        var place = ResolvePlace(input, places, scope, errors, out var villageNote);
        var position = ParsePosition(input, errors);
        if (position is var (lon, lat))
        {
            LocationMustBeInsideCounty(lon, lat, places, errors);
            if (!input.ConfirmNearby) NearbyAditNeedsConfirmation(lon, lat, neighbours, ownNumber, errors);
        }

        double? elevation = null;
        if (!string.IsNullOrWhiteSpace(input.Elevation))
        {
            if (double.TryParse(CalendarDate.HalfWidth(input.Elevation).Trim().TrimEnd('米', 'm', 'M').Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var e) && e is > -500 and < 9000)
                elevation = e;
            else errors.Add(nameof(input.Elevation), $"高程“{input.Elevation}”不是有效的米数");
        }

        var mineral = Mineral.Other;
        if (!string.IsNullOrWhiteSpace(input.Mineral) && !TryParseMineral(input.Mineral, out mineral))
            errors.Add(nameof(input.Mineral), $"矿种“{input.Mineral}”无法识别，可填：{string.Join("、", AditNames.Minerals.Values)}");
        var origin = AditOrigin.Unknown;
        if (!string.IsNullOrWhiteSpace(input.Origin) && !AditNames.TryParse(AditNames.Origins, input.Origin, out origin))
            errors.Add(nameof(input.Origin), $"来源“{input.Origin}”无法识别，可填：{string.Join("、", AditNames.Origins.Values)}");

        (Guid? PersonId, Guid? UserId) responsible = (null, null);
        if (!string.IsNullOrWhiteSpace(input.Responsible))
        {
            if (places.Responsible(input.Responsible) is { } found) responsible = found;
            else errors.Add(nameof(input.Responsible), CountyPeople.NotFound(input.Responsible));
        }

        var (state, method, sealedOn) = ParseSealing(input, today, errors);
        if (!errors.Ok) return (null, errors);

        var details = new Adit.Details(
            Blank(input.Name), elevation, mineral, origin, Blank(input.RightsHolder), Blank(input.ClosureParty), responsible.UserId, Blank(input.Description),
            responsible.PersonId);
        return (new ValidAdit(string.IsNullOrEmpty(number) ? null : number, place!, position!.Value.Lon, position.Value.Lat, details, state, method, sealedOn)
            { VillageNote = villageNote }, errors);
    }

    /// <summary>Rule: an adit lies inside its county (the outline the product holds for it).</summary>
    public static void LocationMustBeInsideCounty(double lon, double lat, AditPlaces places, FieldErrors errors)
    {
        if (!places.Contains(lon, lat))
            errors.Add(nameof(AditInput.Lon), $"坐标（{lon:F6}, {lat:F6}）不在{places.County.Name}境内，请核对经纬度（是否填反、是否为 GCJ-02 坐标）");
    }

    /// <summary>Rule: a second adit within 20 m of an existing one is probably the same adit, unless confirmed.</summary>
    public static void NearbyAditNeedsConfirmation(double lon, double lat, AditNeighbourhood neighbours, string? ownNumber, FieldErrors errors)
    {
        if (neighbours.Near(lon, lat) is { } near && near.Number != ownNumber)
            errors.Add(nameof(AditInput.ConfirmNearby),
                $"与已登记的矿硐 {near.Number} 相距 {near.Metres:F0} 米，疑似重复；如确认是另一个矿硐，请勾选“确认不是重复”后再提交");
    }

    private static Adit.Place? ResolvePlace(AditInput input, AditPlaces places, JurisdictionScope scope, FieldErrors errors, out string? villageNote)
    {
        villageNote = null;
        if (string.IsNullOrWhiteSpace(input.Township))
        {
            errors.Add(nameof(input.Township), "请填写所在乡镇");
            return null;
        }
        var township = places.Find(input.Township, DivisionLevel.Township, places.County.Code);
        if (township is null)
        {
            errors.Add(nameof(input.Township), $"乡镇“{input.Township.Trim()}”不在{places.County.Name}的区划中");
            return null;
        }
        Division? village = null, grid = null;
        if (!string.IsNullOrWhiteSpace(input.Village))
        {
            village = places.Divisions.Village(input.Village, township, out var villageError, out villageNote);
            if (villageError is not null) errors.Add(nameof(input.Village), villageError);
        }
        if (!string.IsNullOrWhiteSpace(input.Grid))
        {
            grid = places.Grid(input.Grid, village?.Code ?? township.Code);
            if (grid is null) errors.Add(nameof(input.Grid), $"网格“{input.Grid.Trim()}”不在{(village ?? township).Name}之下");
        }
        var most = grid ?? village ?? township;
        if (!scope.Contains(most.Code))
        {
            errors.Add(nameof(input.Township), $"“{most.Name}”超出您的管辖范围");
            return null;
        }
        return new Adit.Place(places.County.Code, township.Code, village?.Code, grid?.Code);
    }

    private static (double Lon, double Lat)? ParsePosition(AditInput input, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(input.Lon) || string.IsNullOrWhiteSpace(input.Lat))
        {
            if (string.IsNullOrWhiteSpace(input.Lon)) errors.Add(nameof(input.Lon), "请填写经度");
            if (string.IsNullOrWhiteSpace(input.Lat)) errors.Add(nameof(input.Lat), "请填写纬度");
            return null;
        }
        var okLon = Dms.TryParse(input.Lon, out var lon, out var lonError);
        var okLat = Dms.TryParse(input.Lat, out var lat, out var latError);
        if (!okLon) errors.Add(nameof(input.Lon), $"经度“{input.Lon}”：{lonError}");
        if (!okLat) errors.Add(nameof(input.Lat), $"纬度“{input.Lat}”：{latError}");
        if (!okLon || !okLat) return null;
        if (lon is < 73 or > 136 || lat is < 3 or > 54)
        {
            // Swapped columns are the commonest ledger mistake.
            errors.Add(nameof(input.Lon), lat is >= 73 and <= 136 && lon is >= 3 and <= 54
                ? $"经纬度似乎填反了（经度 {lon}，纬度 {lat}）"
                : $"坐标（{lon}, {lat}）不在中国境内");
            return null;
        }
        if (!Gcj02.TryParseCrs(input.Crs, out var gcj02))
        {
            errors.Add(nameof(input.Crs), $"坐标系“{input.Crs?.Trim()}”无法识别：{CrsChoices}");
            return null;
        }
        return gcj02 ? Gcj02.ToWgs84(lon, lat) : (lon, lat);
    }

    public const string CrsChoices = Gcj02.CrsChoices;

    /// <summary>Input picked on a GCJ-02 map (高德, 腾讯), to be shifted back to WGS84.</summary>
    public static bool IsGcj02(string? crs) => Gcj02.TryParseCrs(crs, out var gcj02) && gcj02;

    private static (SealState, SealMethod?, DateOnly?) ParseSealing(AditInput input, DateOnly today, FieldErrors errors)
    {
        var state = SealState.Unsealed;
        if (!string.IsNullOrWhiteSpace(input.SealState) && !TryParseState(input.SealState, out state))
            errors.Add(nameof(input.SealState), $"封堵状态“{input.SealState}”无法识别，可填：未封堵、已封堵、已验收、发现破坏");
        if (state == SealState.Unsealed) return (state, null, null);

        SealMethod? method = null;
        if (string.IsNullOrWhiteSpace(input.SealMethod)) errors.Add(nameof(input.SealMethod), "已封堵的矿硐须填写封堵方式");
        else if (AditNames.TryParse(AditNames.Methods, input.SealMethod, out var m)) method = m;
        else errors.Add(nameof(input.SealMethod), $"封堵方式“{input.SealMethod}”无法识别，可填：{string.Join("、", AditNames.Methods.Values)}");

        DateOnly? on = null;
        if (string.IsNullOrWhiteSpace(input.SealedOn)) errors.Add(nameof(input.SealedOn), "已封堵的矿硐须填写封堵日期");
        else if (!CalendarDate.TryParse(input.SealedOn, out var d)) errors.Add(nameof(input.SealedOn), $"封堵日期“{input.SealedOn}”无法识别（例：2024-09-26）");
        else if (d > today) errors.Add(nameof(input.SealedOn), "封堵日期不能晚于今天");
        else on = d;
        return (state, method, on);
    }

    /// <summary>矿种 by its name, also written with 矿 (金矿).</summary>
    public static bool TryParseMineral(string text, out Mineral mineral) => AditNames.TryParse(AditNames.Minerals, text.Trim().TrimEnd('矿'), out mineral);

    /// <summary>封堵状态 by its name or a ledger's usual words for it (是/否, 已封, 封堵被破坏…).</summary>
    public static bool TryParseState(string text, out SealState state)
    {
        var t = text.Trim();
        state = t switch
        {
            "是" or "已封" or "已封闭" or "封堵" or "已封堵" => SealState.Sealed,
            "否" or "未封" or "未封闭" or "未封堵" => SealState.Unsealed,
            "验收" or "已验收" => SealState.Accepted,
            "破坏" or "被破坏" or "发现破坏" or "被盗采" or "封堵被破坏" or "封堵破坏" or "已破坏" => SealState.Breached,
            _ => 0,
        };
        return state != 0 || AditNames.TryParse(AditNames.States, t, out state);
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
