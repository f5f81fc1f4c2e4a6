using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Data;
using MineGuard.Features.Monitoring;
using MineGuard.Platform.Auth;
using Npgsql;
using NpgsqlTypes;

namespace MineGuard.AlertBench;

/// <summary>
/// Meter readings ingest (issue 16): N meters × hourly interval readings over D days, written day by day (one
/// transaction per day of all meters) through <see cref="MeterReadings.StoreAsync"/>, the code ingestion and the upload
/// use (idempotency check, partitions, BulkInsert), against a raw bulk insert of the same rows in the same run (binary
/// COPY on PostgreSQL, a prepared 100-row INSERT on SQLite) into the emptied table. Prints rows/s, the ratio and peak memory.
/// </summary>
internal static class MeterBench
{
    private static readonly DateTime Start = new(2026, 8, 1, 0, 0, 0, DateTimeKind.Utc);

    public static async Task<List<string>> RunAsync(IServiceProvider services, string engine, int meters, int days)
    {
        var lines = new List<string>();
        var devices = await WithDbAsync(services, async db =>
        {
            var now = db.Clock.GetUtcNow().UtcDateTime;
            var (key, _) = ApiKey.Create("压测电力平台", "410325", null, now);
            db.ApiKeys.Add(key);
            var list = Enumerable.Range(0, meters).Select(i => Device.Register(new Device.Spec(DeviceKind.Meter, $"BENCH-METER-{i:D5}", $"压测电表{i}", key.Id,
                "410325400", null, null, null, null, null, null, null, 0), now)).ToList();
            db.AddRange(list);
            await db.SaveChangesAsync();
            return list.Select(d => d.Id).ToList();
        });
        var random = new Random(16);
        var profile = devices.Select(_ => 2 + random.NextDouble() * 20).ToArray();
        List<MeterReadingInput> Day(int day) => [.. devices.SelectMany((d, m) => Enumerable.Range(0, 24).Select(h =>
            new MeterReadingInput(d, "410325400", Start.AddDays(day).AddHours(h), Math.Round(profile[m] * (0.5 + (h is >= 8 and < 20 ? 1 : 0.2)), 3), MeterReadingKind.Interval)))];
        var rows = (long)meters * days * 24;

        // Storage path.
        GC.Collect();
        var allocated = GC.GetTotalAllocatedBytes();
        var watch = Stopwatch.StartNew();
        var stored = 0;
        for (var day = 0; day < days; day++)
        {
            var readings = Day(day);
            stored += await WithDbAsync(services, async db =>
            {
                await using var tx = await db.Database.BeginTransactionAsync();
                var result = await MeterReadings.StoreAsync(db, readings, MeterReadings.Ingest, DateTime.UtcNow, default);
                await tx.CommitAsync();
                return result.Stored;
            });
        }
        watch.Stop();
        var storePeak = Process.GetCurrentProcess().PeakWorkingSet64;
        var storeAlloc = GC.GetTotalAllocatedBytes() - allocated;
        var storeRate = rows / watch.Elapsed.TotalSeconds;

        // Sending the last day again: every row is a no-op.
        var resend = Stopwatch.StartNew();
        var again = await WithDbAsync(services, async db =>
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            var result = await MeterReadings.StoreAsync(db, Day(days - 1), MeterReadings.Ingest, DateTime.UtcNow, default);
            await tx.CommitAsync();
            return result;
        });
        resend.Stop();

        await WithDbAsync(services, db => db.Database.ExecuteSqlRawAsync(db.IsPostgres ? "TRUNCATE \"MeterReadings\"" : "DELETE FROM \"MeterReadings\""));

        // Raw bulk insert of the same rows.
        GC.Collect();
        allocated = GC.GetTotalAllocatedBytes();
        var raw = Stopwatch.StartNew();
        for (var day = 0; day < days; day++)
        {
            var readings = Day(day);
            await WithDbAsync(services, async db =>
            {
                await using var tx = await db.Database.BeginTransactionAsync();
                var transaction = tx.GetDbTransaction();
                if (db.IsPostgres) await CopyAsync((NpgsqlConnection)transaction.Connection!, readings);
                else InsertMultiRow(transaction, readings);
                await tx.CommitAsync();
                return 0;
            });
        }
        raw.Stop();
        var rawPeak = Process.GetCurrentProcess().PeakWorkingSet64;
        var rawAlloc = GC.GetTotalAllocatedBytes() - allocated;
        var rawRate = rows / raw.Elapsed.TotalSeconds;
        var check = await WithDbAsync(services, db => db.MeterReadings().IgnoreQueryFilters().LongCountAsync());

        lines.Add($"{engine,-9} meters {meters:N0} x {days} days hourly = {rows:N0} readings, one transaction per day ({meters * 24:N0} rows)");
        lines.Add($"{engine,-9} storage path (MeterReadings.StoreAsync) {watch.Elapsed.TotalSeconds,7:F2} s {storeRate,10:N0} rows/s  {storeRate / rawRate,5:F2}x raw  stored {stored:N0}  peak working set {storePeak / 1048576.0:N0} MB, allocated {storeAlloc / 1048576.0:N0} MB");
        lines.Add($"{engine,-9} raw bulk insert ({(engine == "postgres" ? "binary COPY" : "prepared 100-row INSERT")}) {raw.Elapsed.TotalSeconds,7:F2} s {rawRate,10:N0} rows/s  peak working set {rawPeak / 1048576.0:N0} MB, allocated {rawAlloc / 1048576.0:N0} MB  (rows {check:N0})");
        lines.Add($"{engine,-9} last day sent again: {again.Unchanged:N0} unchanged, {again.Stored} stored, {resend.Elapsed.TotalMilliseconds:F0} ms");
        return lines;
    }

    internal static async Task CopyAsync(NpgsqlConnection connection, List<MeterReadingInput> readings)
    {
        var now = DateTime.UtcNow;
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY \"MeterReadings\" (\"DeviceId\", \"Utc\", \"DivisionCode\", \"Kwh\", \"Kind\", \"Source\", \"StoredUtc\", \"ReplacedKwh\") FROM STDIN (FORMAT BINARY)");
        foreach (var r in readings)
        {
            await copy.StartRowAsync();
            await copy.WriteAsync(r.DeviceId, NpgsqlDbType.Uuid);
            await copy.WriteAsync(r.Utc, NpgsqlDbType.TimestampTz);
            await copy.WriteAsync(r.DivisionCode, NpgsqlDbType.Varchar);
            await copy.WriteAsync(r.Kwh, NpgsqlDbType.Double);
            await copy.WriteAsync((int)r.Kind, NpgsqlDbType.Integer);
            await copy.WriteAsync("ingest", NpgsqlDbType.Varchar);
            await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
            await copy.WriteNullAsync();
        }
        await copy.CompleteAsync();
    }

    internal static void InsertMultiRow(System.Data.Common.DbTransaction transaction, List<MeterReadingInput> readings)
    {
        const int perStatement = 100;
        var now = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
        using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        string Sql(int n) => "INSERT INTO \"MeterReadings\" (\"DeviceId\", \"Utc\", \"DivisionCode\", \"Kwh\", \"Kind\", \"Source\", \"StoredUtc\", \"ReplacedKwh\") VALUES "
                             + string.Join(", ", Enumerable.Range(0, n).Select(i => $"(@d{i}, @t{i}, @c{i}, @k{i}, @n{i}, 'ingest', @s{i}, NULL)"));
        var full = Sql(perStatement);
        foreach (var chunk in readings.Chunk(perStatement))
        {
            command.CommandText = chunk.Length == perStatement ? full : Sql(chunk.Length);
            command.Parameters.Clear();
            for (var i = 0; i < chunk.Length; i++)
            {
                var r = chunk[i];
                Add($"@d{i}", r.DeviceId.ToString().ToUpperInvariant());
                Add($"@t{i}", r.Utc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
                Add($"@c{i}", r.DivisionCode);
                Add($"@k{i}", r.Kwh);
                Add($"@n{i}", (int)r.Kind);
                Add($"@s{i}", now);
            }
            command.ExecuteNonQuery();
        }

        void Add(string name, object value)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            command.Parameters.Add(p);
        }
    }

    private static async Task<T> WithDbAsync<T>(IServiceProvider services, Func<AppDbContext, Task<T>> work)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.CurrentUser.ActAsSystem("bench");
        return await work(db);
    }
}
