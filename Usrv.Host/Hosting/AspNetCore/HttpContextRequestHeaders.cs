using Microsoft.AspNetCore.Http;
using Usrv.Route;

namespace Usrv.Host.AspNetCore;

/// <summary>Adapts ASP.NET Core's <see cref="IHeaderDictionary"/> to <see cref="RequestHeaders"/>: lookups go to it without
/// copying; the list the limits and validation stages walk is copied once, into an array of the exact size.</summary>
internal sealed class HttpContextRequestHeaders(IHeaderDictionary headers) : RequestHeaders
{
    private KeyValuePair<string, string>[]? _listed;

    public override string? this[string name] => headers.TryGetValue(name, out var values) ? values.ToString() : null;

    public override IEnumerable<KeyValuePair<string, string>> All() => Listed();

    public override int Count => Listed().Length;

    public override KeyValuePair<string, string> At(int index) => Listed()[index];

    private KeyValuePair<string, string>[] Listed()
    {
        if (_listed is { } listed) return listed;
        listed = new KeyValuePair<string, string>[headers.Count];
        int i = 0;
        foreach (var (name, values) in headers)
        {
            if (i == listed.Length) break; // the dictionary cannot change during a request; guard anyway
            listed[i++] = new(name, values.ToString());
        }
        return _listed = i == listed.Length ? listed : listed[..i];
    }
}
