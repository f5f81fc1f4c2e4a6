using MineGuard.Features.Patrols;

namespace MineGuard.Tests.Features.Patrols;

/// <summary>
/// The replay rule's shape comparison (<see cref="TrackStatistics.ShapeMedian"/>) at the edge of its short cut: each fix's
/// distance is capped at 50 m, and when the upper half of the fixes lie beyond the other track's box the median is the
/// cap without comparing fix by fix. One fix more on the other track must still make the median 0.
/// </summary>
public sealed class TrackShapeTests
{
    private static readonly DateTime Start = new(2026, 11, 1, 1, 0, 0, DateTimeKind.Utc);

    /// <summary>40 fixes 11 m apart on a line (an earlier patrol's track).</summary>
    private static List<TrackPoint> Earlier() =>
        [.. Enumerable.Range(0, 40).Select(i => new TrackPoint(33.9 + (i * 0.0001), 111.8, 6, Start.AddSeconds(i * 5)))];

    /// <summary>
    /// <paramref name="n"/> fixes a day later, the first <paramref name="same"/> on the earlier track's fixes, the others
    /// beside them, moved by (<paramref name="dLat"/>, <paramref name="dLon"/>) degrees.
    /// </summary>
    private static List<TrackPoint> Later(List<TrackPoint> earlier, int n, int same, double dLat, double dLon) =>
    [
        .. Enumerable.Range(0, n).Select(i => earlier[i % earlier.Count] is var p && i < same
            ? p with { Utc = Start.AddDays(1).AddSeconds(i * 5) }
            : new TrackPoint(p.Lat + dLat, p.Lon + dLon, 6, Start.AddDays(1).AddSeconds(i * 5))),
    ];

    [Theory]
    [InlineData(101, 51)]
    [InlineData(100, 51)]
    [InlineData(31, 16)]
    public void A_track_more_than_half_on_an_earlier_one_has_median_zero_and_is_a_replay(int n, int same)
    {
        var earlier = Earlier();
        var median = TrackStatistics.ShapeMedian(Later(earlier, n, same, 0.02, 0), earlier);
        Assert.Equal(0, median);
        Assert.NotNull(TrackStatistics.Replay(median, Start));
    }

    [Theory]
    [InlineData(101, 50, 0.02, 0)]
    [InlineData(100, 50, 0.02, 0)]
    [InlineData(31, 15, 0.02, 0)]
    [InlineData(101, 50, 0, 0.0004)] // the others 37 m east, within the other track's box and its margin: compared fix by fix
    public void A_track_at_most_half_on_an_earlier_one_is_far_off_and_no_replay(int n, int same, double dLat, double dLon)
    {
        var earlier = Earlier();
        var median = TrackStatistics.ShapeMedian(Later(earlier, n, same, dLat, dLon), earlier);
        Assert.True(median >= 30, $"median {median}");
        Assert.Null(TrackStatistics.Replay(median, Start));
    }

    [Fact]
    public void A_replay_a_few_decimetres_off_is_a_replay_an_honest_walk_a_few_metres_off_is_not()
    {
        var earlier = Earlier();
        var random = new Random(3);
        List<TrackPoint> Shifted(double metres) =>
            [.. earlier.Select(p => p with { Lat = p.Lat + ((random.NextDouble() - 0.5) * 2 * metres / 111_000), Utc = p.Utc.AddDays(1) })];
        Assert.True(TrackStatistics.ShapeMedian(Shifted(0.3), earlier) < PresenceThresholds.ReplayMedianMetres);
        Assert.True(TrackStatistics.ShapeMedian(Shifted(8), earlier) > PresenceThresholds.ReplayMedianMetres);
    }
}
