using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Campaigns;

/// <summary>The kinds of publicity activity (宣传活动) the plans name.</summary>
public static class PublicityKinds
{
    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        ["warning-education"] = "警示教育会", ["village-broadcast"] = "村村响广播", ["banner"] = "横幅标语", ["leaflet"] = "宣传单",
        ["case-law"] = "以案释法", ["other"] = "其他",
    };

    /// <summary>A kind as sent: its code or its Chinese name; null when it is neither.</summary>
    public static string? Read(string? text)
    {
        var t = text?.Trim() ?? "";
        if (Names.ContainsKey(t)) return t;
        return Names.FirstOrDefault(n => n.Value == t).Key;
    }
}

/// <summary>
/// 宣传活动: a warning-education meeting, a village broadcast, banners, leaflets or a 以案释法 session held on a day at a
/// place, the villages it reached (<see cref="PublicityVillage"/>) and how many people, its materials (evidence files,
/// subject <see cref="FileSubject"/>), optionally for a campaign. A department officer sees the activities their
/// department took part in (<see cref="Departments"/>, delimited like a joint operation's).
/// </summary>
public sealed class PublicityActivity : IInJurisdiction, IDepartmentShared<PublicityActivity>
{
    public const string FileSubject = "publicity";

    public static System.Linq.Expressions.Expression<Func<PublicityActivity, string, bool, bool>> SharedWith { get; } =
        (a, dept, reward) => a.Departments.Contains("," + dept + ",");

    private PublicityActivity() { }

    public Guid Id { get; private set; }

    /// <summary>The county or township that held it.</summary>
    public string DivisionCode { get; private set; } = "";

    public string Kind { get; private set; } = "";
    public DateOnly OnDate { get; private set; }
    public string Place { get; private set; } = "";
    public string? Topic { get; private set; }
    public int PeopleReached { get; private set; }

    /// <summary>The departments' codes, comma-delimited on both sides; "" when the office held it alone.</summary>
    public string Departments { get; private set; } = "";

    public Guid? CampaignId { get; private set; }
    public Guid? ClientId { get; private set; }
    public Guid? CreatedById { get; private set; }
    public DateTime CreatedUtc { get; private set; }

    public IEnumerable<string> DepartmentCodes => Departments.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public static PublicityActivity Record(string divisionCode, string kind, DateOnly onDate, string place, string? topic, int peopleReached,
        IReadOnlyCollection<string> departments, Guid? campaignId, Guid? clientId, Guid? byId, DateTime nowUtc) => new()
    {
        Id = Guid.CreateVersion7(), DivisionCode = divisionCode, Kind = kind, OnDate = onDate, Place = place, Topic = topic, PeopleReached = peopleReached,
        Departments = departments.Count == 0 ? "" : "," + string.Join(",", departments) + ",", CampaignId = campaignId, ClientId = clientId,
        CreatedById = byId, CreatedUtc = nowUtc,
    };
}

/// <summary>A village an activity reached (its division code), on the activity's day: the coverage reads these.</summary>
public sealed class PublicityVillage : IInJurisdiction
{
    private PublicityVillage() { }

    public Guid Id { get; private set; }
    public Guid ActivityId { get; private set; }

    /// <summary>The village's code (12 digits).</summary>
    public string DivisionCode { get; private set; } = "";

    public DateOnly OnDate { get; private set; }

    public static PublicityVillage Of(PublicityActivity a, string villageCode) => new()
    {
        Id = Guid.CreateVersion7(), ActivityId = a.Id, DivisionCode = villageCode, OnDate = a.OnDate,
    };
}
