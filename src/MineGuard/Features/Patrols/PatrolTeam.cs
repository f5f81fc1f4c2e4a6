using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Patrols;

public enum PatrolTeamKind
{
    /// <summary>市联合巡查队: judged on patrol days a month.</summary>
    CityJoint = 0,

    /// <summary>乡镇日常巡查队.</summary>
    Township = 1,

    /// <summary>林场巡查队.</summary>
    ForestFarm = 2,
}

/// <summary>巡查队: members and an area (townships, villages or grids) whose adits it must check.</summary>
public sealed class PatrolTeam : IInJurisdiction
{
    private readonly List<PatrolTeamArea> areas = [];
    private readonly List<PatrolTeamMember> members = [];

    private PatrolTeam() { }

    public Guid Id { get; private set; }

    /// <summary>The office that owns the team (the township, county or city node).</summary>
    public string DivisionCode { get; private set; } = "";

    public string Name { get; private set; } = "";
    public PatrolTeamKind Kind { get; private set; }
    public DateTime CreatedUtc { get; private set; }
    public IReadOnlyList<PatrolTeamArea> Areas => areas;
    public IReadOnlyList<PatrolTeamMember> Members => members;

    public static PatrolTeam Create(string divisionCode, string name, PatrolTeamKind kind, DateTime nowUtc) => new()
    {
        Id = Guid.CreateVersion7(), DivisionCode = divisionCode, Name = name, Kind = kind, CreatedUtc = nowUtc,
    };

    public void Rename(string name, PatrolTeamKind kind)
    {
        Name = name;
        Kind = kind;
    }

    public void SetAreas(IEnumerable<string> codes)
    {
        var wanted = codes.Distinct().ToHashSet();
        areas.RemoveAll(a => !wanted.Contains(a.AreaCode));
        foreach (var code in wanted.Where(c => areas.All(a => a.AreaCode != c)))
        {
            areas.Add(new PatrolTeamArea(Guid.CreateVersion7(), Id, code));
        }
    }

    public PatrolTeamMember AddMember(Guid userId, double? homeLat, double? homeLon)
    {
        var member = members.FirstOrDefault(m => m.UserId == userId);
        if (member is null)
        {
            member = new PatrolTeamMember(Guid.CreateVersion7(), Id, userId);
            members.Add(member);
        }

        member.SetHome(homeLat, homeLon);
        return member;
    }

    public void RemoveMember(Guid userId) => members.RemoveAll(m => m.UserId == userId);

    /// <summary>Whether an adit's division lies in the team's area.</summary>
    public bool Covers(string aditDivisionCode) =>
        areas.Any(a => aditDivisionCode.StartsWith(a.AreaCode, StringComparison.Ordinal));
}

public sealed class PatrolTeamArea(Guid id, Guid teamId, string areaCode)
{
    public Guid Id { get; private set; } = id;
    public Guid TeamId { get; private set; } = teamId;
    public string AreaCode { get; private set; } = areaCode;
}

public sealed class PatrolTeamMember(Guid id, Guid teamId, Guid userId)
{
    public Guid Id { get; private set; } = id;
    public Guid TeamId { get; private set; } = teamId;
    public Guid UserId { get; private set; } = userId;

    /// <summary>Where the member lives (WGS84), so that night check-ins made from home can be flagged.</summary>
    public double? HomeLat { get; private set; }

    public double? HomeLon { get; private set; }

    public void SetHome(double? lat, double? lon)
    {
        HomeLat = lat;
        HomeLon = lon;
    }
}
