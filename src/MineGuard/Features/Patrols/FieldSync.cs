using MineGuard.Platform.Jurisdiction;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Platform.Files;

namespace MineGuard.Features.Patrols;

/// <summary>A patrol; <paramref name="CaptureKey"/> is the app's photo key (hex, 32 bytes), absent from older apps and not hashed.</summary>
public sealed record PatrolInput(Guid? TeamId, Guid? PlanId, DateTime? StartedAt, DateTime? EndedAt, string? CaptureKey = null);

/// <summary>
/// A chunk of track: fixes <c>[lat, lon, accuracy m, Unix ms]</c> and, from the app that has a pause button, the pauses
/// declared since the last chunk as <c>[from ms, to ms]</c> (absent from older apps; a chunk without pauses hashes as before).
/// </summary>
public sealed record TrackInput(int? Seq, double[][]? Points, double[][]? Pauses = null);

/// <summary>One chunk of a batch (<see cref="TrackBatchInput"/>): the chunk's own id (made on the phone) and its content.</summary>
public sealed record TrackChunkInput(Guid? Id, int? Seq, double[][]? Points, double[][]? Pauses = null);

/// <summary>The chunks of one patrol's track the app gathered since its last send, in one request.</summary>
public sealed record TrackBatchInput(TrackChunkInput[]? Chunks);

/// <summary>A checked chunk, ready to store.</summary>
public sealed record TrackPiece(Guid Id, int Seq, IReadOnlyList<TrackPoint> Points, IReadOnlyList<TrackPause>? Pauses);

/// <summary>
/// The eight checks as the phone sent them: format 1 uses <c>sealIntact</c> (true = intact), format 2 <c>sealBroken</c>
/// (true = 有); the other seven mean "seen" in both (see <see cref="CheckList.FromFormat"/>).
/// </summary>
public sealed record CheckListInput(bool? SealIntact, bool? FreshDigging, bool? Spoil, bool? Tools, bool? Power,
    bool? VehicleTracks, bool? People, bool? Smoke, bool? SealBroken = null);

/// <summary>A check-in; <paramref name="AnswerFormat"/> 2 for today's app, absent (1) from a phone that queued it before.</summary>
public sealed record CheckInInput(Guid? PatrolId, Guid? AditId, DateTime? At, double? Lat, double? Lon, double? Accuracy,
    CheckListInput? Answers, bool? Finding, string? Note, int? AnswerFormat = null);

/// <summary>What the server did with a record: stored now, or already had it (a resend).</summary>
public sealed record SyncResult(Guid Id, string Status, bool? Verified = null, IReadOnlyList<string>? Reasons = null);

public enum SyncOutcome
{
    Created,
    Duplicate,
    NotFound,
}

/// <summary>
/// 离线数据同步: receives what the field app queued while offline. Every record carries the phone's id, so a resend (two,
/// three times, out of order) stores it once; the same id with different content is refused (409 SyncConflict), as
/// ODK Central does. Parents may arrive after children: nothing here needs the patrol to exist first.
/// </summary>
public sealed class FieldSync(AppDbContext db, PatrolEvaluator evaluator, Microsoft.Extensions.Options.IOptions<JudgeOptions> judging)
{
    private DateTime Now => db.Clock.GetUtcNow().UtcDateTime;

    public static FieldErrors Check(PatrolInput input)
    {
        var errors = new FieldErrors();
        if (input.TeamId is null) errors.Add(nameof(input.TeamId), "请选择巡查队");
        if (input.StartedAt is null) errors.Add(nameof(input.StartedAt), "缺少巡查开始时间");
        if (input.EndedAt is { } end && input.StartedAt is { } start && end < start) errors.Add(nameof(input.EndedAt), "结束时间早于开始时间");
        if (input.CaptureKey is not null && !CaptureSignature.IsHex64(input.CaptureKey))
            errors.Add(nameof(input.CaptureKey), "照片签名密钥格式不正确（应为 64 位十六进制）");
        return errors;
    }

    public async Task<SyncOutcome> PutPatrolAsync(Guid id, PatrolInput input, double skewSeconds, CancellationToken ct, Guid? deviceId = null)
    {
        var me = db.CurrentUser.Id!.Value;
        var team = await MyTeamAsync(input.TeamId!.Value, ct);
        if (team is null) return SyncOutcome.NotFound;
        var started = input.StartedAt!.Value.ToUniversalTime();
        var hash = SyncHash.Of($"patrol|{team.Id}|{input.PlanId}|{started:O}|{me}");
        var existing = await db.Patrols().Beyond(ScopeExit.Uniqueness).FirstOrDefaultAsync(p => p.Id == id, ct);
        if (existing is not null)
        {
            Rule.Check(existing.PayloadHash == hash, "SyncConflict", "同一编号的巡查记录内容不同，已拒收");
            var keyArrives = existing.CaptureKey is null && input.CaptureKey is not null;
            existing.KeepCaptureKey(input.CaptureKey);
            if (input.EndedAt is { } end && existing.EndedUtc is null)
            {
                existing.End(end.ToUniversalTime());
                await SaveAndJudgeNowAsync(id, ct);
            }
            else
            {
                if (input.EndedAt is { } again) existing.End(again.ToUniversalTime());
                if (keyArrives) await SaveAndJudgeNowAsync(id, ct);
            }

            return SyncOutcome.Duplicate;
        }

        // Children sent before their parent carry its id; a patrol only takes children that its own member sent.
        if (await db.CheckIns().Beyond(ScopeExit.Uniqueness).AnyAsync(c => c.PatrolId == id && c.UserId != me, ct)
            || await db.TrackChunks().Beyond(ScopeExit.Uniqueness).AnyAsync(c => c.PatrolId == id && c.UserId != me, ct))
            return SyncOutcome.NotFound;

        PatrolPlan? plan = null;
        if (input.PlanId is { } planId)
        {
            plan = await db.PatrolPlans().Beyond(ScopeExit.AssignedToCaller).FirstOrDefaultAsync(p => p.Id == planId && p.TeamId == team.Id, ct);
            if (plan is null) return SyncOutcome.NotFound;
        }

        var patrol = Patrol.Start(id, team, me, plan, started, PatrolSource.App, Now, skewSeconds, hash);
        patrol.KeepCaptureKey(input.CaptureKey);
        patrol.FromDevice(deviceId);
        if (input.EndedAt is { } ended) patrol.End(ended.ToUniversalTime());
        db.Patrols().Add(patrol);
        if (!await SaveOnceAsync(() => db.Patrols().Beyond(ScopeExit.Uniqueness).AnyAsync(p => p.Id == id && p.PayloadHash == hash, ct),
                ct, before: () => UnmarkAsync(id, ct), after: () => evaluator.EvaluateAsync([id], ct)))
            return SyncOutcome.Duplicate;
        return SyncOutcome.Created;
    }

    public static FieldErrors Check(TrackInput input)
    {
        var errors = new FieldErrors();
        if (input.Seq is null or < 0) errors.Add(nameof(input.Seq), "缺少轨迹分段序号");
        if (input.Points is null) errors.Add(nameof(input.Points), "缺少轨迹点");
        else if (input.Points.Length > 10_000) errors.Add(nameof(input.Points), "一段轨迹最多 10000 个点");
        else
        {
            for (var i = 0; i < input.Points.Length; i++)
            {
                var p = input.Points[i];
                // NaN passes every "< or >" test, and a time beyond year 9999 does not convert: check both explicitly.
                if (p is not [var lat, var lon, var acc, var t] || !(lat is >= -90 and <= 90) || !(lon is >= -180 and <= 180)
                    || !(acc is >= 0 and < 1e7) || !IsPhoneTime(t))
                {
                    errors.Add(nameof(input.Points), $"第 {i + 1} 个轨迹点不正确（应为 [纬度, 经度, 精度米, 毫秒时间戳]）");
                    break;
                }
            }
        }

        if (input.Pauses is { } pauses)
        {
            if (pauses.Length > 100) errors.Add(nameof(input.Pauses), "一段轨迹最多 100 次暂停");
            else
            {
                for (var i = 0; i < pauses.Length; i++)
                {
                    if (pauses[i] is [var from, var to] && IsPhoneTime(from) && IsPhoneTime(to) && to >= from) continue;
                    errors.Add(nameof(input.Pauses), $"第 {i + 1} 次暂停不正确（应为 [暂停毫秒时间戳, 继续毫秒时间戳]，继续不早于暂停）");
                    break;
                }
            }
        }

        return errors;
    }

    /// <summary>At most this many chunks in one request (the app sends up to 50: 1,000 fixes).</summary>
    public const int MaxBatchChunks = 200;

    /// <summary>A batch is refused whole when one chunk is malformed, naming it (<c>chunks[i].points</c>); the app then sends them one by one.</summary>
    public static FieldErrors Check(TrackBatchInput input)
    {
        var errors = new FieldErrors();
        if (input.Chunks is not { Length: > 0 } chunks)
        {
            errors.Add(nameof(input.Chunks), "缺少轨迹分段");
            return errors;
        }

        if (chunks.Length > MaxBatchChunks)
        {
            errors.Add(nameof(input.Chunks), $"一次最多上传 {MaxBatchChunks} 段轨迹");
            return errors;
        }

        if (chunks.Sum(c => c?.Points?.Length ?? 0) > 10_000) errors.Add(nameof(input.Chunks), "一次最多上传 10000 个轨迹点");
        var seen = new HashSet<Guid>();
        for (var i = 0; i < chunks.Length; i++)
        {
            var c = chunks[i];
            var at = $"{nameof(input.Chunks)}[{i}]";
            if (c is null)
            {
                errors.Add(at, $"第 {i + 1} 段轨迹为空");
                continue;
            }

            if (c.Id is null || c.Id == Guid.Empty) errors.Add($"{at}.Id", $"第 {i + 1} 段轨迹缺少编号");
            else if (!seen.Add(c.Id.Value)) errors.Add($"{at}.Id", $"第 {i + 1} 段轨迹的编号与前面的重复");
            foreach (var (field, messages) in Check(new TrackInput(c.Seq, c.Points, c.Pauses)))
                foreach (var message in messages) errors.Add($"{at}.{System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(field)}", $"第 {i + 1} 段：{message}");
        }

        return errors;
    }

    /// <summary>A checked batch as the chunks to store.</summary>
    public static IReadOnlyList<TrackPiece> Pieces(TrackBatchInput input) =>
        input.Chunks!.Select(c => new TrackPiece(c.Id!.Value, c.Seq!.Value, Points(c.Points!), Pauses(c.Pauses))).ToList();

    public static IReadOnlyList<TrackPause> Pauses(double[][]? raw) =>
        (raw ?? []).Select(p => new TrackPause(DateTimeOffset.FromUnixTimeMilliseconds((long)p[0]).UtcDateTime,
            DateTimeOffset.FromUnixTimeMilliseconds((long)p[1]).UtcDateTime)).ToList();

    /// <summary>
    /// A phone timestamp (Unix milliseconds) the server can take: 2000-01-01 to 2100-01-01 UTC. Anything else is a
    /// broken clock or a forged value, refused as a field error (it used to overflow the conversion: HTTP 500).
    /// </summary>
    public static bool IsPhoneTime(double unixMs) => unixMs is >= MinPhoneTimeMs and < MaxPhoneTimeMs;

    public const long MinPhoneTimeMs = 946_684_800_000;
    public const long MaxPhoneTimeMs = 4_102_444_800_000;

    public static IReadOnlyList<TrackPoint> Points(double[][] raw) =>
        raw.Select(p => new TrackPoint(p[0], p[1], p[2], DateTimeOffset.FromUnixTimeMilliseconds((long)p[3]).UtcDateTime)).ToList();

    public async Task<SyncOutcome> PutTrackAsync(Guid patrolId, Guid chunkId, int seq, IReadOnlyList<TrackPoint> points, CancellationToken ct,
        IReadOnlyList<TrackPause>? pauses = null)
    {
        var (outcome, _) = await PutTracksAsync(patrolId, [new TrackPiece(chunkId, seq, points, pauses)], ct);
        return outcome;
    }

    /// <summary>
    /// Several chunks of one patrol's track in one request (what the app gathered since its last send), each stored once
    /// under its own id, in one save with the patrol's mark for the judge job. A chunk already stored with the same
    /// content is a duplicate; with other content the whole request is refused (409) and nothing of it is stored.
    /// </summary>
    public async Task<(SyncOutcome Outcome, IReadOnlyList<SyncResult> Chunks)> PutTracksAsync(Guid patrolId, IReadOnlyList<TrackPiece> pieces, CancellationToken ct)
    {
        var staged = await StageTracksAsync(patrolId, pieces, ct);
        if (staged.Outcome == SyncOutcome.NotFound || staged.Fresh.Count == 0) return (staged.Outcome, staged.Results);
        var hashes = staged.Fresh.ToDictionary(c => c.Id, c => c.PayloadHash);
        var freshIds = hashes.Keys.ToList();
        AuditTrack([(patrolId, staged.Fresh)]);
        var saved = await SaveOnceAsync(async () =>
        {
            var now = await db.TrackChunks().Beyond(ScopeExit.Uniqueness).AsNoTracking().Where(c => freshIds.Contains(c.Id))
                .Select(c => new { c.Id, c.PayloadHash }).ToListAsync(ct);
            return now.Count == freshIds.Count && now.All(c => hashes[c.Id] == c.PayloadHash);
        }, ct, before: () => MarkAsync(staged.Mark, ct));
        return saved ? (SyncOutcome.Created, staged.Results) : (SyncOutcome.Duplicate, pieces.Select(p => new SyncResult(p.Id, "duplicate")).ToList());
    }

    /// <summary>
    /// Checks one patrol's chunks against what is stored and adds the new ones to the unit of work (not saved):
    /// NotFound when the patrol or a chunk is another member's, a conflict (409) when a stored chunk differs.
    /// </summary>
    private async Task<StagedTrack> StageTracksAsync(Guid patrolId, IReadOnlyList<TrackPiece> pieces, CancellationToken ct)
    {
        var me = db.CurrentUser.Id!.Value;
        var patrol = await PatrolAsync(patrolId, ct);
        if (patrol is not null && patrol.UserId != me) return StagedTrack.NotFound;
        var chunks = pieces.Select(p => TrackChunk.Create(p.Id, patrolId, me, db.CurrentUser.Scope.Code, p.Seq, p.Points, Now, p.Pauses)).ToList();
        var ids = chunks.Select(c => c.Id).ToList();
        var existing = await db.TrackChunks().Beyond(ScopeExit.Uniqueness).AsNoTracking().Where(c => ids.Contains(c.Id))
            .Select(c => new { c.Id, c.PayloadHash, c.UserId }).ToDictionaryAsync(c => c.Id, ct);
        foreach (var chunk in chunks)
        {
            if (!existing.TryGetValue(chunk.Id, out var stored)) continue;
            if (stored.UserId != me) return StagedTrack.NotFound;
            Rule.Check(stored.PayloadHash == chunk.PayloadHash, "SyncConflict", "同一编号的轨迹分段内容不同，已拒收");
        }

        var fresh = chunks.Where(c => !existing.ContainsKey(c.Id)).ToList();
        db.TrackChunks().AddRange(fresh);
        var results = chunks.Select(c => new SyncResult(c.Id, existing.ContainsKey(c.Id) ? "duplicate" : "created")).ToList();
        return new StagedTrack(fresh.Count == 0 ? SyncOutcome.Duplicate : SyncOutcome.Created, results, fresh,
            patrol is null ? null : new Mark(patrolId, patrol.DivisionCode));
    }

    private sealed record StagedTrack(SyncOutcome Outcome, IReadOnlyList<SyncResult> Results, IReadOnlyList<TrackChunk> Fresh, Mark? Mark)
    {
        public static readonly StagedTrack NotFound = new(SyncOutcome.NotFound, [], [], null);
    }

    /// <summary>A patrol whose records a request stores, marked for the judge job in the request's transaction.</summary>
    private readonly record struct Mark(Guid PatrolId, string DivisionCode);

    public static FieldErrors Check(CheckInInput input)
    {
        var errors = new FieldErrors();
        if (input.PatrolId is null) errors.Add(nameof(input.PatrolId), "缺少所属巡查");
        if (input.AditId is null) errors.Add(nameof(input.AditId), "请选择矿硐");
        if (input.At is null) errors.Add(nameof(input.At), "缺少签到时间");
        if (input.Lat is not (>= -90 and <= 90)) errors.Add(nameof(input.Lat), "纬度不正确");
        if (input.Lon is not (>= -180 and <= 180)) errors.Add(nameof(input.Lon), "经度不正确");
        if (input.Accuracy is not (>= 0 and < 1e7)) errors.Add(nameof(input.Accuracy), "缺少定位精度");
        if (input.Note is { Length: > 1000 }) errors.Add(nameof(input.Note), "情况说明最多 1000 字");
        if (input.AnswerFormat is not (null or 1 or CheckList.CurrentFormat))
            errors.Add(nameof(input.AnswerFormat), "未知的八查答案格式，请更新巡查APP后重新提交");
        else if (input.Answers is { } a && a.SealIntact is not null && a.SealBroken is not null)
            errors.Add(nameof(input.Answers), "“封堵是否完好”（旧格式）和“封堵被破坏”（新格式）不能同时填写");
        else if (input.Answers is { SealBroken: not null } && input.AnswerFormat == 1)
            errors.Add(nameof(input.Answers), "旧格式（1）的签到不应含 sealBroken");
        else if (input.Answers is { SealIntact: not null } && input.AnswerFormat == CheckList.CurrentFormat)
            errors.Add(nameof(input.Answers), "新格式（2）的签到用 sealBroken（有 = 封堵被破坏），不用 sealIntact");
        return errors;
    }

    public async Task<(SyncOutcome Outcome, CheckIn? CheckIn)> PutCheckInAsync(Guid id, CheckInInput input, double skewSeconds, CancellationToken ct)
    {
        var (outcome, checkIn) = await StageCheckInAsync(id, input, skewSeconds, ct);
        if (outcome != SyncOutcome.Created) return (outcome, checkIn);
        var hash = checkIn!.PayloadHash;
        if (!await SaveOnceAsync(() => db.CheckIns().Beyond(ScopeExit.Uniqueness).AnyAsync(c => c.Id == id && c.PayloadHash == hash, ct),
                ct, before: () => MarkAsync(new Mark(checkIn.PatrolId, checkIn.DivisionCode), ct)))
            return (SyncOutcome.Duplicate, await db.CheckIns().Beyond(ScopeExit.Uniqueness).FirstAsync(c => c.Id == id, ct));
        return (SyncOutcome.Created, checkIn);
    }

    /// <summary>
    /// Checks a check-in against its adit, its patrol and what is stored under its id, and adds a new one to the unit of
    /// work (not saved): Created with the new check-in, Duplicate with the stored one, NotFound, or a conflict (409).
    /// </summary>
    private async Task<(SyncOutcome Outcome, CheckIn? CheckIn)> StageCheckInAsync(Guid id, CheckInInput input, double skewSeconds, CancellationToken ct)
    {
        var me = db.CurrentUser.Id!.Value;
        var adit = await AllowedAditAsync(input.AditId!.Value, ct);
        if (adit is null) return (SyncOutcome.NotFound, null);
        // The parent may arrive later, but when it is here it must be the member's own patrol: a check-in cannot be
        // hung on someone else's patrol (of another county or not). A patrol that arrives later checks the reverse.
        if (!await ParentIsMineAsync(input.PatrolId!.Value, me, ct)) return (SyncOutcome.NotFound, null);
        var a = input.Answers ?? new CheckListInput(null, null, null, null, null, null, null, null);
        // A phone may still hold a check-in queued before format 2: no format field and the old keys. A stale app shell
        // with a new bundle sends the new key without the field; the key says which.
        var format = input.AnswerFormat ?? (a.SealBroken is not null ? CheckList.CurrentFormat : 1);
        var answers = CheckList.FromFormat(format, a.SealIntact, a.SealBroken, a.FreshDigging, a.Spoil, a.Tools, a.Power, a.VehicleTracks, a.People, a.Smoke);
        var at = input.At!.Value.ToUniversalTime();
        var note = string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim();
        var hash = SyncHash.Of(string.Join('|', "checkin", input.PatrolId, adit.Id, me, at.ToString("O"),
            input.Lat!.Value.ToString("R"), input.Lon!.Value.ToString("R"), input.Accuracy!.Value.ToString("R"),
            string.Join(',', answers.Values.Select(v => v?.ToString() ?? "-")), input.Finding == true, note));
        var existing = await StoredCheckInAsync(id, ct);
        if (existing is not null)
        {
            if (existing.UserId != me) return (SyncOutcome.NotFound, null);
            Rule.Check(existing.PayloadHash == hash, "SyncConflict", "同一编号的签到内容不同，已拒收");
            return (SyncOutcome.Duplicate, existing);
        }

        var checkIn = CheckIn.Create(id, input.PatrolId!.Value, adit.Id, me, adit.DivisionCode, at, input.Lat.Value, input.Lon.Value,
            input.Accuracy.Value, answers, input.Finding == true, note, Now, skewSeconds, hash);
        db.CheckIns().Add(checkIn);
        return (SyncOutcome.Created, checkIn);
    }

    public const long MaxPhotoBytes = 15 * 1024 * 1024;

    /// <summary>
    /// A photo's fields as the app sends them, one way for <c>PUT photos/{id}</c> (query, header, body) and for a batch's
    /// <c>photos[i]</c> (its part's bytes): bare field names (CheckInId, TakenAt, CaptureSignature, Photo), which the
    /// batch puts under the photo's place. <paramref name="declaredLength"/> is the body's Content-Length when it was too
    /// long to read; <paramref name="type"/> the image type when the bytes are a JPEG or PNG.
    /// </summary>
    public static FieldErrors CheckPhoto(Guid? checkInId, long? takenAt, string? captureSignature, byte[] bytes, out string? type,
        long? declaredLength = null)
    {
        var errors = new FieldErrors();
        type = null;
        if (checkInId is null || checkInId == Guid.Empty) errors.Add("CheckInId", "缺少照片所属的签到");
        if (takenAt is null or <= 0) errors.Add("TakenAt", "缺少拍摄时间");
        else if (!IsPhoneTime(takenAt.Value)) errors.Add("TakenAt", "拍摄时间不正确（应为 2000 至 2100 年间的 Unix 毫秒时间戳）");
        if (captureSignature is not null && !CaptureSignature.IsHex64(captureSignature))
            errors.Add("CaptureSignature", $"照片签名（{CaptureSignature.Header}）格式不正确（应为 64 位十六进制）");
        if (Math.Max(declaredLength ?? 0, bytes.Length) > MaxPhotoBytes) errors.Add("Photo", "照片不能超过 15 MB");
        else if (bytes.Length == 0) errors.Add("Photo", "没有随附照片内容");
        else if ((type = AditPhotoUploads.ImageType(bytes)) is null) errors.Add("Photo", "照片不是 JPEG 或 PNG 格式（只能上传 JPEG 或 PNG 照片）");
        return errors;
    }

    public async Task<SyncOutcome> PutPhotoAsync(Guid id, Guid checkInId, DateTime takenUtc, byte[] bytes, string contentType, CancellationToken ct,
        string? captureSignature = null)
    {
        var (outcome, photo, mark) = await StagePhotoAsync(new PhotoUpload(id, checkInId, takenUtc, bytes, contentType, captureSignature), null, ct);
        if (outcome != SyncOutcome.Created) return outcome;
        var sha = photo!.Sha256;
        if (!await SaveOnceAsync(() => db.CheckInPhotos().Beyond(ScopeExit.Uniqueness).AnyAsync(p => p.Id == id && p.Sha256 == sha, ct),
                ct, before: () => MarkAsync(mark, ct)))
            return SyncOutcome.Duplicate;
        return SyncOutcome.Created;
    }

    /// <summary>
    /// Checks a photo against what is stored under its id and its check-in (stored, or <paramref name="sentWith"/> it in
    /// the same request) and adds a new one and its file to the unit of work (not saved).
    /// </summary>
    private async Task<(SyncOutcome Outcome, CheckInPhoto? Photo, Mark? Mark)> StagePhotoAsync(PhotoUpload upload, CheckIn? sentWith, CancellationToken ct)
    {
        var me = db.CurrentUser.Id!.Value;
        var (id, checkInId, takenUtc, bytes, contentType, captureSignature) = upload;
        var sha = upload.Sha256;
        var existing = photos.TryGetValue(id, out var known) ? known
            : await db.CheckInPhotos().Beyond(ScopeExit.Uniqueness).AsNoTracking().Where(p => p.Id == id)
                .Select(p => new PhotoHead(p.Id, p.UserId, p.Sha256, p.CheckInId)).FirstOrDefaultAsync(ct);
        if (existing is not null)
        {
            if (existing.UserId != me) return (SyncOutcome.NotFound, null, null);
            Rule.Check(existing.Sha256 == sha && existing.CheckInId == checkInId, "SyncConflict", "同一编号的照片内容不同，已拒收");
            return (SyncOutcome.Duplicate, null, null);
        }

        var checkIn = sentWith ?? await StoredCheckInAsync(checkInId, ct);
        if (checkIn is not null && checkIn.UserId != me) return (SyncOutcome.NotFound, null, null);
        var (exifTaken, exifLon, exifLat) = AditPhotoUploads.Exif(bytes);
        // The photo's hash is known: a single PUT looks its file up by it (not StoreAsync, which hashes the bytes again
        // and scans the context's files), a batch in what its prefetch read.
        var fileId = db.Store(bytes, sha, contentType, $"checkin-{id}.jpg", files ?? await db.StoredFilesAsync([sha], ct));
        // The patrol's key may not be here yet (the app sends in order, a phone restored from a backup may not): the
        // signature is kept and checked again whenever the check-in is judged.
        var key = checkIn is null ? null : (await PatrolAsync(checkIn.PatrolId, ct))?.CaptureKey;
        var captured = CaptureSignature.Valid(key, id, sha, new DateTimeOffset(takenUtc).ToUnixTimeMilliseconds(), captureSignature);
        var photo = CheckInPhoto.Create(id, checkInId, me, checkIn?.DivisionCode ?? db.CurrentUser.Scope.Code, fileId, sha,
            takenUtc, exifTaken, exifLat, exifLon, Now).WithProvenance(PhotoHash.Of(bytes), captureSignature, captured);
        db.CheckInPhotos().Add(photo);
        return (SyncOutcome.Created, photo, checkIn is null ? null : new Mark(checkIn.PatrolId, checkIn.DivisionCode));
    }

    /// <summary>
    /// What the app's queue held, in one request (<see cref="FieldBatch"/>): the check-ins first (a photo of the batch
    /// may belong to one), then the track, then the photos, all in one transaction with one mark per patrol. All or
    /// nothing: a record that is another member's answers NotFound and one stored before with other content a conflict
    /// (409), and then nothing of the batch is stored (the app sends its records one by one to learn which). A record
    /// raced in by another request meanwhile makes the batch look again once, the raced records now duplicates.
    /// </summary>
    public async Task<(SyncOutcome Outcome, IReadOnlyList<SyncResult> Records)> PutBatchAsync(FieldBatch batch, double skewSeconds, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            await PrefetchAsync(batch, ct);
            var results = new List<SyncResult>();
            var marks = new Dictionary<Guid, Mark>(); // one per patrol (a check-in's carries its adit's division, a chunk's its patrol's)
            var stored = 0;
            void Count(SyncOutcome outcome, Mark? mark)
            {
                if (outcome != SyncOutcome.Created) return;
                stored++;
                if (mark is { } m) marks.TryAdd(m.PatrolId, m);
            }

            var sentWith = new Dictionary<Guid, CheckIn>();
            foreach (var (id, input) in batch.CheckIns)
            {
                var (outcome, checkIn) = await StageCheckInAsync(id, input, skewSeconds, ct);
                if (checkIn is null) return (SyncOutcome.NotFound, []);
                sentWith[id] = checkIn;
                results.Add(CheckInResult(id, outcome, checkIn));
                Count(outcome, new Mark(checkIn.PatrolId, checkIn.DivisionCode));
            }

            var tracks = new List<(Guid, IReadOnlyList<TrackChunk>)>();
            foreach (var (patrolId, pieces) in batch.Tracks)
            {
                var staged = await StageTracksAsync(patrolId, pieces, ct);
                if (staged.Outcome == SyncOutcome.NotFound) return (SyncOutcome.NotFound, []);
                results.AddRange(staged.Results);
                Count(staged.Outcome, staged.Mark);
                tracks.Add((patrolId, staged.Fresh));
            }

            foreach (var upload in batch.Photos)
            {
                var (outcome, _, mark) = await StagePhotoAsync(upload, sentWith.GetValueOrDefault(upload.CheckInId), ct);
                if (outcome == SyncOutcome.NotFound) return (SyncOutcome.NotFound, []);
                results.Add(new SyncResult(upload.Id, outcome == SyncOutcome.Created ? "created" : "duplicate"));
                Count(outcome, mark);
            }

            if (stored == 0) return (SyncOutcome.Duplicate, results);
            AuditTrack(tracks);
            if (await SyncSave.TrySaveAsync(db, ct, before: async () =>
                {
                    foreach (var mark in marks.Values.OrderBy(m => m.PatrolId)) await MarkAsync(mark, ct);
                }))
                return (SyncOutcome.Created, results);
            Rule.Check(attempt == 0, "SyncConflict", "同一批记录正被另一请求同时上传，请稍后重新发送");
        }
    }

    /// <summary>
    /// Track chunks are their own record (<see cref="TrackChunk"/>: who sent them and when, bulk-inserted, not copied
    /// row by row into the audit trail); what a request stored of a patrol's track is ONE audit event: how many chunks
    /// and fixes, and a digest of their ids and content hashes (SHA-256 over "id:payloadHash" lines in sequence order),
    /// so the trail still fixes what arrived. Queued for the request's save, written with its other records in one append
    /// to the chain (a save lost to a race drops it with the rest of its unit of work, <see cref="AppDbContext.DiscardUnitOfWork"/>).
    /// </summary>
    private void AuditTrack(IReadOnlyList<(Guid PatrolId, IReadOnlyList<TrackChunk> Fresh)> tracks)
    {
        foreach (var (patrolId, fresh) in tracks)
        {
            if (fresh.Count == 0) continue;
            var ordered = fresh.OrderBy(c => c.Seq).ThenBy(c => c.Id).ToList();
            var digest = SyncHash.Of(string.Join('\n', ordered.Select(c => $"{c.Id}:{c.PayloadHash}")));
            db.AuditEvent("create", nameof(TrackChunk), patrolId.ToString(),
                $"{fresh.Count} 段轨迹，{fresh.Sum(c => c.Count)} 个定位点（序号 {ordered[0].Seq}–{ordered[^1].Seq}），摘要 {digest}",
                fresh[0].DivisionCode);
        }
    }

    /// <summary>A check-in's answer: a new one has no verdict yet (judged seconds after the phone's burst), a resent one its last.</summary>
    public static SyncResult CheckInResult(Guid id, SyncOutcome outcome, CheckIn checkIn)
    {
        var judged = checkIn.EvaluatedUtc is not null;
        return new SyncResult(id, outcome == SyncOutcome.Created ? "created" : "duplicate", judged ? checkIn.Verified : null,
            judged ? FieldApi.Lines(checkIn.Reasons) : null);
    }

    private Task<bool> SaveOnceAsync(Func<Task<bool>> storedIsSame, CancellationToken ct, Func<Task>? before = null, Func<Task>? after = null) =>
        SyncSave.OnceAsync(db, storedIsSame, ct, before, after);

    /// <summary>
    /// A patrol's own request (its start, its end, its key) judges all of its check-ins at once, in its transaction: the
    /// end of a patrol is when the member looks at the verdicts. The patrol's mark goes first (what was marked is judged
    /// here; a judge job holding the mark makes this wait until it is done, before this request takes any other lock).
    /// </summary>
    private Task UnmarkAsync(Guid patrolId, CancellationToken ct) =>
        db.Set<PatrolJudgement>().Beyond(ScopeExit.SystemJudgement).Where(j => j.PatrolId == patrolId).ExecuteDeleteAsync(ct);

    private Task SaveAndJudgeNowAsync(Guid patrolId, CancellationToken ct) =>
        SyncSave.InOneTransactionAsync(db, async () =>
        {
            await UnmarkAsync(patrolId, ct);
            await db.SaveChangesAsync(ct);
            await evaluator.EvaluateAsync([patrolId], ct);
        }, ct);

    /// <summary>
    /// What a check-in, photo or track request stored is judged once the phone's burst is over (<see cref="PatrolJudgeJob"/>):
    /// the mark is written in the request's transaction.
    /// </summary>
    private Task MarkAsync(Mark? mark, CancellationToken ct) =>
        mark is { } m ? PatrolJudgeJob.MarkAsync(db, judging.Value, m.PatrolId, m.DivisionCode, ct) : Task.CompletedTask;

    private async Task<bool> ParentIsMineAsync(Guid patrolId, Guid me, CancellationToken ct) =>
        await PatrolAsync(patrolId, ct) is not { } patrol || patrol.UserId == me;

    /// <summary>What a check-in, photo or track request needs of its patrol (null: not here yet), read once per request.</summary>
    private async Task<PatrolHead?> PatrolAsync(Guid patrolId, CancellationToken ct)
    {
        if (patrols.TryGetValue(patrolId, out var known)) return known;
        var head = await db.Patrols().Beyond(ScopeExit.Uniqueness).AsNoTracking().Where(p => p.Id == patrolId)
            .Select(p => new PatrolHead(p.UserId, p.DivisionCode, p.CaptureKey)).FirstOrDefaultAsync(ct);
        patrols[patrolId] = head;
        return head;
    }

    /// <summary>A stored check-in (null: not here yet), from the batch's <see cref="PrefetchAsync"/> or read alone.</summary>
    private async Task<CheckIn?> StoredCheckInAsync(Guid id, CancellationToken ct) =>
        checkIns.TryGetValue(id, out var known) ? known
            : await db.CheckIns().Beyond(ScopeExit.Uniqueness).AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);

    /// <summary>
    /// What a batch's records are checked against, read before it stages them in one query per table for all its
    /// records: the stored check-ins (sent in the batch or owning its photos), photos, patrols and files. Record by record,
    /// a check-in with two photos took eight reads (a round trip each on PostgreSQL). Read again when the batch is staged
    /// again after a race.
    /// </summary>
    private async Task PrefetchAsync(FieldBatch batch, CancellationToken ct)
    {
        patrols.Clear();
        checkIns.Clear();
        photos.Clear();
        var checkInIds = batch.CheckIns.Select(c => c.Id).Concat(batch.Photos.Select(p => p.CheckInId)).Distinct().ToList();
        var stored = await db.CheckIns().Beyond(ScopeExit.Uniqueness).AsNoTracking().Where(c => checkInIds.Contains(c.Id)).ToListAsync(ct);
        foreach (var id in checkInIds) checkIns[id] = stored.Find(c => c.Id == id);
        var photoIds = batch.Photos.Select(p => p.Id).ToList();
        var storedPhotos = photoIds.Count == 0 ? [] : await db.CheckInPhotos().Beyond(ScopeExit.Uniqueness).AsNoTracking()
            .Where(p => photoIds.Contains(p.Id)).Select(p => new PhotoHead(p.Id, p.UserId, p.Sha256, p.CheckInId)).ToListAsync(ct);
        foreach (var id in photoIds) photos[id] = storedPhotos.Find(p => p.Id == id);
        var patrolIds = batch.CheckIns.Select(c => c.Input.PatrolId!.Value).Concat(batch.Tracks.Select(t => t.PatrolId))
            .Concat(stored.Select(c => c.PatrolId)).Distinct().ToList();
        var heads = await db.Patrols().Beyond(ScopeExit.Uniqueness).AsNoTracking().Where(p => patrolIds.Contains(p.Id))
            .Select(p => new { p.Id, Head = new PatrolHead(p.UserId, p.DivisionCode, p.CaptureKey) }).ToDictionaryAsync(p => p.Id, p => p.Head, ct);
        foreach (var id in patrolIds) patrols[id] = heads.GetValueOrDefault(id);
        files = await db.StoredFilesAsync(batch.Photos.Select(p => p.Sha256).Distinct().ToList(), ct);
    }

    private readonly Dictionary<Guid, PatrolHead?> patrols = [];
    private readonly Dictionary<Guid, CheckIn?> checkIns = [];
    private readonly Dictionary<Guid, PhotoHead?> photos = [];

    /// <summary>Stored files by content hash, and those the batch adds (null: a single PUT, which reads its one file).</summary>
    private Dictionary<string, Guid>? files;

    private sealed record PatrolHead(Guid UserId, string DivisionCode, string? CaptureKey);

    private sealed record PhotoHead(Guid Id, Guid UserId, string Sha256, Guid CheckInId);

    /// <summary>A team the current user is a member of.</summary>
    public async Task<PatrolTeam?> MyTeamAsync(Guid teamId, CancellationToken ct)
    {
        var me = db.CurrentUser.Id!.Value;
        return await db.PatrolTeams().Beyond(ScopeExit.AssignedToCaller).Include(t => t.Areas).Include(t => t.Members).AsSplitQuery()
            .FirstOrDefaultAsync(t => t.Id == teamId && t.Members.Any(m => m.UserId == me), ct);
    }

    /// <summary>An adit the user may check: in their scope, or on a current plan of one of their teams (a cross patrol).</summary>
    public async Task<Adit?> AllowedAditAsync(Guid aditId, CancellationToken ct)
    {
        if (await db.Adits().FirstOrDefaultAsync(a => a.Id == aditId, ct) is { } inScope) return inScope;
        var me = db.CurrentUser.Id!.Value;
        var onMyPlan = await db.PatrolPlans().Beyond(ScopeExit.AssignedToCaller)
            .Where(p => p.Items.Any(i => i.AditId == aditId))
            .Join(db.Set<PatrolTeamMember>(), p => p.TeamId, m => m.TeamId, (p, m) => m.UserId)
            .AnyAsync(u => u == me, ct);
        return onMyPlan ? await db.Adits().Beyond(ScopeExit.AssignedToCaller).FirstOrDefaultAsync(a => a.Id == aditId, ct) : null;
    }
}
