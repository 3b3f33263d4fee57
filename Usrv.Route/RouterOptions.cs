using System.Text.Json;
using Usrv.Crypto;

namespace Usrv.Route;

/// <summary>Settings of a <see cref="Router"/>.</summary>
public sealed class RouterOptions
{
    /// <summary>Largest request body read, in bytes (10 MiB by default); larger bodies get 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>
    /// When true, a 500 problem's <c>detail</c> carries the exception's type and message (never the stack trace).
    /// Off by default: clients then see no exception text; the log always has it.
    /// </summary>
    public bool DevelopmentMode { get; set; }

    /// <summary>Limits of multipart/form-data bodies, which replace <see cref="MaxRequestBodyBytes"/> for them.</summary>
    public MultipartLimits Multipart { get; set; } = new();

    /// <summary>The body size limit, in bytes, for a request of <paramref name="contentType"/>: multipart bodies have their own.</summary>
    public long MaxBodyBytesFor(string? contentType) => FormData.IsMultipart(contentType) ? Multipart.MaxTotalBytes : MaxRequestBodyBytes;

    /// <summary>
    /// The server's secp256k1 identity: it opens usrv/2 sealed requests and seals and signs their answers (DESIGN section 5).
    /// A random key when <c>null</c> (usrv: a new identity per start). The router does not dispose it.
    /// </summary>
    public PrivateKey? Identity { get; set; }

    /// <summary>
    /// Previous server keys and their retire times (DESIGN section 8): a call sealed for one is served, and answered by
    /// that key, until its retire time; then it is refused (400 naming <see cref="Identity"/>). Read when the router is
    /// created; not disposed by the router.
    /// </summary>
    public List<PreviousKey> PreviousKeys { get; } = [];

    /// <summary>
    /// When true (the default), the router answers <c>GET /puk</c> (the current key, usrv's form) and
    /// <c>GET /.well-known/usrv-keys</c> (the ring as an RFC 7517 JWK Set: <c>kty</c> EC, <c>crv</c> secp256k1 (RFC 8812),
    /// <c>x</c>, <c>y</c>, <c>kid</c> = the RFC 7638 thumbprint, <c>usrv_status</c>, <c>usrv_retire_at</c>) wherever no binding
    /// of its own matches those paths (DESIGN section 8).
    /// </summary>
    public bool PublishKeys { get; set; } = true;

    /// <summary>The clock that retires previous keys; <see cref="TimeProvider.System"/> when <c>null</c>.</summary>
    public TimeProvider? Time { get; set; }

    /// <summary>
    /// The replay guard of usrv/2 sealed requests (DESIGN section 8): only requests whose signature verified are recorded.
    /// An in-memory one (10 s window, sized so the server's own verification rate cannot fill it) when <c>null</c>.
    /// </summary>
    public ReplayGuard? ReplayGuard { get; set; }

    /// <summary>
    /// Named sets of admitted sender keys for <see cref="RequireSenderAttribute"/> (DESIGN section 8), e.g.
    /// <c>Senders["partners"] = [PublicKey.Parse("...")]</c>. A set named by a policy must exist when the endpoint is bound.
    /// </summary>
    public Dictionary<string, HashSet<Usrv.Crypto.PublicKey>> Senders { get; } = new(StringComparer.Ordinal);

    /// <summary>A sender policy for every endpoint of the router that has none of its own (method or type); null for none.</summary>
    public RequireSenderAttribute? SenderPolicy { get; set; }

    /// <summary>JSON settings for replies and JSON bodies (<see cref="UsrvJson.Options"/> by default).</summary>
    public JsonSerializerOptions Json { get; set; } = UsrvJson.Options;
}
