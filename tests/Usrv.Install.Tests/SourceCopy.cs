using System.Diagnostics;

namespace Usrv.Install.Tests;

/// <summary>
/// The repository under test and a copy of its sources to pack from, so that packing never writes into the tree
/// that <c>dotnet test Usrv.sln</c> is building and testing at the same time (its obj/ and bin/ folders).
/// </summary>
public static class SourceCopy
{
    private static readonly string[] SkippedFolders = ["bin", "obj", ".git", "artifacts", "TestResults", "BenchmarkDotNet.Artifacts"];

    /// <summary>The nearest folder above the tests that holds <c>Usrv.sln</c>.</summary>
    public static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Usrv.sln"))) return folder.FullName;
        }
        throw new InvalidOperationException($"no Usrv.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>
    /// Copies the working tree's sources from <paramref name="root"/> to <paramref name="destination"/>: in a git checkout
    /// the files git lists (tracked and untracked, less the ignored ones), as they are on disk, uncommitted edits
    /// included; elsewhere every file outside bin/, obj/ and the other build outputs.
    /// </summary>
    /// <returns>How many files were copied.</returns>
    public static int CopyTo(string root, string destination)
    {
        var files = GitListedFiles(root) ?? WalkedFiles(root);
        var copied = 0;
        foreach (var relative in files)
        {
            var source = Path.Combine(root, relative);
            if (!File.Exists(source)) continue; // deleted in the working tree, not yet committed
            var target = Path.Combine(destination, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target);
            copied++;
        }
        return copied;
    }

    private static List<string>? GitListedFiles(string root)
    {
        try
        {
            var start = new ProcessStartInfo("git")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[] { "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard" }) start.ArgumentList.Add(arg);
            using var git = Process.Start(start)!;
            var errors = git.StandardError.ReadToEndAsync();
            var listed = git.StandardOutput.ReadToEnd();
            if (!git.WaitForExit(60_000))
            {
                git.Kill(entireProcessTree: true);
                return null;
            }
            _ = errors.Result;
            if (git.ExitCode != 0) return null;
            var files = listed.Split('\0', StringSplitOptions.RemoveEmptyEntries).ToList();
            return files.Count == 0 ? null : files;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no git on this machine
        }
    }

    private static IEnumerable<string> WalkedFiles(string root)
    {
        var pending = new Stack<string>([root]);
        while (pending.Count > 0)
        {
            var folder = pending.Pop();
            foreach (var file in Directory.EnumerateFiles(folder)) yield return Path.GetRelativePath(root, file);
            foreach (var sub in Directory.EnumerateDirectories(folder))
            {
                if (!SkippedFolders.Contains(Path.GetFileName(sub))) pending.Push(sub);
            }
        }
    }
}
