using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;
using Usrv.Crypto;

namespace Usrv.Route;

/// <summary>
/// Settings of a <see cref="Router"/>. Read once, when the router is made (<see cref="Router(RouterOptions, ILoggerFactory)"/>):
/// the router and its stages keep what they read, so set everything before, and a later change has no effect.
/// </summary>
public sealed class RouterOptions
{
    /// <summary>Longest request-target accepted, in characters (414 beyond; RFC 9112 section 3 recommends at least 8000).</summary>
    public int MaxUrlLength { get; set; } = 8192;

    /// <summary>
    /// Largest total of header names and values accepted, in bytes, counting 4 more per header line (431 beyond,
    /// RFC 6585). 16 KiB by default, below HttpListener's own 32 KiB cut-off, so that usrv's problem answer is the one
    /// clients get; the Kestrel host sets Kestrel's limit above it.
    /// </summary>
    public int MaxHeaderBytes { get; set; } = 16 * 1024;

    /// <summary>Largest request body read, in bytes (10 MiB by default); larger bodies get 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>
    /// When true, a 500 problem's <c>detail</c> carries the exception's type and message (never the stack trace).
    /// Off by default: clients then see no exception text; the log always has it.
    /// </summary>
    public bool DevelopmentMode { get; set; }

    /// <summary>
    /// When true, plain answers are what usrv 0.4.3's Python client can read (<c>usrv --usrv04-compat</c>; README,
    /// Working with Python usrv). Off by default: RFC 9457 problem details are the right error answer for everyone else.
    /// </summary>
    /// <remarks>
    /// <para>With it on:</para>
    /// <list type="bullet">
    /// <item>Every plain answer of status 400 or more that would be problem details (<c>application/problem+json</c>) is
    /// sent with the same status and headers as <c>application/json</c> in usrv 0.4.3's error shape,
    /// <c>{"code": 404, "message": "Not Found", "explain": "..."}</c>: the three fields usrv 0.4.3's server fills in its
    /// error page (Python's <c>BaseHTTPRequestHandler.send_error(code, message, explain)</c>, called by
    /// <c>usrv/route.py</c> for 404, 406, 412, 500 and a handler's status of 400 or more). <c>message</c> is the problem's
    /// <c>title</c>, <c>explain</c> its <c>detail</c> (the title when it has none). usrv 0.4.3's client picks its decoder by
    /// content type and has none for <c>application/problem+json</c> (a <c>KeyError</c>); it decodes
    /// <c>application/json</c> whatever the status. Signed answers (sealed calls) are left as they are.</item>
    /// <item>The <c>headers</c> value handed to handlers (usrv's <c>headers</c> kwarg) keeps the names as the host received
    /// them, as usrv 0.4.3 does (<c>dict(self.headers)</c>), instead of lower-casing them; lookups stay case-insensitive.</item>
    /// <item><c>GET /puk</c> answers usrv 0.4.3's key form, base64 of the 64-byte <c>x || y</c>
    /// (<see cref="Usrv.Crypto.PublicKey.ToUsrv04String"/>), instead of base64 of the 33-byte SEC1 compressed point.</item>
    /// </list>
    /// </remarks>
    public bool Usrv04Compatible { get; set; }

    /// <summary>Limits of multipart/form-data bodies, which replace <see cref="MaxRequestBodyBytes"/> for them.</summary>
    public MultipartLimits Multipart { get; set; } = new();

    /// <summary>The body size limit, in bytes, for a request of <paramref name="contentType"/>: multipart bodies have their own.</summary>
    public long MaxBodyBytesFor(string? contentType) => FormData.IsMultipart(contentType) ? Multipart.MaxTotalBytes : MaxRequestBodyBytes;

    /// <summary>
    /// The server's secp256k1 identity: it opens usrv/2 sealed requests and seals and signs their answers
    /// (DESIGN, Sealed calls: the usrv/2 scheme). A random key when <c>null</c> (usrv: a new identity per start).
    /// The router does not dispose it.
    /// </summary>
    public PrivateKey? Identity { get; set; }

    /// <summary>
    /// Previous server keys and their retire times (DESIGN, Keys, senders, replay): a call sealed for one is served, and answered by
    /// that key, until its retire time; then it is refused (400 naming <see cref="Identity"/>). Read when the router is
    /// created; not disposed by the router.
    /// </summary>
    public List<PreviousKey> PreviousKeys { get; } = [];

    /// <summary>
    /// When true (the default), the router answers <c>GET /puk</c> (the current key, usrv's form) and
    /// <c>GET /.well-known/usrv-keys</c> (the ring as an RFC 7517 JWK Set: <c>kty</c> EC, <c>crv</c> secp256k1 (RFC 8812),
    /// <c>x</c>, <c>y</c>, <c>kid</c> = the RFC 7638 thumbprint, <c>usrv_status</c>, <c>usrv_retire_at</c>) wherever no binding
    /// of its own matches those paths (DESIGN, Keys, senders, replay).
    /// </summary>
    public bool PublishKeys { get; set; } = true;

    /// <summary>
    /// When true (the default), the router answers <c>GET /openapi.json</c> with an OpenAPI 3.1 document of its bindings
    /// (paths and path parameters from the route patterns, query parameters and request bodies from the handlers' parameters,
    /// RFC 9457 problem answers, the <c>usrv2</c> security requirement of endpoints with a sender policy) wherever no binding
    /// of its own matches that path. The document is built on the first request after binding, not per request;
    /// <see cref="Router.DescribeOpenApi"/> gives it as Microsoft.OpenApi's model.
    /// </summary>
    public bool PublishOpenApi { get; set; } = true;

    /// <summary>The OpenAPI document's <c>info.title</c>; <c>usrv</c> by default.</summary>
    public string OpenApiTitle { get; set; } = "usrv";

    /// <summary>
    /// The OpenAPI document's <c>info.version</c> (the version of your API's description); when <c>null</c>, the informational
    /// version of Usrv.Route, the usrv that describes it.
    /// </summary>
    public string? OpenApiVersion { get; set; }

    /// <summary>The clock that retires previous keys; <see cref="TimeProvider.System"/> when <c>null</c>.</summary>
    public TimeProvider? Time { get; set; }

    /// <summary>
    /// The replay guard of usrv/2 sealed requests (DESIGN, Keys, senders, replay): only requests whose signature verified are recorded.
    /// An in-memory one (10 s window, sized so the server's own verification rate cannot fill it) when <c>null</c>.
    /// </summary>
    public ReplayGuard? ReplayGuard { get; set; }

    /// <summary>
    /// When true, the router also speaks usrv 0.4.3's sealed scheme (DESIGN, Talking to usrv 0.4 peers; <c>usrv --accept-usrv04</c>):
    /// a request with <c>Ephemeral-Public-Key</c> or <c>Sender-Signature</c> and no <c>Usrv-Scheme</c> is verified, its hex
    /// body decrypted for the handler, and a success answer (status below 400) encrypted back for its
    /// <c>Sender-Public-Key</c>; errors are answered in clear, as usrv 0.4 does. False (the default): such a request is a
    /// 415, answered in clear.
    /// </summary>
    /// <remarks>
    /// <para><b>Insecure.</b> usrv 0.4's cipher (AES-256-CTR) has no authentication tag, and nothing binds the sender to
    /// the content: anyone who sees a request can re-sign its body, ephemeral key and nonce with a key of their own, have
    /// it served and read the answer. Turn it on only to talk to usrv 0.4 peers; usrv/2 has neither weakness.</para>
    /// <para>Unlike usrv 0.4 it fails closed, answered in clear: 401 a missing or bad signature, 412 a missing, stale,
    /// future, offset-less or replayed nonce (usrv/2's window, clock and replay store, <see cref="ReplayGuard"/>), 400 a
    /// body that is not hex or does not decrypt to UTF-8 text; nothing is handed on in clear. The handler sees no
    /// <see cref="UsrvRequest.Sender"/> (the scheme proves no authorship), so <see cref="RequireSenderAttribute"/>
    /// endpoints answer such calls 401. Each sender key is logged once, at warning level, as insecure.</para>
    /// </remarks>
    public bool AcceptUsrv04 { get; set; }

    /// <summary>
    /// Named sets of admitted sender keys for <see cref="RequireSenderAttribute"/> (DESIGN, Keys, senders, replay), e.g.
    /// <c>Senders["partners"] = [PublicKey.Parse("...")]</c>. A set named by a policy must exist when the endpoint is bound.
    /// </summary>
    public Dictionary<string, HashSet<Usrv.Crypto.PublicKey>> Senders { get; } = new(StringComparer.Ordinal);

    /// <summary>A sender policy for every endpoint of the router that has none of its own (method or type); null for none.</summary>
    public RequireSenderAttribute? SenderPolicy { get; set; }

    /// <summary>JSON settings for replies and JSON bodies (<see cref="UsrvJson.Options"/> by default).</summary>
    public JsonSerializerOptions Json { get; set; } = UsrvJson.Options;

    /// <summary>
    /// Services for handler parameters (DESIGN, Binding; ASP.NET Core Minimal APIs' rule): a parameter marked
    /// <c>[FromServices]</c>, or whose type this provider can resolve (<c>IServiceProviderIsService</c>), is resolved per
    /// request from a scope of this provider made for the request (on ASP.NET Core, from the request's own services).
    /// Its <see cref="ILoggerFactory"/>, when it has one, is the router's logging unless the router is given another.
    /// </summary>
    public IServiceProvider? Services { get; set; }

    /// <summary>
    /// Parameter sources of your own (<see cref="IParameterSource"/>), asked in order before the built-in ones
    /// (<see cref="Route.ParameterSources.BuiltIn"/>) for every parameter at bind time.
    /// </summary>
    public List<IParameterSource> ParameterSources { get; } = [];

    /// <summary>
    /// ASP.NET Core Data Protection for protected cookies (<see cref="Reply.WithProtectedCookie"/>,
    /// <c>[FromCookie(Protected = true)]</c>): their values are encrypted and authenticated, and a value a client altered
    /// reads as absent. When <c>null</c>, the <see cref="IDataProtectionProvider"/> of <see cref="Services"/> if it has one
    /// (<c>services.AddDataProtection()</c>); without either, a protected cookie parameter is refused at bind time.
    /// </summary>
    /// <remarks>
    /// Make one with <c>DataProtectionProvider.Create("my-app")</c> (keys in the user profile) or
    /// <c>DataProtectionProvider.Create(new DirectoryInfo("/var/lib/my-app/keys"))</c>; servers that must read each other's
    /// cookies share the key folder and the application name. Keys are rotated every 90 days and old ones still read.
    /// </remarks>
    public IDataProtectionProvider? DataProtection { get; set; }

    /// <summary>
    /// The pools that endpoints name in <see cref="BindAttribute.Pool"/> and <see cref="BindOptions.Pool"/>, by name (README,
    /// CPU-bound routes). Holds <c>"cpu"</c>, the shared <see cref="HandlerPool.Cpu"/> (one thread per core), unless replaced,
    /// e.g. <c>Pools["cpu"] = new HandlerPool("cpu", new PoolOptions { Threads = 2 })</c>. A name is looked up once, when an
    /// endpoint is bound; the router does not dispose the pools.
    /// </summary>
    public Dictionary<string, HandlerPool> Pools { get; } = new(StringComparer.Ordinal) { [HandlerPool.CpuName] = HandlerPool.Cpu };
}
