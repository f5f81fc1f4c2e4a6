using System.CommandLine;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Audit;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Platform.Cli;

/// <summary>Operator verbs in the same executable: <c>mineguard user add-admin</c>, <c>mineguard audit verify</c>…</summary>
public static class Cli
{
    // Features' own verbs (ICliVerb), found by reflection like IFeature, so the CLI depends on no feature.
    private static readonly Type[] FeatureVerbs = typeof(Cli).Assembly.GetTypes()
        .Where(t => !t.IsInterface && typeof(ICliVerb).IsAssignableFrom(t)).OrderBy(t => t.FullName, StringComparer.Ordinal).ToArray();

    private static readonly string[] Verbs = ["user", "audit", "db", "schema", "divisions", .. FeatureVerbs.Select(t => (string)t.GetProperty(nameof(ICliVerb.Verb))!.GetValue(null)!), "--help", "-h", "-?"];

    /// <summary>Separates a CLI verb's arguments from the server's; "--no-demo" becomes Demo:Enabled=false.</summary>
    public static (string[]? Verb, string[] HostArgs) Split(string[] args)
    {
        if (args.Length > 0 && Verbs.Contains(args[0])) return (args, ["--Demo:Enabled=false"]);
        var host = args.Select(a => a == "--no-demo" ? "--Demo:Enabled=false" : a).ToArray();
        return (null, host);
    }

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        var root = new RootCommand("MineGuard 矿山打非治违平台 — operator commands")
        {
            UserCommand(app), AuditCommand(app), DbCommand(app), SchemaCommand(app), DivisionsCommand(app),
        };
        foreach (var verb in FeatureVerbs)
        {
            Func<WebApplication, string, Func<IServiceProvider, AppDbContext, Task<int>>, Task<int>> run = Run;
            root.Subcommands.Add((Command)verb.GetMethod(nameof(ICliVerb.Command))!.Invoke(null, [app, run])!);
        }
        try
        {
            return await root.Parse(args).InvokeAsync();
        }
        catch (Exception e)
        {
            await Console.Error.WriteLineAsync("错误 / error: " + e.Message);
            return 1;
        }
    }

    /// <summary>Runs a verb in its own scope as the system, after bringing the schema up to date.</summary>
    internal static async Task<int> Run(WebApplication app, string name, Func<IServiceProvider, AppDbContext, Task<int>> body)
    {
        using var scope = app.Services.CreateScope();
        await DatabaseInitializer.PrepareAsync(scope.ServiceProvider, app.Logger, CancellationToken.None);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.CurrentUser.ActAsSystem("cli:" + name);
        return await body(scope.ServiceProvider, db);
    }

    private static Command UserCommand(WebApplication app)
    {
        var username = new Option<string>("--username") { Description = "log-in name", Required = true };
        var password = new Option<string?>("--password") { Description = "password (generated and printed when omitted)" };
        var scope = new Option<string>("--scope") { Description = "division code of the admin's jurisdiction, e.g. 410325", Required = true };
        var name = new Option<string?>("--name") { Description = "display name" };
        var department = new Option<string>("--department") { Description = "department code", DefaultValueFactory = _ => "natural-resources" };
        var addAdmin = new Command("add-admin", "create a system administrator") { username, password, scope, name, department };
        addAdmin.SetAction(parse => Run(app, "user add-admin", async (services, db) =>
        {
            var code = Division.NormalizeCode(parse.GetValue(scope)!);
            if (!await db.Divisions.AnyAsync(d => d.Code == code)) throw new ArgumentException($"未知的行政区划代码：{code}");
            var dept = parse.GetValue(department)!;
            if (Department.NameOf(dept) is null) throw new ArgumentException($"未知的部门：{dept}");
            var pass = parse.GetValue(password) ?? GeneratePassword();
            var user = new AppUser
            {
                UserName = parse.GetValue(username), DisplayName = parse.GetValue(name) ?? parse.GetValue(username)!,
                DivisionCode = code, DepartmentCode = dept, CreatedUtc = db.Clock.GetUtcNow().UtcDateTime,
            };
            var users = services.GetRequiredService<UserManager<AppUser>>();
            var result = await users.CreateAsync(user, pass);
            if (!result.Succeeded) throw new ArgumentException(string.Join("；", result.Errors.Select(e => e.Description)));
            await users.AddToRoleAsync(user, Roles.Admin);
            Console.WriteLine($"已创建管理员 / created admin '{user.UserName}' for {code}");
            if (parse.GetValue(password) is null) Console.WriteLine($"初始密码 / password (shown once): {pass}");
            return 0;
        }));
        return new Command("user", "manage users") { addAdmin };
    }

    /// <summary>
    /// <c>mineguard divisions villages --all | --county 410325</c>: loads the shipped village level (村级) now rather than
    /// on first need; codes already present (an administrator's villages among them) are left as they are.
    /// </summary>
    private static Command DivisionsCommand(WebApplication app)
    {
        var all = new Option<bool>("--all") { Description = "load the villages of the whole country (620,000)" };
        var county = new Option<string?>("--county") { Description = "load one county's villages, e.g. 410325" };
        var villages = new Command("villages", "load the statistical village level (12-digit codes) into the database") { all, county };
        villages.SetAction(parse => Run(app, "divisions villages", async (_, db) =>
        {
            var code = parse.GetValue(county) is { } text ? Division.NormalizeCode(text) : null;
            if (parse.GetValue(all) == (code is not null)) throw new ArgumentException("请指定 --all 或 --county 之一 / give either --all or --county");
            var started = System.Diagnostics.Stopwatch.StartNew();
            int added;
            if (code is null) added = await Villages.LoadAllAsync(db, CancellationToken.None);
            else
            {
                if (!await db.Divisions.AnyAsync(d => d.Code == code && d.Level == DivisionLevel.County))
                    throw new ArgumentException($"未知的县级区划代码 / unknown county code: {code}");
                added = await Villages.EnsureCountyAsync(db, code, null, CancellationToken.None);
            }
            if (added > 0)
            {
                db.AuditEvent("load-villages", nameof(Division), code ?? "*", $"载入 {added} 个村级区划（统计用区划代码 2022）");
                await db.SaveChangesAsync();
            }
            Console.WriteLine($"已载入 / loaded {added} villages in {started.Elapsed.TotalSeconds:F1} s");
            return 0;
        }));
        return new Command("divisions", "division codes") { villages };
    }

    private static Command AuditCommand(WebApplication app)
    {
        var verify = new Command("verify", "walk the audit hash chain, compare it with the signed checkpoints, then checkpoint the head");
        verify.SetAction(_ => Run(app, "audit verify", async (services, db) =>
        {
            var checkpoints = services.GetRequiredService<AuditCheckpoints>();
            var report = await checkpoints.VerifyAsync(db);
            if (!Print(report, checkpoints)) return 2;
            PrintOutcome(await checkpoints.WriteAsync(db), checkpoints);
            return 0;
        }));
        var checkpoint = new Command("checkpoint", "sign the audit chain's head now (when it moved and still extends the last checkpoint)");
        checkpoint.SetAction(_ => Run(app, "audit checkpoint", async (services, db) =>
        {
            var checkpoints = services.GetRequiredService<AuditCheckpoints>();
            var outcome = await checkpoints.WriteAsync(db);
            PrintOutcome(outcome, checkpoints);
            return outcome.Refused is null ? 0 : 2;
        }));
        var outDir = new Option<DirectoryInfo>("--out") { Description = "folder to write records, checkpoints and the public key to", Required = true };
        var export = new Command("export", "export the audit trail with its signed checkpoints for an auditor (tools/audit-verify)") { outDir };
        export.SetAction(parse => Run(app, "audit export", async (services, db) =>
        {
            var checkpoints = services.GetRequiredService<AuditCheckpoints>();
            var report = await checkpoints.VerifyAsync(db);
            var intact = Print(report, checkpoints);
            if (intact) PrintOutcome(await checkpoints.WriteAsync(db), checkpoints);
            var dir = parse.GetValue(outDir)!.FullName;
            var count = await AuditExport.WriteAsync(db, checkpoints, dir);
            Console.WriteLine($"已导出 / exported {count} records, the checkpoints and the public key to {dir}");
            Console.WriteLine("核验 / verify: dotnet run tools/audit-verify/verify.cs -- " + dir);
            return intact ? 0 : 2;
        }));
        return new Command("audit", "audit trail") { verify, checkpoint, export };
    }

    /// <summary>Prints a verification; true when the chain and the checkpoints agree.</summary>
    private static bool Print(AuditCheckpoints.Report report, AuditCheckpoints checkpoints)
    {
        var chain = report.Chain;
        if (chain.IsIntact) Console.WriteLine($"审计链完整 / audit chain intact: {chain.Checked} records verified");
        else Console.WriteLine($"审计链断裂 / audit chain BROKEN at record {chain.BrokenAt}: {chain.Reason} ({chain.Checked} records intact before it)");
        if (report.Latest is { } latest)
            Console.WriteLine($"检查点 / checkpoints: {report.CheckpointCount} signed by key {checkpoints.Key.KeyId} in {checkpoints.CheckpointFile}; latest: record {latest.Sequence} at {latest.AtUtc}");
        else
            Console.WriteLine($"尚无检查点 / no checkpoint yet in {checkpoints.CheckpointFile} (key {checkpoints.Key.KeyId})");
        foreach (var problem in report.Problems) Console.WriteLine(problem);
        return report.IsIntact;
    }

    private static void PrintOutcome(AuditCheckpoints.Outcome outcome, AuditCheckpoints checkpoints)
    {
        if (outcome.Refused is { } reason)
            Console.WriteLine($"未写检查点 / checkpoint REFUSED: {reason}");
        else if (outcome.Written is { } written)
            Console.WriteLine($"已写检查点 / checkpoint written: record {written.Sequence} at {written.AtUtc}, key {written.KeyId}, {checkpoints.CheckpointFile}");
        else
            Console.WriteLine($"检查点已是最新 / checkpoint up to date: record {outcome.Latest?.Sequence ?? 0}");
    }

    private static Command DbCommand(WebApplication app)
    {
        var migrate = new Command("migrate", "apply the schema and reference data, then exit");
        migrate.SetAction(_ => Run(app, "db migrate", async (_, db) =>
        {
            var versions = await db.Database.SqlQueryRaw<int>("SELECT version AS \"Value\" FROM __schema_versions").ToListAsync();
            Console.WriteLine($"数据库已是最新 / schema up to date at version {versions.Max()} ({db.Database.ProviderName})");
            return 0;
        }));
        return new Command("db", "database") { migrate };
    }

    private static Command SchemaCommand(WebApplication app)
    {
        var onlyNew = new Option<bool>("--new") { Description = "print only the statements no existing script has (the next migration)" };
        var script = new Command("script", "print the CREATE script the EF model wants (to write the next migration from)") { onlyNew };
        script.SetAction(parse =>
        {
            using var scope = app.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var wanted = db.Database.GenerateCreateScript();
            if (!parse.GetValue(onlyNew))
            {
                Console.WriteLine(wanted);
                return 0;
            }
            var existing = SchemaMigrator.Scripts(db.IsPostgres).SelectMany(s => Statements(s.Sql)).ToHashSet();
            foreach (var statement in Statements(wanted).Where(s => !existing.Contains(s))) Console.WriteLine(statement + ";\n");
            return 0;
        });
        return new Command("schema", "schema tools for developers") { script };
    }

    /// <summary>SQL statements without comments, for comparing what the model wants with what the scripts hold.</summary>
    private static IEnumerable<string> Statements(string sql) =>
        sql.Split(';').Select(s => string.Join('\n', s.Trim().Split('\n').Where(l => !l.TrimStart().StartsWith("--", StringComparison.Ordinal))).Trim())
            .Where(s => s.Length > 0);

    private static string GeneratePassword() =>
        "mg-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
}
