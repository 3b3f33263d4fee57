namespace Usrv.Route;

public sealed partial class Router
{
    /// <summary>
    /// Serves the files of <paramref name="directory"/> under <paramref name="prefix"/> to <c>GET</c> and <c>HEAD</c>
    /// (<c>usrv --static DIR[:PREFIX]</c>; README, Static files), as a fallback: a request that a binding or a built-in
    /// endpoint (<c>/puk</c>, <c>/openapi.json</c>) answers never reaches the files, and a path bound for other methods stays
    /// a 405. Folders are tried in the order mapped; no file anywhere: 404.
    /// </summary>
    /// <param name="directory">The folder served; its real path (symbolic links resolved) is taken now.</param>
    /// <param name="prefix">The URL path the folder is served under (normalised as routes are); <c>/</c> by default.</param>
    /// <returns>This router, for chaining.</returns>
    /// <remarks>
    /// <list type="bullet">
    /// <item>Content types from ASP.NET Core's <c>FileExtensionContentTypeProvider</c>; a file of an unknown extension is not
    /// served (404), as ASP.NET Core's <c>StaticFileMiddleware</c> does by default. Dot files (<c>.env</c>, <c>.git/</c>) are
    /// not served either (404), as its <c>PhysicalFileProvider</c>.</item>
    /// <item>A folder answers its <c>index.html</c>, with or without a trailing <c>/</c> (usrv paths drop it).</item>
    /// <item><c>ETag</c> (strong: length and modification time) and <c>Last-Modified</c>; 304 as for replies (RFC 9110
    /// section 13). <c>Range</c> on <c>GET</c> (RFC 9110 section 14): one range is a 206 with <c>Content-Range</c>, a range
    /// past the end a 416 with <c>Content-Range: bytes */length</c>; several ranges get the whole file (200), as
    /// <c>StaticFileMiddleware</c>; <c>If-Range</c> is honoured.</item>
    /// <item>Never a path outside the folder: a decoded dot-segment (<c>..</c>, <c>%2e%2e</c>), an encoded separator
    /// (<c>%2F</c>, <c>%5C</c>), a backslash, a NUL or an empty segment is a 400; a path whose real path (every symbolic link
    /// followed) leaves the folder is a 404.</item>
    /// <item>The body is streamed from the file (with a <c>Content-Length</c>). A sealed call gets the whole file, sealed,
    /// without 304 or ranges.</item>
    /// </list>
    /// </remarks>
    /// <exception cref="DirectoryNotFoundException"><paramref name="directory"/> is not a folder.</exception>
    public Router MapStaticFiles(string directory, string prefix = "/")
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(prefix);
        _staticFiles.Add(new StaticFileMount(directory, prefix));
        return this;
    }
}
