using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Platform.Audit;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Platform.Audit;

/// <summary>
/// `mineguard audit export --out DIR` and the auditor's standalone verifier (tools/audit-verify/verify.cs): run for
/// real with `dotnet run` once, and compiled into this project (AUDIT_VERIFY_LIBRARY) for the tampered exports.
/// </summary>
public sealed class AuditExportTests
{
    [Theory, OnSqlite, OnPostgres]
    public async Task An_export_verifies_with_the_standalone_script_run_by_dotnet_run(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var dir = NewDirectory();
        var export = await Cli.RunAsync(provider, app.ConnectionString, "audit", "export", "--out", dir);
        Assert.True(export.ExitCode == 0, export.Output);
        foreach (var file in new[] { AuditExport.RecordsFile, AuditExport.CheckpointsFile, AuditExport.PublicKeyFile, "README.txt" })
            Assert.True(File.Exists(Path.Combine(dir, file)), file);
        var head = await AuditCheckpointTests.HeadAsync(app);
        Assert.Equal(head, File.ReadLines(Path.Combine(dir, AuditExport.RecordsFile)).LongCount());

        var (code, output) = await DotnetRunVerifierAsync(dir);
        Assert.True(code == 0, output);
        Assert.Contains("RESULT: INTACT", output, StringComparison.Ordinal);
        Assert.Contains($"latest covers record {head}", output, StringComparison.Ordinal);
        Assert.Contains("public key id: " + app.Services.GetRequiredService<AuditCheckpoints>().Key.KeyId, output, StringComparison.Ordinal);
        Directory.Delete(dir, true);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_standalone_verifier_finds_truncation_rewriting_and_forgery_in_an_export(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var dir = NewDirectory();
        var export = await Cli.RunAsync(provider, app.ConnectionString, "audit", "export", "--out", dir);
        Assert.True(export.ExitCode == 0, export.Output);
        var (ok, okOutput) = Verify(dir);
        Assert.True(ok == 0, okOutput);

        var truncated = Copy(dir);
        var records = File.ReadAllLines(Path.Combine(truncated, AuditExport.RecordsFile));
        File.WriteAllLines(Path.Combine(truncated, AuditExport.RecordsFile), records[..^3]);
        var (t, tOutput) = Verify(truncated);
        Assert.Equal(2, t);
        Assert.Contains($"TRUNCATED: the checkpoint signed", tOutput, StringComparison.Ordinal);

        var edited = Copy(dir);
        File.WriteAllLines(Path.Combine(edited, AuditExport.RecordsFile),
            records.Select((l, i) => i == 5 ? l.Replace("\"actorName\":\"", "\"actorName\":\"x", StringComparison.Ordinal) : l));
        var (e, eOutput) = Verify(edited);
        Assert.Equal(2, e);
        Assert.Contains("CHAIN BROKEN: record 6: content does not match its hash", eOutput, StringComparison.Ordinal);

        var forged = Copy(dir);
        var line = AuditCheckpoint.Parse(File.ReadAllLines(Path.Combine(forged, AuditExport.CheckpointsFile))[^1])!;
        File.AppendAllText(Path.Combine(forged, AuditExport.CheckpointsFile), (line with { Sequence = 3 }).ToJson() + "\n");
        var (f, fOutput) = Verify(forged);
        Assert.Equal(2, f);
        Assert.Contains("signature INVALID", fOutput, StringComparison.Ordinal);

        // Rewritten and re-chained in the database, then exported: the chain holds, the checkpoint does not.
        var head = await AuditCheckpointTests.HeadAsync(app);
        await AuditCheckpointTests.TamperAsync(app);
        await app.WithDbAsync(db => AuditCheckpointTests.RewriteAndRechainAsync(db, head - 3));
        var rewritten = NewDirectory();
        var tamperedExport = await Cli.RunAsync(provider, app.ConnectionString, "audit", "export", "--out", rewritten);
        Assert.Equal(2, tamperedExport.ExitCode);
        var (r, rOutput) = Verify(rewritten);
        Assert.Equal(2, r);
        Assert.Contains("hash chain intact", rOutput, StringComparison.Ordinal);
        Assert.Contains($"REWRITTEN: record {head} does not match the checkpoint", rOutput, StringComparison.Ordinal);
        foreach (var d in new[] { dir, truncated, edited, forged, rewritten }) Directory.Delete(d, true);
    }

    private static (int Code, string Output) Verify(string dir)
    {
        var output = new StringWriter();
        var code = MineGuard.AuditVerify.Verifier.Run([dir], output);
        return (code, output.ToString());
    }

    private static async Task<(int Code, string Output)> DotnetRunVerifierAsync(string dir)
    {
        var root = RepositoryRoot();
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "run", "tools/audit-verify/verify.cs", "--", dir }) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MineGuard.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    private static string NewDirectory() => Path.Combine(Path.GetTempPath(), "mineguard-tests", "export-" + Guid.NewGuid().ToString("N"));

    private static string Copy(string dir)
    {
        var copy = NewDirectory();
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(dir)) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        return copy;
    }
}
