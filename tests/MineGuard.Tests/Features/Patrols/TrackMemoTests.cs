using MineGuard.Features.Patrols;

namespace MineGuard.Tests.Features.Patrols;

/// <summary>
/// The decoded tracks a node keeps (<see cref="TrackMemo"/>): one set of chunk ids, in any order, is one track; a chunk
/// more or another patrol is another; the oldest fall out beyond the capacity; the shape is computed once per source.
/// That the judging gives the same answers with it is held by the patrol judgement tests (track, photo and check-in
/// requests in every order, <c>FieldSyncOrderTests</c>).
/// </summary>
public sealed class TrackMemoTests
{
    private static TrackMemo.Entry Decoded(int fixes) =>
        new([.. Enumerable.Range(0, fixes).Select(i => new TrackPoint(33.9, 111.8, 5, new DateTime(2026, 11, 1, 1, 0, i, DateTimeKind.Utc)))], []);

    /// <summary>As the evaluator asks: the held track, else one decoded and kept.</summary>
    private static TrackMemo.Entry Get(TrackMemo memo, Guid patrol, Guid[] chunks, Func<TrackMemo.Entry> decode) =>
        memo.TryGet(patrol, chunks, out var held) ? held : memo.Add(patrol, chunks, decode());

    [Fact]
    public void One_set_of_chunks_is_decoded_once_whatever_its_order_and_another_set_again()
    {
        var memo = new TrackMemo();
        var (patrol, a, b, c) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var decodes = 0;
        TrackMemo.Entry Decode() { decodes++; return Decoded(decodes); }

        var first = Get(memo, patrol, [a, b], Decode);
        Assert.Same(first, Get(memo, patrol, [b, a], Decode));
        Assert.Equal(1, decodes);

        var grown = Get(memo, patrol, [a, b, c], Decode);
        Assert.NotSame(first, grown);
        Assert.Equal(2, decodes);
        Assert.NotSame(first, Get(memo, patrol, [a, c], Decode));
        Assert.NotSame(first, Get(memo, Guid.NewGuid(), [a, b], Decode));
        Assert.Equal(4, decodes);
        // The set before the new chunks is still held (a track request's "before").
        Assert.Same(first, Get(memo, patrol, [a, b], Decode));
        Assert.Equal(4, decodes);
    }

    [Fact]
    public void A_set_not_held_starts_from_the_largest_held_set_of_the_same_patrol_it_contains()
    {
        var memo = new TrackMemo();
        var (patrol, a, b, c, d) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var small = memo.Add(patrol, [a], Decoded(1));
        var large = memo.Add(patrol, [a, b], Decoded(2));
        memo.Add(patrol, [a, b, d], Decoded(3));          // not within {a, b, c}
        memo.Add(Guid.NewGuid(), [a, b, c], Decoded(4));  // another patrol

        Assert.True(memo.TryGetBase(patrol, [c, b, a], out var below, out var ids));
        Assert.Same(large, below);
        Assert.True(ids.SetEquals([a, b]));
        Assert.True(memo.TryGetBase(patrol, [a, c], out below, out _));
        Assert.Same(small, below);
        Assert.False(memo.TryGetBase(patrol, [b, c], out _, out _));
        Assert.False(memo.TryGetBase(Guid.NewGuid(), [a, b, c], out _, out _));
    }

    /// <summary>
    /// A track extended by newer chunks is the track of all its chunks assembled at once, whatever order they come in,
    /// with fixes of one millisecond in two chunks (the least by position kept) and pauses in more than one chunk.
    /// </summary>
    [Fact]
    public void A_track_extended_by_new_chunks_is_the_track_assembled_from_all_of_them()
    {
        var random = new Random(7);
        var start = new DateTime(2026, 11, 1, 1, 0, 0, DateTimeKind.Utc);
        for (var round = 0; round < 50; round++)
        {
            var chunks = new List<byte[]>();
            for (var k = 0; k < 12; k++)
            {
                // Overlapping times: chunk k covers seconds 15k-5 … 15k+19, so neighbours share milliseconds.
                var points = Enumerable.Range(0, 20).Select(i => new TrackPoint(33.9 + (random.Next(50) * 1e-6), 111.8 + (random.Next(50) * 1e-6),
                    random.Next(3, 9), start.AddSeconds((15 * k) - 5 + i))).ToList();
                if (k % 4 == 1) points.AddRange(TrackCodec.PauseMarkers([new TrackPause(start.AddSeconds(15 * k), start.AddSeconds((15 * k) + 7))]));
                chunks.Add(TrackCodec.Encode(points));
            }

            var all = TrackCodec.Assemble(chunks.OrderBy(_ => random.Next()));
            var cut = random.Next(chunks.Count + 1);
            var order = chunks.OrderBy(_ => random.Next()).ToList();
            var first = TrackCodec.Assemble(order.Take(cut));
            var extended = TrackCodec.Extend(first.Fixes, first.Pauses, order.Skip(cut));

            Assert.Equal(all.Fixes, extended.Fixes);
            Assert.Equal(all.Pauses, extended.Pauses);
            Assert.Equal(all.Fixes.Count, all.Fixes.Select(p => p.Utc).Distinct().Count());
            Assert.True(all.Fixes.Zip(all.Fixes.Skip(1)).All(x => x.First.Utc < x.Second.Utc));
            Assert.Equal(3, all.Pauses.Count);
            Assert.Equal(chunks.SelectMany(TrackCodec.Fixes).Select(p => p.Utc).Distinct().Count(), all.Fixes.Count);
        }
    }

    [Fact]
    public void The_least_recently_used_tracks_fall_out_beyond_the_capacity()
    {
        var memo = new TrackMemo();
        var patrols = Enumerable.Range(0, TrackMemo.Capacity + 1).Select(_ => Guid.NewGuid()).ToList();
        var chunk = Guid.NewGuid();
        var decodes = 0;
        TrackMemo.Entry Decode() { decodes++; return Decoded(1); }

        foreach (var p in patrols.Take(TrackMemo.Capacity)) Get(memo, p, [chunk], Decode);
        Get(memo, patrols[0], [chunk], Decode);                    // used again: now the most recent
        Get(memo, patrols[^1], [chunk], Decode);                   // one more: the least recent (patrols[1]) goes
        Assert.Equal(TrackMemo.Capacity + 1, decodes);
        Get(memo, patrols[0], [chunk], Decode);
        Assert.Equal(TrackMemo.Capacity + 1, decodes);
        Get(memo, patrols[1], [chunk], Decode);
        Assert.Equal(TrackMemo.Capacity + 2, decodes);
    }

    [Fact]
    public void The_shape_is_computed_once_per_source()
    {
        var entry = Decoded(3);
        var calls = new List<bool>();
        List<string> Shape(IReadOnlyList<TrackPoint> fixes, bool app)
        {
            calls.Add(app);
            return [$"{fixes.Count} {(app ? "app" : "import")}"];
        }

        Assert.Equal(["3 app"], entry.Shape(true, Shape));
        Assert.Equal(["3 app"], entry.Shape(true, Shape));
        Assert.Equal(["3 import"], entry.Shape(false, Shape));
        Assert.Equal([true, false], calls);
    }
}
