namespace Usrv.Route;

/// <summary>
/// The rule of <c>&lt;path:name&gt;</c> values (DESIGN, Binding): after percent-decoding, a path capture is a relative
/// path of non-empty segments with no dot-segment (<c>.</c>, <c>..</c>, RFC 3986 section 3.3), no NUL and no backslash,
/// so that a handler can join it to a folder. A value that breaks it is a 400 naming the capture, never a 404: the path
/// matched, the value is refused. The same rule holds for a query value that overrides a path capture of its name.
/// </summary>
internal static class PathCapture
{
    /// <summary>What is wrong with <paramref name="value"/> as a path capture, or <c>null</c> when nothing is.</summary>
    public static string? Fault(string value)
    {
        var span = value.AsSpan();
        if (span.Contains('\0')) return "has a NUL";
        if (span.Contains('\\')) return "has a backslash";
        foreach (var range in span.Split('/'))
        {
            var segment = span[range];
            if (segment.IsEmpty) return span.Length == 0 ? "is empty" : "has an empty segment";
            if (segment is "." or "..") return "has a dot-segment";
        }
        return null;
    }

    /// <summary>The 400 for <paramref name="value"/> as capture <paramref name="name"/>, or <c>null</c> when it is a safe path.</summary>
    public static ProblemException? Check(string name, string value) =>
        Fault(value) is { } fault
            ? new ProblemException(
                400,
                $"parameter '{name}': the path '{(value.Length > 64 ? value[..64] + "..." : value)}' {fault}; a path capture is "
                + "a relative path of non-empty segments without '.', '..', NUL or backslash")
            : null;
}
