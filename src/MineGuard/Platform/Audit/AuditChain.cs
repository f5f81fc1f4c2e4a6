using MineGuard.Platform.Jurisdiction;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;

namespace MineGuard.Platform.Audit;

/// <summary>Checks the audit trail's hash chain from the first record to the last.</summary>
public static class AuditChain
{
    public sealed record Result(long Checked, long? BrokenAt, string? Reason)
    {
        public bool IsIntact => BrokenAt is null;
    }

    /// <summary>Walks the chain in order and reports the first record that was changed, removed or inserted.</summary>
    public static Task<Result> VerifyAsync(AppDbContext db, CancellationToken ct = default) =>
        VerifyFromAsync(db, 0, AuditRecord.GenesisHash, null, ct);

    /// <summary>
    /// Walks the chain from the record after <paramref name="start"/> (whose hash is <paramref name="startHash"/>) to
    /// the head; <paramref name="visit"/> sees each intact record. <see cref="Result.Checked"/> is the last intact
    /// sequence number, so for an intact chain it is the head.
    /// </summary>
    public static async Task<Result> VerifyFromAsync(AppDbContext db, long start, string startHash, Action<AuditRecord>? visit, CancellationToken ct = default)
    {
        const int page = 2000;
        var expected = start + 1;
        var previous = startHash;
        while (true)
        {
            var after = expected - 1;
            var batch = await db.AuditRecords.Beyond(ScopeExit.NoScopeYet).AsNoTracking()
                .Where(a => a.Sequence > after).OrderBy(a => a.Sequence).Take(page).ToListAsync(ct);
            foreach (var record in batch)
            {
                if (record.Sequence != expected)
                    return new(expected - 1, expected, $"缺少第 {expected} 条记录（记录被删除）");
                if (record.PreviousHash != previous)
                    return new(expected - 1, expected, $"第 {expected} 条记录的前序哈希与上一条不符（前一条被删除或改动）");
                if (record.ComputeHash() != record.Hash)
                    return new(expected - 1, expected, $"第 {expected} 条记录的内容与其哈希不符（记录被改动）");
                visit?.Invoke(record);
                previous = record.Hash;
                expected++;
            }
            if (batch.Count < page) return new(expected - 1, null, null);
        }
    }
}
