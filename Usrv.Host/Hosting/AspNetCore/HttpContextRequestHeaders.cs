using Microsoft.AspNetCore.Http;
using Usrv.Route;

namespace Usrv.Host.AspNetCore;

/// <summary>Adapts ASP.NET Core's <see cref="IHeaderDictionary"/> to <see cref="RequestHeaders"/> without copying.</summary>
internal sealed class HttpContextRequestHeaders(IHeaderDictionary headers) : RequestHeaders
{
    public override string? this[string name] => headers.TryGetValue(name, out var values) ? values.ToString() : null;

    public override IEnumerable<KeyValuePair<string, string>> All()
    {
        foreach (var (name, values) in headers) yield return new(name, values.ToString());
    }
}
