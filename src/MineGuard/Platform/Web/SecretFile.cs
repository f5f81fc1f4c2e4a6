namespace MineGuard.Platform.Web;

/// <summary>Writing a secret file once: owner-only permissions, and two processes starting together keep one key.</summary>
public static class SecretFile
{
    /// <summary>Creates <paramref name="path"/> with the text unless it exists; false when another writer came first.</summary>
    public static bool TryCreate(string path, string text)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temp, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(text);
        }
        try
        {
            File.Move(temp, path, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temp);
            return false;
        }
    }

    /// <summary>A configured path, or the default, relative to the content root (like the SQLite file).</summary>
    public static string Resolve(IConfiguration config, IHostEnvironment env, string key, string fallback) =>
        System.IO.Path.GetFullPath(config[key] is { Length: > 0 } configured ? configured : fallback, env.ContentRootPath);
}
