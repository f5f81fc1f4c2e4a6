using MineGuard.Features.Adits;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Mines;

/// <summary>生产状态 of a licensed mine.</summary>
public enum MineStatus
{
    Producing = 1, Suspended, Rectifying, Closing,
}

/// <summary>
/// 矿山/矿业权: a licensed mine with its licence boundary. Later issues compare activity against the boundary
/// (越界开采) and the status ("stopped on paper, working at night", 明停暗开).
/// </summary>
public sealed class LicensedMine : IInJurisdiction
{
    private LicensedMine() { }

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    public string RightsHolder { get; private set; } = "";

    /// <summary>采矿许可证号 (or exploration licence number).</summary>
    public string LicenceNumber { get; private set; } = "";

    public Mineral Mineral { get; private set; }
    public string CountyCode { get; private set; } = "";
    public string DivisionCode { get; private set; } = "";

    /// <summary>Licence boundary as GeoJSON (WGS84), and its bounding box for index-backed map queries.</summary>
    public string BoundaryGeoJson { get; private set; } = "";

    public double MinLon { get; private set; }
    public double MinLat { get; private set; }
    public double MaxLon { get; private set; }
    public double MaxLat { get; private set; }

    public DateOnly? ValidFrom { get; private set; }
    public DateOnly? ValidTo { get; private set; }
    public MineStatus Status { get; private set; }
    public Guid? ImportBatchId { get; private set; }

    /// <summary>The person who answers for the mine (e.g. its safety officer), with or without a log-in.</summary>
    public Guid? ResponsiblePersonId { get; private set; }

    public void NameResponsible(Guid? personId) => ResponsiblePersonId = personId;
    public bool IsDemo { get; private set; }
    public DateTime CreatedUtc { get; private set; }
    public DateTime UpdatedUtc { get; private set; }

    public bool IsExpired(DateOnly today) => ValidTo is { } to && to < today;

    private readonly List<MineStatusChange> statusChanges = [];

    /// <summary>The status history (<see cref="MineStatusChange"/>); loaded only when included.</summary>
    public IReadOnlyList<MineStatusChange> StatusChanges => statusChanges;

    public sealed record Licence(
        string Name, string RightsHolder, string LicenceNumber, Mineral Mineral, DateOnly? ValidFrom, DateOnly? ValidTo, MineStatus Status);

    public static LicensedMine Register(
        Licence licence, string countyCode, string divisionCode, string boundaryGeoJson,
        (double MinLon, double MinLat, double MaxLon, double MaxLat) box, DateTime nowUtc, Guid? importBatchId = null, bool isDemo = false,
        DateOnly? statusSince = null)
    {
        var mine = new LicensedMine
        {
            Id = Guid.CreateVersion7(), CreatedUtc = nowUtc, ImportBatchId = importBatchId, IsDemo = isDemo,
        };
        mine.Update(licence, countyCode, divisionCode, boundaryGeoJson, box, nowUtc);
        // The status it is registered with holds as far back as known, unless a day is given.
        mine.statusChanges.Add(MineStatusChange.Create(mine.Id, divisionCode, mine.Status, statusSince, nowUtc));
        return mine;
    }

    /// <summary>Changes the licence; a new status goes into the history, effective <paramref name="statusSince"/> or today in China.</summary>
    public void Update(
        Licence licence, string countyCode, string divisionCode, string boundaryGeoJson,
        (double MinLon, double MinLat, double MaxLon, double MaxLat) box, DateTime nowUtc, DateOnly? statusSince = null)
    {
        var before = Status;
        (Name, RightsHolder, LicenceNumber, Mineral, ValidFrom, ValidTo, Status) =
            (licence.Name, licence.RightsHolder, licence.LicenceNumber, licence.Mineral, licence.ValidFrom, licence.ValidTo, licence.Status);
        if (before != default && before != Status)
            statusChanges.Add(MineStatusChange.Create(Id, divisionCode, Status,
                statusSince ?? DateOnly.FromDateTime(Platform.Time.ChinaTime.ToLocal(nowUtc)), nowUtc));
        CountyCode = countyCode;
        DivisionCode = divisionCode;
        BoundaryGeoJson = boundaryGeoJson;
        (MinLon, MinLat, MaxLon, MaxLat) = box;
        UpdatedUtc = nowUtc;
    }
}

public static class MineNames
{
    public static readonly IReadOnlyDictionary<MineStatus, string> Statuses = new Dictionary<MineStatus, string>
    {
        [MineStatus.Producing] = "生产", [MineStatus.Suspended] = "停产", [MineStatus.Rectifying] = "停产整顿",
        [MineStatus.Closing] = "关闭退出",
    };
}
