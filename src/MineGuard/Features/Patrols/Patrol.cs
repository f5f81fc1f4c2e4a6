using System.Linq.Expressions;
using MineGuard.Features.Adits;
using MineGuard.Platform.Audit;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Patrols;

public enum PatrolSource
{
    /// <summary>Recorded by the field app.</summary>
    App = 0,

    /// <summary>Entered by the office with a track uploaded from another device (GPX/GeoJSON).</summary>
    Import = 1,
}

/// <summary>
/// 一次巡查: one member's patrol from start to end. The id is made by the phone, so a start sent twice is one patrol;
/// the track, check-ins and photos refer to it by that id and may arrive before it does.
/// </summary>
public sealed class Patrol : IInJurisdiction, IOwnedByUser
{
    private Patrol() { }

    public Guid Id { get; private set; }
    public Guid TeamId { get; private set; }
    public Guid UserId { get; private set; }
    public string DivisionCode { get; private set; } = "";
    public Guid? PlanId { get; private set; }
    public bool IsCross { get; private set; }
    public PatrolSource Source { get; private set; }

    /// <summary>Start and end as the device recorded them.</summary>
    public DateTime StartedUtc { get; private set; }

    public DateTime? EndedUtc { get; private set; }
    public DateTime ReceivedUtc { get; private set; }

    /// <summary>Device clock minus server clock when the start arrived, in seconds (clock tampering shows here).</summary>
    public double ClockSkewSeconds { get; private set; }

    /// <summary>SHA-256 of what cannot change after the start (team, plan, start time): a resend must match it.</summary>
    public string PayloadHash { get; private set; } = "";

    /// <summary>The app's random key for this patrol's photos (<see cref="CaptureSignature"/>); null from apps before it.</summary>
    [AuditHidden]
    public string? CaptureKey { get; private set; }

    /// <summary>Kept once: the first key sent with the patrol (not part of <see cref="PayloadHash"/>, so older resends stay duplicates).</summary>
    public void KeepCaptureKey(string? key) => CaptureKey ??= key?.ToLowerInvariant();

    /// <summary>The app's device id (<c>X-Device-Id</c>) when the start arrived; not in the payload hash, set once.</summary>
    public Guid? DeviceId { get; private set; }

    public void FromDevice(Guid? deviceId) => DeviceId ??= deviceId;

    public static Patrol Start(Guid id, PatrolTeam team, Guid userId, PatrolPlan? plan, DateTime startedUtc, PatrolSource source,
        DateTime receivedUtc, double clockSkewSeconds, string payloadHash) => new()
    {
        Id = id, TeamId = team.Id, UserId = userId, DivisionCode = team.DivisionCode, PlanId = plan?.Id,
        IsCross = plan?.IsCross == true, Source = source, StartedUtc = startedUtc, ReceivedUtc = receivedUtc,
        ClockSkewSeconds = clockSkewSeconds, PayloadHash = payloadHash,
    };

    /// <summary>The end may arrive with a resend of the start or on its own; once set it does not change.</summary>
    public void End(DateTime endedUtc)
    {
        Rule.Check(EndedUtc is null || EndedUtc == endedUtc, "SyncConflict", "该巡查已结束，结束时间与已收到的不同");
        Rule.Check(endedUtc >= StartedUtc, "PatrolEndBeforeStart", "结束时间早于开始时间");
        EndedUtc = endedUtc;
    }
}

/// <summary>
/// A piece of a patrol's GPS track as the phone sent it (points encoded by <see cref="TrackCodec"/>, declared pauses as
/// marker points after them).
/// </summary>
// Its own record (who sent it, when, its content hash): bulk-inserted by the field sync and not copied row by row into
// the audit trail; each request's chunks are one audit event with their digest (FieldSync.AuditTrackAsync).
[OwnRecord]
public sealed class TrackChunk : IInJurisdiction, IOwnedByUser
{
    private TrackChunk() { }

    public Guid Id { get; private set; }
    public Guid PatrolId { get; private set; }

    /// <summary>Who sent it: only the patrol's own member's chunks make its track.</summary>
    public Guid UserId { get; private set; }

    /// <summary>The sender's division: the chunk may arrive before its patrol.</summary>
    public string DivisionCode { get; private set; } = "";

    public int Seq { get; private set; }
    public int Count { get; private set; }
    public DateTime FirstUtc { get; private set; }
    public DateTime LastUtc { get; private set; }
    [AuditHidden]
    public byte[] Points { get; private set; } = [];
    public string PayloadHash { get; private set; } = "";
    public DateTime ReceivedUtc { get; private set; }

    /// <summary>
    /// The chunk's fingerprint, versioned: version 1 (no pauses) is the hash every chunk stored before pauses existed
    /// has, so a phone resending one is still a duplicate; version 2 marks a chunk that carries pauses.
    /// </summary>
    public static string HashOf(Guid patrolId, int seq, byte[] bytes, bool hasPauses) =>
        SyncHash.Of(hasPauses ? $"v2|{patrolId}|{seq}|" : $"{patrolId}|{seq}|", bytes);

    public static TrackChunk Create(Guid id, Guid patrolId, Guid userId, string divisionCode, int seq, IReadOnlyList<TrackPoint> points,
        DateTime receivedUtc, IReadOnlyList<TrackPause>? pauses = null)
    {
        pauses ??= [];
        var bytes = TrackCodec.Encode([.. points, .. TrackCodec.PauseMarkers(pauses)]);
        var times = points.Count > 0 ? points.Select(p => p.Utc).ToList() : pauses.SelectMany(p => new[] { p.From, p.To }).ToList();
        return new()
        {
            Id = id, PatrolId = patrolId, UserId = userId, DivisionCode = divisionCode, Seq = seq, Count = points.Count,
            FirstUtc = times.Count == 0 ? receivedUtc : times.Min(),
            LastUtc = times.Count == 0 ? receivedUtc : times.Max(),
            Points = bytes, PayloadHash = HashOf(patrolId, seq, bytes, pauses.Count > 0), ReceivedUtc = receivedUtc,
        };
    }
}

/// <summary>
/// One of the eight checks (八查, after the Jincheng plan: 井口是否填实填死, 暗道暗口, 机械设备, 用电异常, 车辆运矿痕迹,
/// 非法务工人员…), asked in answer format 2 as "is there this problem: 有/无", so 无 means "no problem" for every check.
/// <paramref name="Key"/> is the JSON key of format 2 (camel-cased), <paramref name="LegacyKey"/> that of format 1 with
/// <paramref name="LegacyProblemAnswer"/> the answer that meant a problem there, <paramref name="AppliesTo"/> the adit
/// states it is asked for (null: every state): an unsealed adit has no seal to check.
/// </summary>
public sealed record CheckQuestion(string Key, string Problem, string LegacyKey, bool LegacyProblemAnswer, IReadOnlyList<SealState>? AppliesTo)
{
    public bool Applies(SealState state) => AppliesTo is null || AppliesTo.Contains(state);
}

/// <summary>
/// The eight checks at an adit, stored as before (SealIntact: true = intact; the others: true = present); null = not
/// asked or not answered. <see cref="FromFormat"/> reads either answer format the field app has sent.
/// </summary>
public sealed record CheckList(
    bool? SealIntact, bool? FreshDigging, bool? Spoil, bool? Tools, bool? Power, bool? VehicleTracks, bool? People, bool? Smoke)
{
    /// <summary>The answer format the field app sends now (every answer: true = 有, the problem is there).</summary>
    public const int CurrentFormat = 2;

    public static readonly IReadOnlyList<CheckQuestion> Questions =
    [
        new("SealBroken", "封堵被破坏、被挖开或井口未填实", nameof(SealIntact), false, [SealState.Sealed, SealState.Accepted]),
        new(nameof(FreshDigging), "新开挖痕迹、暗道暗口", nameof(FreshDigging), true, null),
        new(nameof(Spoil), "新鲜矿渣、废石", nameof(Spoil), true, null),
        new(nameof(Tools), "工具、机械设备", nameof(Tools), true, null),
        new(nameof(Power), "发电机、私拉电线等用电迹象", nameof(Power), true, null),
        new(nameof(VehicleTracks), "车辆运矿痕迹", nameof(VehicleTracks), true, null),
        new(nameof(People), "人员活动、务工人员", nameof(People), true, null),
        new(nameof(Smoke), "烟雾、炮烟气味", nameof(Smoke), true, null),
    ];

    public bool?[] Values => [SealIntact, FreshDigging, Spoil, Tools, Power, VehicleTracks, People, Smoke];

    /// <summary>Per check: is the problem there (true), not there (false), or not answered (null).</summary>
    public bool?[] ProblemsPresent => Values.Select((v, i) => v is null ? (bool?)null : v == Questions[i].LegacyProblemAnswer).ToArray();

    /// <summary>
    /// Reads a check-in's answers by their explicit meaning. Format 1 (the first field app, no format field): keys
    /// sealIntact…smoke, each the literal 是/否 to the old question (封堵是否完好: true = intact; the rest: true = seen).
    /// Format 2: key sealBroken instead of sealIntact, and every value true = 有 (the problem is there).
    /// </summary>
    public static CheckList FromFormat(int format, bool? sealIntact, bool? sealBroken, bool? freshDigging, bool? spoil, bool? tools,
        bool? power, bool? vehicleTracks, bool? people, bool? smoke) =>
        new(format == CurrentFormat ? (sealBroken is null ? null : !sealBroken) : sealIntact,
            freshDigging, spoil, tools, power, vehicleTracks, people, smoke);

    /// <summary>The problems the answers report at an adit in this state (a check that does not apply there is not judged).</summary>
    public IEnumerable<CheckQuestion> Problems(SealState state) =>
        Questions.Where((q, i) => ProblemsPresent[i] == true && q.Applies(state));

    /// <summary>Every problem answered, whatever the adit's state: what the member said, for the office's list.</summary>
    public IEnumerable<string> Problems() => Questions.Where((q, i) => ProblemsPresent[i] == true).Select(q => q.Problem);

    /// <summary>A broken seal is reported where there is a seal to break.</summary>
    public bool SealBroken(SealState state) => Problems(state).Any(q => q.Key == "SealBroken");
}

/// <summary>
/// 签到: a check at one adit during a patrol, with the check-list, the phone's fix and whether the evidence proves the
/// member was there (<see cref="ProofOfPresence"/>). Only verified, unflagged (or cleared) check-ins count.
/// </summary>
public sealed class CheckIn : IInJurisdiction, IOwnedByUser
{
    private CheckIn() { }

    public Guid Id { get; private set; }
    public Guid PatrolId { get; private set; }
    public Guid AditId { get; private set; }
    public Guid UserId { get; private set; }

    /// <summary>The adit's division, so the adit's office sees it.</summary>
    public string DivisionCode { get; private set; } = "";

    public DateTime AtUtc { get; private set; }
    public double Lat { get; private set; }
    public double Lon { get; private set; }
    public double Accuracy { get; private set; }
    public bool? SealIntact { get; private set; }
    public bool? FreshDigging { get; private set; }
    public bool? Spoil { get; private set; }
    public bool? Tools { get; private set; }
    public bool? Power { get; private set; }
    public bool? VehicleTracks { get; private set; }
    public bool? People { get; private set; }
    public bool? Smoke { get; private set; }
    public bool ReportsFinding { get; private set; }
    public string? Note { get; private set; }
    public DateTime ReceivedUtc { get; private set; }
    public double ClockSkewSeconds { get; private set; }
    public string PayloadHash { get; private set; } = "";

    // What the evidence says; recomputed whenever more of the patrol arrives.
    public bool Verified { get; private set; }
    public double DistanceMetres { get; private set; }

    /// <summary>Why it is not verified, one reason a line.</summary>
    public string? Reasons { get; private set; }

    /// <summary>Suspicious patterns for the office, one a line.</summary>
    public string? Flags { get; private set; }

    public DateTime? FlagsClearedUtc { get; private set; }
    public Guid? FlagsClearedById { get; private set; }
    public string? FlagsClearedNote { get; private set; }

    /// <summary>
    /// 认定伪造: the office's reviewer decided the member was not there. A human decision: later evaluations do not undo
    /// it; it never counts, and it counts against the member and the team in compliance (and for accountability).
    /// </summary>
    public DateTime? FakedUtc { get; private set; }
    public Guid? FakedById { get; private set; }
    public string? FakedNote { get; private set; }

    /// <summary>The finding's column; a spot check's longer note is cut here and kept whole on the spot check.</summary>
    public const int FakedNoteMax = 500;

    /// <summary>When the judgement last changed.</summary>
    public DateTime? EvaluatedUtc { get; private set; }
    /// <summary>The assignment (督办事项) the check-in's finding opened: one per check-in, however often it is judged.</summary>
    public Guid? AssignmentId { get; private set; }
    public bool BreachRecorded { get; private set; }

    public CheckList Answers => new(SealIntact, FreshDigging, Spoil, Tools, Power, VehicleTracks, People, Smoke);

    /// <summary>At an adit in this state: a problem that applies there was answered 有, or the member reported one.</summary>
    public bool HasFinding(SealState state) => ReportsFinding || Answers.Problems(state).Any();

    /// <summary>Counts toward coverage and compliance.</summary>
    public bool Counts => Verified && FakedUtc is null && (Flags is null || FlagsClearedUtc is not null);

    /// <summary><see cref="Counts"/> for queries: the one definition every count of patrols reads.</summary>
    public static readonly Expression<Func<CheckIn, bool>> Counting =
        c => c.Verified && c.FakedUtc == null && (c.Flags == null || c.FlagsClearedUtc != null);

    /// <summary><see cref="Counting"/> or found faked by a reviewer: the rows one pass of compliance reads (of these, the
    /// ones not faked are exactly the counting ones). Kept beside <see cref="Counting"/> so the two cannot drift.</summary>
    public static readonly Expression<Func<CheckIn, bool>> CountingOrFaked =
        c => c.FakedUtc != null || c.Verified && (c.Flags == null || c.FlagsClearedUtc != null);

    /// <summary>The evidence proved presence and no reviewer found it faked (flags aside): "last visited" reads this.</summary>
    public static readonly Expression<Func<CheckIn, bool>> Proven = c => c.Verified && c.FakedUtc == null;

    public static CheckIn Create(Guid id, Guid patrolId, Guid aditId, Guid userId, string divisionCode, DateTime atUtc,
        double lat, double lon, double accuracy, CheckList answers, bool reportsFinding, string? note, DateTime receivedUtc,
        double clockSkewSeconds, string payloadHash) => new()
    {
        Id = id, PatrolId = patrolId, AditId = aditId, UserId = userId, DivisionCode = divisionCode, AtUtc = atUtc, Lat = lat,
        Lon = lon, Accuracy = accuracy, SealIntact = answers.SealIntact, FreshDigging = answers.FreshDigging,
        Spoil = answers.Spoil, Tools = answers.Tools, Power = answers.Power, VehicleTracks = answers.VehicleTracks,
        People = answers.People, Smoke = answers.Smoke, ReportsFinding = reportsFinding, Note = note,
        ReceivedUtc = receivedUtc, ClockSkewSeconds = clockSkewSeconds, PayloadHash = payloadHash,
    };

    /// <summary>Records a judgement; one that says the same as the last changes nothing (no write, no audit record).</summary>
    public void Evaluated(Evidence result, IReadOnlyList<string> flags, DateTime nowUtc)
    {
        var reasons = result.Reasons.Count == 0 ? null : string.Join('\n', result.Reasons);
        var flagged = flags.Count == 0 ? null : string.Join('\n', flags);
        if (EvaluatedUtc is not null && Verified == result.Verified && DistanceMetres == Math.Round(result.DistanceMetres, 1)
            && Reasons == reasons && Flags == flagged) return;
        Verified = result.Verified;
        DistanceMetres = Math.Round(result.DistanceMetres, 1);
        Reasons = result.Reasons.Count == 0 ? null : string.Join('\n', result.Reasons);
        var joined = flags.Count == 0 ? null : string.Join('\n', flags);
        if (joined != Flags)
        {
            Flags = joined;
            FlagsClearedUtc = null;
            FlagsClearedById = null;
            FlagsClearedNote = null;
        }

        EvaluatedUtc = nowUtc;
    }

    public void ClearFlags(string note, Guid? by, DateTime nowUtc)
    {
        Rule.Check(FakedUtc is null, "CheckInFaked", "该签到已认定为伪造，不能再核查通过");
        Rule.Check(Flags is not null, "NoFlagsToClear", "该签到没有可疑标记");
        Rule.Check(FlagsClearedUtc is null, "FlagsAlreadyCleared", "可疑标记已经核查");
        FlagsClearedUtc = nowUtc;
        FlagsClearedById = by;
        FlagsClearedNote = note;
    }

    /// <summary>The reviewer's finding that the member was not there; once made it stands (a second one is refused).</summary>
    public void MarkFaked(string note, Guid? by, DateTime nowUtc)
    {
        Rule.Check(FakedUtc is null, "CheckInAlreadyFaked", "该签到已认定为伪造");
        FakedUtc = nowUtc;
        FakedById = by;
        FakedNote = Platform.Web.StoredValueLimits.Cut(note, FakedNoteMax);
    }

    public void LinkAssignment(Guid assignmentId) => AssignmentId = assignmentId;

    public void MarkBreachRecorded() => BreachRecorded = true;
}

/// <summary>A photo taken at a check-in with the app's camera; the bytes are a <see cref="Platform.Files.StoredFile"/>.</summary>
public sealed class CheckInPhoto : IInJurisdiction, IOwnedByUser
{
    private CheckInPhoto() { }

    public Guid Id { get; private set; }
    public Guid CheckInId { get; private set; }
    public Guid UserId { get; private set; }
    public string DivisionCode { get; private set; } = "";
    public Guid FileId { get; private set; }
    public string Sha256 { get; private set; } = "";

    /// <summary>When the app says it took the photo.</summary>
    public DateTime TakenUtc { get; private set; }

    /// <summary>What the photo's own EXIF says, where it says anything.</summary>
    public DateTime? ExifTakenUtc { get; private set; }

    public double? ExifLat { get; private set; }
    public double? ExifLon { get; private set; }
    public DateTime ReceivedUtc { get; private set; }

    /// <summary>The picture's 64-bit difference hash (<see cref="PhotoHash"/>); null when it does not decode or is flat.</summary>
    public long? PerceptualHash { get; private set; }

    /// <summary>The app's <c>X-Capture-Signature</c> as sent, and whether it checked out with the patrol's key at upload.</summary>
    public string? CaptureSignature { get; private set; }

    public bool AppCaptured { get; private set; }

    public static CheckInPhoto Create(Guid id, Guid checkInId, Guid userId, string divisionCode, Guid fileId, string sha256,
        DateTime takenUtc, DateTime? exifTakenUtc, double? exifLat, double? exifLon, DateTime receivedUtc) => new()
    {
        Id = id, CheckInId = checkInId, UserId = userId, DivisionCode = divisionCode, FileId = fileId, Sha256 = sha256,
        TakenUtc = takenUtc, ExifTakenUtc = exifTakenUtc, ExifLat = exifLat, ExifLon = exifLon, ReceivedUtc = receivedUtc,
    };

    /// <summary>What the server saw in the picture and its capture mark (<see cref="Patrols.CaptureSignature"/>).</summary>
    public CheckInPhoto WithProvenance(long? perceptualHash, string? captureSignature, bool appCaptured)
    {
        PerceptualHash = perceptualHash;
        CaptureSignature = captureSignature?.ToLowerInvariant();
        AppCaptured = appCaptured;
        return this;
    }
}
