namespace Usrv.Route;

/// <summary>
/// The decoded query of a request: (name, value) pairs in the order sent, repeats kept
/// (<c>application/x-www-form-urlencoded</c> rules: <c>&amp;</c> separates, <c>+</c> is a space).
/// A pair without <c>=</c> has the empty value; empty pairs (<c>a=1&amp;&amp;b=2</c>) are skipped.
/// </summary>
public sealed class QueryString
{
    private readonly KeyValuePair<string, string>[] _pairs;

    private QueryString(KeyValuePair<string, string>[] pairs) => _pairs = pairs;

    /// <summary>The empty query.</summary>
    public static QueryString Empty { get; } = new([]);

    /// <summary>The pairs in the order sent.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Pairs => _pairs;

    /// <summary>The number of pairs.</summary>
    public int Count => _pairs.Length;

    /// <summary>The last value sent for <paramref name="name"/> (usrv: the last value wins), or <c>null</c>.</summary>
    public string? Last(string name)
    {
        for (int i = _pairs.Length - 1; i >= 0; i--)
        {
            if (string.Equals(_pairs[i].Key, name, StringComparison.Ordinal)) return _pairs[i].Value;
        }
        return null;
    }

    /// <summary>Every value sent for <paramref name="name"/>, in order.</summary>
    public List<string> All(string name)
    {
        var values = new List<string>();
        foreach (var pair in _pairs)
        {
            if (string.Equals(pair.Key, name, StringComparison.Ordinal)) values.Add(pair.Value);
        }
        return values;
    }

    /// <summary>Parses the query part of a URL (without the leading <c>?</c>).</summary>
    /// <exception cref="ProblemException">400 on malformed percent-encoding.</exception>
    public static QueryString Parse(ReadOnlySpan<char> query)
    {
        if (query.IsEmpty) return Empty;
        int count = query.Count('&') + 1;
        var pairs = new KeyValuePair<string, string>[count];
        int n = 0;
        foreach (var range in query.Split('&'))
        {
            var part = query[range];
            if (part.IsEmpty) continue;
            int eq = part.IndexOf('=');
            var key = eq < 0 ? part : part[..eq];
            var value = eq < 0 ? [] : part[(eq + 1)..];
            pairs[n++] = new(PercentDecoder.Decode(key, plusIsSpace: true), PercentDecoder.Decode(value, plusIsSpace: true));
        }
        if (n != pairs.Length) Array.Resize(ref pairs, n);
        return new QueryString(pairs);
    }
}
