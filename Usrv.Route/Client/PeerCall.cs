using Usrv.Crypto;

namespace Usrv.Route.Client;

/// <summary>
/// One call to build: a method, a path, named values (the query of GET, HEAD and DELETE; the body of the others)
/// and usrv's steering arguments (<c>_headers</c>, <c>_puk</c>, <c>_encoder</c>). The dynamic builder fills one; so can you.
/// </summary>
public sealed class PeerCall
{
    /// <summary>Creates a call.</summary>
    /// <param name="method">HTTP method.</param>
    /// <param name="path">Path relative to the peer's base address, e.g. <c>/api/endpoint</c> (percent-encode segments yourself).</param>
    public PeerCall(HttpMethod method, string path)
    {
        Method = method;
        Path = path;
    }

    /// <summary>HTTP method.</summary>
    public HttpMethod Method { get; }

    /// <summary>The path, starting with <c>/</c>.</summary>
    public string Path { get; }

    /// <summary>Named values in order. A value that is a sequence (not a string) sends the name once per item in a query.</summary>
    public List<KeyValuePair<string, object?>> Values { get; } = [];

    /// <summary>Extra headers for this call (usrv's <c>_headers</c>).</summary>
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The server key to seal the body for and to expect on the sealed response (usrv's <c>_puk</c>).</summary>
    public PublicKey? ServerKey { get; set; }

    /// <summary>Body encoding (usrv's <c>_encoder</c>); a <see cref="FormData"/> value always goes as multipart.</summary>
    public BodyEncoding Encoding { get; set; } = BodyEncoding.Json;

    /// <summary>A raw body to send as it is instead of encoding <see cref="Values"/> (e.g. a JSON document or bytes).</summary>
    public HttpContent? Content { get; set; }

    /// <summary>Overrides the peer's timeout for this call.</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>True for methods whose values travel in the query (GET, HEAD, DELETE), as usrv's client.</summary>
    public bool ValuesInQuery => Method == HttpMethod.Get || Method == HttpMethod.Head || Method == HttpMethod.Delete;
}
