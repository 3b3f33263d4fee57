using Microsoft.Extensions.Logging;
using Usrv.Crypto;

namespace Usrv.Route.Client;

/// <summary>Settings of a <see cref="Peer"/>.</summary>
public sealed class PeerOptions
{
    /// <summary>Time allowed per call, connect to last byte (5 s by default, as usrv's client).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The client's secp256k1 identity: it signs sealed requests and opens sealed responses. A random key when <c>null</c>;
    /// use <see cref="PrivateKey.FromSecret"/> or the secret store for a lasting one. The peer does not dispose it.
    /// </summary>
    public PrivateKey? Identity { get; set; }

    /// <summary>
    /// The server key to seal every call for, as if each call passed <c>_puk</c>; <c>null</c> to seal only calls that pass it.
    /// </summary>
    public PublicKey? ServerKey { get; set; }

    /// <summary>Headers sent with every call (e.g. an API key); a call's <c>_headers</c> add to them.</summary>
    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Limits applied when a multipart response is decoded.</summary>
    public MultipartLimits Multipart { get; set; } = new();

    /// <summary>
    /// How calls to a server key are sealed: <see cref="SealScheme.Usrv2"/> (the default) or usrv 0.4.3's insecure
    /// <see cref="SealScheme.Usrv04"/>, to talk to usrv 0.4 servers. Read when the peer is made.
    /// </summary>
    public SealScheme Scheme { get; set; } = SealScheme.Usrv2;

    /// <summary>
    /// Where the peer logs (the warning that <see cref="SealScheme.Usrv04"/> is insecure, once per peer); none when null.
    /// </summary>
    public ILogger? Logger { get; set; }

    /// <summary>The message handler under the pooled <see cref="HttpClient"/> (a <see cref="SocketsHttpHandler"/> by default).</summary>
    public HttpMessageHandler? Handler { get; set; }

    /// <summary>
    /// The cookie jar of the peer's calls, plain and sealed (RFC 6265): a cookie the server sets is sent back on the next
    /// calls it matches. A jar of the peer's own when <c>null</c>; give one to read, seed or share it. Not used with
    /// <see cref="Handler"/>, which keeps its own cookies (or none).
    /// </summary>
    public System.Net.CookieContainer? Cookies { get; set; }
}
