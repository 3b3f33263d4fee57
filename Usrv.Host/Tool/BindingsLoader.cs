using System.Reflection;
using System.Runtime.Loader;

namespace Usrv.Host;

/// <summary>
/// Finds BINDINGS assemblies as usrv finds its modules: by name, in the folders listed in <c>usrv.path</c>
/// (one folder per line, relative to the file; blank lines and <c>#</c> comments ignored).
/// A BINDINGS argument that is a path to a <c>.dll</c> is loaded as it is.
/// </summary>
public sealed class BindingsLoader
{
    /// <summary>The file name searched for, from the current folder and the program's folder upwards.</summary>
    public const string PathFileName = "usrv.path";

    /// <summary>Creates a loader over explicit folders (tests) — see <see cref="FromUsrvPath"/> for the usual one.</summary>
    public BindingsLoader(IReadOnlyList<string> folders, string? pathFile = null)
    {
        Folders = folders;
        PathFile = pathFile;
    }

    /// <summary>The folders searched, absolute, in order.</summary>
    public IReadOnlyList<string> Folders { get; }

    /// <summary>The <c>usrv.path</c> file the folders came from, or <c>null</c>.</summary>
    public string? PathFile { get; }

    /// <summary>
    /// A loader over the folders of the nearest <c>usrv.path</c>, looked for in the current folder and its parents,
    /// then in the program's folder and its parents. No file: no folders (paths to .dll files still load).
    /// </summary>
    public static BindingsLoader FromUsrvPath()
    {
        var file = FindUpwards(Environment.CurrentDirectory) ?? FindUpwards(AppContext.BaseDirectory);
        if (file is null) return new BindingsLoader([]);
        var root = Path.GetDirectoryName(file)!;
        var folders = File.ReadAllLines(file)
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => Path.GetFullPath(Path.Combine(root, line)))
            .ToList();
        return new BindingsLoader(folders, file);
    }

    /// <summary>Loads the assembly called <paramref name="name"/> (e.g. <c>Usrv.Samples</c>) from the first folder that has it.</summary>
    /// <exception cref="FileNotFoundException">No folder has it; the message lists the folders searched.</exception>
    /// <exception cref="BadImageFormatException">The file is not a .NET assembly.</exception>
    public Assembly Load(string name)
    {
        string? path = null;
        if (name.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) && File.Exists(name))
        {
            path = Path.GetFullPath(name);
        }
        else
        {
            var fileName = name.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? name : name + ".dll";
            path = Folders.Select(folder => Path.Combine(folder, fileName)).FirstOrDefault(File.Exists);
        }
        if (path is null)
        {
            var searched = Folders.Count == 0 ? "(none: no usrv.path file was found)" : string.Join(", ", Folders);
            throw new FileNotFoundException(
                $"bindings assembly '{name}' not found; folders searched{(PathFile is null ? "" : $" (from {PathFile})")}: {searched}",
                name);
        }
        var resolver = new AssemblyDependencyResolver(path);
        AssemblyLoadContext.Default.Resolving += (context, assemblyName) =>
            resolver.ResolveAssemblyToPath(assemblyName) is { } dependency ? context.LoadFromAssemblyPath(dependency) : null;
        return AssemblyLoadContext.Default.LoadFromAssemblyPath(path);
    }

    private static string? FindUpwards(string start)
    {
        for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, PathFileName);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
