namespace MineGuard.Features.Adits;

public sealed record AditRow(
    Guid Id, string Number, string? Name, string Township, string? Village, string? Grid, double Lon, double Lat,
    string Mineral, string Origin, string State, bool WeakSeal, bool NeverAccepted, int BreachCount, string? Responsible,
    DateOnly? LastSealedOn, bool IsDemo);

public sealed record AditPage(int Total, int Page, int PageSize, List<AditRow> Items);

public sealed record EventView(
    Guid Id, string Kind, string KindName, DateOnly OccurredOn, string? Method, bool WeakMethod, string? Standard,
    string? PerformedBy, string? PerformedByUser, string? HowFound, string? Note, string? RecordedBy, DateTime RecordedUtc);

public sealed record PhotoView(Guid Id, Guid? SealingEventId, string? Caption, DateTime? TakenUtc, double? TakenLon, double? TakenLat, DateTime UploadedUtc, string Url);

public sealed record AditDetail(
    AditRow Adit, string County, double? Elevation, string? RightsHolder, string? ClosureParty, string SealingParty,
    bool SealingPartyOverridden, string? SealingPartyOverrideReason, string? Description, string Status, string? StatusReason,
    List<EventView> Timeline, List<PhotoView> Photos, string[] AllowedActions, string CountyCode);

public sealed record CountsView(List<TownshipCount> Townships, int Total, int WeakSeals, int NeverAccepted, int RepeatBreaches);

public sealed record TownshipCount(string Code, string Name, int Total, Dictionary<string, int> ByState);
