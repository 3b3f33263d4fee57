namespace Usrv.Route.Client;

/// <summary>
/// Named values of a call, from what a caller hands over: an anonymous object (its readable properties, in declaration
/// order), a dictionary, or a sequence of pairs. Used for the typed API's values and for usrv's <c>_headers</c>.
/// </summary>
internal static class NamedValues
{
    /// <summary>The pairs of <paramref name="values"/>; none for <c>null</c>.</summary>
    public static IEnumerable<KeyValuePair<string, object?>> Of(object? values) => values switch
    {
        null => [],
        IEnumerable<KeyValuePair<string, object?>> pairs => pairs,
        IEnumerable<KeyValuePair<string, string>> pairs => pairs.Select(p => new KeyValuePair<string, object?>(p.Key, p.Value)),
        System.Collections.IDictionary dictionary =>
            dictionary.Keys.Cast<object>().Select(k => new KeyValuePair<string, object?>(k.ToString()!, dictionary[k])),
        _ => values.GetType().GetProperties().Where(p => p.CanRead && p.GetIndexParameters().Length == 0)
            .Select(p => new KeyValuePair<string, object?>(p.Name, p.GetValue(values))),
    };
}
