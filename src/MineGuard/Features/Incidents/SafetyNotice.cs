using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Incidents;

/// <summary>
/// 安全警示: a notice against blind rescue (盲目施救) or against entering abandoned adits, issued to a set of villages and
/// persons by SMS through the outbox; each recipient's SMS is kept so its delivery can be shown. Filed under the county.
/// </summary>
public sealed class SafetyNotice : IInJurisdiction
{
    private SafetyNotice() { }

    public Guid Id { get; private set; }
    public string DivisionCode { get; private set; } = "";

    /// <summary><see cref="SafetyNoticeKinds"/>: blind-rescue, entering-adits.</summary>
    public string Kind { get; private set; } = "";
    public string Title { get; private set; } = "";
    public string Text { get; private set; } = "";

    /// <summary>The villages it was issued to, codes separated by commas.</summary>
    public string Villages { get; private set; } = "";
    public Guid? IncidentId { get; private set; }
    public Guid? IssuedById { get; private set; }
    public string IssuedByName { get; private set; } = "";
    public DateTime IssuedUtc { get; private set; }
    public Guid? ClientId { get; private set; }
    public bool IsDemo { get; private set; }

    public static SafetyNotice Issue(string county, string kind, string title, string text, IEnumerable<string> villages, Guid? incidentId,
        Guid? by, string byName, Guid? clientId, DateTime nowUtc, bool isDemo = false) => new()
    {
        Id = Guid.NewGuid(), DivisionCode = county, Kind = kind, Title = title, Text = text, Villages = string.Join(",", villages),
        IncidentId = incidentId, IssuedById = by, IssuedByName = byName, ClientId = clientId, IssuedUtc = nowUtc, IsDemo = isDemo,
    };

    public IReadOnlyList<string> VillageCodes => Villages.Split(',', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>One person a notice was sent to, and the SMS in the outbox that carries it (its status is the delivery).</summary>
public sealed class SafetyNoticeRecipient : IInJurisdiction
{
    private SafetyNoticeRecipient() { }

    public Guid Id { get; private set; }
    public Guid NoticeId { get; private set; }

    /// <summary>The person's village (or other division), so the village's office sees who was told.</summary>
    public string DivisionCode { get; private set; } = "";
    public Guid? PersonId { get; private set; }
    public string Name { get; private set; } = "";
    public string Phone { get; private set; } = "";
    public Guid SmsId { get; private set; }

    public static SafetyNoticeRecipient Create(SafetyNotice n, string divisionCode, Guid? personId, string name, string phone, Guid smsId) => new()
    {
        Id = Guid.NewGuid(), NoticeId = n.Id, DivisionCode = divisionCode, PersonId = personId, Name = name, Phone = phone, SmsId = smsId,
    };
}

public static class SafetyNoticeKinds
{
    public const string BlindRescue = "blind-rescue";
    public const string EnteringAdits = "entering-adits";

    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        [BlindRescue] = "严禁盲目施救", [EnteringAdits] = "严禁进入废弃矿硐",
    };

    /// <summary>The default wording, from the lessons of the "9·26" report (七、防范措施).</summary>
    public static string DefaultText(string kind) => kind == BlindRescue
        ? "废弃矿硐内通风不良，易积聚一氧化碳等有毒有害气体。发现有人在矿硐内昏迷被困，切勿盲目进入施救，请立即拨打 119、120 并报告村委会和乡镇政府，等待专业救援队伍。"
        : "废弃矿硐已封堵，洞内存在有毒有害气体、冒顶坍塌等危险。严禁扒开封堵、进入矿硐或在硐内盗采矿石；发现有人扒开封堵或进入矿硐，请及时举报。";
}
