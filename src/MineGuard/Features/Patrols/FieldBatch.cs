using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using MineGuard.Features.Adits;
using MineGuard.Platform.Files;

namespace MineGuard.Features.Patrols;

/// <summary>
/// The <c>batch</c> part of <c>POST /api/field/sync</c>: records of the app's queue, each under its own (phone-made) id.
/// A photo's bytes are the file part named by the photo's id.
/// </summary>
public sealed record FieldBatchInput(FieldBatchCheckIn[]? CheckIns, FieldBatchTrack[]? Tracks, FieldBatchPhoto[]? Photos);

/// <summary>A check-in of a batch: its id and what <c>PUT check-ins/{id}</c> takes.</summary>
public sealed record FieldBatchCheckIn(Guid? Id, CheckInInput? Record);

/// <summary>One patrol's track chunks of a batch, as <c>POST patrols/{id}/track</c> takes them.</summary>
public sealed record FieldBatchTrack(Guid? PatrolId, TrackChunkInput[]? Chunks);

/// <summary>A photo of a batch (its bytes are the file part named by its id), as <c>PUT photos/{id}</c>'s query and header.</summary>
public sealed record FieldBatchPhoto(Guid? Id, Guid? CheckInId, long? TakenAt, string? CaptureSignature);

/// <summary>A photo as received: its id, check-in, time taken, bytes, type and the app's capture signature.</summary>
public sealed record PhotoUpload(Guid Id, Guid CheckInId, DateTime TakenUtc, byte[] Bytes, string ContentType, string? CaptureSignature)
{
    /// <summary>The photo's content hash: what a resend is recognised by and the file is stored under.</summary>
    public string Sha256 { get; } = FileStore.Sha256(Bytes);
}

/// <summary>What the server did with each record of a batch (created or duplicate; a check-in resent with its last verdict).</summary>
public sealed record FieldBatchResult(IReadOnlyList<SyncResult> Records);

/// <summary>
/// A checked batch of the field app's queue (<c>POST /api/field/sync</c>, multipart/form-data): a check-in with its photos
/// and the track walked before it go in one request, one transaction and one audit record, instead of four or more.
/// </summary>
/// <remarks>
/// The body is read once as it arrives (<see cref="MultipartReader"/>): the <c>batch</c> part (JSON,
/// <see cref="FieldBatchInput"/>) first, then each photo's bytes. Limits: <see cref="MaxCheckIns"/> check-ins,
/// <see cref="MaxPhotos"/> photos of at most <see cref="FieldSync.MaxPhotoBytes"/> each, the track batch's
/// <see cref="FieldSync.MaxBatchChunks"/> chunks and 10,000 fixes, <see cref="MaxBytes"/> in all. A batch is refused
/// whole when one record is malformed, naming it (<c>checkIns[0].record.lat</c>, <c>photos[1].takenAt</c>).
/// </remarks>
public sealed record FieldBatch(IReadOnlyList<(Guid Id, CheckInInput Input)> CheckIns,
    IReadOnlyList<(Guid PatrolId, IReadOnlyList<TrackPiece> Pieces)> Tracks, IReadOnlyList<PhotoUpload> Photos)
{
    public const int MaxCheckIns = 50;
    public const int MaxPhotos = 20;
    public const long MaxBytes = 48L * 1024 * 1024;
    public const string BatchPart = "batch";
    private const int MaxParts = MaxPhotos + 1;
    private const int MaxBatchBytes = 4 * 1024 * 1024;

    public static async Task<(FieldBatch? Batch, FieldErrors Errors)> ReadAsync(HttpRequest request, JsonSerializerOptions json, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (Multipart.Boundary(request.ContentType) is not { } boundary)
        {
            errors.Add(BatchPart, "请以 multipart/form-data 上传：先是 batch（JSON），再是各张照片（以照片编号为名）");
            return (null, errors);
        }

        FieldBatchInput? input = null;
        var files = new Dictionary<Guid, byte[]>();
        var reader = new MultipartReader(boundary, request.Body);
        var parts = 0;
        while (await reader.ReadNextSectionAsync(ct) is { } section)
        {
            if (++parts > MaxParts)
            {
                errors.Add("photos", $"一次最多上传 {MaxPhotos} 张照片");
                break;
            }

            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) continue;
            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
            if (name == BatchPart && input is null)
            {
                var text = await UploadBytes.ReadAsync(section.Body, null, ct);
                if (text.Length > MaxBatchBytes)
                {
                    errors.Add(BatchPart, "batch 部分过长");
                    break;
                }

                try
                {
                    input = JsonSerializer.Deserialize<FieldBatchInput>(text, json);
                }
                catch (JsonException e)
                {
                    errors.Add(BatchPart, $"batch 不是有效的 JSON（{e.Path}）");
                    break;
                }
            }
            else if (Guid.TryParse(name, out var photoId) && !files.ContainsKey(photoId))
            {
                files[photoId] = await UploadBytes.ReadAsync(section.Body, null, ct);
            }
            else
            {
                errors.Add("photos", $"无法识别的上传部分“{Cut(name)}”（照片应以其编号为名）");
                break;
            }
        }

        if (!errors.Ok) return (null, errors);
        if (input is null)
        {
            errors.Add(BatchPart, "缺少 batch 部分（JSON）");
            return (null, errors);
        }

        var batch = Check(input, files, errors);
        return (errors.Ok ? batch : null, errors);
    }

    private static FieldBatch Check(FieldBatchInput input, Dictionary<Guid, byte[]> files, FieldErrors errors)
    {
        var checkIns = input.CheckIns ?? [];
        var tracks = input.Tracks ?? [];
        var photos = input.Photos ?? [];
        if (checkIns.Length + tracks.Length + photos.Length == 0) errors.Add(BatchPart, "没有要上传的记录");
        if (checkIns.Length > MaxCheckIns) errors.Add("checkIns", $"一次最多上传 {MaxCheckIns} 次签到");
        if (photos.Length > MaxPhotos) errors.Add("photos", $"一次最多上传 {MaxPhotos} 张照片");
        if (tracks.Sum(t => t?.Chunks?.Length ?? 0) > FieldSync.MaxBatchChunks) errors.Add("tracks", $"一次最多上传 {FieldSync.MaxBatchChunks} 段轨迹");
        if (tracks.Sum(t => t?.Chunks?.Sum(c => c?.Points?.Length ?? 0) ?? 0) > 10_000) errors.Add("tracks", "一次最多上传 10000 个轨迹点");
        if (!errors.Ok) return Empty;

        var ids = new HashSet<Guid>();
        var okCheckIns = new List<(Guid, CheckInInput)>();
        for (var i = 0; i < checkIns.Length; i++)
        {
            var at = $"checkIns[{i}]";
            if (checkIns[i] is not { Id: { } id } c || id == Guid.Empty) errors.Add($"{at}.id", $"第 {i + 1} 次签到缺少编号");
            else if (!ids.Add(id)) errors.Add($"{at}.id", $"第 {i + 1} 次签到的编号与前面的重复");
            else if (c.Record is null) errors.Add($"{at}.record", $"第 {i + 1} 次签到缺少内容");
            else if (Prefixed(FieldSync.Check(c.Record), $"{at}.record", $"第 {i + 1} 次签到", errors)) okCheckIns.Add((id, c.Record));
        }

        var okTracks = new List<(Guid, IReadOnlyList<TrackPiece>)>();
        for (var i = 0; i < tracks.Length; i++)
        {
            var at = $"tracks[{i}]";
            if (tracks[i] is not { PatrolId: { } patrolId } t || patrolId == Guid.Empty) errors.Add($"{at}.patrolId", $"第 {i + 1} 组轨迹缺少所属巡查");
            else
            {
                var chunks = new TrackBatchInput(t.Chunks);
                if (!Prefixed(FieldSync.Check(chunks), at, $"第 {i + 1} 组轨迹", errors)) continue;
                if (t.Chunks!.FirstOrDefault(c => !ids.Add(c.Id!.Value)) is { } repeated)
                    errors.Add($"{at}.chunks", $"第 {i + 1} 组轨迹的分段 {repeated.Id} 在本批中重复");
                else okTracks.Add((patrolId, FieldSync.Pieces(chunks)));
            }
        }

        var okPhotos = new List<PhotoUpload>();
        for (var i = 0; i < photos.Length; i++)
        {
            var at = $"photos[{i}]";
            var label = $"第 {i + 1} 张照片";
            if (photos[i] is not { Id: { } id } p || id == Guid.Empty)
            {
                errors.Add($"{at}.id", $"{label}缺少编号");
                continue;
            }

            if (!ids.Add(id)) errors.Add($"{at}.id", $"{label}的编号与前面的重复");
            // The bytes are the part named by the photo's id: their problems are the id's.
            var bytes = files.Remove(id, out var part) ? part : [];
            var found = FieldSync.CheckPhoto(p.CheckInId, p.TakenAt, p.CaptureSignature, bytes, out var type);
            if (found.Remove("Photo", out var photoProblems)) foreach (var message in photoProblems) found.Add("Id", message);
            if (Prefixed(found, at, label, errors) && errors.Ok)
                okPhotos.Add(new PhotoUpload(id, p.CheckInId!.Value, DateTimeOffset.FromUnixTimeMilliseconds(p.TakenAt!.Value).UtcDateTime,
                    bytes, type!, p.CaptureSignature));
        }

        if (files.Count > 0) errors.Add("photos", $"照片 {files.Keys.First()} 的内容没有对应的说明（photos 中缺少该编号）");
        return errors.Ok ? new FieldBatch(okCheckIns, okTracks, okPhotos) : Empty;
    }

    private static readonly FieldBatch Empty = new([], [], []);

    /// <summary>Copies one record's field errors under its place in the batch; true when there were none.</summary>
    private static bool Prefixed(FieldErrors found, string at, string label, FieldErrors errors)
    {
        foreach (var (field, messages) in found)
        {
            foreach (var message in messages)
                errors.Add($"{at}.{JsonNamingPolicy.CamelCase.ConvertName(field)}", message.StartsWith('第') ? $"{label}{message}" : $"{label}：{message}");
        }

        return found.Ok;
    }

    private static string Cut(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
