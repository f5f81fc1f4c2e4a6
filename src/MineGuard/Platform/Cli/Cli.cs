using System.CommandLine;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Imports;
using MineGuard.Platform.Audit;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Platform.Cli;

/// <summary>Operator verbs in the same executable: <c>mineguard user add-admin</c>, <c>mineguard audit verify</c>…</summary>
public static class Cli
{
    private static readonly string[] Verbs = ["user", "audit", "db", "schema", "import", "--help", "-h", "-?"];

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
            UserCommand(app), AuditCommand(app), DbCommand(app), SchemaCommand(app), ImportCli.Command(app, Run),
        };
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

    private static Command AuditCommand(WebApplication app)
    {
        var verify = new Command("verify", "walk the audit hash chain and report the first break");
        verify.SetAction(_ => Run(app, "audit verify", async (_, db) =>
        {
            var result = await AuditChain.VerifyAsync(db);
            if (result.IsIntact)
            {
                Console.WriteLine($"审计链完整 / audit chain intact: {result.Checked} records verified");
                return 0;
            }
            Console.WriteLine($"审计链断裂 / audit chain BROKEN at record {result.BrokenAt}: {result.Reason} ({result.Checked} records intact before it)");
            return 2;
        }));
        return new Command("audit", "audit trail") { verify };
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
