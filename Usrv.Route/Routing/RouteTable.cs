namespace Usrv.Route;

/// <summary>
/// An immutable snapshot of the bindings, indexed for matching: literal paths by dictionary lookup,
/// patterns with captures tried in the order bound. Rebuilt on each bind (copy-on-write), so matching needs no lock.
/// </summary>
internal sealed class RouteTable
{
    public static readonly RouteTable Empty = new([], new(StringComparer.Ordinal), []);

    private readonly Dictionary<string, Entry> _literals;
    private readonly Entry[] _patterns;

    private RouteTable(Binding[] all, Dictionary<string, Entry> literals, Entry[] patterns)
    {
        All = all;
        _literals = literals;
        _patterns = patterns;
    }

    public IReadOnlyList<Binding> All { get; }

    /// <summary>
    /// A new table with <paramref name="added"/>; throws (leaving this table as is) on a duplicate, or on a pattern that an
    /// earlier one shadows.
    /// </summary>
    public RouteTable With(IReadOnlyList<Binding> added)
    {
        var all = All.Concat(added).ToArray();
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        var order = new List<Entry>();
        foreach (var binding in all)
        {
            if (!entries.TryGetValue(binding.Pattern.Text, out var entry))
            {
                entry = new Entry(binding.Pattern);
                entries.Add(binding.Pattern.Text, entry);
                order.Add(entry);
            }
            foreach (var method in binding.Methods)
            {
                if (entry.ByMethod.TryGetValue(method, out var prior))
                {
                    throw new BindingException(
                        $"{method} {binding.Pattern} is bound twice: by {prior.HandlerName} and by {binding.HandlerName}");
                }
                entry.ByMethod.Add(method, binding);
            }
        }
        RefuseShadows([.. order.Where(e => !e.Pattern.IsLiteral)], added.ToHashSet());
        foreach (var entry in order) entry.Freeze();
        var literals = order.Where(e => e.Pattern.IsLiteral).ToDictionary(e => e.Pattern.Text, StringComparer.Ordinal);
        return new RouteTable(all, literals, [.. order.Where(e => !e.Pattern.IsLiteral)]);
    }

    // Literal paths are looked up before any pattern, so only a pattern can shadow, and only a pattern tried before it:
    // a later pattern whose every path an earlier one matches, under a method the earlier one answers, is never reached.
    // Only pairs with a binding just added are compared, so that binding one endpoint at a time stays linear.
    private static void RefuseShadows(List<Entry> patterns, HashSet<Binding> added)
    {
        var touched = patterns.Select(e => e.ByMethod.Values.Any(added.Contains)).ToArray();
        for (int later = 1; later < patterns.Count; later++)
        {
            for (int earlier = 0; earlier < later; earlier++)
            {
                if (!touched[earlier] && !touched[later]) continue;
                var (first, second) = (patterns[earlier], patterns[later]);
                if (!first.Pattern.Covers(second.Pattern)) continue;
                foreach (var (method, unreachable) in second.ByMethod)
                {
                    if (first.Find(method) is not { } taker) continue;
                    throw new BindingException(
                        $"{method} {second.Pattern} ({unreachable.HandlerName}) can never be reached: " +
                        $"{string.Join(",", taker.Methods)} {first.Pattern} ({taker.HandlerName}) is tried first and matches " +
                        "every path it matches; make the patterns differ, or bind the narrower one first");
                }
            }
        }
    }

    /// <summary>
    /// Finds the binding for <paramref name="method"/> and a decoded path; else the <c>Allow</c> list when the path matches under
    /// other methods.
    /// </summary>
    public RouteMatch Find(string method, string path, string[] segments)
    {
        string? allow = null;
        if (_literals.TryGetValue(path, out var literal))
        {
            if (literal.Find(method) is { } binding) return new RouteMatch(binding, [], null);
            allow = literal.Allow;
        }
        foreach (var entry in _patterns)
        {
            if (!entry.Pattern.TryMatch(segments, null)) continue;
            if (entry.Find(method) is { } binding)
            {
                var values = new RouteValue[entry.Pattern.Captures.Count];
                entry.Pattern.TryMatch(segments, values);
                return new RouteMatch(binding, values, null);
            }
            allow = allow is null ? entry.Allow : MergeAllow(allow, entry.Allow);
        }
        return new RouteMatch(null, [], allow);
    }

    private static string MergeAllow(string a, string b) =>
        string.Join(", ", a.Split(", ").Concat(b.Split(", ")).Distinct().Order(StringComparer.Ordinal));

    public readonly record struct RouteMatch(Binding? Binding, RouteValue[] Captures, string? Allow);

    private sealed class Entry(RoutePattern pattern)
    {
        public RoutePattern Pattern { get; } = pattern;
        public Dictionary<string, Binding> ByMethod { get; } = new(StringComparer.Ordinal);
        public string Allow { get; private set; } = "";

        public void Freeze()
        {
            var methods = ByMethod.Keys.ToHashSet(StringComparer.Ordinal);
            if (methods.Contains("GET")) methods.Add("HEAD");
            Allow = string.Join(", ", methods.Order(StringComparer.Ordinal));
        }

        // RFC 9110 section 9.3.2: HEAD is answered like GET when no HEAD binding exists.
        public Binding? Find(string method) =>
            ByMethod.TryGetValue(method, out var binding) ? binding
            : method == "HEAD" && ByMethod.TryGetValue("GET", out var get) ? get
            : null;
    }
}
