using Usrv.Crypto;

namespace Usrv.Route.Client;

/// <summary>
/// One usrv/2 sealed call on the client's side (DESIGN, Sealed calls): seals and signs the request for the server key,
/// then checks its answer before anything of it is trusted. The rules of the caller, in this order: a sealed call
/// never follows a redirect; a plain (unsealed) 2xx or 3xx answer is refused; a plain 4xx/5xx is handed back as an
/// unauthenticated refusal (the server refused before it authenticated the call, steps a-g); a sealed answer must
/// be signed by the key sealed for, over this very request's signature, and its body must open.
/// Every refusal is an <see cref="UntrustedResponseException"/> naming the method and the URL.
/// </summary>
internal sealed class SealedCall : ISealedCall
{
    private readonly SealedRequest _sealed;
    private readonly HttpMethod _method;
    private readonly Uri _uri;

    private SealedCall(SealedRequest sealedRequest, HttpMethod method, Uri uri)
    {
        _sealed = sealedRequest;
        _method = method;
        _uri = uri;
    }

    /// <summary>The server key the call is sealed for, and the only key its answer may be signed by.</summary>
    public PublicKey Server => _sealed.Server;

    /// <summary>
    /// Seals <paramref name="request"/> (request steps 1-6): reads and disposes the plaintext <paramref name="content"/>,
    /// binds method, authority, target and content type, puts the sealed body (none when the plaintext is empty and
    /// untyped: a GET stays a GET without content) and the usrv/2 headers on the request.
    /// </summary>
    /// <param name="request">The request to send: its URI absolute, its headers set (a <c>Host</c> header is bound as sent).</param>
    /// <param name="content">The plaintext body, or <c>null</c>; its <c>Content-Type</c> stays on the sealed body.</param>
    /// <param name="identity">The caller's key pair: HPKE's auth-mode sender key and the signer.</param>
    /// <param name="server">The server key to seal for.</param>
    /// <param name="nonce">The call's nonce instant, unique for this identity (<see cref="NonceClock"/>).</param>
    /// <param name="cancellationToken">Cancels reading the plaintext.</param>
    /// <returns>What checks and opens the answer; dispose it once the answer is read.</returns>
    public static async Task<SealedCall> SealAsync(
        HttpRequestMessage request, HttpContent? content, PrivateKey identity, PublicKey server, DateTimeOffset nonce,
        CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        byte[] plaintext;
        System.Net.Http.Headers.MediaTypeHeaderValue? contentType;
        using (content)
        {
            plaintext = content is null ? [] : await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            contentType = content?.Headers.ContentType;
        }
        // The target is what HttpClient puts on the request line: the signature binds exactly this.
        var authority = request.Headers.Host ?? Authority(uri);
        var line = new RequestLine(request.Method.Method, authority, uri.PathAndQuery, contentType?.ToString());
        var sealedRequest = UsrvEnvelope.SealRequest(identity, server, line, plaintext, nonce);
        if (contentType is not null || sealedRequest.Body.Length > 0)
        {
            request.Content = new ByteArrayContent(sealedRequest.Body);
            request.Content.Headers.ContentType = contentType; // Content-Type stays the plaintext's
        }
        foreach (var (name, value) in sealedRequest.Headers.ToPairs()) request.Headers.TryAddWithoutValidation(name, value);
        return new SealedCall(sealedRequest, request.Method, uri);
    }

    /// <summary>
    /// Refuses an answer that came from another URL than <paramref name="uri"/>, the one sealed for: sealed calls of either
    /// scheme (usrv/2, usrv 0.4) never follow redirects.
    /// </summary>
    /// <exception cref="UntrustedResponseException">The request was redirected.</exception>
    public static void EnsureNotRedirected(HttpMethod method, Uri uri, HttpResponseMessage response)
    {
        if (response.RequestMessage?.RequestUri is { } answered && answered != uri)
        {
            throw new UntrustedResponseException(
                $"{method} {uri}: a sealed call was redirected to {answered}; sealed calls never follow redirects");
        }
    }

    /// <summary>Checks the answer (answer steps 1-6) and opens its body.</summary>
    /// <param name="response">The answer, its headers as received.</param>
    /// <param name="body">The body as received.</param>
    /// <returns>
    /// The plaintext and the key that sealed and signed it; for a plain 4xx/5xx, the body as received and <c>null</c>
    /// (an unauthenticated refusal).
    /// </returns>
    /// <exception cref="UntrustedResponseException">A plain answer below 400, or a sealed answer that does not check or open.</exception>
    public (byte[] Body, PublicKey? SealedBy) Open(HttpResponseMessage response, byte[] body)
    {
        var status = (int)response.StatusCode;
        var headers = response.Headers.NonValidated;
        var envelope = ResponseEnvelope.From(name => headers.TryGetValues(name, out var values) ? values.ToString() : null);
        if (envelope.Scheme is null)
        {
            if (status < 400)
            {
                throw new UntrustedResponseException(
                    $"{_method} {_uri}: answered {status} in clear text, but the call was sealed for {Server}");
            }
            return (body, null);
        }
        var sentType = response.Content.Headers.NonValidated.TryGetValues("Content-Type", out var types) ? types.ToString() : null;
        try
        {
            var canCarryContent = UsrvEnvelope.CanCarryContent(_method.Method, status);
            return (UsrvEnvelope.OpenResponse(_sealed, status, sentType, envelope, body, canCarryContent), Server);
        }
        catch (EnvelopeException e)
        {
            throw new UntrustedResponseException($"{_method} {_uri}: the sealed answer cannot be trusted: {e.Message}", e);
        }
    }

    /// <summary>Refuses a sealed answer to a plain call: there is no key to check it against, so nothing of it is trusted.</summary>
    /// <exception cref="UntrustedResponseException">The answer carries <c>Usrv-Scheme</c>.</exception>
    public static void EnsurePlain(HttpMethod method, Uri uri, HttpResponseMessage response)
    {
        if (response.Headers.NonValidated.Contains(EnvelopeHeaders.UsrvScheme))
        {
            throw new UntrustedResponseException(
                $"{method} {uri}: the answer is sealed but the call named no server key to check it against");
        }
    }

    /// <summary>Wipes the secret that opens the answer.</summary>
    public void Dispose() => _sealed.Dispose();

    // The Host header HttpClient sends for uri: host, and the port unless it is the scheme's default.
    private static string Authority(Uri uri)
    {
        var host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host : uri.IdnHost; // [::1] keeps its brackets
        return uri.IsDefaultPort ? host : $"{host}:{uri.Port}";
    }
}
