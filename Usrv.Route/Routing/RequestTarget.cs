namespace Usrv.Route;

/// <summary>Splits a request-target (RFC 9112 section 3.2) into decoded path segments and the raw query.</summary>
internal static class RequestTarget
{
    /// <summary>Splits <paramref name="target"/>.</summary>
    /// <param name="target">Origin form <c>/a/b?x=1</c>, or absolute form <c>http://host/a/b?x=1</c>.</param>
    /// <param name="normalizedPath">The percent-decoded, normalised path (usrv: leading <c>/</c>, no trailing <c>/</c>).</param>
    /// <param name="segments">The decoded segments (none for <c>/</c>).</param>
    /// <param name="query">The query text after <c>?</c>, still encoded.</param>
    /// <exception cref="ProblemException">400 on malformed percent-encoding.</exception>
    public static void Split(string target, out string normalizedPath, out string[] segments, out ReadOnlySpan<char> query)
    {
        var span = target.AsSpan();
        if (span.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            || span.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            int authority = span.IndexOf("//", StringComparison.Ordinal) + 2;
            int slash = span[authority..].IndexOfAny('/', '?');
            span = slash < 0 ? "/" : span[(authority + slash)..];
        }
        int hash = span.IndexOf('#');
        if (hash >= 0) span = span[..hash];
        int mark = span.IndexOf('?');
        var path = mark < 0 ? span : span[..mark];
        query = mark < 0 ? [] : span[(mark + 1)..];

        path = path.Trim('/');
        if (path.IsEmpty)
        {
            normalizedPath = "/";
            segments = [];
            return;
        }
        segments = new string[path.Count('/') + 1];
        int i = 0;
        bool encoded = path.Contains('%');
        foreach (var range in path.Split('/'))
        {
            segments[i++] = encoded ? PercentDecoder.Decode(path[range], plusIsSpace: false) : path[range].ToString();
        }
        // A decoded '/' (from %2F) must not make a segment look like two: such paths skip the literal table.
        normalizedPath = !encoded ? string.Concat("/", path)
            : segments.Any(s => s.Contains('/')) ? "" : "/" + string.Join('/', segments);
    }

    /// <summary>The query text of <paramref name="target"/> after <c>?</c> and before any <c>#</c>, still encoded.</summary>
    public static ReadOnlySpan<char> QueryOf(string target)
    {
        var span = target.AsSpan();
        int hash = span.IndexOf('#');
        if (hash >= 0) span = span[..hash];
        int mark = span.IndexOf('?');
        return mark < 0 ? [] : span[(mark + 1)..];
    }

    /// <summary>The target without its query: query strings may carry secrets, so logs get the path only.</summary>
    public static string PathOnly(string target)
    {
        int mark = target.IndexOf('?');
        return mark < 0 ? target : target[..mark];
    }
}
