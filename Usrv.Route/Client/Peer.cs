using System.Text.Json;
using Usrv.Crypto;

namespace Usrv.Route.Client;

/// <summary>
/// A usrv server to call (usrv's <c>req</c>, DESIGN, The client): one pooled <see cref="HttpClient"/>, a client identity
/// for sealed calls, a <c>dynamic</c> endpoint builder per HTTP method, and a typed async API beside it.
/// </summary>
/// <example><code>
/// using var peer = await Peer.ConnectAsync("http://127.0.0.1:5000");     // HEAD /
/// dynamic GET = peer.Get, POST = peer.Post;
/// var pair = await GET.api.endpoint(a: 12, b: "test");                  // GET /api/endpoint?a=12&amp;b=test
/// var echo = await POST.api.endpoint(value1: 1, value2: 2, _puk: key);  // sealed body, sealed answer
/// string[]? typed = await peer.GetAsync&lt;string[]&gt;("/api/endpoint", new { a = 12 });
/// </code></example>
/// <remarks>
/// Values of GET, HEAD and DELETE calls go in the query; those of POST, PUT, PATCH and OPTIONS in the body (JSON by
/// default). A call that passes a server key (<c>_puk</c>, or <see cref="PeerOptions.ServerKey"/>) is a usrv/2 sealed
/// call (DESIGN, Sealed calls), GET included: sealed for that key, signed by this peer's identity, never redirected.
/// Its answer must come back sealed and signed by that key for this very request, else
/// <see cref="UntrustedResponseException"/>; a plain 4xx/5xx (the server refused before it authenticated the call)
/// raises <see cref="UsrvCallException"/> with <see cref="UsrvCallException.IsAuthenticated"/> false.
/// With <see cref="PeerOptions.Scheme"/> <see cref="SealScheme.Usrv04"/> calls are sealed as usrv 0.4.3 seals them
/// (insecure; DESIGN, Talking to usrv 0.4 peers) and their answers checked against the expected server key. Answers outside
/// 2xx raise <see cref="UsrvCallException"/>, its fields read by <see cref="ErrorBody"/>.
/// </remarks>
public sealed partial class Peer : IDisposable
{
    private readonly HttpClient _http;
    private readonly Lazy<HttpClient> _sealedHttp;
    private readonly PeerOptions _options;
    private readonly Lazy<PrivateKey> _identity;
    private readonly bool _ownsIdentity;
    private readonly NonceClock _nonces = new();
    private volatile PublicKey? _serverKey;

    /// <summary>Creates a peer for <paramref name="baseAddress"/> without any I/O (see <see cref="ConnectAsync"/>).</summary>
    /// <param name="baseAddress">The server, e.g. <c>http://127.0.0.1:5000</c>; a path in it prefixes every call's path.</param>
    /// <param name="options">Timeout, identity, server key, default headers, handler; the defaults when <c>null</c>.</param>
    /// <exception cref="ArgumentException">The address is not an absolute http or https URL.</exception>
    public Peer(string baseAddress, PeerOptions? options = null)
    {
        if (!Uri.TryCreate(baseAddress, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException(
                $"no peer to reach: '{baseAddress}' is not an absolute http:// or https:// URL", nameof(baseAddress));
        }
        BaseAddress = new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/"); // a path is kept as a prefix of every call
        _options = options ?? new PeerOptions();
        _serverKey = _options.ServerKey;
        _ownsIdentity = _options.Identity is null;
        _identity = _options.Identity is { } given
            ? new Lazy<PrivateKey>(given)
            : new Lazy<PrivateKey>(PrivateKey.Generate); // made only for sealed calls
        var cookies = _options.Cookies ?? new System.Net.CookieContainer(); // one jar for both pools
        _http = NewClient(_options.Handler
            ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), CookieContainer = cookies });
        // Sealed calls never follow redirects (DESIGN, Sealed calls): their own pool, without redirects, made on first use.
        _sealedHttp = _options.Handler is null
            ? new Lazy<HttpClient>(() => NewClient(
                new SocketsHttpHandler
                {
                    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                    AllowAutoRedirect = false,
                    CookieContainer = cookies,
                }))
            : new Lazy<HttpClient>(_http);
        if (_options.Scheme == SealScheme.Usrv04) Usrv04SealedCall.WarnInsecure(_options.Logger, BaseAddress);
    }

    // Per-call timeouts below, so a call can override them.
    private static HttpClient NewClient(HttpMessageHandler handler) =>
        new(handler, disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };

    /// <summary>Creates a peer and checks the server answers <c>HEAD /</c> (usrv's <c>req.connect</c>).</summary>
    /// <param name="baseAddress">The server, e.g. <c>http://127.0.0.1:5000</c>.</param>
    /// <param name="options">Timeout, identity, default headers.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The peer; <see cref="Status"/> holds the status of <c>HEAD /</c>.</returns>
    /// <exception cref="ArgumentException">The address is not an http(s) URL (no I/O is done).</exception>
    /// <exception cref="HttpRequestException">The server cannot be reached; the message names the address.</exception>
    /// <exception cref="TimeoutException">No answer within the timeout.</exception>
    public static async Task<Peer> ConnectAsync(
        string baseAddress, PeerOptions? options = null, CancellationToken cancellationToken = default)
    {
        var peer = new Peer(baseAddress, options);
        try
        {
            var response = await peer.SendAsync(new PeerCall(HttpMethod.Head, "/"), cancellationToken).ConfigureAwait(false);
            peer.Status = response.Status;
            return peer;
        }
        catch
        {
            peer.Dispose();
            throw;
        }
    }

    /// <summary>The server's address, ending with <c>/</c>; a path in it (<c>http://host/api/</c>) prefixes every call's path.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The status <c>HEAD /</c> answered in <see cref="ConnectAsync"/> (0 when not connected that way).</summary>
    public int Status { get; private set; }

    /// <summary>This client's public key: what the server seals its answers for.</summary>
    public PublicKey PublicKey => _identity.Value.PublicKey;

    /// <summary>
    /// The server key every call of this peer is sealed for (<see cref="PeerOptions.ServerKey"/>, or the key
    /// <see cref="RefreshServerKeyAsync"/> moved to); null when calls are plain unless they pass <c>_puk</c>.
    /// </summary>
    public PublicKey? ServerKey => _serverKey;

    /// <summary>
    /// Reads the server's key set (<c>GET /.well-known/usrv-keys</c>, DESIGN, "Keys, senders, replay") over a sealed
    /// call to the key this peer trusts, so the answer is signed by that key, and moves the peer to the set's current
    /// key (a rotation's grace period).
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The key the peer now seals for.</returns>
    /// <exception cref="InvalidOperationException">The peer has no server key to trust (<see cref="PeerOptions.ServerKey"/>).</exception>
    /// <exception cref="UsrvCallException">The server answers the key set with an error.</exception>
    /// <exception cref="UntrustedResponseException">The answer is not sealed and signed by the trusted key.</exception>
    /// <exception cref="FormatException">The key set holds no valid current key.</exception>
    public async Task<PublicKey> RefreshServerKeyAsync(CancellationToken cancellationToken = default)
    {
        var trusted = _serverKey ?? throw new InvalidOperationException("the peer has no server key to trust; set PeerOptions.ServerKey");
        var call = new PeerCall(HttpMethod.Get, "/.well-known/usrv-keys") { ServerKey = trusted };
        var response = CallErrors.EnsureSuccess(call, BaseAddress, await SendAsync(call, cancellationToken).ConfigureAwait(false));
        var key = ServerKeySet.CurrentKey(response.Value);
        _serverKey = key;
        return key;
    }

    /// <summary>
    /// Builds GET calls from member access: <c>GET.api.endpoint(a: 12)</c>. Each call returns <c>Task&lt;object?&gt;</c>.
    /// </summary>
    public dynamic Get => new EndpointBuilder(this, HttpMethod.Get, []);

    /// <summary>Builds HEAD calls (values in the query).</summary>
    public dynamic Head => new EndpointBuilder(this, HttpMethod.Head, []);

    /// <summary>Builds POST calls (values in the body).</summary>
    public dynamic Post => new EndpointBuilder(this, HttpMethod.Post, []);

    /// <summary>Builds PUT calls (values in the body).</summary>
    public dynamic Put => new EndpointBuilder(this, HttpMethod.Put, []);

    /// <summary>Builds PATCH calls (values in the body).</summary>
    public dynamic Patch => new EndpointBuilder(this, HttpMethod.Patch, []);

    /// <summary>Builds DELETE calls (values in the query).</summary>
    public dynamic Delete => new EndpointBuilder(this, HttpMethod.Delete, []);

    /// <summary>Builds OPTIONS calls (values in the body).</summary>
    public dynamic Options => new EndpointBuilder(this, HttpMethod.Options, []);

    /// <summary>
    /// GET <paramref name="path"/> with <paramref name="query"/> (an anonymous object or a dictionary), answer read as
    /// JSON into <typeparamref name="T"/>.
    /// </summary>
    /// <exception cref="UsrvCallException">The answer is not 2xx.</exception>
    public Task<T?> GetAsync<T>(string path, object? query = null, CancellationToken cancellationToken = default) =>
        CallAsync<T>(HttpMethod.Get, path, query, cancellationToken);

    /// <summary>DELETE <paramref name="path"/> with <paramref name="query"/>.</summary>
    /// <exception cref="UsrvCallException">The answer is not 2xx.</exception>
    public Task<T?> DeleteAsync<T>(string path, object? query = null, CancellationToken cancellationToken = default) =>
        CallAsync<T>(HttpMethod.Delete, path, query, cancellationToken);

    /// <summary>POST <paramref name="values"/> (an anonymous object or a dictionary) as a JSON body to <paramref name="path"/>.</summary>
    /// <exception cref="UsrvCallException">The answer is not 2xx.</exception>
    public Task<T?> PostAsync<T>(string path, object? values = null, CancellationToken cancellationToken = default) =>
        CallAsync<T>(HttpMethod.Post, path, values, cancellationToken);

    /// <summary>PUT <paramref name="values"/> as a JSON body.</summary>
    /// <exception cref="UsrvCallException">The answer is not 2xx.</exception>
    public Task<T?> PutAsync<T>(string path, object? values = null, CancellationToken cancellationToken = default) =>
        CallAsync<T>(HttpMethod.Put, path, values, cancellationToken);

    /// <summary>PATCH <paramref name="values"/> as a JSON body.</summary>
    /// <exception cref="UsrvCallException">The answer is not 2xx.</exception>
    public Task<T?> PatchAsync<T>(string path, object? values = null, CancellationToken cancellationToken = default) =>
        CallAsync<T>(HttpMethod.Patch, path, values, cancellationToken);

    private async Task<T?> CallAsync<T>(HttpMethod method, string path, object? values, CancellationToken cancellationToken)
    {
        var call = new PeerCall(method, path);
        call.Values.AddRange(NamedValues.Of(values));
        var response = CallErrors.EnsureSuccess(call, BaseAddress, await SendAsync(call, cancellationToken).ConfigureAwait(false));
        return response.Body.Length == 0 ? default : JsonSerializer.Deserialize<T>(response.Body, UsrvJson.Options);
    }

    /// <summary>Sends <paramref name="call"/> and returns the decoded answer when it is 2xx.</summary>
    /// <exception cref="UsrvCallException">The answer is not 2xx.</exception>
    public async Task<object?> InvokeAsync(PeerCall call, CancellationToken cancellationToken = default) =>
        CallErrors.EnsureSuccess(call, BaseAddress, await SendAsync(call, cancellationToken).ConfigureAwait(false)).Value;

    /// <summary>
    /// Sends one call and returns its answer whatever the status: the low-level API under the builder and the typed calls.
    /// </summary>
    /// <exception cref="UntrustedResponseException">A sealed call's answer is not sealed and signed by the expected server key.</exception>
    /// <exception cref="HttpRequestException">The server cannot be reached.</exception>
    /// <exception cref="TimeoutException">No answer within the timeout.</exception>
    public async Task<PeerResponse> SendAsync(PeerCall call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        var serverKey = call.ServerKey ?? _serverKey;
        var uri = new Uri(BaseAddress, call.Path.TrimStart('/') + (call.ValuesInQuery ? PeerRequestEncoder.Query(call.Values) : ""));
        var content = call.Content
            ?? (!call.ValuesInQuery && call.Values.Count > 0 ? PeerRequestEncoder.Body(call.Values, call.Encoding) : null);

        using var request = new HttpRequestMessage(call.Method, uri);
        foreach (var (name, value) in _options.Headers) request.Headers.TryAddWithoutValidation(name, value);
        foreach (var (name, value) in call.Headers) request.Headers.TryAddWithoutValidation(name, value);
        // usrv/2 (DESIGN, Sealed calls): every call to a server key is sealed and signed, GET included.
        using var sealedCall = serverKey is null ? null : _options.Scheme == SealScheme.Usrv04
            ? await Usrv04SealedCall
                .SealAsync(request, content, _identity.Value, serverKey, _nonces.Next(), cancellationToken).ConfigureAwait(false)
            : (ISealedCall)await SealedCall
                .SealAsync(request, content, _identity.Value, serverKey, _nonces.Next(), cancellationToken).ConfigureAwait(false);
        if (sealedCall is null) request.Content = content;

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var limit = call.Timeout ?? _options.Timeout;
        timeout.CancelAfter(limit);
        try
        {
            var http = sealedCall is null ? _http : _sealedHttp.Value;
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token)
                .ConfigureAwait(false);
            if (sealedCall is not null) SealedCall.EnsureNotRedirected(call.Method, uri, response);
            var body = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
            PublicKey? sealedBy = null;
            if (sealedCall is null) SealedCall.EnsurePlain(call.Method, uri, response);
            else (body, sealedBy) = sealedCall.Open(response, body);
            var value = await PeerResponseDecoder.DecodeAsync(body, response.Content.Headers.ContentType, _options.Multipart, timeout.Token)
                .ConfigureAwait(false);
            return PeerResponse.From(response, body, value, sealedBy);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{call.Method} {uri} did not answer within {limit.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException e)
        {
            throw new HttpRequestException($"cannot reach {BaseAddress}: {e.Message}", e, e.StatusCode);
        }
    }

    /// <summary>Releases the pooled connections (and the identity when the peer made it).</summary>
    public void Dispose()
    {
        _http.Dispose();
        if (_options.Handler is null && _sealedHttp.IsValueCreated) _sealedHttp.Value.Dispose();
        if (_ownsIdentity && _identity.IsValueCreated) _identity.Value.Dispose();
    }
}
