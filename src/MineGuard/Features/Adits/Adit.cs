using MineGuard.Platform.Geo;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Adits;

/// <summary>
/// 废弃矿硐: one abandoned adit on the ledger, with its place, its responsible party and person, and its sealing
/// history. The history is a list of events that is only ever appended to; the current state kept here is derived
/// from it by the methods below, so that the map and the lists can filter without reading every event.
/// </summary>
public sealed class Adit : IInJurisdiction
{
    private readonly List<SealingEvent> events = [];

    private Adit() { }

    public Guid Id { get; private set; }

    /// <summary>矿硐编号: county code + serial when generated, or the office's own number from an imported ledger.</summary>
    public string Number { get; private set; } = "";

    public string? Name { get; private set; }
    public string CountyCode { get; private set; } = "";
    public string TownshipCode { get; private set; } = "";
    public string? VillageCode { get; private set; }
    public string? GridCode { get; private set; }

    /// <summary>The most specific node (grid, village or township): what scoping filters on.</summary>
    public string DivisionCode { get; private set; } = "";

    /// <summary>WGS84 longitude and latitude.</summary>
    public double Lon { get; private set; }
    public double Lat { get; private set; }

    /// <summary>Tile at zoom 20 (see <see cref="WebMercator"/>), for index-backed map queries.</summary>
    public int MapX { get; private set; }
    public int MapY { get; private set; }

    public double? Elevation { get; private set; }
    public Mineral Mineral { get; private set; }
    public AditOrigin Origin { get; private set; }

    /// <summary>矿业权人, where the adit belonged to a licence.</summary>
    public string? RightsHolder { get; private set; }

    /// <summary>The party named when a policy closure or protected-area exit was decided.</summary>
    public string? ClosureParty { get; private set; }

    public string? SealingPartyOverride { get; private set; }
    public string? SealingPartyOverrideReason { get; private set; }

    /// <summary>包保责任人: the person answerable for this adit (with or without a log-in); routing asks for this one.</summary>
    public Guid? ResponsiblePersonId { get; private set; }

    /// <summary>The responsible person's log-in, when they have one (kept in step with <see cref="ResponsiblePersonId"/>).</summary>
    public Guid? ResponsibleUserId { get; private set; }

    public string? Description { get; private set; }
    public AditStatus Status { get; private set; } = AditStatus.Active;

    /// <summary>Why the adit was written off the ledger (销号), e.g. backfilled and accepted, merged into a mine.</summary>
    public string? StatusReason { get; private set; }

    public SealState State { get; private set; } = SealState.Unsealed;
    public SealMethod? CurrentSealMethod { get; private set; }
    public DateOnly? LastSealedOn { get; private set; }
    public Guid? LastSealedByUserId { get; private set; }
    public DateOnly? LastBreachedOn { get; private set; }
    public int BreachCount { get; private set; }
    public int SealCount { get; private set; }

    public Guid? ImportBatchId { get; private set; }
    public bool IsDemo { get; private set; }
    public DateTime CreatedUtc { get; private set; }
    public DateTime UpdatedUtc { get; private set; }

    public IReadOnlyList<SealingEvent> Events => events;

    /// <summary>Sealed with loose rocks only: what was broken open in one hour in Songxian.</summary>
    public bool IsWeakSeal => State is SealState.Sealed or SealState.Accepted && CurrentSealMethod == SealMethod.LooseRocks;

    /// <summary>Sealed but nobody else has checked and accepted the seal.</summary>
    public bool IsNeverAccepted => State == SealState.Sealed;

    /// <summary>反复盗采反复封堵: broken open more than once.</summary>
    public bool IsRepeatBreach => BreachCount >= 2;

    /// <summary>
    /// 封堵责任主体, as the national work plan assigns it: the rights holder for a normal closure, the party named at
    /// closure for a policy closure or protected-area exit, and the local government for theft points, unknown adits
    /// and historic private workings (which have no owner left to answer).
    /// </summary>
    public string SealingParty(string townshipName) => SealingPartyOverride ?? DerivedSealingParty(Origin, RightsHolder, ClosureParty, townshipName);

    public static string DerivedSealingParty(AditOrigin origin, string? rightsHolder, string? closureParty, string townshipName) => origin switch
    {
        AditOrigin.NormalClosure => rightsHolder ?? "（矿业权人未登记）",
        AditOrigin.PolicyClosure or AditOrigin.ProtectedAreaExit => closureParty ?? "（关闭时确定的责任主体未登记）",
        _ => $"{townshipName}人民政府",
    };

    public sealed record Place(string CountyCode, string TownshipCode, string? VillageCode, string? GridCode);

    public sealed record Details(
        string? Name, double? Elevation, Mineral Mineral, AditOrigin Origin, string? RightsHolder, string? ClosureParty,
        Guid? ResponsibleUserId, string? Description, Guid? ResponsiblePersonId = null);

    public static Adit Register(string number, Place place, double lon, double lat, Details details, DateTime nowUtc,
        Guid? importBatchId = null, bool isDemo = false)
    {
        var adit = new Adit
        {
            Id = Guid.CreateVersion7(), Number = number, CreatedUtc = nowUtc, ImportBatchId = importBatchId, IsDemo = isDemo,
        };
        adit.Relocate(place, lon, lat);
        adit.Describe(details, nowUtc);
        return adit;
    }

    public void Relocate(Place place, double lon, double lat)
    {
        CountyCode = place.CountyCode;
        TownshipCode = place.TownshipCode;
        VillageCode = place.VillageCode;
        GridCode = place.GridCode;
        DivisionCode = place.GridCode ?? place.VillageCode ?? place.TownshipCode;
        Lon = lon;
        Lat = lat;
        (MapX, MapY) = WebMercator.Tile(lon, lat);
    }

    public void Describe(Details d, DateTime nowUtc)
    {
        Name = d.Name;
        Elevation = d.Elevation;
        Mineral = d.Mineral;
        Origin = d.Origin;
        RightsHolder = d.RightsHolder;
        ClosureParty = d.ClosureParty;
        ResponsibleUserId = d.ResponsibleUserId;
        ResponsiblePersonId = d.ResponsiblePersonId;
        Description = d.Description;
        UpdatedUtc = nowUtc;
    }

    public void Renumber(string number) => Number = number;

    public void OverrideSealingParty(string? party, string? reason)
    {
        if (string.IsNullOrWhiteSpace(party))
        {
            SealingPartyOverride = null;
            SealingPartyOverrideReason = null;
            return;
        }
        Rule.Check(!string.IsNullOrWhiteSpace(reason), "SealingPartyOverrideNeedsReason", "变更封堵责任主体必须说明理由");
        SealingPartyOverride = party.Trim();
        SealingPartyOverrideReason = reason!.Trim();
    }

    /// <summary>
    /// 销号: the adit leaves the active ledger, item by item (对账销号), only once its final seal has been accepted by a
    /// second person, and with a reason on record.
    /// </summary>
    public void WriteOff(string? reason, DateTime nowUtc)
    {
        Rule.Check(Status == AditStatus.Active, "AditAlreadyWrittenOff", "该矿硐已经销号");
        Rule.Check(State == SealState.Accepted, "WriteOffNeedsAcceptedSeal", "只有封堵已验收的矿硐才能销号");
        Rule.Check(!string.IsNullOrWhiteSpace(reason), "WriteOffNeedsReason", "销号必须说明理由");
        Status = AditStatus.WrittenOff;
        StatusReason = reason!.Trim();
        UpdatedUtc = nowUtc;
    }

    public sealed record SealWork(
        DateOnly On, SealMethod Method, string? Standard, string? PerformedBy, Guid? PerformedByUserId, string? Note);

    /// <summary>封堵, or 重新封堵 after a breach. An adit that is sealed is not sealed again on top.</summary>
    public SealingEvent Seal(SealWork work, Guid? recordedBy, DateTime nowUtc)
    {
        Rule.Check(State is SealState.Unsealed or SealState.Breached, "AditCannotBeSealedTwice",
            "该矿硐已处于封堵状态，不能重复封堵；如发现被破坏，请先登记“发现破坏”，再登记重新封堵");
        Rule.Check(LastBreachedOn is null || work.On >= LastBreachedOn, "ResealCannotPredateBreach",
            $"重新封堵日期不能早于发现破坏的日期（{LastBreachedOn:yyyy-MM-dd}）");
        var kind = State == SealState.Breached ? SealingEventKind.Resealed : SealingEventKind.Sealed;
        var e = SealingEvent.Create(this, kind, work.On, recordedBy, nowUtc, work.Method, work.Standard, work.PerformedBy, work.PerformedByUserId, work.Note);
        State = SealState.Sealed;
        CurrentSealMethod = work.Method;
        LastSealedOn = work.On;
        // The person answerable for the seal work (a user), whom the acceptance rule keeps from accepting it.
        LastSealedByUserId = work.PerformedByUserId;
        SealCount++;
        return Append(e, nowUtc);
    }

    /// <summary>验收: a second person checks the seal. The one who sealed cannot accept their own work.</summary>
    public SealingEvent Accept(DateOnly on, Guid acceptedBy, string? note, DateTime nowUtc)
    {
        Rule.Check(State == SealState.Sealed, "OnlyASealCanBeAccepted",
            State == SealState.Accepted ? "该矿硐的封堵已经验收" : "该矿硐当前没有待验收的封堵");
        Rule.Check(acceptedBy != LastSealedByUserId, "AcceptanceNeedsSecondPerson", "验收必须由封堵人以外的另一人进行");
        Rule.Check(on >= LastSealedOn, "AcceptanceCannotPredateSeal", $"验收日期不能早于封堵日期（{LastSealedOn:yyyy-MM-dd}）");
        var e = SealingEvent.Create(this, SealingEventKind.Accepted, on, acceptedBy, nowUtc, note: note);
        State = SealState.Accepted;
        return Append(e, nowUtc);
    }

    /// <summary>发现破坏/被盗采: the seal was found broken open. A breach cannot predate the seal it breaks.</summary>
    public SealingEvent RecordBreach(DateOnly on, string? foundBy, string howFound, Guid? recordedBy, string? note, DateTime nowUtc)
    {
        Rule.Check(State is SealState.Sealed or SealState.Accepted, "OnlyASealCanBeBreached",
            State == SealState.Breached ? "该矿硐已登记为被破坏，尚未重新封堵" : "该矿硐尚未封堵，无需登记破坏；请登记封堵");
        Rule.Check(on >= LastSealedOn, "BreachCannotPredateSeal", $"破坏日期不能早于其破坏的封堵的日期（{LastSealedOn:yyyy-MM-dd}）");
        var e = SealingEvent.Create(this, SealingEventKind.Breached, on, recordedBy, nowUtc, performedBy: foundBy, howFound: howFound, note: note);
        State = SealState.Breached;
        LastBreachedOn = on;
        BreachCount++;
        return Append(e, nowUtc);
    }

    private SealingEvent Append(SealingEvent e, DateTime nowUtc)
    {
        events.Add(e);
        UpdatedUtc = nowUtc;
        return e;
    }
}
