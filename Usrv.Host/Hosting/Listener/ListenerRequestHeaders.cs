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

    // Indexed, so that the stages walking every header allocate nothing.
    public override int Count => headers.Count;

    public override KeyValuePair<string, string> At(int index) => new(headers.GetKey(index) ?? "", headers.Get(index) ?? "");
}
