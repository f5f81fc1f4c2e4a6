namespace MineGuard.Platform.Risk;

/// <summary>An adit's risk score (0–100) and a Chinese reason built from its largest contributions.</summary>
public sealed record AditRiskRank(double Score, string Reason, DateOnly? LastProvenOn);

/// <summary>
/// The risk score (风险评分, Features/Analysis) as the patrol plan needs it: one score per adit, computed set-based for the
/// whole list. Implemented by the analysis feature, so Patrols references no composer.
/// </summary>
public interface IAditRiskRanking
{
    /// <summary>The score of each of these adits (the caller's visible ones), computed in one pass.</summary>
    Task<IReadOnlyDictionary<Guid, AditRiskRank>> RankAsync(IReadOnlyCollection<Guid> aditIds, CancellationToken ct);
}
