namespace MineGuard.Platform.Cases;

/// <summary>
/// What follows when a case (Features/Cases) is filed on a record of another feature that reached it as a clue's source:
/// a tip's reward rises to the case tier (Features/Tips). The feature owning the source registers one per source type,
/// so Cases calls no feature directly. Work is added to the caller's unit of work (saved with the filing).
/// </summary>
public interface ICaseFiledOn
{
    /// <summary>The clue source type this handles ("tip").</summary>
    string SourceType { get; }

    /// <summary>Records the filing on the source; returns a line for the case's history, or null when nothing changed.</summary>
    Task<string?> CaseFiledAsync(Guid sourceId, string caseNumber, DateOnly filedOn, CancellationToken ct);
}
