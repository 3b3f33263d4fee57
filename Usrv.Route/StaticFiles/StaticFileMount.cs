using Microsoft.AspNetCore.StaticFiles;

namespace Usrv.Route;

/// <summary>
/// One folder served under a path prefix (<see cref="Router.MapStaticFiles"/>; README, Static files): the request's decoded
/// segments after the prefix name a file under the folder, which is served only when its real path (every symbolic link
/// followed) stays under the folder's real path.
/// </summary>
internal sealed class StaticFileMount
{
    private const int MaxLinks = 40; // as Linux's SYMLOOP_MAX
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();
    private readonly string[] _prefix;

    public StaticFileMount(string directory, string prefix)
    {
        var full = Path.GetFullPath(directory);
        if (!Directory.Exists(full)) throw new DirectoryNotFoundException($"static files: no folder {full}");
        Root = RealPath(full) ?? throw new DirectoryNotFoundException($"static files: {full} cannot be resolved");
        Prefix = RoutePattern.Normalize(prefix.Trim());
        _prefix = Prefix == "/" ? [] : Prefix[1..].Split('/');
    }

    /// <summary>The folder's real path (symbolic links resolved).</summary>
    public string Root { get; }

    /// <summary>The normalised URL prefix, e.g. <c>/</c> or <c>/assets</c>.</summary>
    public string Prefix { get; }

    /// <summary>
    /// The answer for <paramref name="segments"/> (decoded, under any prefix), or <c>null</c> when the prefix does not match or
    /// no file is there (so that the next mount, or the 404, answers).
    /// </summary>
    public UsrvResponse? Answer(UsrvRequest request, string[] segments, bool sealedCall)
    {
        if (segments.Length < _prefix.Length) return null;
        for (int i = 0; i < _prefix.Length; i++)
        {
            if (!string.Equals(segments[i], _prefix[i], StringComparison.Ordinal)) return null;
        }
        var rest = segments.AsSpan(_prefix.Length);
        foreach (var segment in rest)
        {
            if (Fault(segment) is { } fault)
                throw new ProblemException(400, $"the path {fault}: static files are named by plain relative paths");
            if (segment.StartsWith('.')) return null; // dot files (.git, .env) are not served, as ASP.NET Core's PhysicalFileProvider
        }
        var lexical = Path.GetFullPath(Path.Join(Root, string.Join(Path.DirectorySeparatorChar, rest.ToArray())));
        if (!IsUnder(lexical, Root)) return null;
        var real = RealPath(lexical);
        if (real is null || !IsUnder(real, Root)) return null;
        var name = rest.IsEmpty ? "" : rest[^1];
        if (Directory.Exists(real))
        {
            real = RealPath(Path.Join(real, "index.html"));
            if (real is null || !IsUnder(real, Root)) return null;
            name = "index.html";
        }
        var file = new FileInfo(real);
        if (!file.Exists || !ContentTypes.TryGetContentType(name, out var contentType)) return null;
        return StaticFileResponse.Create(request, file, contentType, sealedCall);
    }

    // What makes a decoded segment unsafe (400): as a path capture (DESIGN, Binding), and separators decoded from %2F/%5C.
    private static string? Fault(string segment) =>
        segment.Length == 0 ? "has an empty segment"
        : segment is "." or ".." ? "has a dot-segment"
        : segment.Contains('\0') ? "has a NUL"
        : segment.Contains('\\') ? "has a backslash"
        : segment.Contains('/') ? "has an encoded '/'"
        : Path.IsPathRooted(segment) || segment.Contains(':') && OperatingSystem.IsWindows() ? "is absolute"
        : null;

    private static bool IsUnder(string path, string root) =>
        path.Length > root.Length
            ? path.StartsWith(root, StringComparison.Ordinal)
              && (root.EndsWith(Path.DirectorySeparatorChar) || path[root.Length] == Path.DirectorySeparatorChar)
            : string.Equals(path, root, StringComparison.Ordinal);

    /// <summary>
    /// The real path of the absolute <paramref name="path"/>: each component's symbolic link followed (relative targets from
    /// the link's folder), as <c>realpath(3)</c>; <c>null</c> when a component does not exist or links loop.
    /// </summary>
    internal static string? RealPath(string path)
    {
        int links = 0;
        var root = Path.GetPathRoot(path)!;
        var pending = new Stack<string>(path[root.Length..].Split(
            Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Reverse());
        var current = root;
        while (pending.TryPop(out var part))
        {
            if (part == ".") continue;
            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }
            var next = Path.Join(current, part);
            if (!File.Exists(next) && !Directory.Exists(next)) return null;
            if (new FileInfo(next).LinkTarget is not { } target)
            {
                current = next;
                continue;
            }
            if (++links > MaxLinks) return null;
            var absolute = Path.IsPathRooted(target) ? target : Path.Join(current, target);
            var targetRoot = Path.GetPathRoot(absolute)!;
            foreach (var item in absolute[targetRoot.Length..].Split(
                         Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Reverse())
            {
                pending.Push(item);
            }
            current = targetRoot;
        }
        return current;
    }
}
