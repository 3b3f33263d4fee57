namespace Usrv.Route.Client;

/// <summary>
/// usrv's <c>req</c> module: a default peer set by <see cref="ConnectAsync"/> and endpoint builders that call it,
/// for scripts that talk to one server. <c>_peer:</c> sends a single call elsewhere.
/// </summary>
/// <example><code>
/// await Req.ConnectAsync("http://127.0.0.1:5000");
/// var answer = await Req.Get.test(a: 1);      // GET /test?a=1
/// </code></example>
public static class Req
{
    private static Peer? _default;

    /// <summary>The peer calls go to when they name no <c>_peer</c>; <c>null</c> until <see cref="ConnectAsync"/>.</summary>
    public static Peer? Default => Volatile.Read(ref _default);

    /// <summary>Connects to <paramref name="baseAddress"/> (HEAD /) and makes it the default peer.</summary>
    /// <returns>The status of <c>HEAD /</c>.</returns>
    /// <exception cref="ArgumentException">Not an http(s) URL.</exception>
    /// <exception cref="HttpRequestException">The server cannot be reached.</exception>
    public static async Task<int> ConnectAsync(
        string baseAddress, PeerOptions? options = null, CancellationToken cancellationToken = default)
    {
        var peer = await Peer.ConnectAsync(baseAddress, options, cancellationToken).ConfigureAwait(false);
        Interlocked.Exchange(ref _default, peer)?.Dispose();
        return peer.Status;
    }

    /// <summary>Forgets the default peer (later calls without <c>_peer</c> fail before any I/O).</summary>
    public static void Disconnect() => Interlocked.Exchange(ref _default, null)?.Dispose();

    /// <summary>GET builder on the default peer.</summary>
    public static dynamic Get => new EndpointBuilder(null, HttpMethod.Get, []);

    /// <summary>HEAD builder on the default peer.</summary>
    public static dynamic Head => new EndpointBuilder(null, HttpMethod.Head, []);

    /// <summary>POST builder on the default peer.</summary>
    public static dynamic Post => new EndpointBuilder(null, HttpMethod.Post, []);

    /// <summary>PUT builder on the default peer.</summary>
    public static dynamic Put => new EndpointBuilder(null, HttpMethod.Put, []);

    /// <summary>PATCH builder on the default peer.</summary>
    public static dynamic Patch => new EndpointBuilder(null, HttpMethod.Patch, []);

    /// <summary>DELETE builder on the default peer.</summary>
    public static dynamic Delete => new EndpointBuilder(null, HttpMethod.Delete, []);

    /// <summary>OPTIONS builder on the default peer.</summary>
    public static dynamic Options => new EndpointBuilder(null, HttpMethod.Options, []);
}
