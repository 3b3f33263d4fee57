namespace Usrv.Route;

/// <summary>
/// One HTTP request as the transport-free core sees it. Hosts (the built-in HttpListener loop,
/// the ASP.NET Core adapter, tests) build it; <see cref="Router.HandleAsync"/> runs it through the
/// pipeline's stages (DESIGN, The request's way through), which record what they find on it (<see cref="Binding"/>,
/// <see cref="Query"/>, <see cref="Sender"/>).
/// </summary>
public sealed class UsrvRequest
{
    /// <summary>Creates a request.</summary>
    /// <param name="method">HTTP method, e.g. <c>GET</c> (upper-cased here).</param>
    /// <param name="target">
    /// The request-target as sent (RFC 9112 section 3.2): origin form <c>/path?query</c>, still percent-encoded.
    /// </param>
    /// <param name="headers">The request headers; <c>null</c> for none.</param>
    /// <param name="body">The body stream; <c>null</c> for none. Read at most once, and only when a binding needs it.</param>
    public UsrvRequest(string method, string target, RequestHeaders? headers = null, Stream? body = null)
    {
        Method = method.ToUpperInvariant();
        Target = target;
        Headers = headers ?? RequestHeaders.Empty;
        Body = body ?? Stream.Null;
    }

    /// <summary>HTTP method, upper case.</summary>
    public string Method { get; }

    /// <summary>The request-target as sent, percent-encoded (the path and query of the URL).</summary>
    public string Target { get; }

    /// <summary>Request headers.</summary>
    public RequestHeaders Headers { get; }

    /// <summary>The body stream as received (still sealed before the envelope stage: DESIGN, Sealed calls: the usrv/2 scheme).</summary>
    public Stream Body { get; }

    /// <summary>
    /// The request-target exactly as the client sent it, which usrv/2 signs: <see cref="Target"/> unless a
    /// host mounted the router under a prefix and stripped it from <see cref="Target"/>.
    /// </summary>
    public string SignedTarget
    {
        get => _signedTarget ?? Target;
        init => _signedTarget = value;
    }

    private readonly string? _signedTarget;

    /// <summary>The declared body length in bytes (<c>Content-Length</c>), or <c>null</c> when not declared (chunked).</summary>
    public long? ContentLength { get; init; }

    /// <summary>
    /// The client's address as <c>ip:port</c>, IPv6 in brackets (<c>[::1]:5000</c>), <c>""</c> when unknown (used for logs
    /// and as the replay identity of unsigned requests). Set it, or set <see cref="RemoteIpAddress"/> and
    /// <see cref="RemotePort"/> and it is formatted from them on first use (a request nobody logs formats nothing).
    /// </summary>
    public string RemoteAddress
    {
        get => _remoteAddress ??= RemoteIpAddress is not { } address ? ""
            : address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]:{RemotePort}"
            : $"{address}:{RemotePort}";
        init => _remoteAddress = value;
    }

    private string? _remoteAddress;

    /// <summary>The client's IP address as the transport knows it (ASP.NET Core's <c>ConnectionInfo.RemoteIpAddress</c>), or
    /// <c>null</c>.</summary>
    public System.Net.IPAddress? RemoteIpAddress { get; init; }

    /// <summary>The client's TCP port (with <see cref="RemoteIpAddress"/>); 0 when unknown.</summary>
    public int RemotePort { get; init; }

    /// <summary>The protocol version as sent, e.g. <c>HTTP/1.1</c>.</summary>
    public string Protocol { get; init; } = "HTTP/1.1";

    /// <summary>
    /// The scheme the request came over, <c>http</c> or <c>https</c> (lower case), as the host knows it from its connection;
    /// <c>http</c> by default. Cookies set by a reply are <c>Secure</c> by default when it is <c>https</c>.
    /// </summary>
    public string Scheme { get; init; } = "http";

    /// <summary>True when <see cref="Scheme"/> is <c>https</c>.</summary>
    public bool IsHttps => string.Equals(Scheme, "https", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The request's cookies (RFC 6265 section 5.4, the <c>Cookie</c> header) by name, parsed on first use with ASP.NET
    /// Core's <c>CookieHeaderValue</c>: values percent-decoded as ASP.NET Core's <c>Request.Cookies</c> does, a quoted
    /// value with its quotes (RFC 6265 section 4.1.1), names case-sensitive, the first of a repeated name kept (the
    /// browser sends the most specific path first), and pairs that do not parse left out. Empty without a <c>Cookie</c>
    /// header.
    /// </summary>
    public IReadOnlyDictionary<string, string> Cookies => _cookies ??= RequestCookies.Parse(Headers["Cookie"]);

    private IReadOnlyDictionary<string, string>? _cookies;

    /// <summary>The value of the <c>Content-Type</c> header, or <c>null</c>.</summary>
    public string? ContentType => Headers["Content-Type"];

    /// <summary>Aborted when the client goes away or the host stops.</summary>
    public CancellationToken Aborted { get; init; }

    /// <summary>This server's current public key, set by the routing stage: what <c>GET /puk</c> answers.</summary>
    public Usrv.Crypto.PublicKey? ServerKey { get; internal set; }

    /// <summary>
    /// The services of this request: on ASP.NET Core the request's scope (<c>HttpContext.RequestServices</c>), set by the
    /// host; <c>null</c> elsewhere, where services come from a scope of <see cref="RouterOptions.Services"/> made for the
    /// request when an endpoint asks for one (DESIGN, Binding).
    /// </summary>
    public IServiceProvider? Services { get; init; }

    /// <summary>The endpoint the routing stage matched; <c>null</c> before routing, and when nothing matched.</summary>
    public Binding? Binding { get; internal set; }

    /// <summary>The decoded query string, parsed from <see cref="Target"/> on first use.</summary>
    /// <exception cref="ProblemException">400: the query's percent-encoding is malformed or not UTF-8.</exception>
    public QueryString Query => _query ??= QueryString.Parse(RequestTarget.QueryOf(Target));

    private QueryString? _query;

    // Per-request state handed from one stage to the next (routing -> parameters -> invoke -> reply).
    /// <summary>The whole body when it is already in memory (an opened sealed request): <see cref="RequestBody.ReadAsync"/>
    /// answers it without copying it out of <see cref="Body"/>.</summary>
    internal byte[]? BufferedBody { get; init; }

    internal RouteValue[] RouteValues { get; set; } = [];
    internal object?[] Arguments { get; set; } = [];
    internal object? HandlerResult { get; set; }

    /// <summary>
    /// The sender of a usrv/2 sealed request, set only after its BIP340 signature verified and its body opened under HPKE's
    /// auth mode (DESIGN, Sealed calls: the usrv/2 scheme); <c>null</c> for plain requests, whatever headers they carry.
    /// Handlers may authorise on it.
    /// </summary>
    public Usrv.Crypto.PublicKey? Sender { get; internal set; }

    /// <summary>A copy of this request with <paramref name="body"/> (the opened plaintext) as its body.</summary>
    internal UsrvRequest WithBody(byte[] body) => new(Method, Target, Headers, new MemoryStream(body, writable: false))
    {
        ContentLength = body.Length,
        BufferedBody = body,
        _remoteAddress = _remoteAddress,
        RemoteIpAddress = RemoteIpAddress,
        RemotePort = RemotePort,
        Protocol = Protocol,
        Scheme = Scheme,
        _cookies = _cookies,
        SignedTarget = SignedTarget,
        Aborted = Aborted,
        ServerKey = ServerKey,
        Services = Services,
        _query = _query,
        Sender = Sender,
    };
}
