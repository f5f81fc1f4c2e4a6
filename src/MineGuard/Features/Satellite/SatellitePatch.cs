using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Satellite;

/// <summary>
/// 卫片图斑批次: one delivery of change polygons for a province and a period, known by the sender's batch id (a re-import
/// of the same id adds only the patches it does not hold yet). Filed under the province; counties see their patches.
/// </summary>
public sealed class SatelliteBatch : IInJurisdiction
{
    private SatelliteBatch() { }

    public Guid Id { get; private set; }

    /// <summary>The batch's province (a two-digit code): every patch must lie inside it.</summary>
    public string DivisionCode { get; private set; } = "";

    /// <summary>批次编号 as the sender names it; unique.</summary>
    public string BatchKey { get; private set; } = "";

    public DateOnly PeriodFrom { get; private set; }
    public DateOnly PeriodTo { get; private set; }

    /// <summary>"wgs84" or "gcj02" as declared; GCJ-02 patches are stored converted to WGS84.</summary>
    public string Crs { get; private set; } = "wgs84";

    /// <summary>月清: the day by which every patch of the batch must be checked on the ground.</summary>
    public DateOnly DueOn { get; private set; }

    public Guid? ImportedById { get; private set; }
    public DateTime ImportedUtc { get; private set; }

    public static SatelliteBatch Import(string province, string key, DateOnly from, DateOnly to, string crs, DateOnly dueOn, Guid? byUserId, DateTime nowUtc) =>
        new()
        {
            Id = Guid.CreateVersion7(), DivisionCode = province, BatchKey = key, PeriodFrom = from, PeriodTo = to, Crs = crs, DueOn = dueOn,
            ImportedById = byUserId, ImportedUtc = nowUtc,
        };
}

/// <summary>How a patch lies against the licensed mines' boundaries (矿区范围).</summary>
public enum MineRelation
{
    /// <summary>Outside every licence: possible 无证开采.</summary>
    Outside = 0,

    /// <summary>Inside one licence's boundary.</summary>
    Inside = 1,

    /// <summary>Across a licence's boundary: possible 越界开采.</summary>
    Crossing = 2,
}

public enum PatchState
{
    /// <summary>待核查: a named checker must check it on the ground by the batch's day.</summary>
    Checking = 0,

    /// <summary>待复核: found illegal or unclear (or legal and drawn for the sample); the province reviews it.</summary>
    Reviewing = 1,

    /// <summary>已办结: legal and not sampled, or the province agreed with the finding.</summary>
    Closed = 2,
}

/// <summary>What the checker found on the ground.</summary>
public enum PatchFinding
{
    /// <summary>合法: licensed mining, permitted construction, farming.</summary>
    Legal = 0,

    /// <summary>违法采矿: becomes a clue.</summary>
    Illegal = 1,

    /// <summary>其他 / 无法确定: reviewed by the province like an illegal one.</summary>
    Other = 2,
}

/// <summary>
/// 卫片图斑: one change polygon of a batch, matched on import against adits, licence boundaries, earlier patches and open
/// clues, checked on the ground through a patch-check assignment and reviewed by the province. The Ministry's rule: a patch
/// is a clue only, never by itself the basis of a penalty.
/// </summary>
public sealed class SatellitePatch : IInJurisdiction, IDepartmentShared<SatellitePatch>
{
    public const string SourceType = "satellite";

    /// <summary>Patches are the natural-resources bureau's work; other departments see them through the clues they get.</summary>
    public static System.Linq.Expressions.Expression<Func<SatellitePatch, string, bool, bool>> SharedWith { get; } =
        (p, dept, reward) => dept == "natural-resources";

    private SatellitePatch() { }

    public Guid Id { get; private set; }
    public Guid BatchId { get; private set; }

    /// <summary>The county the patch lies in.</summary>
    public string DivisionCode { get; private set; } = "";

    /// <summary>图斑编号 as the batch names it; unique within the batch.</summary>
    public string PatchKey { get; private set; } = "";

    public string ChangeType { get; private set; } = "";
    public double AreaM2 { get; private set; }
    public string? BeforeImage { get; private set; }
    public string? AfterImage { get; private set; }

    /// <summary>WGS84 polygon.</summary>
    public string GeometryGeoJson { get; private set; } = "";

    public double MinLon { get; private set; }
    public double MinLat { get; private set; }
    public double MaxLon { get; private set; }
    public double MaxLat { get; private set; }

    /// <summary>A point inside the polygon (where the checker goes).</summary>
    public double Lon { get; private set; }
    public double Lat { get; private set; }

    public MineRelation MineRelation { get; private set; }

    /// <summary>Licensed mines whose boundary the patch touches (comma-separated ids).</summary>
    public string MineIds { get; private set; } = "";

    /// <summary>Adits within the matching distance (comma-separated ids), nearest first.</summary>
    public string AditIds { get; private set; } = "";

    public Guid? NearestAditId { get; private set; }
    public double? NearestAditMetres { get; private set; }

    /// <summary>Patches of earlier batches at the same place (a recurring site), comma-separated ids.</summary>
    public string EarlierPatchIds { get; private set; } = "";

    /// <summary>Open clues at the matched adits, and clues there that became cases.</summary>
    public string OpenClueIds { get; private set; } = "";
    public string CaseIds { get; private set; } = "";

    public PatchState State { get; private set; }
    public Guid? AssignmentId { get; private set; }

    public PatchFinding? Finding { get; private set; }
    public string? FindingNote { get; private set; }
    public double? FindingLon { get; private set; }
    public double? FindingLat { get; private set; }
    public Guid? FoundById { get; private set; }
    public DateTime? FoundUtc { get; private set; }
    public Guid? ClueId { get; private set; }

    /// <summary>Distance of the finding's position from the polygon (0 inside), and whether it proves presence on site.</summary>
    public double? FindingMetres { get; private set; }
    public bool? FindingProven { get; private set; }
    public string? FindingProof { get; private set; }

    public bool ReviewRequired { get; private set; }
    public bool? ReviewAgreed { get; private set; }
    public string? ReviewNote { get; private set; }
    public Guid? ReviewedById { get; private set; }
    public DateTime? ReviewedUtc { get; private set; }

    /// <summary>How many times the province sent the patch back.</summary>
    public int Returns { get; private set; }

    public DateTime CreatedUtc { get; private set; }

    public sealed record Shape(string GeoJson, double MinLon, double MinLat, double MaxLon, double MaxLat, double Lon, double Lat, double AreaM2);

    public static SatellitePatch Receive(Guid batchId, string county, string key, string changeType, Shape shape, string? before, string? after,
        PatchMatch match, DateTime nowUtc) => new()
    {
        Id = Guid.CreateVersion7(), BatchId = batchId, DivisionCode = county, PatchKey = key, ChangeType = changeType, AreaM2 = shape.AreaM2,
        BeforeImage = before, AfterImage = after, GeometryGeoJson = shape.GeoJson, MinLon = shape.MinLon, MinLat = shape.MinLat,
        MaxLon = shape.MaxLon, MaxLat = shape.MaxLat, Lon = shape.Lon, Lat = shape.Lat, MineRelation = match.Relation,
        MineIds = Join(match.MineIds), AditIds = Join(match.AditIds), NearestAditId = match.AditIds.FirstOrDefault() is var n && n != Guid.Empty ? n : null,
        NearestAditMetres = match.NearestAditMetres, EarlierPatchIds = Join(match.EarlierPatchIds), OpenClueIds = Join(match.OpenClueIds),
        CaseIds = Join(match.CaseIds), CreatedUtc = nowUtc,
    };

    private static string Join(IEnumerable<Guid> ids) => string.Join(',', ids.Take(40));

    public static IReadOnlyList<Guid> Ids(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Guid.Parse).ToList();

    public void Assigned(Guid assignmentId) => AssignmentId = assignmentId;

    /// <summary>The checker's finding; <paramref name="sampled"/> says whether a legal finding was drawn for the province's sample.</summary>
    public void Record(PatchFinding finding, string note, double? lon, double? lat, PatchProof? proof, bool sampled, Guid? byUserId, DateTime nowUtc)
    {
        Rule.Check(State == PatchState.Checking, "PatchNotChecking", "该图斑已核查，等待复核或已办结，不能重复填报");
        (Finding, FindingNote, FindingLon, FindingLat, FoundById, FoundUtc) = (finding, note, lon, lat, byUserId, nowUtc);
        (FindingMetres, FindingProven, FindingProof) = (proof?.Metres, proof?.Proven, proof is { Reasons.Count: > 0 } ? string.Join("；", proof.Reasons) : null);
        ReviewRequired = finding != PatchFinding.Legal || sampled;
        (ReviewAgreed, ReviewNote, ReviewedById, ReviewedUtc) = (null, null, null, null);
        State = ReviewRequired ? PatchState.Reviewing : PatchState.Closed;
    }

    public void LinkClue(Guid clueId) => ClueId ??= clueId;

    /// <summary>The province's review: agreeing closes the patch, disagreeing sends it back to be checked again.</summary>
    public void Review(bool agree, string note, Guid? byUserId, DateTime nowUtc)
    {
        Rule.Check(State == PatchState.Reviewing, "PatchNotReviewing", "该图斑不在待复核状态");
        (ReviewAgreed, ReviewNote, ReviewedById, ReviewedUtc) = (agree, note, byUserId, nowUtc);
        if (agree)
        {
            State = PatchState.Closed;
            return;
        }
        State = PatchState.Checking;
        Returns++;
    }
}
