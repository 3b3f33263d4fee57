namespace Usrv.Route;

/// <summary>
/// A usrv route pattern: literal segments and captures, <c>/&lt;name&gt;</c> or <c>/&lt;type:name&gt;</c>
/// with the types of <see cref="RouteSegmentType"/>. <c>&lt;path:name&gt;</c> takes the rest of the path and
/// must be the last segment; its value never holds a dot-segment, an empty segment, a NUL or a backslash
/// (<see cref="Refusal"/>). Parsed once, at bind time.
/// </summary>
/// <remarks>
/// Paths are normalised as usrv does: a leading <c>/</c> is added and a trailing <c>/</c> dropped,
/// so <c>test/</c>, <c>/test</c> and <c>/test/</c> are the same pattern. Literal segments compare
/// case-sensitively, after percent-decoding of the request path.
/// </remarks>
public sealed class RoutePattern
{
    private readonly Segment[] _segments;

    private RoutePattern(string text, Segment[] segments)
    {
        Text = text;
        _segments = segments;
        Captures = [.. segments.Where(s => s.Type is not null).Select(s => new RouteCapture(s.Text, s.Type!))];
    }

    /// <summary>The normalised pattern text, e.g. <c>/&lt;int:b&gt;/&lt;a&gt;</c>.</summary>
    public string Text { get; }

    /// <summary>The captures in pattern order.</summary>
    public IReadOnlyList<RouteCapture> Captures { get; }

    /// <summary>True when the pattern has no captures (matched by a dictionary lookup).</summary>
    public bool IsLiteral => Captures.Count == 0;

    /// <inheritdoc/>
    public override string ToString() => Text;

    /// <summary>Normalises a path as usrv does: leading <c>/</c> added, trailing <c>/</c> dropped (<c>/</c> stays <c>/</c>).</summary>
    public static string Normalize(string path)
    {
        var trimmed = path.AsSpan().TrimEnd('/');
        if (trimmed.IsEmpty) return "/";
        return trimmed[0] == '/' ? (trimmed.Length == path.Length ? path : trimmed.ToString()) : string.Concat("/", trimmed);
    }

    /// <summary>Parses a pattern.</summary>
    /// <exception cref="BindingException">
    /// Unbalanced brackets, an empty or duplicate capture name, an unknown type, or <c>path</c> not last.
    /// </exception>
    public static RoutePattern Parse(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var text = Normalize(pattern.Trim());
        var parts = text == "/" ? [] : text[1..].Split('/');
        var segments = new Segment[parts.Length];
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            if (part.StartsWith('<') && part.EndsWith('>'))
            {
                var inner = part[1..^1];
                int colon = inner.IndexOf(':');
                var typeName = colon < 0 ? "str" : inner[..colon].Trim();
                var name = (colon < 0 ? inner : inner[(colon + 1)..]).Trim();
                if (name.Length == 0 || !IsIdentifier(name))
                    throw new BindingException($"route pattern '{pattern}': capture '{part}' needs a name made of letters, digits and '_'");
                if (!names.Add(name))
                    throw new BindingException($"route pattern '{pattern}': capture name '{name}' appears twice");
                var type = RouteSegmentType.Get(typeName, pattern);
                if (type.IsRest && i != parts.Length - 1)
                {
                    throw new BindingException(
                        $"route pattern '{pattern}': '<path:{name}>' takes the rest of the path and must be the last segment");
                }
                segments[i] = new Segment(name, type);
            }
            else if (part.Contains('<') || part.Contains('>'))
            {
                throw new BindingException(
                    $"route pattern '{pattern}': segment '{part}' mixes text and a capture; " +
                    "a capture takes a whole segment, e.g. '/<int:id>'");
            }
            else if (part.Length == 0)
            {
                throw new BindingException($"route pattern '{pattern}': empty segment ('//')");
            }
            else
            {
                segments[i] = new Segment(part, null);
            }
        }
        return new RoutePattern(text, segments);
    }

    /// <summary>
    /// Matches decoded path segments; fills <paramref name="values"/> (one slot per capture) on success,
    /// or only checks when it is <c>null</c> (so that patterns that do not match allocate nothing).
    /// </summary>
    internal bool TryMatch(string[] path, RouteValue[]? values)
    {
        var segments = _segments;
        bool rest = segments.Length > 0 && segments[^1].Type is { IsRest: true };
        if (rest ? path.Length < segments.Length : path.Length != segments.Length) return false;
        int capture = 0;
        for (int i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (segment.Type is null)
            {
                if (!string.Equals(segment.Text, path[i], StringComparison.Ordinal)) return false;
                continue;
            }
            var raw = segment.Type.IsRest ? string.Join('/', path, i, path.Length - i) : path[i];
            var value = segment.Type.TryParse(raw);
            if (value is null) return false;
            if (values is not null) values[capture++] = new RouteValue(raw, value);
        }
        return true;
    }

    /// <summary>
    /// The 400 of a match whose <c>path</c> capture is not a safe relative path (<see cref="PathCapture"/>), or <c>null</c>.
    /// Matching accepts such a value, so that the request is refused by the binding it reached rather than with a 404.
    /// </summary>
    internal ProblemException? Refusal(RouteValue[] values) =>
        _segments.Length > 0 && _segments[^1].Type is { IsRest: true } ? PathCapture.Check(_segments[^1].Text, values[^1].Raw) : null;

    /// <summary>
    /// True when this pattern matches every path that <paramref name="other"/> matches (segment by segment: a literal covers
    /// the same literal, a capture covers a literal it parses and the captures whose values it accepts, and <c>path</c> covers
    /// the rest). Conservative: false when a path might escape it, so that only a sure shadow is refused at bind time.
    /// </summary>
    internal bool Covers(RoutePattern other)
    {
        var mine = _segments;
        var theirs = other._segments;
        bool rest = mine.Length > 0 && mine[^1].Type is { IsRest: true };
        bool theirRest = theirs.Length > 0 && theirs[^1].Type is { IsRest: true };
        if (rest ? theirs.Length < mine.Length : theirRest || theirs.Length != mine.Length) return false;
        for (int i = 0; i < mine.Length; i++)
        {
            var (a, b) = (mine[i], theirs[i]);
            if (a.Type is { IsRest: true }) return true; // the rest of the path, one segment or more, whatever it holds
            bool covered = a.Type is null ? b.Type is null && string.Equals(a.Text, b.Text, StringComparison.Ordinal)
                : b.Type is null ? a.Type.TryParse(b.Text) is not null
                : a.Type.Includes(b.Type);
            if (!covered) return false;
        }
        return true;
    }

    private static bool IsIdentifier(string name) => name.All(c => char.IsLetterOrDigit(c) || c == '_');

    private readonly record struct Segment(string Text, RouteSegmentType? Type);
}

/// <summary>A capture of a route pattern: its name and segment type.</summary>
/// <param name="Name">The capture name, matched against parameter names.</param>
/// <param name="Type">The segment type that parses it.</param>
public sealed record RouteCapture(string Name, RouteSegmentType Type);

