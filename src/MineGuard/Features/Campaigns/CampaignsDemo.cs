using MineGuard.Data;
using MineGuard.Platform.Hosting;

namespace MineGuard.Features.Campaigns;

/// <summary>
/// 演示数据: the national plan of 自然资发〔2022〕61号 (打击"洗洞"盗采金矿专项整治行动) with its four phases and report days, for
/// provinces, cities and counties to adopt. Its dates are the plan's own (2022–2023), so they are never moved forward.
/// </summary>
public sealed class CampaignsDemo : IDemoData
{
    public int Order => 950;

    public const string Title = "打击“洗洞”盗采金矿专项整治行动（演示数据）";

    public static readonly IReadOnlyList<(string Name, DateOnly Starts, DateOnly Ends, DateOnly ReportDue)> Phases =
    [
        ("动员部署，全面排查", new(2022, 3, 1), new(2022, 7, 31), new(2022, 7, 31)),
        ("集中整治，督导检查", new(2022, 8, 1), new(2022, 10, 31), new(2022, 10, 31)),
        ("互查抽查，巩固成果", new(2022, 11, 1), new(2022, 12, 31), new(2022, 12, 31)),
        ("全面总结，建立机制", new(2023, 1, 1), new(2023, 3, 31), new(2023, 2, 28)),
    ];

    public async Task SeedAsync(IServiceProvider services, AppDbContext db, IReadOnlyDictionary<string, Guid> users, CancellationToken ct)
    {
        var c = Campaign.Create("", null, Title, "自然资发〔2022〕61号", null, true, null, db.Clock.GetUtcNow().UtcDateTime);
        db.Add(c);
        var ordinal = 0;
        foreach (var (name, starts, ends, due) in Phases) db.Add(CampaignPhase.Create(c, ++ordinal, name, starts, ends, due));
        await db.SaveChangesAsync(ct);
    }
}
