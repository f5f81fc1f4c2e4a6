namespace MineGuard.Features.Analysis;

/// <summary>
/// Public holidays (China time) when a producing mine's load drops or changes shape legitimately: the detector neither
/// raises findings on them nor learns from them. 2025 and 2026 are the State Council's schedules; 2027 is the expected
/// schedule around the lunar dates (update when it is published). Spring Festival gets three extra days either side,
/// as mines stop longer than the official break.
/// </summary>
public static class ChinaHolidays
{
    private static readonly (DateOnly From, DateOnly To)[] Periods =
    [
        (new(2025, 1, 1), new(2025, 1, 1)), (new(2025, 1, 25), new(2025, 2, 7)), (new(2025, 4, 4), new(2025, 4, 6)),
        (new(2025, 5, 1), new(2025, 5, 5)), (new(2025, 5, 31), new(2025, 6, 2)), (new(2025, 10, 1), new(2025, 10, 8)),
        (new(2026, 1, 1), new(2026, 1, 3)), (new(2026, 2, 12), new(2026, 2, 26)), (new(2026, 4, 4), new(2026, 4, 6)),
        (new(2026, 5, 1), new(2026, 5, 5)), (new(2026, 6, 19), new(2026, 6, 21)), (new(2026, 9, 25), new(2026, 9, 27)),
        (new(2026, 10, 1), new(2026, 10, 7)),
        (new(2027, 1, 1), new(2027, 1, 3)), (new(2027, 2, 2), new(2027, 2, 16)), (new(2027, 4, 3), new(2027, 4, 5)),
        (new(2027, 5, 1), new(2027, 5, 5)), (new(2027, 6, 9), new(2027, 6, 11)), (new(2027, 9, 15), new(2027, 9, 17)),
        (new(2027, 10, 1), new(2027, 10, 7)),
    ];

    public static bool IsHoliday(DateOnly localDay)
    {
        foreach (var (from, to) in Periods)
            if (localDay >= from && localDay <= to) return true;
        return false;
    }
}
