using MineGuard.Platform.Jurisdiction;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Features.Assignments;
using MineGuard.Platform.People;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Notifications;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Patrols;

/// <summary>
/// Judges the check-ins of patrols whenever more of them arrives: proof of presence, suspicious patterns, and what a
/// finding sets off (an assignment and a message to the adit's responsible person; a breach on the adit once the
/// check-in that reports a broken seal is verified). Runs as the system: a member's check-in at a cross-patrol adit
/// lies outside their own scope.
/// </summary>
public sealed partial class PatrolEvaluator(AppDbContext db, Responsibility responsibility, TrackMemo memo)
{
    /// <summary>Calendar days a finding's assignment is due in (as the follow-up items it replaces).</summary>
    public const int AssignmentDays = 3;

    /// <summary>
    /// The rule rows of each county judged here (its ancestors' and every division's within it), read once per evaluator
    /// (one request or one job's round): a field request asked for rules about three times (its own path, the
    /// judgement, the track's rules), for the patrol's county and the adits' townships.
    /// </summary>
    private readonly Dictionary<string, List<PatrolRuleSet>> ruleRows = [];

    private async Task<PatrolRuleSet> RulesAsync(string divisionCode, CancellationToken ct)
    {
        var county = divisionCode.Length > 6 ? divisionCode[..6] : divisionCode;
        if (!ruleRows.TryGetValue(county, out var rows)) ruleRows[county] = rows = await db.PatrolRuleRowsAsync(county, ct);
        return PatrolRuleSet.For(divisionCode, rows);
    }

    /// <summary>
    /// The full path: the check-ins of these patrols (and these check-ins) judged again, with every check-in they are
    /// compared with (same coordinates, same photo, the same member's around the time, the same phone's patrols). A
    /// patrol's own request (start, end, key) and the office use it; what a field request changes has narrower paths below.
    /// </summary>
    public async Task EvaluateAsync(IReadOnlyCollection<Guid> patrolIds, CancellationToken ct, IReadOnlyCollection<Guid>? checkInIds = null)
    {
        var checkIns = await db.CheckIns().Beyond(ScopeExit.SystemJudgement)
            .Where(c => patrolIds.Contains(c.PatrolId) || (checkInIds != null && checkInIds.Contains(c.Id))).ToListAsync(ct);
        if (checkIns.Count == 0) return;

        var related = await RelatedAsync(checkIns, ct);
        related = related.UnionBy(await DeviceRules.SamePhoneCheckInsAsync(db, checkIns.Select(c => c.PatrolId).Distinct().ToList(), ct), c => c.Id)
            .UnionBy(await LaterSamePictureAsync(checkIns, ct), c => c.Id).ToList();
        var all = checkIns.Concat(related.Where(r => checkIns.All(c => c.Id != r.Id))).ToList();
        await JudgeAsync(all, checkIns.Select(c => c.PatrolId).ToHashSet(), ct);
    }

    /// <summary>
    /// Later check-ins that may take one of these check-ins' photos as their original (<see cref="PhotoEvidence.SamePicture"/>:
    /// at the same adit, or the same member's within <see cref="PresenceThresholds.SamePictureMemberDays"/> days) and hold
    /// a photo within <see cref="PresenceThresholds.SamePictureBits"/> of it: their verdict changes when these photos arrive.
    /// </summary>
    private async Task<List<CheckIn>> LaterSamePictureAsync(List<CheckIn> checkIns, CancellationToken ct)
    {
        var ids = checkIns.Select(c => c.Id).ToList();
        var mine = await db.CheckInPhotos().Beyond(ScopeExit.SystemJudgement).AsNoTracking()
            .Where(p => ids.Contains(p.CheckInId) && p.PerceptualHash != null).Select(p => new { p.CheckInId, Hash = p.PerceptualHash!.Value, p.Sha256 }).ToListAsync(ct);
        if (mine.Count == 0) return [];
        var withPhotos = checkIns.Where(c => mine.Any(p => p.CheckInId == c.Id)).ToList();
        var aditIds = withPhotos.Select(c => c.AditId).Distinct().ToList();
        var users = withPhotos.Select(c => c.UserId).Distinct().ToList();
        var from = withPhotos.Min(c => c.AtUtc);
        var until = withPhotos.Max(c => c.AtUtc).AddDays(PresenceThresholds.SamePictureMemberDays);
        // Two index-backed parts ((AditId, AtUtc), (UserId, AtUtc)) in one round trip (UNION ALL); each candidate is then
        // matched in memory against the check-ins it may copy from.
        var prints = await db.CheckIns().Beyond(ScopeExit.SystemJudgement).Where(o => aditIds.Contains(o.AditId) && o.AtUtc > from)
            .Concat(db.CheckIns().Beyond(ScopeExit.SystemJudgement).Where(o => users.Contains(o.UserId) && o.AtUtc > from && o.AtUtc <= until))
            .AsNoTracking()
            .Join(db.CheckInPhotos().Beyond(ScopeExit.SystemJudgement).Where(p => p.PerceptualHash != null), o => o.Id, p => p.CheckInId,
                (o, p) => new { o.Id, o.AditId, o.UserId, o.AtUtc, Hash = p.PerceptualHash!.Value, p.Sha256 }).ToListAsync(ct);
        var later = prints.Where(x => !ids.Contains(x.Id) && withPhotos.Any(c => x.AtUtc > c.AtUtc
                && (x.AditId == c.AditId || (x.UserId == c.UserId && x.AtUtc <= c.AtUtc.AddDays(PresenceThresholds.SamePictureMemberDays)))
                && mine.Any(p => p.CheckInId == c.Id && p.Sha256 != x.Sha256 && PhotoHash.Distance(p.Hash, x.Hash) <= PresenceThresholds.SamePictureBits)))
            .Select(x => x.Id).ToHashSet();
        return later.Count == 0 ? [] : await db.CheckIns().Beyond(ScopeExit.SystemJudgement).Where(o => later.Contains(o.Id)).ToListAsync(ct);
    }

    private sealed record Chunk(Guid Id, Guid PatrolId, int Count, DateTime ReceivedUtc);

    /// <summary>
    /// The chunks that make these patrols' tracks (<paramref name="members"/>: each patrol's member, whose chunks alone
    /// count), without their points, per patrol.
    /// </summary>
    private async Task<Dictionary<Guid, List<Chunk>>> ChunksAsync(IReadOnlyDictionary<Guid, Guid> members, CancellationToken ct)
    {
        var patrolIds = members.Keys.ToList();
        var rows = await db.TrackChunks().Beyond(ScopeExit.SystemJudgement).AsNoTracking().Where(t => patrolIds.Contains(t.PatrolId))
            .Select(t => new { t.Id, t.PatrolId, t.UserId, t.Count, t.ReceivedUtc }).ToListAsync(ct);
        return rows.Where(c => members.TryGetValue(c.PatrolId, out var member) && member == c.UserId)
            .GroupBy(c => c.PatrolId).ToDictionary(g => g.Key, g => g.Select(c => new Chunk(c.Id, c.PatrolId, c.Count, c.ReceivedUtc)).ToList());
    }

    /// <summary>
    /// The tracks these chunks make, per patrol (<see cref="TrackMemo"/>: read and decoded once per set of chunks on this
    /// node; a request that adds no chunk reads only the ids, not the day's points again, and one that adds chunks reads
    /// only theirs when the track without them is held). The points not held are read in one query.
    /// </summary>
    private async Task<Dictionary<Guid, TrackMemo.Entry>> TracksAsync(IReadOnlyDictionary<Guid, List<Chunk>> chunksOf, CancellationToken ct)
    {
        var tracks = new Dictionary<Guid, TrackMemo.Entry>(chunksOf.Count);
        var missing = new List<(Guid PatrolId, TrackMemo.Entry? Base, List<Guid> Unread)>();
        foreach (var (patrolId, chunks) in chunksOf)
        {
            var ids = chunks.Select(c => c.Id).ToHashSet();
            if (memo.TryGet(patrolId, ids, out var held)) tracks[patrolId] = held;
            else if (memo.TryGetBase(patrolId, ids, out var below, out var belowIds)) missing.Add((patrolId, below, ids.Where(id => !belowIds.Contains(id)).ToList()));
            else missing.Add((patrolId, null, [.. ids]));
        }

        if (missing.Count == 0) return tracks;
        // Whole tracks by patrol (index (PatrolId, Seq)), the rest by chunk id, in one round trip.
        var whole = missing.Where(m => m.Base is null).Select(m => m.PatrolId).ToList();
        var some = missing.Where(m => m.Base is not null).SelectMany(m => m.Unread).ToList();
        var parts = new List<IQueryable<TrackChunk>>();
        if (whole.Count > 0) parts.Add(db.TrackChunks().Beyond(ScopeExit.SystemJudgement).Where(t => whole.Contains(t.PatrolId)));
        if (some.Count > 0) parts.Add(db.TrackChunks().Beyond(ScopeExit.SystemJudgement).Where(t => some.Contains(t.Id)));
        var stored = await parts.Aggregate((a, b) => a.Concat(b)).AsNoTracking()
            .Select(t => new { t.Id, t.Points }).ToListAsync(ct);
        var points = stored.DistinctBy(t => t.Id).ToDictionary(t => t.Id, t => t.Points);
        foreach (var (patrolId, below, unread) in missing)
        {
            var (fixes, pauses) = below is null ? TrackCodec.Assemble(unread.Select(id => points[id]))
                : TrackCodec.Extend(below.Fixes, below.Pauses, unread.Select(id => points[id]));
            tracks[patrolId] = memo.Add(patrolId, chunksOf[patrolId].Select(c => c.Id), new TrackMemo.Entry(fixes, pauses));
        }

        return tracks;
    }

    /// <summary>What a track's shape says (the part of <see cref="TrackFlagsAsync"/> that only the fixes decide).</summary>
    private static List<string> ShapeFlags(IReadOnlyList<TrackPoint> track, bool fromApp) => new[]
    {
        SuspiciousPatterns.StraightLine(track), SuspiciousPatterns.NoJitter(track), TrackStatistics.WhiteNoise(track),
        TrackStatistics.SteadyLegs(track), fromApp ? TrackStatistics.RegularIntervals(track) : null, TrackStatistics.CoarseGrid(track),
        fromApp ? TrackStatistics.AccuracyVariability(track) : null,
    }.OfType<string>().ToList();

    /// <summary>
    /// What a patrol's whole track says, once per patrol (a day's track is thousands of points), and, when
    /// <paramref name="withCopies"/>, what it shares with earlier and other members' tracks.
    /// </summary>
    private async Task<List<string>> TrackFlagsAsync(Guid patrolId, Patrol? patrol, IReadOnlyList<Chunk> chunks, List<Guid> aditIds, bool withCopies,
        CancellationToken ct)
    {
        var decoded = (await TracksAsync(new Dictionary<Guid, List<Chunk>> { [patrolId] = chunks.ToList() }, ct))[patrolId];
        var track = decoded.Fixes;
        var flags = decoded.Shape(patrol?.Source != PatrolSource.Import, ShapeFlags).ToList();
        flags.AddRange(new[]
        {
            patrol is null ? null : TrackStatistics.UploadShape(patrol, chunks.Select(c => c.Count)),
            patrol is null ? null : TrackStatistics.FastLeg(track, await RulesAsync(patrol.DivisionCode, ct)),
        }.OfType<string>());
        if (patrol is not null && withCopies && track.Count >= PresenceThresholds.MinFixes)
            flags.AddRange(await CopiesAsync(patrol, track, aditIds, ct));
        return flags;
    }

    /// <summary>Judges <paramref name="all"/>; copies are looked for in the tracks of the <paramref name="judged"/> patrols.</summary>
    private async Task JudgeAsync(List<CheckIn> all, HashSet<Guid> judged, CancellationToken ct)
    {
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var ids = all.Select(c => c.Id).ToList();
        var allPatrolIds = all.Select(c => c.PatrolId).Distinct().ToList();
        var patrols = await db.Patrols().Beyond(ScopeExit.SystemJudgement).AsNoTracking().Where(p => allPatrolIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var chunksOf = await ChunksAsync(patrols.ToDictionary(p => p.Key, p => p.Value.UserId), ct);
        foreach (var id in allPatrolIds) chunksOf.TryAdd(id, []);
        var decoded = await TracksAsync(chunksOf, ct);
        var photos = await db.CheckInPhotos().Beyond(ScopeExit.SystemJudgement).AsNoTracking().Where(p => ids.Contains(p.CheckInId)).ToListAsync(ct);
        var aditIds = all.Select(c => c.AditId).Distinct().ToList();
        var adits = await db.Adits().Beyond(ScopeExit.SystemJudgement).Where(a => aditIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, ct);

        // What the patterns compare with: same coordinates, same photo, the same member's check-ins around the time.
        var facts = await FactsAsync(all, photos, ct);
        var samePicture = await SamePictureAsync(all, photos, ct);
        var homes = await db.Set<PatrolTeamMember>().AsNoTracking()
            .Where(m => patrols.Values.Select(p => p.TeamId).Contains(m.TeamId))
            .Select(m => new { m.TeamId, m.UserId, m.HomeLat, m.HomeLon }).ToListAsync(ct);
        // Since when each member's app signs its captures (their first patrol with a key): a later keyless patrol from the
        // app is not an older app's queued work but a key left out.
        var members = patrols.Values.Select(p => p.UserId).Distinct().ToList();
        var signsSince = await db.Patrols().Beyond(ScopeExit.SystemJudgement).AsNoTracking()
            .Where(p => members.Contains(p.UserId) && p.CaptureKey != null)
            .GroupBy(p => p.UserId).Select(g => new { g.Key, First = g.Min(p => p.StartedUtc) }).ToDictionaryAsync(x => x.Key, x => x.First, ct);
        // Copies only for the patrols being judged, not those only looked at beside them.
        var trackFlags = new Dictionary<Guid, List<string>>();
        foreach (var id in allPatrolIds)
        {
            patrols.TryGetValue(id, out var patrol);
            trackFlags[id] = await TrackFlagsAsync(id, patrol, chunksOf[id],
                all.Where(c => c.PatrolId == id).Select(c => c.AditId).ToList(), judged.Contains(id), ct);
        }

        var firstSeen = allPatrolIds.ToDictionary(id => id, id => chunksOf[id].Select(c => c.ReceivedUtc)
            .Concat(patrols.TryGetValue(id, out var p) ? [p.ReceivedUtc] : []).DefaultIfEmpty(DateTime.MaxValue).Min());
        var deviceFlags = await DeviceRules.FlagsAsync(db, patrols.Values, firstSeen, ct);

        foreach (var c in all)
        {
            var adit = adits[c.AditId];
            var rule = await RulesAsync(adit.DivisionCode, ct);
            patrols.TryGetValue(c.PatrolId, out var patrol);
            var mine = photos.Where(p => p.CheckInId == c.Id && p.UserId == c.UserId).ToList();
            var evidence = ProofOfPresence.Evaluate(c, patrol, decoded[c.PatrolId].Fixes, mine, adit.Lat, adit.Lon, rule, decoded[c.PatrolId].Pauses);

            var me = facts.Self[c.Id];
            var home = patrol is null ? null : homes.FirstOrDefault(h => h.TeamId == patrol.TeamId && h.UserId == c.UserId);
            var flags = new[]
            {
                SuspiciousPatterns.SameCoordinates(me, facts.SameCoordinates(c)),
                SuspiciousPatterns.ReusedPhoto(me, facts.SamePhoto(c, mine)),
                samePicture(c, mine), PhotoEvidence.Unsigned(mine, patrol, patrol is not null && signsSince.TryGetValue(patrol.UserId, out var since) ? since : null),
                SuspiciousPatterns.ImpossibleHop(me, facts.SameMember(c), rule),
                SuspiciousPatterns.NightFromHome(me, home?.HomeLat, home?.HomeLon, rule),
                TrackStatistics.ExactCoordinate(c, adit.Lat, adit.Lon),
                TrackStatistics.LateUpload(c, new[] { firstSeen[c.PatrolId], c.ReceivedUtc }.Min()),
            }.Concat(trackFlags[c.PatrolId]).Concat(deviceFlags.GetValueOrDefault(c.PatrolId) ?? []).Concat(evidence.Flags ?? []).OfType<string>().ToList();
            c.Evaluated(evidence, flags, now);
            await FollowUpAsync(c, adit, ct);
        }

        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Copies and replays: the track against other members' tracks of the same hours (time-aligned) and against earlier
    /// tracks of patrols that checked the same adits in the last <see cref="PresenceThresholds.ReplayDays"/> days (by
    /// shape). A copy is seen by whichever of the two is judged after the other arrived (one phone for two members
    /// makes both doubtful); a replay only by the later track. Bounded to a few dozen candidate patrols, so it stays cheap.
    /// </summary>
    private async Task<List<string>> CopiesAsync(Patrol patrol, IReadOnlyList<TrackPoint> track, List<Guid> aditIds, CancellationToken ct)
    {
        var (first, last) = (track[0].Utc, track[^1].Utc);
        var since = first.AddDays(-PresenceThresholds.ReplayDays);
        var until = first.AddHours(-1);
        // The candidate lists in one round trip (UNION ALL), told apart by a tag: other members' patrols checked in at
        // these adits during this track (copies where they matter: on a busy day hundreds of members walk the same
        // hours, and the first 30 patrols by time need not include the one copied; the 20 with the most such check-ins),
        // any patrols of the same hours, and the latest 20 earlier patrols at these adits (replays; DISTINCT … TAKE kept
        // an arbitrary 20, on SQLite the oldest). The same hours' part reads chunks, not DISTINCT patrols: with DISTINCT …
        // LIMIT PostgreSQL walks the (PatrolId, Seq) index over every chunk stored instead of the time index (0060); it
        // reads them in that index's order, so the 30 patrols taken are the same on every node and engine (an unordered
        // LIMIT took whichever rows the plan met first).
        var found = await db.CheckIns().Beyond(ScopeExit.SystemJudgement).AsNoTracking()
            .Where(c => aditIds.Contains(c.AditId) && c.AtUtc >= first && c.AtUtc <= last && c.UserId != patrol.UserId && c.PatrolId != patrol.Id)
            .GroupBy(c => c.PatrolId).Select(g => new { PatrolId = g.Key, Shared = g.Count(), Last = g.Max(c => c.AtUtc) })
            .OrderByDescending(x => x.Shared).ThenBy(x => x.PatrolId).Take(20).Select(x => new { x.PatrolId, Kind = SameAditsSameHours, At = x.Last })
            .Concat(db.TrackChunks().Beyond(ScopeExit.SystemJudgement).AsNoTracking()
                .Where(t => t.UserId != patrol.UserId && t.FirstUtc <= last && t.LastUtc >= first && t.PatrolId != patrol.Id)
                .OrderBy(t => t.LastUtc).ThenBy(t => t.FirstUtc)
                .Select(t => new { t.PatrolId, Kind = SameHours, At = t.LastUtc }).Take(5_000))
            .Concat(db.CheckIns().Beyond(ScopeExit.SystemJudgement).AsNoTracking()
                .Where(c => aditIds.Contains(c.AditId) && c.AtUtc >= since && c.AtUtc <= until && c.PatrolId != patrol.Id)
                .GroupBy(c => c.PatrolId).Select(g => new { PatrolId = g.Key, Last = g.Max(c => c.AtUtc) })
                .OrderByDescending(x => x.Last).ThenBy(x => x.PatrolId).Take(20).Select(x => new { x.PatrolId, Kind = SameAditsEarlier, At = x.Last }))
            .ToListAsync(ct);
        var sameHours = found.Where(f => f.Kind == SameAditsSameHours).Select(f => f.PatrolId).Distinct()
            .Concat(found.Where(f => f.Kind == SameHours).OrderBy(f => f.At).ThenBy(f => f.PatrolId).Select(f => f.PatrolId).Distinct().Take(30))
            .Distinct().ToList();
        var sameAdits = found.Where(f => f.Kind == SameAditsEarlier).Select(f => f.PatrolId).ToList();
        var candidates = sameHours.Concat(sameAdits).Distinct().ToList();
        if (candidates.Count == 0) return [];
        var read = new Dictionary<Guid, OtherTrack?>();
        var unread = candidates.Where(id => !read.ContainsKey(id)).ToList();
        if (unread.Count > 0)
        {
            var others = await db.Patrols().Beyond(ScopeExit.SystemJudgement).AsNoTracking()
                .Where(p => unread.Contains(p.Id))
                .Select(p => new { p.Id, p.UserId, p.StartedUtc }).ToListAsync(ct);
            var theirChunks = await ChunksAsync(others.ToDictionary(o => o.Id, o => o.UserId), ct);
            var tracks = await TracksAsync(theirChunks, ct);
            foreach (var id in unread)
                read[id] = others.FirstOrDefault(o => o.Id == id) is { } o ? new OtherTrack(o.UserId, o.StartedUtc, tracks.GetValueOrDefault(o.Id)?.Fixes) : null;
        }

        var flags = new List<string>();
        foreach (var (id, other) in candidates.Select(id => (Id: id, Other: read[id])).OrderByDescending(x => x.Other?.StartedUtc))
        {
            if (other?.Points is not { } theirs) continue;
            if (sameHours.Contains(id) && TrackStatistics.Copy(TrackStatistics.TimeAlignedMedian(track, theirs), await MemberNameAsync(other.UserId, ct)) is { } copy)
            {
                flags.Add(copy);
                break;
            }

            if (theirs[0].Utc < first - TimeSpan.FromHours(1)
                && TrackStatistics.Replay(TrackStatistics.ShapeMedian(track, theirs), theirs[0].Utc) is { } replay)
            {
                flags.Add(replay);
                break;
            }
        }

        return flags;
    }

    /// <summary>The copy rule's candidate lists (<see cref="CopiesAsync"/>).</summary>
    private const int SameAditsSameHours = 0, SameHours = 1, SameAditsEarlier = 2;

    /// <summary>Another patrol's track as the copy rule reads it (no points: none stored by its own member; null in the
    /// request's read cache: no such patrol).</summary>
    private sealed record OtherTrack(Guid UserId, DateTime StartedUtc, IReadOnlyList<TrackPoint>? Points);

    private async Task<string> MemberNameAsync(Guid userId, CancellationToken ct) =>
        await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) is { Length: > 0 } name
            ? $"巡查员 {name} " : "另一名巡查员";

    /// <summary>Check-ins of other patrols that share a coordinate or a photo with these, or are the same member's nearby.</summary>
    private async Task<List<CheckIn>> RelatedAsync(List<CheckIn> checkIns, CancellationToken ct)
    {
        var lats = checkIns.Select(c => c.Lat).Distinct().ToList();
        var ids = checkIns.Select(c => c.Id).ToList();
        var sameCoordinates = await db.CheckIns().Beyond(ScopeExit.SystemJudgement).Where(c => lats.Contains(c.Lat) && !ids.Contains(c.Id)).ToListAsync(ct);
        sameCoordinates = sameCoordinates.Where(o => checkIns.Any(c => c.Lat == o.Lat && c.Lon == o.Lon)).ToList();
        var hashes = await db.CheckInPhotos().Beyond(ScopeExit.SystemJudgement).Where(p => ids.Contains(p.CheckInId)).Select(p => p.Sha256).ToListAsync(ct);
        var samePhotoIds = await db.CheckInPhotos().Beyond(ScopeExit.SystemJudgement).Where(p => hashes.Contains(p.Sha256) && !ids.Contains(p.CheckInId))
            .Select(p => p.CheckInId).ToListAsync(ct);
        var samePhoto = await db.CheckIns().Beyond(ScopeExit.SystemJudgement).Where(c => samePhotoIds.Contains(c.Id)).ToListAsync(ct);
        var users = checkIns.Select(c => c.UserId).Distinct().ToList();
        var from = checkIns.Min(c => c.AtUtc).AddHours(-3);
        var to = checkIns.Max(c => c.AtUtc).AddHours(3);
        var sameMember = await db.CheckIns().Beyond(ScopeExit.SystemJudgement)
            .Where(c => users.Contains(c.UserId) && c.AtUtc >= from && c.AtUtc <= to && !ids.Contains(c.Id)).ToListAsync(ct);
        return sameCoordinates.Concat(samePhoto).Concat(sameMember).DistinctBy(c => c.Id).ToList();
    }

    private sealed record PhotoLink(string Sha256, Guid CheckInId);

    private sealed record Facts(
        Dictionary<Guid, CheckInFacts> Self,
        Func<CheckIn, IEnumerable<CheckInFacts>> SameCoordinates,
        Func<CheckIn, IReadOnlyList<CheckInPhoto>, IEnumerable<CheckInFacts>> SamePhoto,
        Func<CheckIn, IEnumerable<CheckInFacts>> SameMember);

    private async Task<Facts> FactsAsync(List<CheckIn> all, List<CheckInPhoto> photos, CancellationToken ct)
    {
        // The wider circle: everything any of these check-ins could be compared with.
        var lats = all.Select(c => c.Lat).Distinct().ToList();
        var users = all.Select(c => c.UserId).Distinct().ToList();
        var from = all.Min(c => c.AtUtc).AddHours(-3);
        var to = all.Max(c => c.AtUtc).AddHours(3);
        var hashes = photos.Select(p => p.Sha256).Distinct().ToList();
        // A check-in judged before its photos arrive (the app sends it first) has none to compare: no query for them.
        var photoLinks = hashes.Count == 0 ? []
            : await db.CheckInPhotos().Beyond(ScopeExit.SystemJudgement).AsNoTracking().Where(p => hashes.Contains(p.Sha256))
                .Select(p => new PhotoLink(p.Sha256, p.CheckInId)).ToListAsync(ct);
        var photoCheckIns = photoLinks.Select(p => p.CheckInId).Distinct().ToList();
        // Three index-backed parts ((Lat, Lon), the key, (UserId, AtUtc)) in one round trip (UNION ALL); one WHERE OR-ing
        // them scans the table.
        var parts = db.CheckIns().Beyond(ScopeExit.SystemJudgement).Where(c => lats.Contains(c.Lat))
            .Concat(db.CheckIns().Beyond(ScopeExit.SystemJudgement).Where(c => users.Contains(c.UserId) && c.AtUtc >= from && c.AtUtc <= to));
        if (photoCheckIns.Count > 0) parts = parts.Concat(db.CheckIns().Beyond(ScopeExit.SystemJudgement).Where(c => photoCheckIns.Contains(c.Id)));
        var rows = await parts.AsNoTracking().Join(db.Adits().Beyond(ScopeExit.SystemJudgement), c => c.AditId, a => a.Id,
            (c, a) => new CheckInFacts(c.Id, c.PatrolId, c.UserId, c.AditId, a.Number, c.AtUtc, c.Lat, c.Lon)).ToListAsync(ct);

        var byId = rows.DistinctBy(r => r.Id).ToDictionary(r => r.Id);
        return new Facts(
            byId,
            c => byId.Values.Where(o => o.Id != c.Id && o.Lat == c.Lat && o.Lon == c.Lon),
            (c, mine) => photoLinks.Where(l => mine.Any(p => p.Sha256 == l.Sha256) && l.CheckInId != c.Id)
                .Select(l => byId.GetValueOrDefault(l.CheckInId)).OfType<CheckInFacts>(),
            c => byId.Values.Where(o => o.UserId == c.UserId && o.Id != c.Id));
    }

    /// <summary>
    /// A finding opens one assignment (督办事项, due in <see cref="AssignmentDays"/> days, for whoever answers for the adit;
    /// the check-in keeps its id, so judging it again opens nothing) and tells the responsible person; a verified broken
    /// seal is a breach. Answers
    /// are judged by their meaning (<see cref="CheckList.FromFormat"/>) and only where the check applies to the adit's
    /// state: a "seal broken" answer at an unsealed adit is no finding.
    /// </summary>
    private async Task FollowUpAsync(CheckIn c, Adit adit, CancellationToken ct)
    {
        if (!c.HasFinding(adit.State)) return;
        var problems = c.Answers.Problems(adit.State).Select(q => q.Problem).ToList();
        var sealBroken = c.Answers.SealBroken(adit.State);
        var what = problems.Count > 0 ? string.Join("；", problems) : "巡查员报告异常";
        if (c.AssignmentId is null)
        {
            // The adit's 包保责任人, else the grid's, village's or township's people, else the county office.
            var people = await responsibility.WhoAnswersAsync(new Place(adit.DivisionCode, adit.Id), AnswerLevel.Person, null, ct);
            var assignment = AssignmentDesk.OpenFor(db, people, adit.DivisionCode, adit.Id, "patrol-finding", c.Id, $"巡查发现：{adit.Number} {what}",
                $"{ChinaTime.Format(c.AtUtc)} 巡查签到发现：{what}。{c.Note}".Trim(), AssignmentDays);
            c.LinkAssignment(assignment.Id);
            await Clues.ClueIntake.OpenAsync(db, new Clues.ClueLead("patrol-finding", c.Id, $"巡查发现：{adit.Number} {what}", adit.DivisionCode, adit.Id), ct);
            foreach (var person in people)
            {
                db.Tell(person, adit.DivisionCode, $"矿硐 {adit.Number} 巡查发现异常", what, $"/adits/{adit.Id}",
                    "patrol-finding", c.Id, sms: sealBroken);
            }
        }

        if (c.Verified && sealBroken && !c.BreachRecorded && adit.State is SealState.Sealed or SealState.Accepted)
        {
            var member = await db.Users.AsNoTracking().Where(u => u.Id == c.UserId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct);
            try
            {
                adit.RecordBreach(DateOnly.FromDateTime(ChinaTime.ToLocal(c.AtUtc)), member, "巡查发现", c.UserId,
                    $"巡查签到发现封堵被破坏：{what}", db.Clock.GetUtcNow().UtcDateTime);
                c.MarkBreachRecorded();
            }
            catch (BusinessRuleException)
            {
                // The ledger says otherwise (e.g. sealed again after this check-in); the assignment carries it.
            }
        }
    }
}

