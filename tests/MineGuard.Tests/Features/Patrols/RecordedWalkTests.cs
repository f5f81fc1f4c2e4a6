using MineGuard.Features.Patrols;
using MineGuard.Tests.Infrastructure;
using Xunit.Abstractions;

namespace MineGuard.Tests.Features.Patrols;

/// <summary>
/// The walks recorded with the field app (Walks/README.md) are honest patrols: replayed through the field API as a new
/// member at a new adit each is verified with no reason and no flag, and each track statistic the rules use stays on the
/// honest side of its threshold (the measured values are printed for PresenceThresholds' notes).
/// </summary>
public sealed class RecordedWalkTests(ITestOutputHelper output)
{
    [Theory, OnSqlite, OnPostgres]
    public async Task Every_recorded_walk_replayed_through_the_field_API_is_verified_with_no_reason_and_no_flag(string provider)
    {
        var app = await TestApp.Shared(provider);
        foreach (var walk in RecordedWalk.All())
        {
            var kit = await FieldKit.StartAsync(app);
            var adit = await kit.AditAsync();
            var requests = walk.Replay(kit, adit, out var checkInId);
            var state = await kit.RunAsync(requests, checkInId);
            var reasons = state.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()).ToList();
            var flags = state.GetProperty("flags").EnumerateArray().Select(r => r.GetString()).ToList();
            output.WriteLine($"{walk.Name}: {requests.Count} requests, verified {state.GetProperty("verified").GetBoolean()}");
            Assert.True(state.GetProperty("verified").GetBoolean() && reasons.Count == 0 && flags.Count == 0,
                $"{walk.Name}: {string.Join("；", reasons.Concat(flags.Select(f => "[标记]" + f)))}");
        }
    }

    [Fact]
    public void Every_statistic_of_the_recorded_walks_stays_on_the_honest_side_of_its_threshold()
    {
        var walks = RecordedWalk.All().ToList();
        Assert.Equal(4, walks.Count);
        foreach (var walk in walks)
        {
            var track = walk.Track();
            var noise = TrackStatistics.WhiteNoiseMeasure(track);
            var (pairs, steady) = TrackStatistics.SteadyMeasure(track);
            var intervals = TrackStatistics.IntervalMeasure(track);
            var (grid4, grid5) = TrackStatistics.GridMeasure(track);
            var accuracy = TrackStatistics.AccuracyMeasure(track);
            var chunks = walk.ChunkSizes;
            output.WriteLine($"{walk.Name}: {track.Count} fixes; white noise: median lag-1 correlation {noise?.MedianCorrelation:0.00} "
                + $"(threshold ≥ {PresenceThresholds.WhiteNoiseAutocorrelation}), rms {noise?.Rms:0.00} m; steady windows {steady}/{pairs} "
                + $"(share {(pairs == 0 ? 0 : (double)steady / pairs):0.00}, threshold ≤ {PresenceThresholds.SteadyWindowsShare}); "
                + $"interval mode share {intervals?.ModeShare:0.000} (< {PresenceThresholds.RegularIntervalShare}), whole-second share {intervals?.WholeSecondShare:0.000} "
                + $"(< {PresenceThresholds.WholeSecondShare}); grid share 1e-4° {grid4:0.000}, 1e-5° {grid5:0.000} (< {PresenceThresholds.GridShare}); "
                + $"accuracy constant share {accuracy?.ConstantShare:0.000} (< {PresenceThresholds.ConstantAccuracyShare}), median {accuracy?.Median:0.0} m "
                + $"(≥ {PresenceThresholds.ImpossibleAccuracyMetres}); chunks [{string.Join(", ", chunks)}] (≤ {PresenceThresholds.AppChunkPoints})");

            // Every walk is long and dense enough for every rule to judge it.
            Assert.True(track.Count >= PresenceThresholds.MinFixes, walk.Name);
            Assert.NotNull(noise);
            Assert.NotNull(intervals);
            Assert.NotNull(accuracy);
            Assert.True(pairs >= 5, $"{walk.Name}: {pairs} pairs of two-minute windows");

            Assert.True(noise.Value.MedianCorrelation >= PresenceThresholds.WhiteNoiseAutocorrelation, walk.Name);
            Assert.True(steady <= pairs * PresenceThresholds.SteadyWindowsShare, walk.Name);
            Assert.True(intervals.Value.ModeShare < PresenceThresholds.RegularIntervalShare, walk.Name);
            Assert.True(intervals.Value.WholeSecondShare < PresenceThresholds.WholeSecondShare, walk.Name);
            Assert.True(grid4 < PresenceThresholds.GridShare && grid5 < PresenceThresholds.GridShare, walk.Name);
            Assert.True(accuracy.Value.ConstantShare < PresenceThresholds.ConstantAccuracyShare, walk.Name);
            Assert.True(accuracy.Value.Median >= PresenceThresholds.ImpossibleAccuracyMetres, walk.Name);
            Assert.True(chunks.Max() <= PresenceThresholds.AppChunkPoints, walk.Name);
            // The rules themselves agree.
            Assert.Null(TrackStatistics.WhiteNoise(track));
            Assert.Null(TrackStatistics.SteadyLegs(track));
            Assert.Null(TrackStatistics.RegularIntervals(track));
            Assert.Null(TrackStatistics.CoarseGrid(track));
            Assert.Null(TrackStatistics.AccuracyVariability(track));
        }
    }
}
