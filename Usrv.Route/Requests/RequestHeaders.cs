namespace Usrv.Route;

/// <summary>
/// Read-only view of a request's headers that a host adapts without copying
/// (HttpListener's <c>NameValueCollection</c>, ASP.NET Core's <c>IHeaderDictionary</c>).
/// Names are case-insensitive (RFC 9110 section 5.1).
/// </summary>
public abstract class RequestHeaders
{
    /// <summary>The value of header <paramref name="name"/> (repeated headers joined by <c>", "</c>), or <c>null</c>.</summary>
    public abstract string? this[string name] { get; }

    /// <summary>Every header as (name, value), names as the client sent them.</summary>
    public abstract IEnumerable<KeyValuePair<string, string>> All();

    private List<KeyValuePair<string, string>>? _listed;

    /// <summary>
    /// How many headers <see cref="At"/> gives: those of <see cref="All"/>. Hosts override it, with <see cref="At"/>, so that
    /// the stages that walk every header (limits, request validation) allocate nothing; by default <see cref="All"/> is
    /// listed once, on first use.
    /// </summary>
    public virtual int Count => Listed().Count;

    /// <summary>
    /// The header at <paramref name="index"/> (0 to <see cref="Count"/> - 1) as (name, value), in the order of
    /// <see cref="All"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside the headers.</exception>
    public virtual KeyValuePair<string, string> At(int index) => Listed()[index];

    private List<KeyValuePair<string, string>> Listed() => _listed ??= [.. All()];

    /// <summary>
    /// The size the limits stage measures, in characters: each header's name and value (repeated headers joined) plus
    /// 4 for the <c>": "</c> and line end (RFC 6585's 431 is judged on it).
    /// </summary>
    public long MeasureBytes()
    {
        long total = 0;
        for (int i = 0; i < Count; i++)
        {
            var (name, value) = At(i);
            total += name.Length + value.Length + 4;
        }
        return total;
    }

    /// <summary>
    /// The headers as usrv hands them to handlers: a dictionary keyed by lower-cased name.
    /// Allocates; the binder calls it only for bindings that ask for <c>headers</c>.
    /// </summary>
    public Dictionary<string, string> ToLowerCaseDictionary()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in All())
        {
            result[name.ToLowerInvariant()] = value;
        }
        return result;
    }

    /// <summary>
    /// The headers as usrv 0.4.3 hands them to handlers (<c>dict(self.headers)</c>): names as the host received them
    /// (HttpListener: as the client sent them; Kestrel: its canonical spelling for the headers it knows, e.g.
    /// <c>Content-Type</c>, and as sent for the others; HTTP/2: lower case, as RFC 9113 sends them), with lookups that
    /// ignore case. A name sent twice in different cases keeps its first spelling and the last value, as
    /// <see cref="ToLowerCaseDictionary"/> keeps the last value. Used under <see cref="RouterOptions.Usrv04Compatible"/>.
    /// </summary>
    public Dictionary<string, string> ToDictionary()
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in All())
        {
            if (!result.TryAdd(name, value)) result[name] = value; // the first spelling stays the key
        }
        return result;
    }

    /// <summary>An empty header set.</summary>
    public static RequestHeaders Empty { get; } = new DictionaryHeaders([]);

    /// <summary>Headers from (name, value) pairs: for tests, the client and custom hosts.</summary>
    public static RequestHeaders From(IEnumerable<KeyValuePair<string, string>> headers) => new DictionaryHeaders(headers);

    private sealed class DictionaryHeaders : RequestHeaders
    {
        private readonly List<KeyValuePair<string, string>> _items;
        private readonly Dictionary<string, string> _byName = new(StringComparer.OrdinalIgnoreCase);

        public DictionaryHeaders(IEnumerable<KeyValuePair<string, string>> headers)
        {
            _items = [.. headers];
            foreach (var (name, value) in _items)
            {
                _byName[name] = _byName.TryGetValue(name, out var prior) ? prior + ", " + value : value;
            }
        }

        public override string? this[string name] => _byName.GetValueOrDefault(name);

        public override IEnumerable<KeyValuePair<string, string>> All() => _items;

        public override int Count => _items.Count;

        public override KeyValuePair<string, string> At(int index) => _items[index];
    }
}
