using Usrv.Crypto;

namespace Usrv.Route;

/// <summary>
/// The envelope stage (DESIGN, The request's way through; Sealed calls: the usrv/2 scheme): before routing it runs
/// usrv/2's steps a–g on a sealed request and hands the plaintext on with <see cref="UsrvRequest.Sender"/> set; after
/// the reply it seals and signs the answer, whatever its status. Failures of a–g (<see cref="EnvelopeException"/>, a
/// <see cref="ProblemException"/>) pass out of the stage and are answered plain and unsigned.
/// </summary>
/// <remarks>
/// Only a request that carries a usrv/2 header set (<see cref="Applies"/>) reaches this stage: any other request is
/// plain, whatever headers it carries, and costs no key exchange, signature or replay record.
/// </remarks>
internal sealed class EnvelopeStage(RouterSettings settings, ProblemDetailsStage problems) : IUsrvStage
{
    // usrv 0.4.3's scheme, spoken only when RouterOptions.AcceptUsrv04 is on (decided when the router is made).
    private readonly Usrv04Exchange? _usrv04 = settings.AcceptUsrv04 ? new Usrv04Exchange(settings) : null;

    /// <summary>
    /// True when the request claims a sealed scheme: <c>Usrv-Scheme</c>, the retired usrv/1 <c>Usrv-Cipher</c>, or usrv 0.4's
    /// sealed set (<c>Ephemeral-Public-Key</c> with <c>Sender-Signature</c>). A request with only <c>Nonce</c> or
    /// <c>Sender-Public-Key</c> is plain.
    /// </summary>
    public static bool Applies(RequestHeaders headers) =>
        headers[EnvelopeHeaders.UsrvScheme] is not null
        || headers[EnvelopeHeaders.LegacyUsrvCipher] is not null
        || (headers[EnvelopeHeaders.EphemeralPublicKey] is not null && headers[EnvelopeHeaders.SenderSignature] is not null);

    /// <summary>
    /// A plain request goes on untouched; a sealed one is opened, answered by <paramref name="next"/>, and its answer sealed.
    /// With <see cref="RouterOptions.AcceptUsrv04"/>, a usrv 0.4 sealed request is opened and answered as usrv 0.4 does.
    /// </summary>
    public ValueTask<UsrvResponse> InvokeAsync(UsrvRequest request, UsrvRequestHandler next)
    {
        if (_usrv04 is not null && Usrv04Exchange.Applies(request.Headers))
        {
            return _usrv04.OpenAndSealAsync(request, next);
        }

        return Applies(request.Headers) ? OpenAndSealAsync(request, next) : next(request);
    }

    private async ValueTask<UsrvResponse> OpenAndSealAsync(UsrvRequest request, UsrvRequestHandler next)
    {
        RefuseOtherSchemes(request.Headers);
        var line = new RequestLine(request.Method, request.Headers["Host"] ?? "", request.SignedTarget, request.ContentType);
        var headers = RequestEnvelope.From(name => request.Headers[name]);
        // The body is read only once the headers, the key and the nonce's window passed (steps a-d).
        using var opened = await UsrvEnvelope.OpenRequestAsync(
                line,
                headers,
                ReadBodyAsync,
                settings.Ring,
                settings.ReplayGuard,
                request.Aborted)
            .ConfigureAwait(false);
        var plain = request.WithBody(opened.Plaintext);
        plain.Sender = opened.Sender;
        // From step h on every answer is sealed, problems included: they are answered here, inside the envelope.
        var response = await problems.InvokeAsync(plain, next).ConfigureAwait(false);
        return await SealAsync(request.Method, response, opened).ConfigureAwait(false);

        async ValueTask<ReadOnlyMemory<byte>> ReadBodyAsync(CancellationToken _) =>
            await RequestBody.ReadAsync(request, settings.MaxRequestBodyBytes).ConfigureAwait(false);
    }

    // Step a for the schemes usrv/2 replaces: each gets a 415 that says what to send instead.
    private static void RefuseOtherSchemes(RequestHeaders headers)
    {
        if (headers[EnvelopeHeaders.UsrvScheme] is not null)
        {
            return;
        }

        if (headers[EnvelopeHeaders.LegacyUsrvCipher] is not null)
        {
            throw new EnvelopeException(415,
                $"usrv/1 ({EnvelopeHeaders.LegacyUsrvCipher}) is retired; " +
                $"seal the call with usrv/2 ({EnvelopeHeaders.UsrvScheme}: {UsrvEnvelope.Scheme}, DESIGN section 5).");
        }

        throw new EnvelopeException(415,
            $"usrv 0.4's sealed scheme (AES-CTR over hex text, {EnvelopeHeaders.EphemeralPublicKey} " +
            $"without {EnvelopeHeaders.UsrvScheme}) is not spoken by this server; " +
            $"seal the call with usrv/2 ({EnvelopeHeaders.UsrvScheme}: {UsrvEnvelope.Scheme}).");
    }

    // The signature covers the whole answer, so a streamed body is read whole first.
    private static async ValueTask<UsrvResponse> SealAsync(string method, UsrvResponse response, OpenedRequest opened)
    {
        // A streamed body (a stream, a streamed JSON array, events) is collected whole: the seal covers all of it.
        var plaintext = await response.ReadBodyAsync().ConfigureAwait(false);

        var sealedResponse = UsrvEnvelope.SealResponse(opened, response.Status, response.ContentType, plaintext.Span,
            UsrvEnvelope.CanCarryContent(method, response.Status));
        var envelope = sealedResponse.Headers;
        var headers = new List<KeyValuePair<string, string>>(response.Headers.Count + 4);
        headers.AddRange(response.Headers);
        headers.Add(new(EnvelopeHeaders.UsrvScheme, envelope.Scheme!));
        headers.Add(new(EnvelopeHeaders.ResponseNonce, envelope.ResponseNonce!));
        headers.Add(new(EnvelopeHeaders.SenderPublicKey, envelope.SenderPublicKey!));
        headers.Add(new(EnvelopeHeaders.SenderSignature, envelope.SenderSignature!));
        return new UsrvResponse(response.Status, response.ContentType, sealedResponse.Body) { Headers = headers };
    }
}
