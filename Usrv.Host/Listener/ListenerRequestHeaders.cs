using System.Collections.Specialized;
using Usrv.Route;

namespace Usrv.Host;

/// <summary>Adapts HttpListener's header collection to <see cref="RequestHeaders"/> without copying.</summary>
internal sealed class ListenerRequestHeaders(NameValueCollection headers) : RequestHeaders
{
    public override string? this[string name] => headers[name];

    public override IEnumerable<KeyValuePair<string, string>> All()
    {
        for (int i = 0; i < headers.Count; i++)
        {
            var name = headers.GetKey(i);
            var value = headers.Get(i);
            if (name is not null && value is not null) yield return new(name, value);
        }
    }

    // As the base, without an iterator per request.
    public override long MeasureBytes()
    {
        long total = 0;
        for (int i = 0; i < headers.Count; i++)
        {
            if (headers.GetKey(i) is { } name && headers.Get(i) is { } value) total += name.Length + value.Length + 4;
        }
        return total;
    }
}
