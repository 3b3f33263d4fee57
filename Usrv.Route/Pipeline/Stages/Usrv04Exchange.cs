using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;
using Usrv.Crypto;

namespace Usrv.Route;

/// <summary>
/// The envelope stage's usrv 0.4.3 exchange, made only when <see cref="RouterOptions.AcceptUsrv04"/> is on (DESIGN, Talking
/// to usrv 0.4 peers): opens the request as usrv 0.4 seals it, failing closed (<see cref="Usrv04Envelope.OpenRequestAsync"/>),
/// hands the plaintext on, and encrypts a success answer (status below 400) for the sender key; errors go plain.
/// </summary>
internal sealed partial class Usrv04Exchange(RouterSettings settings)
{
    // Sender keys already warned about; cleared when full, so memory stays bounded (a key may then be logged again).
    private const int MaxWarnedKeys = 4096;
    private readonly ConcurrentDictionary<PublicKey, byte> _warned = new();

    /// <summary>
    /// True when the request claims usrv 0.4's sealed scheme: <c>Ephemeral-Public-Key</c> or <c>Sender-Signature</c>, and
    /// neither <c>Usrv-Scheme</c> nor usrv/1's <c>Usrv-Cipher</c>. Only <c>Sender-Public-Key</c> (usrv 0.4's answer-only
    /// encryption) stays a plain request.
    /// </summary>
    public static bool Applies(RequestHeaders headers) =>
        headers[EnvelopeHeaders.UsrvScheme] is null
        && headers[EnvelopeHeaders.LegacyUsrvCipher] is null
        && (headers[EnvelopeHeaders.EphemeralPublicKey] is not null || headers[EnvelopeHeaders.SenderSignature] is not null);

    /// <summary>
    /// Opens, answers and seals one usrv 0.4 request; failures to open pass out as <see cref="EnvelopeException"/> (plain).
    /// </summary>
    public async ValueTask<UsrvResponse> OpenAndSealAsync(UsrvRequest request, UsrvRequestHandler next)
    {
        var headers = Usrv04Headers.From(name => request.Headers[name]);
        var opened = await Usrv04Envelope.OpenRequestAsync(
                headers, ReadBodyAsync, settings.Ring.Current, settings.ReplayGuard, request.Aborted)
            .ConfigureAwait(false);
        WarnOnce(opened.Sender);
        // No Sender: usrv 0.4 proves no authorship (anyone who saw the request can re-sign it), so sender policies refuse it.
        var response = await next(request.WithBody(opened.Plaintext)).ConfigureAwait(false);
        return response.Status < 400 ? await SealAsync(request.Method, response, opened.Sender).ConfigureAwait(false) : response;

        async ValueTask<ReadOnlyMemory<byte>> ReadBodyAsync(CancellationToken _) =>
            await RequestBody.ReadAsync(request, settings.MaxRequestBodyBytes).ConfigureAwait(false);
    }

    private async ValueTask<UsrvResponse> SealAsync(string method, UsrvResponse response, PublicKey sender)
    {
        // A streamed body (a stream, a streamed JSON array, events) is collected whole: the seal covers all of it.
        var plaintext = await response.ReadBodyAsync().ConfigureAwait(false);

        var canCarryContent = UsrvEnvelope.CanCarryContent(method, response.Status);
        var sealedAnswer = Usrv04Envelope.SealResponse(settings.Ring.Current, sender, plaintext.Span, canCarryContent);
        return new UsrvResponse(response.Status, response.ContentType, Encoding.ASCII.GetBytes(sealedAnswer.Body))
        {
            Headers = [.. response.Headers, .. sealedAnswer.Headers.ToPairs()],
        };
    }

    private void WarnOnce(PublicKey sender)
    {
        if (_warned.ContainsKey(sender))
        {
            return;
        }

        if (_warned.Count >= MaxWarnedKeys)
        {
            _warned.Clear();
        }

        if (_warned.TryAdd(sender, 0))
        {
            InsecureExchange(settings.Log, sender.ToUsrv04Base64());
        }
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning,
        Message = "usrv 0.4 sealed call from {Sender}: insecure (no authenticated cipher, the sender is not bound to the content; " +
            "anyone who sees the request can re-sign it and read the answer); use usrv/2")]
    private static partial void InsecureExchange(ILogger log, string sender);
}
