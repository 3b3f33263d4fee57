using System.Globalization;

namespace Usrv.Route;

/// <summary>
/// A typed capture of a route pattern (<c>&lt;int:b&gt;</c>): its name in the pattern and the parser
/// that decides whether a path segment matches and what value it captures.
/// A segment that does not parse does not match (usrv), so <c>/abc/test</c> is a 404 for <c>/&lt;int:b&gt;/&lt;a&gt;</c>.
/// </summary>
public sealed class RouteSegmentType
{
    private readonly Func<string, object?> _parse;

    private RouteSegmentType(string name, Type clrType, Func<string, object?> parse)
    {
        Name = name;
        ClrType = clrType;
        _parse = parse;
    }

    /// <summary>
    /// The type name used in patterns: <c>int</c>, <c>long</c>, <c>float</c>, <c>bool</c>, <c>str</c>, <c>guid</c> or
    /// <c>path</c>.
    /// </summary>
    public string Name { get; }

    /// <summary>The CLR type of captured values (<c>float</c> captures a <see cref="double"/>, as Python's float).</summary>
    public Type ClrType { get; }

    /// <summary>True for <c>path</c>: the capture takes the rest of the path, slashes included.</summary>
    public bool IsRest => Name == "path";

    /// <summary>Parses a decoded segment: the captured value, or <c>null</c> when the segment does not match.</summary>
    internal object? TryParse(string segment) => segment.Length == 0 ? null : _parse(segment);

    /// <summary>
    /// True when every segment <paramref name="other"/> accepts, this type accepts too: the same type, <c>str</c> for any
    /// one-segment type, <c>long</c> for <c>int</c>, <c>float</c> for <c>int</c> and <c>long</c>.
    /// </summary>
    internal bool Includes(RouteSegmentType other) =>
        Name == other.Name
        || (Name == "str" && !other.IsRest)
        || (Name == "long" && other.Name == "int")
        || (Name == "float" && other.Name is "int" or "long");

    private const NumberStyles IntegerStyle = NumberStyles.AllowLeadingSign;
    private const NumberStyles FloatStyle = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    private static readonly Dictionary<string, RouteSegmentType> Known = new(StringComparer.Ordinal)
    {
        ["str"] = new("str", typeof(string), s => s),
        ["string"] = new("str", typeof(string), s => s),
        ["int"] = new("int", typeof(int), s => int.TryParse(s, IntegerStyle, CultureInfo.InvariantCulture, out var v) ? v : null),
        ["long"] = new("long", typeof(long), s => long.TryParse(s, IntegerStyle, CultureInfo.InvariantCulture, out var v) ? v : null),
        ["float"] = new("float", typeof(double), s => double.TryParse(s, FloatStyle, CultureInfo.InvariantCulture, out var v) ? v : null),
        ["bool"] = new("bool", typeof(bool), s => ValueParsers.TryParseBool(s, out var v) ? v : null),
        ["guid"] = new("guid", typeof(Guid), s => Guid.TryParse(s, out var v) ? v : null),
        ["uuid"] = new("guid", typeof(Guid), s => Guid.TryParse(s, out var v) ? v : null),
        ["path"] = new("path", typeof(string), s => s),
    };

    /// <summary>Looks up a segment type by its pattern name.</summary>
    /// <exception cref="BindingException">The name is not one of the known types.</exception>
    public static RouteSegmentType Get(string name, string pattern) =>
        Known.TryGetValue(name, out var type)
            ? type
            : throw new BindingException(
                $"route pattern '{pattern}': unknown segment type '{name}' (known: int, long, float, bool, str, guid, path)");
}
