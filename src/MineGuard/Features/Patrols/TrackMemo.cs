using System.Security.Cryptography;

namespace MineGuard.Features.Patrols;

/// <summary>
/// Patrol tracks as their chunks make them (the fixes in time order, the pauses, and what the track's shape says), kept
/// for the last <see cref="Capacity"/> chunk sets judged on this node. A stored chunk is never changed or removed, so
/// one set of chunk ids is one track for good and the key is exact: a photo or check-in request, which adds no chunk,
/// judges with the track the request before it decoded, and a track request's "before" is the last request's "after",
/// instead of decoding thousands of fixes and computing their statistics again (a quarter of a day's sync). A set not
/// held is built from the largest held set of the same patrol that it contains (<see cref="TryGetBase"/>): a track
/// request reads and decodes only its own chunks, not the day's (<see cref="TrackCodec.Extend"/> gives the same track).
/// In memory per node: another node, or this one after a restart, decodes again and gets the same answer.
/// </summary>
public sealed class TrackMemo
{
    public const int Capacity = 128;

    private readonly Lock gate = new();
    private readonly Dictionary<Key, LinkedListNode<(Key Key, Entry Entry, HashSet<Guid> Ids)>> byKey = [];
    private readonly LinkedList<(Key Key, Entry Entry, HashSet<Guid> Ids)> recent = new();

    private readonly record struct Key(Guid PatrolId, int Chunks, UInt128 Ids);

    /// <summary>One track: its fixes and pauses, and the shape flags once asked for (per source: app or import).</summary>
    public sealed class Entry(IReadOnlyList<TrackPoint> fixes, IReadOnlyList<TrackPause> pauses)
    {
        private List<string>? fromApp;
        private List<string>? imported;

        public IReadOnlyList<TrackPoint> Fixes { get; } = fixes;

        public IReadOnlyList<TrackPause> Pauses { get; } = pauses;

        /// <summary>What the shape says, computed once per source (two requests at once may both compute it: the same list).</summary>
        public IReadOnlyList<string> Shape(bool app, Func<IReadOnlyList<TrackPoint>, bool, List<string>> compute) => app
            ? fromApp ??= compute(Fixes, true)
            : imported ??= compute(Fixes, false);
    }

    /// <summary>The track of <paramref name="patrolId"/> made of exactly these chunks, when held (now the most recent).</summary>
    public bool TryGet(Guid patrolId, IEnumerable<Guid> chunkIds, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Entry? entry)
    {
        var key = KeyOf(patrolId, chunkIds);
        lock (gate)
        {
            if (byKey.TryGetValue(key, out var node))
            {
                recent.Remove(node);
                recent.AddFirst(node);
                entry = node.Value.Entry;
                return true;
            }
        }

        entry = null;
        return false;
    }

    /// <summary>
    /// The held track of <paramref name="patrolId"/> with the most chunks that are all among <paramref name="chunkIds"/>
    /// (a stored chunk is never changed, so the rest of the set is what it lacks), and the ids it is made of.
    /// </summary>
    public bool TryGetBase(Guid patrolId, IReadOnlyCollection<Guid> chunkIds, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Entry? entry,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IReadOnlySet<Guid>? ids)
    {
        (entry, ids) = (null, null);
        var wanted = chunkIds as IReadOnlySet<Guid> ?? chunkIds.ToHashSet();
        lock (gate)
        {
            foreach (var (key, held, heldIds) in recent)
            {
                if (key.PatrolId != patrolId || heldIds.Count > wanted.Count || heldIds.Count <= (ids?.Count ?? 0)) continue;
                if (!heldIds.All(wanted.Contains)) continue;
                (entry, ids) = (held, heldIds);
            }
        }

        return entry is not null;
    }

    /// <summary>
    /// Keeps the track these chunks make, decoded by the caller after <see cref="TryGet"/> missed (the caller reads the
    /// chunks' points only then: a held track costs the ids alone). Answers the one held when another request kept it first.
    /// </summary>
    public Entry Add(Guid patrolId, IEnumerable<Guid> chunkIds, Entry entry)
    {
        var ids = chunkIds.ToHashSet();
        var key = KeyOf(patrolId, ids);
        lock (gate)
        {
            if (byKey.TryGetValue(key, out var node)) return node.Value.Entry;
            byKey[key] = recent.AddFirst((key, entry, ids));
            while (recent.Count > Capacity)
            {
                byKey.Remove(recent.Last!.Value.Key);
                recent.RemoveLast();
            }
        }
        return entry;
    }

    /// <summary>The set of chunk ids, whatever their order: its size and 128 bits of SHA-256 over the sorted ids.</summary>
    private static Key KeyOf(Guid patrolId, IEnumerable<Guid> chunkIds)
    {
        var ids = chunkIds.Order().ToArray();
        var bytes = new byte[ids.Length * 16];
        for (var i = 0; i < ids.Length; i++) ids[i].TryWriteBytes(bytes.AsSpan(i * 16, 16));
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(bytes, hash);
        return new Key(patrolId, ids.Length, System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(hash));
    }
}
