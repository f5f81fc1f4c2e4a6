using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;

namespace MineGuard.Platform.Audit;

/// <summary>
/// 审计导出: the trail for an auditor, who checks it with tools/audit-verify/verify.cs and without the product:
/// <c>records.jsonl</c> (every record with exactly the fields its hash covers), <c>checkpoints.jsonl</c> (the signed
/// checkpoints as written), <c>public-key.pem</c> (the checkpoint key's public half) and <c>README.txt</c>.
/// </summary>
public static class AuditExport
{
    public const string RecordsFile = "records.jsonl";
    public const string CheckpointsFile = "checkpoints.jsonl";
    public const string PublicKeyFile = "public-key.pem";

    /// <summary>Writes the export; the context must act as the system. Returns the number of records written.</summary>
    public static async Task<long> WriteAsync(AppDbContext db, AuditCheckpoints checkpoints, string directory, CancellationToken ct = default)
    {
        if (!db.CurrentUser.Scope.IsAll) throw new InvalidOperationException("The audit export reads the whole chain: act as the system.");
        Directory.CreateDirectory(directory);
        long count = 0;
        await using (var writer = new StreamWriter(Path.Combine(directory, RecordsFile), false, new UTF8Encoding(false)))
        {
            long after = 0;
            while (true)
            {
                // As the system the jurisdiction filter passes every record.
                var page = await db.AuditRecords.AsNoTracking().Where(a => a.Sequence > after).OrderBy(a => a.Sequence).Take(2000).ToListAsync(ct);
                foreach (var r in page)
                {
                    await writer.WriteLineAsync(Line(r));
                    count++;
                }
                if (page.Count < 2000) break;
                after = page[^1].Sequence;
            }
        }
        var lines = File.Exists(checkpoints.CheckpointFile) ? await File.ReadAllLinesAsync(checkpoints.CheckpointFile, ct) : [];
        await File.WriteAllLinesAsync(Path.Combine(directory, CheckpointsFile), lines.Where(l => l.Length > 0), ct);
        await File.WriteAllTextAsync(Path.Combine(directory, PublicKeyFile), checkpoints.Key.PublicKeyPem + "\n", ct);
        await File.WriteAllTextAsync(Path.Combine(directory, "README.txt"), $"""
            MineGuard audit trail export ({AuditCheckpoint.FormatTime(db.Clock.GetUtcNow().UtcDateTime)})
            {count} records, {lines.Length} checkpoint lines, checkpoint key id {checkpoints.Key.KeyId}

            Verify with the .NET 10 SDK, without the product:
              dotnet run tools/audit-verify/verify.cs -- <this folder>
            Compare the key id it prints with the one the operator gave you (or the witness holds).

            records.jsonl: one record per line; hash = SHA-256 (lower-case hex) of the UTF-8 text of sequence, atUtc,
              actorId, actorName, action, entityType, entityId, divisionCode, changes, address, previousHash joined
              by U+001F (null as empty); previousHash of record 1 is 64 zeros.
            checkpoints.jsonl: ECDSA P-256 / SHA-256 signatures (IEEE P1363, base64) over the UTF-8 text
              "{AuditCheckpoint.Format}\n<sequence>\n<hash>\n<atUtc>".
            """.Replace("\r\n", "\n", StringComparison.Ordinal), ct);
        return count;
    }

    private static string Line(AuditRecord r) => new JsonObject
    {
        ["sequence"] = r.Sequence,
        // Exactly the text the hash covers.
        ["atUtc"] = r.AtUtc.ToString("yyyy-MM-ddTHH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        ["actorId"] = r.ActorId?.ToString(), ["actorName"] = r.ActorName, ["action"] = r.Action,
        ["entityType"] = r.EntityType, ["entityId"] = r.EntityId, ["divisionCode"] = r.DivisionCode,
        ["changes"] = r.Changes, ["address"] = r.Address, ["previousHash"] = r.PreviousHash, ["hash"] = r.Hash,
    }.ToJsonString();
}
