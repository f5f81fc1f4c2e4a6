using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Platform.Files;
using MineGuard.Platform.Geo;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Time;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Tips;

/// <summary>What the public form posts (field names are the form's).</summary>
public sealed class ReportInput
{
    public string? DivisionCode { get; set; }
    public List<string> Kinds { get; set; } = [];
    public string? Description { get; set; }
    public string? Place { get; set; }
    public string? Lon { get; set; }
    public string? Lat { get; set; }

    /// <summary>
    /// The coordinate system of <see cref="Lon"/>/<see cref="Lat"/>: blank or WGS84 (a phone's position), GCJ-02 when
    /// the pin was put on GCJ-02 tiles or the position comes from a Chinese map app (高德, 腾讯). Stored as WGS84.
    /// </summary>
    public string? Crs { get; set; }

    public string? SeenWhen { get; set; }
    public string? Name { get; set; }
    public string? Phone { get; set; }
    public string? Pow { get; set; }
    public string? Nonce { get; set; }

    /// <summary>The tipster lets the verifier see the time and position their photos recorded (never kept otherwise).</summary>
    public bool SharePhotoPlace { get; set; }

    /// <summary>This submission's id, made when the form was shown: a resend (a double tap, a retry) is stored once.</summary>
    public Guid? ClientId { get; set; }
}

/// <summary>
/// One file of a tip, read and made safe as it arrived (<see cref="TipSubmission.ReceiveFileAsync"/>): the bytes to keep
/// (re-encoded photo, stripped video) with the photo's own time and position (kept only with the tipster's leave), or
/// the message that refuses it.
/// </summary>
public sealed record TipUpload(string? Type, byte[]? Kept, DateTime? Taken, double? Lon, double? Lat, string? Refusal)
{
    public static TipUpload Refused(string message) => new(null, null, null, null, null, message);
}

/// <summary>What a tipster sees with their receipt code: never who they are, never the office's internal notes.</summary>
public sealed record TipsterView(
    string Status, string ReceivedOn, string Place, string? Outcome, bool AwaitingAnswer,
    IReadOnlyList<TipsterMessage> Messages, TipsterReward? Reward, string RewardRule);

public sealed record TipsterMessage(bool FromOffice, string Text, string At);

/// <summary>The reward as the tipster sees it: <paramref name="Status"/> is a short state in their terms, <paramref name="Next"/> what happens next.</summary>
public sealed record TipsterReward(Guid Id, string Tier, int Amount, string Status, string Next, bool Claimed, bool CanClaim, string? PaidOn);

public sealed record CountyChoice(string Code, string Name, IReadOnlyList<(string Code, string Name)> Townships, RewardRule Rule);

/// <summary>
/// The public side of tips: the counties and townships to choose from, receiving a tip with its photos, and what a
/// receipt code opens (status, questions and answers, the reward claim). Runs as the system with no user (the
/// caller is anonymous) and touches only the tip the code opens.
/// </summary>
public sealed class TipSubmission(AppDbContext db, ReceiptCodes receipts, TipsterIdentity identity)
{
    public const long MaxPhotoBytes = 10 * 1024 * 1024;
    public const long MaxVideoBytes = 20 * 1024 * 1024;
    public const int MaxFiles = 5;

    private DateTime Now => db.Clock.GetUtcNow().UtcDateTime;

    /// <summary>Counties that use the platform (have at least one user), with their townships and reward rule.</summary>
    public async Task<IReadOnlyList<CountyChoice>> CountiesAsync(CancellationToken ct)
    {
        var userCodes = await db.Users.Select(u => u.DivisionCode).Distinct().ToListAsync(ct);
        var countyCodes = userCodes.Where(c => c.Length >= 6).Select(c => c[..6]).Distinct().ToList();
        var divisions = await db.Divisions.AsNoTracking()
            .Where(d => (d.Level == DivisionLevel.County && countyCodes.Contains(d.Code)) || (d.Level == DivisionLevel.Township && countyCodes.Contains(d.ParentCode!)))
            .Select(d => new { d.Code, d.Name, d.Level, d.ParentCode }).ToListAsync(ct);
        // Published rules: the public page shows every county's, whoever asks.
        var rules = await db.Set<RewardRule>().Beyond(ScopeExit.InheritedSettings).AsNoTracking().Where(r => countyCodes.Contains(r.DivisionCode)).ToDictionaryAsync(r => r.DivisionCode, ct);
        return divisions.Where(d => d.Level == DivisionLevel.County).OrderBy(d => d.Code, StringComparer.Ordinal)
            .Select(c => new CountyChoice(c.Code, c.Name,
                divisions.Where(t => t.ParentCode == c.Code).OrderBy(t => t.Code, StringComparer.Ordinal).Select(t => (t.Code, t.Name)).ToList(),
                rules.GetValueOrDefault(c.Code) ?? RewardRule.Default(c.Code)))
            .ToList();
    }

    /// <summary>
    /// Checks and stores a tip. Files that are too big or not photos/videos are refused one by one (their messages
    /// come back in Refused) while the rest of the tip is kept; a form with nothing in it is refused as a whole.
    /// A tip from the public page is stored by the system (the caller is nobody); one taken by phone or letter is
    /// stored by the staff member, inside their jurisdiction. A submission whose <see cref="ReportInput.ClientId"/> was
    /// stored before is not stored again: it comes back as that tip with no code (the code was shown once, with the
    /// first answer) and no error.
    /// </summary>
    public async Task<(string? Code, Tip? Tip, FieldErrors Errors, List<string> Refused)> SubmitAsync(
        ReportInput input, IReadOnlyList<TipUpload> files, TipChannel channel, CancellationToken ct, int filesLeftOut = 0)
    {
        var fromPublic = channel is TipChannel.Web or TipChannel.WebNoScript;
        var scope = db.CurrentUser.Scope;
        if (fromPublic) db.CurrentUser.ActAsSystem("public:report");
        var errors = new FieldErrors();
        var refused = new List<string>();
        if (await SentBeforeAsync(input.ClientId, ct) is { } before) return (null, before, errors, refused);
        var counties = await CountiesAsync(ct);
        var code = input.DivisionCode?.Trim();
        var county = counties.FirstOrDefault(c => c.Code == code || c.Townships.Any(t => t.Code == code));
        if (string.IsNullOrEmpty(code)) errors.Add(nameof(ReportInput.DivisionCode), "请选择发生地所在的县（市）和乡镇");
        else if (county is null) errors.Add(nameof(ReportInput.DivisionCode), "所选地区不在本平台受理范围内");
        else if (!fromPublic && !scope.Contains(code)) errors.Add(nameof(ReportInput.DivisionCode), "所选地区不在您的辖区内");

        var kinds = input.Kinds.Select(k => k?.Trim() ?? "").Where(k => k.Length > 0).Distinct().ToList();
        if (kinds.Any(k => !TipKinds.IsKnown(k))) errors.Add(nameof(ReportInput.Kinds), "所选情况类别不正确");
        var description = Clean(input.Description, 4000, nameof(ReportInput.Description), "情况说明", errors);
        var place = Clean(input.Place, 500, nameof(ReportInput.Place), "地点", errors);
        var seen = Clean(input.SeenWhen, 100, nameof(ReportInput.SeenWhen), "时间", errors);
        var name = Clean(input.Name, 50, nameof(ReportInput.Name), "姓名", errors);
        var phone = Clean(input.Phone, 20, nameof(ReportInput.Phone), "电话", errors);
        if (phone is not null && !System.Text.RegularExpressions.Regex.IsMatch(phone, @"^[0-9+\- ]{5,20}$"))
            errors.Add(nameof(ReportInput.Phone), "电话号码只能包含数字");
        var (lon, lat) = Position(input, errors);
        if (kinds.Count == 0 && description is null && place is null && lon is null && files.Count == 0)
            errors.Add(nameof(ReportInput.Description), "请至少勾选看到的情况，或写下情况说明、地点，或附上照片");
        if (!errors.Ok) return (null, null, errors, refused);

        var (receiptCode, stored) = receipts.Create();
        var tipster = identity.Protect(new Tipster(name, phone));
        var tip = Tip.Receive(code!, county!.Code, channel, kinds, description ?? "", place, lon, lat, seen, stored, tipster, Now, clientId: input.ClientId);
        db.Add(tip);
        // Staff who record a tip from the hotline or a letter keep the photo's time and place; the public decide.
        var keepPlace = input.SharePhotoPlace || !fromPublic;
        foreach (var file in files.Take(MaxFiles)) await AttachAsync(tip, file, keepPlace, refused, ct);
        var leftOut = filesLeftOut + Math.Max(0, files.Count - MaxFiles);
        if (leftOut > 0) refused.Add($"最多附 {MaxFiles} 个文件，其余 {leftOut} 个未保存");
        await TipNotices.NewTipAsync(db, tip, ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (input.ClientId is not null)
        {
            // The same submission arrived twice at once and the other was stored first (the unique ClientId).
            db.ChangeTracker.Clear();
            if (await SentBeforeAsync(input.ClientId, ct) is { } raced) return (null, raced, errors, []);
            throw;
        }
        return (receiptCode, tip, errors, refused);
    }

    /// <summary>The tip stored before under this submission id, if any (looked up as the system: the id is the sender's own).</summary>
    private async Task<Tip?> SentBeforeAsync(Guid? clientId, CancellationToken ct) => clientId is { } id
        ? await db.Set<Tip>().Beyond(ScopeExit.Uniqueness).FirstOrDefaultAsync(t => t.ClientId == id, ct)
        : null;

    /// <summary>
    /// Reads one file of a tip from <paramref name="body"/> (the multipart section as it arrives: never buffered to disk,
    /// copied once into memory, at most <see cref="MaxVideoBytes"/>; the rest of a larger file is read past and
    /// dropped) and makes what may be kept of it: a photo only as a fresh re-encoding (<see cref="Images.Reencode"/>:
    /// no EXIF, XMP, IPTC, comment or thumbnail survives, so the staff never receive the camera's make, model, serial
    /// number or owner), a video with its metadata boxes blanked (<see cref="Videos.StripMetadata"/>). The photo's own
    /// time and position are read from the original first; <see cref="SubmitAsync"/> keeps them only when the tipster
    /// allows it (the form's consent box comes after its files). Null for an empty file field.
    /// </summary>
    public static async Task<TipUpload?> ReceiveFileAsync(Stream body, string? fileName, CancellationToken ct)
    {
        var label = string.IsNullOrWhiteSpace(fileName) ? "附件" : Path.GetFileName(fileName);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        var tooBig = false;
        while ((n = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (!tooBig && buffer.Length + n > MaxVideoBytes) tooBig = true;
            if (!tooBig) buffer.Write(chunk, 0, n);
        }
        if (tooBig) return TipUpload.Refused($"“{label}”太大（超过 {MaxVideoBytes / 1024 / 1024} MB），未保存；其余内容已收到");
        if (buffer.Length == 0) return null;
        var original = buffer.ToArray();
        var type = Images.Type(original) ?? VideoType(original);
        if (type is null) return TipUpload.Refused($"“{label}”不是照片或视频（只收 JPEG、PNG、WebP 照片和 MP4 视频），未保存；其余内容已收到");
        var isImage = type.StartsWith("image/", StringComparison.Ordinal);
        if (isImage && original.Length > MaxPhotoBytes) return TipUpload.Refused($"照片“{label}”超过 {MaxPhotoBytes / 1024 / 1024} MB，未保存；其余内容已收到");
        var (taken, lon, lat) = isImage ? Metadata(original) : (null, null, null);
        var kept = isImage ? Images.Reencode(original) : Videos.StripMetadata(original);
        if (kept is null) return TipUpload.Refused($"“{label}”无法读取，未保存；其余内容已收到");
        return new TipUpload(isImage ? "image/jpeg" : type, kept, taken, lon, lat, null);
    }

    /// <summary>Stores a received file with the tip; its photo's time and place only when <paramref name="keepPlace"/>.</summary>
    private async Task AttachAsync(Tip tip, TipUpload file, bool keepPlace, List<string> refused, CancellationToken ct)
    {
        if (file.Refusal is not null || file.Kept is null)
        {
            refused.Add(file.Refusal ?? "附件无法读取，未保存；其余内容已收到");
            return;
        }
        // The stored name is neutral: a phone's file name can carry the owner's name or device.
        var fileId = await db.StoreAsync(file.Kept, file.Type!, "tip" + Images.Extension(file.Type), ct);
        db.Add(keepPlace
            ? TipAttachment.Create(tip.Id, fileId, file.Type!, file.Kept.Length, file.Taken, file.Lon, file.Lat)
            : TipAttachment.Create(tip.Id, fileId, file.Type!, file.Kept.Length, null, null, null));
    }

    /// <summary>
    /// The photo's own time and position, or none: a damaged or truncated file (a phone on a bad connection) still
    /// belongs to the tip. The metadata reader throws more than <c>ImageProcessingException</c> on such files
    /// (IOException "End of data reached", MetadataException), which <see cref="AditPhotoUploads.Exif"/> lets through.
    /// </summary>
    private static (DateTime?, double?, double?) Metadata(byte[] bytes)
    {
        try
        {
            return AditPhotoUploads.Exif(bytes);
        }
        catch (Exception e) when (e is IOException or MetadataExtractor.MetadataException or ArgumentException or IndexOutOfRangeException)
        {
            return (null, null, null);
        }
    }

    /// <summary>MP4 / MOV / 3GP: an ISO media file starts with a box whose type is "ftyp".</summary>
    public static string? VideoType(byte[] b) =>
        b.Length > 12 && b[4] == (byte)'f' && b[5] == (byte)'t' && b[6] == (byte)'y' && b[7] == (byte)'p' && Videos.StripMetadata(b) is not null
            ? "video/mp4" : null;

    private static string? Clean(string? text, int max, string field, string label, FieldErrors errors)
    {
        var t = text?.Trim();
        if (string.IsNullOrEmpty(t)) return null;
        if (t.Length > max) errors.Add(field, $"{label}不能超过 {max} 字");
        return t;
    }

    private static (double?, double?) Position(ReportInput input, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(input.Lon) && string.IsNullOrWhiteSpace(input.Lat)) return (null, null);
        var ci = System.Globalization.CultureInfo.InvariantCulture;
        if (double.TryParse(input.Lon, System.Globalization.NumberStyles.Float, ci, out var lon) &&
            double.TryParse(input.Lat, System.Globalization.NumberStyles.Float, ci, out var lat) &&
            lon is >= 73 and <= 136 && lat is >= 3 and <= 54)
        {
            if (!Gcj02.TryParseCrs(input.Crs, out var gcj02))
            {
                errors.Add(nameof(ReportInput.Crs), $"坐标系“{input.Crs?.Trim()}”无法识别：{Gcj02.CrsChoices}");
                return (null, null);
            }
            // A pin on GCJ-02 tiles stands where the tipster put it only once shifted back: every position is kept in WGS84.
            var (x, y) = gcj02 ? Gcj02.ToWgs84(lon, lat) : (lon, lat);
            return (Math.Round(x, 6), Math.Round(y, 6));
        }
        errors.Add(nameof(ReportInput.Lon), "位置坐标不正确，请重新选点或不填");
        return (null, null);
    }

    /// <summary>
    /// The tip a receipt code opens, or null. Always one hash of the secret (see <see cref="ReceiptCodes.Verify"/>).
    /// The caller throttles (<see cref="PublicGuard"/>).
    /// </summary>
    public async Task<Tip?> OpenAsync(string locator, string secret, CancellationToken ct)
    {
        db.CurrentUser.ActAsSystem("public:receipt");
        var tip = await db.Set<Tip>().FirstOrDefaultAsync(t => t.ReceiptLocator == locator, ct);
        var stored = tip is null ? null : new ReceiptHash(tip.ReceiptLocator, tip.ReceiptHash, tip.ReceiptSalt, tip.ReceiptIterations);
        return receipts.Verify(secret, stored) ? tip : null;
    }

    public async Task<TipsterView> ViewAsync(Tip tip, CancellationToken ct)
    {
        // A merged tip shows the main tip's progress: the tipster's matter is being handled there.
        var shown = tip.MergedIntoId is { } main ? await db.Set<Tip>().FirstAsync(t => t.Id == main, ct) : tip;
        var messages = await db.Set<TipMessage>().AsNoTracking().Where(m => m.TipId == tip.Id).OrderBy(m => m.CreatedUtc)
            .Select(m => new { m.FromOffice, m.Text, m.CreatedUtc }).ToListAsync(ct);
        var rule = await db.Set<RewardRule>().AsNoTracking().FirstOrDefaultAsync(r => r.DivisionCode == tip.CountyCode, ct)
                   ?? RewardRule.Default(tip.CountyCode);
        var reward = await db.Set<Reward>().AsNoTracking().Where(r => r.TipId == tip.Id && r.Status != RewardStatus.Refused)
            .OrderByDescending(r => r.ProposedUtc).FirstOrDefaultAsync(ct);
        var placeName = await db.Divisions.AsNoTracking().Where(d => d.Code == tip.DivisionCode).Select(d => d.Name).FirstOrDefaultAsync(ct);
        var status = tip.Status == TipStatus.Merged ? "已与其他群众反映的同一问题合并办理：" + StatusForTipster(shown) : StatusForTipster(shown);
        return new TipsterView(status, ChinaTime.ToLocal(tip.ReceivedUtc).ToString("yyyy-MM-dd"), placeName ?? "",
            shown.Outcome?.Chinese(), tip.AwaitingTipster,
            messages.Select(m => new TipsterMessage(m.FromOffice, m.Text, ChinaTime.Format(m.CreatedUtc))).ToList(),
            reward is null ? null : new TipsterReward(reward.Id, Reward.Chinese(reward.Tier), reward.Amount, reward.ForTipster(tip.IsNamed).State,
                reward.ForTipster(tip.IsNamed).Next, reward.ClaimedUtc is not null, reward.Status is RewardStatus.Proposed or RewardStatus.Approved,
                reward.PaidOn?.ToString("yyyy-MM-dd")),
            rule.Describe());
    }

    private static string StatusForTipster(Tip t) => t.Status switch
    {
        TipStatus.New or TipStatus.Triaged => "已收到，正在分拣",
        TipStatus.Assigned => "正在核查",
        TipStatus.Verified => "已核查，结果：" + t.Outcome?.Chinese(),
        _ => t.Status.Chinese(),
    };

    public async Task<FieldErrors> AnswerAsync(Tip tip, string? text, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var t = text?.Trim();
        if (string.IsNullOrEmpty(t)) errors.Add("Text", "请填写回复内容");
        else if (t.Length > 2000) errors.Add("Text", "回复不能超过 2000 字");
        if (!errors.Ok) return errors;
        db.Add(TipMessage.Tipster(tip.Id, t!, Now));
        tip.TipsterAnswered();
        await TipNotices.TipsterAnsweredAsync(db, tip, ct);
        await db.SaveChangesAsync(ct);
        return errors;
    }

    /// <summary>The tipster claims the proposed or approved reward, with a payout method of their choice (encrypted).</summary>
    public async Task<FieldErrors> ClaimAsync(Tip tip, PayoutChoice choice, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var method = choice.Method?.Trim();
        if (string.IsNullOrEmpty(method) || !PayoutMethods.Contains(method)) errors.Add("Method", "请选择领取方式");
        if (method is not null && method != "现场领取" && string.IsNullOrWhiteSpace(choice.Account)) errors.Add("Account", "请填写收款账号");
        if ((choice.Account?.Length ?? 0) > 100) errors.Add("Account", "收款账号不能超过 100 字");
        if ((choice.Name?.Length ?? 0) > 50) errors.Add("Name", "姓名不能超过 50 字");
        if ((choice.Phone?.Length ?? 0) > 20) errors.Add("Phone", "电话不能超过 20 字");
        var reward = await db.Set<Reward>().Where(r => r.TipId == tip.Id && (r.Status == RewardStatus.Proposed || r.Status == RewardStatus.Approved))
            .OrderByDescending(r => r.ProposedUtc).FirstOrDefaultAsync(ct);
        if (reward is null) errors.Add("Method", "目前没有可申领的奖励");
        if (!errors.Ok) return errors;
        reward!.Claim(identity.Protect(choice with { Method = method!, Account = choice.Account?.Trim(), Name = choice.Name?.Trim(), Phone = choice.Phone?.Trim() }), Now);
        await TipNotices.RewardClaimedAsync(db, tip, reward, ct);
        await db.SaveChangesAsync(ct);
        return errors;
    }

    public static readonly IReadOnlyList<string> PayoutMethods = ["银行卡", "微信", "支付宝", "现场领取"];
}
