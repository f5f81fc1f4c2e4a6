namespace MineGuard.Features.Analysis;

/// <summary>
/// One meter's small running state (about 900 bytes): the learned weekly × hourly profile of its residual load (reading
/// minus declared loads), running deviations, the quiet load while not producing, and the open finding and gap. Keep
/// one per meter between daily scans; a full re-scan starts from a new one.
/// </summary>
public sealed class MeterBaseline
{
    internal float[] Profile = new float[7 * 24];
    internal byte[] ProfileDays = new byte[7];
    internal float DevEwma = 0.15f;
    internal float NightShare = -1, NightShareDev = 0.03f;
    internal float Rough = -1, RoughDev = 0.05f;
    internal float QuietDay, QuietNight;
    internal int QuietDays;

    // The open finding (anomalous days merged into one window).
    internal bool WinOpen;
    internal DateTime WinStart, WinEnd;
    internal int[] WinKinds = new int[MeterFindingKinds.All.Length];
    internal double WinKwh, WinExpected, WinNightKwh, WinNightExpected, WinShare, WinShareBase, WinRough, WinRoughBase, WinScore, WinAllowedKw;
    internal int WinDays;
    internal MeterState WinState;
    internal string? WinCause;
    internal double WinExtraKw;

    // The open gap.
    internal bool InGap;
    internal DateTime GapStart;
    internal int GapHours;

    /// <summary>The last local day scanned (default before the first scan).</summary>
    public DateOnly LastDay { get; internal set; }

    /// <summary>Whole weeks of producing history learned for the least-learned weekday.</summary>
    public int LearnedWeeks => ProfileDays.Min();

    /// <summary>A deep copy: scanning the copy leaves this one as it was.</summary>
    public MeterBaseline Clone()
    {
        var copy = (MeterBaseline)MemberwiseClone();
        copy.Profile = (float[])Profile.Clone();
        copy.ProfileDays = (byte[])ProfileDays.Clone();
        copy.WinKinds = (int[])WinKinds.Clone();
        return copy;
    }
}
