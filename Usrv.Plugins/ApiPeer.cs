using Usrv.Route.Client;

namespace Usrv.Plugins;

/// <summary>
/// A <see cref="Peer"/> aimed at a third-party API: checks the base URL (a path in it prefixes every call), copies the
/// caller's <see cref="PeerOptions"/> without the usrv-only settings (identity, server key: a third-party API neither
/// seals nor signs), and adds the plugin's default headers.
/// </summary>
internal sealed class ApiPeer : IDisposable
{
    private readonly Peer _peer;

    /// <param name="api">The API's name for messages, e.g. <c>Pinata</c>.</param>
    /// <param name="baseUrl">The API's base URL, e.g. <c>https://api.pinata.cloud</c>; a path is kept as a prefix.</param>
    /// <param name="options">Timeout, handler, extra headers; <c>null</c> for the defaults.</param>
    /// <param name="headers">Headers sent with every call (they replace the caller's of the same name).</param>
    /// <exception cref="ArgumentException">The base URL is not an absolute http:// or https:// URL, or has a query.</exception>
    public ApiPeer(string api, string baseUrl, PeerOptions? options, IEnumerable<KeyValuePair<string, string>> headers)
    {
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"the {api} base URL '{baseUrl}' is not an absolute http:// or https:// URL", nameof(baseUrl));
        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
            throw new ArgumentException($"the {api} base URL '{baseUrl}' must not carry a query or a fragment", nameof(baseUrl));
        BaseAddress = new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");
        var copy = new PeerOptions();
        if (options is not null)
        {
            copy.Timeout = options.Timeout;
            copy.Handler = options.Handler;
            copy.Multipart = options.Multipart;
            foreach (var (name, value) in options.Headers) copy.Headers[name] = value;
        }
        foreach (var (name, value) in headers) copy.Headers[name] = value;
        _peer = new Peer(BaseAddress.ToString(), copy);
    }

    /// <summary>The API's base URL, ending with <c>/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>A call to <paramref name="pathAndQuery"/> (relative to the base URL, already percent-encoded).</summary>
    public PeerCall Call(HttpMethod method, string pathAndQuery) => new(method, "/" + pathAndQuery.TrimStart('/'));

    /// <summary>Sends <paramref name="call"/> and returns the answer whatever its status.</summary>
    public Task<PeerResponse> SendAsync(PeerCall call, CancellationToken cancellationToken) => _peer.SendAsync(call, cancellationToken);

    /// <inheritdoc/>
    public void Dispose() => _peer.Dispose();
}
