using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Platform.Data;

/// <summary>Migration 0018 turns every follow-up item into an assignment with nothing lost, on both engines.</summary>
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

    [Theory, OnSqlite, OnPostgres]
    public async Task Every_follow_up_becomes_an_assignment_with_the_same_id_status_text_and_who_and_when(string provider)
    {
        var (cs, drop) = await Databases.CreateAsync(provider);
        try
        {
            await using var db = SchemaSnapshot.Context(provider, cs);
            var scripts = SchemaMigrator.Scripts(db.IsPostgres);
            var conn = db.Database.GetDbConnection();
            await conn.OpenAsync();
            foreach (var s in scripts.Where(s => s.Version < 18)) await ExecAsync(conn, s.Sql);

            var user = Guid.NewGuid();
            var closer = Guid.NewGuid();
            var pg = db.IsPostgres;
            string G(Guid g) => pg ? $"'{g}'::uuid" : $"'{g.ToString().ToUpperInvariant()}'";
            string T(string t) => pg ? $"'{t}'::timestamptz" : $"'{t}'";
            string D(string d) => pg ? $"'{d}'::date" : $"'{d}'";
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
            await conn.CloseAsync();
        }
        finally
        {
            await drop();
        }
    }
}
