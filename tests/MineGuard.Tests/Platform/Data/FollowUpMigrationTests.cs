using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Platform.Data;

/// <summary>
/// Migration 0018 turns every follow-up item into an assignment with nothing lost; 0019 puts the copied items still open on
/// the one clock and drops the old table, on both engines.
/// </summary>
public sealed class FollowUpMigrationTests
{
    private static async Task ExecAsync(DbConnection c, string sql)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<List<string>> RowsAsync(DbConnection c, string sql)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await using var r = await cmd.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await r.ReadAsync())
            rows.Add(string.Join("|", Enumerable.Range(0, r.FieldCount).Select(i => r.IsDBNull(i) ? "∅" : Convert.ToString(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        return rows;
    }

    /// <summary>Literals for hand-written SQL on either engine: a uuid, a UTC timestamp, a date.</summary>
    private sealed record Sql(bool Pg)
    {
        public string G(Guid g) => Pg ? $"'{g}'::uuid" : $"'{g.ToString().ToUpperInvariant()}'";

        public string T(string t) => Pg ? $"'{t}+00'::timestamptz" : $"'{t}'";

        public string D(string d) => Pg ? $"'{d}'::date" : $"'{d}'";
    }

    /// <summary>A new database migrated up to 0017, where the test arranges rows and runs the later scripts itself.</summary>
    private static async Task Before18Async(string provider, Func<DbConnection, IReadOnlyList<SchemaMigrator.Script>, Sql, Task> test)
    {
        var (cs, drop) = await Databases.CreateAsync(provider);
        try
        {
            await using var db = SchemaSnapshot.Context(provider, cs);
            var scripts = SchemaMigrator.Scripts(db.IsPostgres);
            var conn = db.Database.GetDbConnection();
            await conn.OpenAsync();
            foreach (var s in scripts.Where(s => s.Version < 18)) await ExecAsync(conn, s.Sql);
            await test(conn, scripts, new Sql(db.IsPostgres));
            await conn.CloseAsync();
        }
        finally
        {
            await drop();
        }
    }

    [Theory, OnSqlite, OnPostgres]
    public Task Every_follow_up_becomes_an_assignment_with_the_same_id_status_text_and_who_and_when(string provider) =>
        Before18Async(provider, async (conn, scripts, sql) =>
        {
            var pg = sql.Pg;
            Func<Guid, string> G = sql.G;
            Func<string, string> T = sql.T, D = sql.D;
            var user = Guid.NewGuid();
            var closer = Guid.NewGuid();
            // The user's division and department rows are not the point here: foreign keys are off while arranging.
            await ExecAsync(conn, pg ? "SET session_replication_role = replica" : "PRAGMA foreign_keys = OFF");
            await ExecAsync(conn, $"INSERT INTO \"AspNetUsers\" (\"Id\", \"UserName\", \"DisplayName\", \"DivisionCode\", \"DepartmentCode\", \"IsDisabled\", \"IsDemo\", \"CreatedUtc\", \"EmailConfirmed\", \"PhoneNumberConfirmed\", \"TwoFactorEnabled\", \"LockoutEnabled\", \"AccessFailedCount\") " +
                $"VALUES ({G(user)}, 'u1', '测试', '410325', 'natural-resources', {(pg ? "false" : "0")}, {(pg ? "false" : "0")}, {T("2026-01-01 00:00:00")}, {(pg ? "false" : "0")}, {(pg ? "false" : "0")}, {(pg ? "false" : "0")}, {(pg ? "false" : "0")}, 0)");
            var open = Guid.NewGuid();
            var done = Guid.NewGuid();
            var source = Guid.NewGuid();
            await ExecAsync(conn, "INSERT INTO \"FollowUps\" (\"Id\", \"DivisionCode\", \"AditId\", \"SourceType\", \"SourceId\", \"Title\", \"Detail\", \"AssigneeUserId\", \"DueOn\", \"Status\", \"CreatedUtc\", \"CreatedById\", \"ClosedUtc\", \"ClosedById\", \"Resolution\") VALUES " +
                $"({G(open)}, '410325400', NULL, 'patrol-finding', {G(source)}, '巡查发现：封堵被破坏', '洞口有新脚印', {G(user)}, {D("2026-11-09")}, 0, {T("2026-11-02 02:00:00")}, {G(closer)}, NULL, NULL, NULL), " +
                $"({G(done)}, '410325100', NULL, 'alert', NULL, '预警核实属实', NULL, NULL, NULL, 1, {T("2026-10-01 08:00:00")}, NULL, {T("2026-10-03 09:30:00")}, {G(closer)}, '已回填封堵')");

            await ExecAsync(conn, pg ? "SET session_replication_role = origin" : "PRAGMA foreign_keys = ON");
            const string followUps = "SELECT \"Id\", \"DivisionCode\", \"AditId\", \"SourceType\", \"SourceId\", \"Title\", \"Detail\", \"AssigneeUserId\", \"DueOn\", \"Status\", \"CreatedUtc\", \"CreatedById\", \"ClosedUtc\", \"ClosedById\", \"Resolution\" FROM \"FollowUps\" ORDER BY \"Title\"";
            var before = await RowsAsync(conn, followUps);
            await ExecAsync(conn, scripts.Single(s => s.Version == 18).Sql);
            var after = await RowsAsync(conn, "SELECT \"Id\", \"DivisionCode\", \"AditId\", \"SourceType\", \"SourceId\", \"Title\", \"Detail\", \"ResponsibleUserId\", \"DueOn\", \"Status\", \"CreatedUtc\", \"CreatedById\", \"ClosedUtc\", \"ClosedById\", \"Resolution\" FROM \"Assignments\" ORDER BY \"Title\"");
            Assert.Equal(2, before.Count);
            Assert.Equal(before, after);
            Assert.Equal(["follow-up|0|0"], (await RowsAsync(conn, "SELECT DISTINCT \"Kind\", \"Reopens\", \"EscalationLevel\" FROM \"Assignments\"")));
        });

    [Theory, OnSqlite, OnPostgres]
    public Task Copied_items_still_open_get_a_deadline_once_and_the_old_table_goes(string provider) =>
        Before18Async(provider, async (conn, scripts, sql) =>
        {
            var pg = sql.Pg;
            Func<Guid, string> G = sql.G;
            Func<string, string> T = sql.T, D = sql.D;
            var (dated, undated, done, reopened) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
            const string columns = "(\"Id\", \"DivisionCode\", \"AditId\", \"SourceType\", \"SourceId\", \"Title\", \"Detail\", \"AssigneeUserId\", \"DueOn\", \"Status\", \"CreatedUtc\", \"CreatedById\", \"ClosedUtc\", \"ClosedById\", \"Resolution\")";
            await ExecAsync(conn, $"INSERT INTO \"FollowUps\" {columns} VALUES " +
                $"({G(dated)}, '410325400', NULL, 'patrol-finding', NULL, '有期限', NULL, NULL, {D("2026-11-09")}, 0, {T("2026-11-02 02:00:00")}, NULL, NULL, NULL, NULL), " +
                // Made at 04:00 on 3 November in China: due 7 days from that day.
                $"({G(undated)}, '410325100', NULL, 'test', NULL, '无期限', NULL, NULL, NULL, 0, {T("2026-11-02 20:00:00")}, NULL, NULL, NULL, NULL), " +
                $"({G(done)}, '410325100', NULL, 'alert', NULL, '已办结', NULL, NULL, {D("2026-10-09")}, 1, {T("2026-10-01 08:00:00")}, NULL, {T("2026-10-03 09:30:00")}, NULL, '已回填'), " +
                $"({G(reopened)}, '410325400', NULL, 'alert', NULL, '已在钟上', NULL, NULL, {D("2026-11-12")}, 0, {T("2026-11-01 08:00:00")}, NULL, NULL, NULL, NULL)");
            await ExecAsync(conn, scripts.Single(s => s.Version == 18).Sql);
            // One item was already put on the clock between the two migrations (reopened through the new desk).
            await ExecAsync(conn, "INSERT INTO \"Deadlines\" (\"Id\", \"SubjectType\", \"SubjectId\", \"DivisionCode\", \"DepartmentCode\", \"DueUtc\", \"EscalateAtUtc\", \"Level\", \"Escalations\", \"CreatedUtc\", \"ClosedUtc\") " +
                $"VALUES ({G(Guid.NewGuid())}, 'assignment', {G(reopened)}, '410325400', NULL, {T("2026-11-20 16:00:00")}, {T("2026-11-20 16:00:00")}, 0, 0, {T("2026-11-05 00:00:00")}, NULL)");
            await ExecAsync(conn, scripts.Single(s => s.Version == 19).Sql);

            string Text(string column) => pg ? $"to_char(d.\"{column}\" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')" : $"substr(d.\"{column}\", 1, 19)";
            var deadlines = await RowsAsync(conn, $"SELECT a.\"Title\", {(pg ? "a.\"DueOn\"::text" : "a.\"DueOn\"")}, d.\"SubjectType\", d.\"DivisionCode\", " +
                $"{Text("DueUtc")}, {Text("EscalateAtUtc")}, d.\"Level\", d.\"Escalations\", {Text("ClosedUtc")} " +
                "FROM \"Deadlines\" d JOIN \"Assignments\" a ON a.\"Id\" = d.\"SubjectId\" ORDER BY a.\"Title\", d.\"DueUtc\"");
            Assert.Equal(
            [
                "已在钟上|2026-11-12|assignment|410325400|2026-11-20 16:00:00|2026-11-20 16:00:00|0|0|∅",
                "无期限|2026-11-10|assignment|410325100|2026-11-10 16:00:00|2026-11-10 16:00:00|0|0|∅",
                "有期限|2026-11-09|assignment|410325400|2026-11-09 16:00:00|2026-11-09 16:00:00|0|0|∅",
            ], deadlines.Order(StringComparer.Ordinal).ToList());
            Assert.Equal(["已办结|2026-10-09"], await RowsAsync(conn, $"SELECT \"Title\", {(pg ? "\"DueOn\"::text" : "\"DueOn\"")} FROM \"Assignments\" WHERE \"Status\" = 1"));

            // The old table is gone; the links on alerts and check-ins carry their new name.
            var tables = await RowsAsync(conn, pg ? "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'" : "SELECT name FROM sqlite_master WHERE type = 'table'");
            Assert.DoesNotContain("FollowUps", tables);
            Assert.Contains("Assignments", tables);
            Assert.Empty(await RowsAsync(conn, "SELECT \"AssignmentId\" FROM \"Alerts\" UNION ALL SELECT \"AssignmentId\" FROM \"CheckIns\""));
        });
}
