namespace MineGuard.Features.Shared;

/// <summary>
/// The part of a list's filter a dashboard's figure sets (a division and a period): kept as hidden fields while the
/// list's own filters change, and shown so the reader knows what is counted (partial <c>_DashboardFilter</c>).
/// </summary>
public sealed record DashboardFilter(string? Division, string? DivisionName, string? From, string? To, string Noun, string ClearHref)
{
    public bool Any => !string.IsNullOrWhiteSpace(Division) || !string.IsNullOrWhiteSpace(From) || !string.IsNullOrWhiteSpace(To);
}
