using System.Diagnostics;

namespace MineGuard.Tests.Infrastructure;

/// <summary>Runs the real executable's CLI verb (`mineguard &lt;verb&gt;`) as its own process against a test database.</summary>
public static class Cli
{
    public sealed record Result(int ExitCode, string Output);

    public static async Task<Result> RunAsync(string provider, string connectionString, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "mineguard.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["Database__Provider"] = provider == Databases.Postgres ? "Postgres" : "Sqlite";
        start.Environment[provider == Databases.Postgres ? "ConnectionStrings__Postgres" : "ConnectionStrings__Sqlite"] = connectionString;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in TestFiles.SettingsFor(connectionString)) start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout + await stderr);
    }
}
