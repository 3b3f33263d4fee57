using System.Text;
using Microsoft.Extensions.Logging;
using Usrv.Crypto;

namespace Usrv.Route.Client;

/// <summary>
/// One usrv 0.4.3 sealed call on the client's side (<see cref="SealScheme.Usrv04"/>; DESIGN, Talking to usrv 0.4 peers):
/// the body encrypted for the server key as hex text with usrv 0.4's four headers (a call without a body is signed over
/// the empty text, so its answer comes back sealed too), and its answer checked as usrv 0.4's client does not: a success
/// answered in clear is refused, and a sealed answer must name and be signed by the server key the peer expects (not
/// merely by the key it names), and decrypt to UTF-8 text. A plain 4xx/5xx is an unauthenticated refusal (usrv 0.4
/// answers errors in clear). Every refusal is an <see cref="UntrustedResponseException"/> naming the method and the URL.
/// </summary>
internal sealed class Usrv04SealedCall : ISealedCall
{
    private static readonly Action<ILogger, Uri, Exception?> Insecure = LoggerMessage.Define<Uri>(LogLevel.Warning,
        new EventId(41, "Usrv04Peer"),
        "peer {Peer} seals calls with usrv 0.4's scheme: insecure (no authenticated cipher, the sender is not bound; anyone who " +
        "sees a call can re-sign it and read the answer); use usrv/2 where the server speaks it");

    private readonly PrivateKey _identity;
    private readonly HttpMethod _method;
    private readonly Uri _uri;

    private Usrv04SealedCall(PrivateKey identity, PublicKey server, HttpMethod method, Uri uri)
    {
        _identity = identity;
        Server = server;
        _method = method;
        _uri = uri;
    }

    /// <summary>The server key the call is sealed for, and the only key its answer may be signed by.</summary>
    public PublicKey Server { get; }

    /// <summary>Logs, at warning level, that a peer speaks usrv 0.4's insecure scheme (once per peer, when it is made).</summary>
    public static void WarnInsecure(ILogger? log, Uri peer)
    {
        if (log is not null) Insecure(log, peer, null);
    }

    /// <summary>
    /// Seals <paramref name="request"/>: reads and disposes the plaintext <paramref name="content"/>, puts the hex body (its
    /// <c>Content-Type</c> stays the plaintext's, as usrv 0.4 sends it) and the four usrv 0.4 headers on the request.
    /// </summary>
    public static async Task<Usrv04SealedCall> SealAsync(
        HttpRequestMessage request, HttpContent? content, PrivateKey identity, PublicKey server, DateTimeOffset nonce,
        CancellationToken cancellationToken)
    {
        byte[] plaintext;
        System.Net.Http.Headers.MediaTypeHeaderValue? contentType;
        using (content)
        {
            plaintext = content is null ? [] : await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            contentType = content?.Headers.ContentType;
        }
        var sealedRequest = Usrv04Envelope.SealRequest(identity, server, plaintext, nonce);
        if (contentType is not null || sealedRequest.Body.Length > 0)
        {
            request.Content = new ByteArrayContent(Encoding.ASCII.GetBytes(sealedRequest.Body));
            request.Content.Headers.ContentType = contentType;
        }
        foreach (var (name, value) in sealedRequest.Headers.ToPairs()) request.Headers.TryAddWithoutValidation(name, value);
        return new Usrv04SealedCall(identity, server, request.Method, request.RequestUri!);
    }

    /// <inheritdoc/>
    public (byte[] Body, PublicKey? SealedBy) Open(HttpResponseMessage response, byte[] body)
    {
        var status = (int)response.StatusCode;
        var received = response.Headers.NonValidated;
        var headers = Usrv04Headers.From(name => received.TryGetValues(name, out var values) ? values.ToString() : null);
        if (!headers.ClaimsSealed)
        {
            if (status < 400)
            {
                throw new UntrustedResponseException(
                    $"{_method} {_uri}: answered {status} in clear text, but the call was sealed (usrv 0.4) for {Server}");
            }
            return (body, null);
        }
        try
        {
            return (Usrv04Envelope.OpenResponse(_identity, Server, headers, body), Server);
        }
        catch (EnvelopeException e)
        {
            throw new UntrustedResponseException($"{_method} {_uri}: the usrv 0.4 sealed answer cannot be trusted: {e.Message}", e);
        }
    }

    /// <summary>Nothing to wipe: usrv 0.4's answer is opened with the peer's own key.</summary>
    public void Dispose()
    {
    }
}
