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
public sealed partial class PatrolEvaluator(AppDbContext db, Responsibility responsibility)
{
    /// <summary>Calendar days a finding's assignment is due in (as the follow-up items it replaces).</summary>
    public const int AssignmentDays = 3;

    public async Task EvaluateAsync(IReadOnlyCollection<Guid> patrolIds, CancellationToken ct, IReadOnlyCollection<Guid>? checkInIds = null)
    {
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var checkIns = await db.CheckIns().Beyond(ScopeExit.SystemJudgement)
            .Where(c => patrolIds.Contains(c.PatrolId) || (checkInIds != null && checkInIds.Contains(c.Id))).ToListAsync(ct);
        if (checkIns.Count == 0) return;

        var related = await RelatedAsync(checkIns, ct);
        related = related.UnionBy(await DeviceRules.SamePhoneCheckInsAsync(db, checkIns.Select(c => c.PatrolId).Distinct().ToList(), ct), c => c.Id).ToList();
        var all = checkIns.Concat(related.Where(r => checkIns.All(c => c.Id != r.Id))).ToList();
        var ids = all.Select(c => c.Id).ToList();
        var allPatrolIds = all.Select(c => c.PatrolId).Distinct().ToList();
        var patrols = await db.Patrols().Beyond(ScopeExit.SystemJudgement).AsNoTracking().Where(p => allPatrolIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var chunks = (await db.TrackChunks().Beyond(ScopeExit.SystemJudgement).AsNoTracking().Where(t => allPatrolIds.Contains(t.PatrolId))
            .Select(t => new { t.PatrolId, t.UserId, t.Points, t.Count, t.ReceivedUtc }).ToListAsync(ct))
            .Where(c => patrols.TryGetValue(c.PatrolId, out var p) && p.UserId == c.UserId).ToList();
        var tracks = allPatrolIds.ToDictionary(id => id, id => (IReadOnlyList<TrackPoint>)chunks.Where(c => c.PatrolId == id)
            .SelectMany(c => TrackCodec.Fixes(c.Points)).DistinctBy(p => p.Utc).OrderBy(p => p.Utc).ToList());
        var pauses = allPatrolIds.ToDictionary(id => id, id => (IReadOnlyList<TrackPause>)chunks.Where(c => c.PatrolId == id)
            .SelectMany(c => TrackCodec.Pauses(c.Points)).Distinct().ToList());
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
        var rules = new Dictionary<string, PatrolRuleSet>();
        // What the track alone says, once per patrol (a day's track is thousands of points), and what it shares with
        // earlier and other members' tracks (for the patrols being judged, not those only looked at beside them).
        var judged = checkIns.Select(c => c.PatrolId).ToHashSet();
        var trackFlags = new Dictionary<Guid, List<string>>();
        foreach (var (id, track) in tracks)
        {
            patrols.TryGetValue(id, out var patrol);
            var fromApp = patrol?.Source != PatrolSource.Import;
            trackFlags[id] = new[]
            {
                SuspiciousPatterns.StraightLine(track), SuspiciousPatterns.NoJitter(track), TrackStatistics.WhiteNoise(track),
                TrackStatistics.SteadyLegs(track), fromApp ? TrackStatistics.RegularIntervals(track) : null, TrackStatistics.CoarseGrid(track),
                fromApp ? TrackStatistics.AccuracyVariability(track) : null,
                patrol is null ? null : TrackStatistics.UploadShape(patrol, chunks.Where(c => c.PatrolId == id).Select(c => c.Count)),
                patrol is null ? null : TrackStatistics.FastLeg(track, await RulesAsync(patrol.DivisionCode)),
            }.OfType<string>().ToList();
            if (patrol is not null && judged.Contains(id) && track.Count >= PresenceThresholds.MinFixes)
                trackFlags[id].AddRange(await CopiesAsync(patrol, track, all.Where(c => c.PatrolId == id).Select(c => c.AditId).ToList(), ct));
        }

        var firstSeen = allPatrolIds.ToDictionary(id => id, id => chunks.Where(c => c.PatrolId == id).Select(c => c.ReceivedUtc)
            .Concat(patrols.TryGetValue(id, out var p) ? [p.ReceivedUtc] : []).DefaultIfEmpty(DateTime.MaxValue).Min());
        var deviceFlags = await DeviceRules.FlagsAsync(db, patrols.Values, firstSeen, ct);

        async Task<PatrolRuleSet> RulesAsync(string division)
        {
            if (!rules.TryGetValue(division, out var rule)) rules[division] = rule = await db.PatrolRulesAsync(division, ct);
            return rule;
        }

        foreach (var c in all)
        {
            var adit = adits[c.AditId];
            if (!rules.TryGetValue(adit.DivisionCode, out var rule)) rules[adit.DivisionCode] = rule = await db.PatrolRulesAsync(adit.DivisionCode, ct);
            patrols.TryGetValue(c.PatrolId, out var patrol);
            var track = tracks[c.PatrolId];
            var mine = photos.Where(p => p.CheckInId == c.Id && p.UserId == c.UserId).ToList();
            var evidence = ProofOfPresence.Evaluate(c, patrol, track, mine, adit.Lat, adit.Lon, rule, pauses[c.PatrolId]);

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
        var sameHours = await db.TrackChunks().Beyond(ScopeExit.SystemJudgement).AsNoTracking()
            .Where(t => t.UserId != patrol.UserId && t.FirstUtc <= last && t.LastUtc >= first && t.PatrolId != patrol.Id)
            .Select(t => t.PatrolId).Distinct().Take(30).ToListAsync(ct);
        var since = first.AddDays(-PresenceThresholds.ReplayDays);
        var until = first.AddHours(-1);
        var sameAdits = await db.CheckIns().Beyond(ScopeExit.SystemJudgement).AsNoTracking()
            .Where(c => aditIds.Contains(c.AditId) && c.AtUtc >= since && c.AtUtc <= until && c.PatrolId != patrol.Id)
            .OrderByDescending(c => c.AtUtc).Select(c => c.PatrolId).Distinct().Take(20).ToListAsync(ct);
        var candidates = sameHours.Concat(sameAdits).Distinct().ToList();
        if (candidates.Count == 0) return [];
        var others = await db.Patrols().Beyond(ScopeExit.SystemJudgement).AsNoTracking()
            .Where(p => candidates.Contains(p.Id))
            .Select(p => new { p.Id, p.UserId, p.StartedUtc }).ToListAsync(ct);
        if (others.Count == 0) return [];
        var otherIds = others.Select(o => o.Id).ToList();
        var points = (await db.TrackChunks().Beyond(ScopeExit.SystemJudgement).AsNoTracking().Where(t => otherIds.Contains(t.PatrolId))
                .Select(t => new { t.PatrolId, t.UserId, t.Points }).ToListAsync(ct))
            .Where(t => others.Any(o => o.Id == t.PatrolId && o.UserId == t.UserId))
            .GroupBy(t => t.PatrolId)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<TrackPoint>)g.SelectMany(t => TrackCodec.Fixes(t.Points)).DistinctBy(p => p.Utc).OrderBy(p => p.Utc).ToList());
        var flags = new List<string>();
        foreach (var other in others.OrderByDescending(o => o.StartedUtc))
        {
            if (!points.TryGetValue(other.Id, out var theirs)) continue;
            if (sameHours.Contains(other.Id) && TrackStatistics.Copy(TrackStatistics.TimeAlignedMedian(track, theirs), await MemberNameAsync(other.UserId, ct)) is { } copy)
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
        var photoLinks = await db.CheckInPhotos().Beyond(ScopeExit.SystemJudgement).AsNoTracking().Where(p => hashes.Contains(p.Sha256))
            .Select(p => new { p.Sha256, p.CheckInId }).ToListAsync(ct);
        var photoCheckIns = photoLinks.Select(p => p.CheckInId).Distinct().ToList();
        // Three index-backed queries ((Lat, Lon), the key, (UserId, AtUtc)); one query OR-ing them scans the table.
        var rows = new List<CheckInFacts>();
        foreach (var part in new[]
                 {
                     db.CheckIns().Beyond(ScopeExit.SystemJudgement).Where(c => lats.Contains(c.Lat)),
                     db.CheckIns().Beyond(ScopeExit.SystemJudgement).Where(c => photoCheckIns.Contains(c.Id)),
                     db.CheckIns().Beyond(ScopeExit.SystemJudgement).Where(c => users.Contains(c.UserId) && c.AtUtc >= from && c.AtUtc <= to),
                 })
        {
            rows.AddRange(await part.AsNoTracking().Join(db.Adits().Beyond(ScopeExit.SystemJudgement), c => c.AditId, a => a.Id,
                (c, a) => new CheckInFacts(c.Id, c.PatrolId, c.UserId, c.AditId, a.Number, c.AtUtc, c.Lat, c.Lon)).ToListAsync(ct));
        }

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
