using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Usrv.Crypto.Hpke;

namespace Usrv.Crypto;

/// <summary>
/// usrv/2 sealed calls (DESIGN, Sealed calls: the usrv/2 scheme): HPKE (RFC 9180) <c>mode_auth</c> with
/// DHKEM(secp256k1, HKDF-SHA256) (KEM 0x0016), HKDF-SHA256 and AES-256-GCM, <c>info = "usrv/2"</c>; every request
/// signed (BIP340) over <c>H(R || enc || SEC1c(pkS) || H(body sent))</c>; every answer sealed under a key exported
/// from the request's own HPKE context (RFC 9458 §4.4) and signed over the request's signature.
/// </summary>
/// <remarks>
/// <para>The server checks in the order of DESIGN, Sealed calls: the usrv/2 scheme (Server, in this order) and
/// fails with <see cref="EnvelopeException"/>: a 415 (scheme), b 400 (headers), c 400 (recipient not in the ring,
/// naming the current key), d 412 (nonce window), e 401 (signature), f 412/503 (replay store), g 400 (body does not
/// open). Nothing is recorded, decrypted or handed on before the signature verifies.</para>
/// <para>Checked byte for byte against <c>shared/vectors/usrv2-wire.json</c>.</para>
/// </remarks>
public static class UsrvEnvelope
{
    /// <summary>The scheme's name and the value of <c>Usrv-Scheme</c>: <c>usrv/2</c>.</summary>
    public const string Scheme = "usrv/2";

    /// <summary>HPKE's suite: KEM 0x0016, KDF 0x0001, AEAD 0x0002 (AES-256-GCM).</summary>
    internal static readonly HpkeSuite Suite = new(DhKemSecp256k1.Instance, HpkeAead.Aes256Gcm);

    private static readonly byte[] Info = Encoding.UTF8.GetBytes(Scheme);

    // Base64 text longer than this cannot hold a key, an enc, a nonce or a signature; refused unread.
    private const int MaxBase64Length = 128;

    /// <summary>
    /// True when an answer to <paramref name="method"/> with <paramref name="status"/> carries content (not HEAD,
    /// 1xx, 204 or 304; RFC 9110 §6.4.1).
    /// </summary>
    /// <param name="method">The request's method.</param>
    /// <param name="status">The answer's status.</param>
    /// <returns>Whether the answer's body is sealed and sent.</returns>
    public static bool CanCarryContent(string method, int status) =>
        !string.Equals(method, "HEAD", StringComparison.Ordinal) && status >= 200 && status != 204 && status != 304;

    /// <summary>
    /// Seals and signs a request for <paramref name="server"/> (DESIGN, Sealed calls: the usrv/2 scheme; Request).
    /// </summary>
    /// <param name="sender">The caller's key pair (skC): HPKE's auth-mode sender key and the signer.</param>
    /// <param name="server">The server key sealed for (pkS), e.g. its <c>GET /puk</c>.</param>
    /// <param name="line">Method, authority, target and content type exactly as they will be sent.</param>
    /// <param name="plaintext">The body; when empty nothing is sent and nothing is sealed.</param>
    /// <param name="now">The caller's clock for the <c>Nonce</c> (usrv form, microseconds, UTC).</param>
    /// <returns>The body and headers to send, and what opens the answer; dispose it after the answer is read.</returns>
    /// <exception cref="ArgumentNullException">A reference parameter is null.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="sender"/> was disposed.</exception>
    public static SealedRequest SealRequest(
        PrivateKey sender,
        PublicKey server,
        RequestLine line,
        ReadOnlySpan<byte> plaintext,
        DateTimeOffset now)
    {
        Span<byte> aux = stackalloc byte[32];
        RandomNumberGenerator.Fill(aux);
        return SealRequest(sender, server, line, Crypto.Nonce.Format(now), plaintext, [], aux);
    }

    /// <summary>The request sealing with given ephemeral key material and aux randomness (test vectors).</summary>
    internal static SealedRequest SealRequest(
        PrivateKey sender,
        PublicKey server,
        RequestLine line,
        string nonce,
        ReadOnlySpan<byte> plaintext,
        ReadOnlySpan<byte> ikmE,
        ReadOnlySpan<byte> auxRand)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(line);
        var r = line.Encode(nonce);
        var (enc, context) = Suite.SetupAuthS(
            server.Uncompressed, Info, sender.Scalar, sender.PublicKey.Uncompressed, ikmE);
        using (context)
        {
            var body = plaintext.IsEmpty ? [] : context.Seal(r, plaintext);
            Span<byte> digest = stackalloc byte[32];
            RequestDigest(r, enc, server, body, digest);
            var signature = sender.Sign(digest, auxRand);
            var secret = context.Export(ResponseKeys.ExportContext, ResponseKeys.SecretLength);
            var headers = new RequestEnvelope(Scheme, nonce, Convert.ToBase64String(enc), sender.PublicKey.ToString(),
                server.ToString(), Convert.ToBase64String(signature));
            return new SealedRequest(body, headers, server, sender, new ResponseKeys(secret, enc, signature));
        }
    }

    /// <summary>
    /// The server's steps a–g of DESIGN, Sealed calls: the usrv/2 scheme: scheme, headers, recipient in the ring,
    /// nonce window, signature, replay record, HPKE open. Step h (the endpoint's sender policy) is the router's.
    /// </summary>
    /// <param name="line">Method, <c>Host</c>, target and <c>Content-Type</c> as received.</param>
    /// <param name="headers">The usrv/2 headers as received.</param>
    /// <param name="body">The body as received (empty when none).</param>
    /// <param name="ring">The server's keys.</param>
    /// <param name="guard">The replay guard (clock, window, store).</param>
    /// <param name="cancellationToken">Cancels a remote replay store's round trip.</param>
    /// <returns>The opened request; dispose it after the answer is sealed.</returns>
    /// <exception cref="ArgumentNullException">A reference parameter is null.</exception>
    /// <exception cref="EnvelopeException">
    /// 400, 401, 412, 415 or 503 as the table of DESIGN, Sealed calls: the usrv/2 scheme (Server, in this order) says;
    /// the detail names the failed check.
    /// </exception>
    public static ValueTask<OpenedRequest> OpenRequestAsync(
        RequestLine line,
        RequestEnvelope headers,
        ReadOnlyMemory<byte> body,
        KeyRing ring,
        ReplayGuard guard,
        CancellationToken cancellationToken = default) =>
        OpenRequestAsync(line, headers, _ => ValueTask.FromResult(body), ring, guard, cancellationToken);

    /// <summary>
    /// <see cref="OpenRequestAsync(RequestLine, RequestEnvelope, ReadOnlyMemory{byte}, KeyRing, ReplayGuard, CancellationToken)"/>
    /// that reads the body only after steps a–d passed, so a request that fails them costs no body read.
    /// </summary>
    /// <param name="line">Method, <c>Host</c>, target and <c>Content-Type</c> as received.</param>
    /// <param name="headers">The usrv/2 headers as received.</param>
    /// <param name="readBody">Reads the body as received (its own failures, e.g. a 413, propagate).</param>
    /// <param name="ring">The server's keys.</param>
    /// <param name="guard">The replay guard.</param>
    /// <param name="cancellationToken">Cancels the body read and a remote replay store's round trip.</param>
    /// <returns>The opened request; dispose it after the answer is sealed.</returns>
    /// <exception cref="ArgumentNullException">A reference parameter is null.</exception>
    /// <exception cref="EnvelopeException">As the other overload.</exception>
    public static async ValueTask<OpenedRequest> OpenRequestAsync(
        RequestLine line,
        RequestEnvelope headers,
        Func<CancellationToken, ValueTask<ReadOnlyMemory<byte>>> readBody,
        KeyRing ring,
        ReplayGuard guard,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(readBody);
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(ring);
        ArgumentNullException.ThrowIfNull(guard);

        // a, b
        var parsed = ParseRequest(headers, ring);

        // c
        var recipient = ring.Find(parsed.Recipient) ?? throw new EnvelopeException(400,
            $"{EnvelopeHeaders.RecipientPublicKey} {parsed.Recipient} is not a key of this server; " +
            $"seal for its current key {ring.Current.PublicKey} (GET /puk).");

        // d: the one clock read of the request
        var now = guard.Now();
        guard.CheckWindow(parsed.Instant, now, headers.Nonce!);

        // e
        var body = await readBody(cancellationToken).ConfigureAwait(false);
        // R is written into a pooled buffer: it is needed only until the body is opened.
        var pooled = ArrayPool<byte>.Shared.Rent(line.EncodedLength(headers.Nonce!));
        try
        {
            var r = pooled.AsMemory(0, line.EncodeTo(headers.Nonce!, pooled));
            if (!VerifyRequest(r.Span, parsed, recipient.PublicKey, body.Span))
            {
                throw new EnvelopeException(401,
                    $"{EnvelopeHeaders.SenderSignature} does not verify for {EnvelopeHeaders.SenderPublicKey} {parsed.Sender} " +
                    "over this request (method, authority, target, nonce, content type, ephemeral key, recipient and body " +
                    "are all signed).");
            }

            // f
            await guard.RecordAsync(parsed.Sender, parsed.Instant, now, cancellationToken).ConfigureAwait(false);

            // g
            return Open(line, r.Span, parsed, recipient, body.Span, headers.Nonce!);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(pooled);
        }
    }

    /// <summary>
    /// Seals and signs the answer to <paramref name="request"/> (DESIGN, Sealed calls: the usrv/2 scheme; Answer) with
    /// fresh randomness.
    /// </summary>
    /// <param name="request">The request as opened.</param>
    /// <param name="status">The answer's HTTP status (100–999); bound as 3 digits.</param>
    /// <param name="contentType">The answer's <c>Content-Type</c> exactly as it will be sent, or null for none.</param>
    /// <param name="plaintext">The answer's body.</param>
    /// <param name="canCarryContent">
    /// False for HEAD, 1xx, 204 and 304 (<see cref="CanCarryContent"/>): nothing is sealed or sent.
    /// </param>
    /// <returns>The body and headers to send.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> is not 3 digits.</exception>
    public static SealedResponse SealResponse(
        OpenedRequest request,
        int status,
        string? contentType,
        ReadOnlySpan<byte> plaintext,
        bool canCarryContent)
    {
        Span<byte> responseNonce = stackalloc byte[ResponseKeys.ResponseNonceLength];
        Span<byte> aux = stackalloc byte[32];
        RandomNumberGenerator.Fill(responseNonce);
        RandomNumberGenerator.Fill(aux);
        return SealResponse(request, status, contentType, plaintext, canCarryContent, responseNonce, aux);
    }

    /// <summary>The answer sealing with a given response nonce and aux randomness (test vectors).</summary>
    internal static SealedResponse SealResponse(
        OpenedRequest request,
        int status,
        string? contentType,
        ReadOnlySpan<byte> plaintext,
        bool canCarryContent,
        ReadOnlySpan<byte> responseNonce,
        ReadOnlySpan<byte> auxRand)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThan(status, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(status, 999);
        var q = ResponseLine(status, contentType);
        var body = canCarryContent ? SealAnswer(request.Keys, responseNonce, q, plaintext) : [];
        Span<byte> digest = stackalloc byte[32];
        ResponseDigest(q, responseNonce, request.Keys.RequestSignature, body, digest);
        var signature = request.Recipient.Sign(digest, auxRand);
        var headers = new ResponseEnvelope(
            Scheme, Convert.ToBase64String(responseNonce), request.Recipient.PublicKey.ToString(), Convert.ToBase64String(signature));
        return new SealedResponse(body, headers);
    }

    /// <summary>
    /// The caller's checks of an answer (DESIGN, Sealed calls: the usrv/2 scheme): <c>Usrv-Scheme: usrv/2</c>,
    /// <c>Sender-Public-Key</c> is the key the request was sealed for, the signature (which binds the answer to this
    /// very request), and the body opens.
    /// </summary>
    /// <param name="request">The request as sealed.</param>
    /// <param name="status">The answer's status.</param>
    /// <param name="contentType">The answer's <c>Content-Type</c> exactly as received, or null.</param>
    /// <param name="headers">The answer's usrv/2 headers.</param>
    /// <param name="body">The answer's body as received.</param>
    /// <param name="canCarryContent">False for HEAD, 1xx, 204 and 304 (<see cref="CanCarryContent"/>).</param>
    /// <returns>The answer's plaintext (empty when it carries no content).</returns>
    /// <exception cref="ArgumentNullException">A reference parameter is null.</exception>
    /// <exception cref="EnvelopeException">
    /// 400 not a usrv/2 answer, malformed headers, or a body that does not open; 401 signed by another key than the one
    /// sealed for, or a signature that does not verify (an answer to another request, or altered).
    /// </exception>
    public static byte[] OpenResponse(
        SealedRequest request,
        int status,
        string? contentType,
        ResponseEnvelope headers,
        ReadOnlySpan<byte> body,
        bool canCarryContent)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(headers);
        if (!string.Equals(headers.Scheme, Scheme, StringComparison.Ordinal))
        {
            throw new EnvelopeException(400,
                $"The answer is not sealed: {EnvelopeHeaders.UsrvScheme} is '{Clip(headers.Scheme)}', not {Scheme}.");
        }

        RequireAll("answer",
            (EnvelopeHeaders.ResponseNonce, headers.ResponseNonce),
            (EnvelopeHeaders.SenderPublicKey, headers.SenderPublicKey),
            (EnvelopeHeaders.SenderSignature, headers.SenderSignature));
        var signer = PublicKey.TryParseCore(headers.SenderPublicKey, out var error)
            ?? throw new EnvelopeException(400,
                $"{EnvelopeHeaders.SenderPublicKey} of the answer is not a valid secp256k1 public key: {error}");
        if (signer != request.Server)
        {
            throw new EnvelopeException(401,
                $"The answer is signed by {signer}, not by the server key {request.Server} the request was sealed for.");
        }

        Span<byte> responseNonce = stackalloc byte[ResponseKeys.ResponseNonceLength];
        ReadExact(headers.ResponseNonce!, responseNonce, EnvelopeHeaders.ResponseNonce, "32 random bytes");
        var signature = new byte[Bip340.SignatureLength];
        ReadExact(headers.SenderSignature!, signature, EnvelopeHeaders.SenderSignature, "a 64-byte BIP340 signature");

        var q = ResponseLine(status, contentType);
        var sent = canCarryContent ? body : [];
        Span<byte> digest = stackalloc byte[32];
        ResponseDigest(q, responseNonce, request.Keys.RequestSignature, sent, digest);
        if (!signer.Verify(digest, signature))
        {
            throw new EnvelopeException(401,
                $"The answer's {EnvelopeHeaders.SenderSignature} does not verify for {signer}: it answers another request, " +
                "or status, content type or body were altered.");
        }

        return canCarryContent ? OpenAnswer(request.Keys, responseNonce, q, sent) : [];
    }

    private static bool VerifyRequest(ReadOnlySpan<byte> r, ParsedRequest parsed, PublicKey recipient, ReadOnlySpan<byte> body)
    {
        Span<byte> digest = stackalloc byte[32];
        RequestDigest(r, parsed.Enc, recipient, body, digest);
        return parsed.Sender.Verify(digest, parsed.Signature);
    }

    /// <summary><c>Q = "usrv/2 response\n" + status (3 digits) + "\n" + content-type</c>, UTF-8.</summary>
    private static byte[] ResponseLine(int status, string? contentType) =>
        Encoding.UTF8.GetBytes("usrv/2 response\n" + status.ToString("D3", CultureInfo.InvariantCulture) + "\n" + (contentType ?? ""));

    /// <summary><c>H(R || enc || SEC1c(pkS) || H(body sent))</c>.</summary>
    private static void RequestDigest(
        ReadOnlySpan<byte> r,
        ReadOnlySpan<byte> enc,
        PublicKey server,
        ReadOnlySpan<byte> body,
        Span<byte> digest) =>
        DigestOf(r, enc, server.Compressed, body, digest);

    /// <summary><c>H(Q || response_nonce || request's sig || H(body sent))</c>.</summary>
    private static void ResponseDigest(
        ReadOnlySpan<byte> q,
        ReadOnlySpan<byte> responseNonce,
        ReadOnlySpan<byte> requestSignature,
        ReadOnlySpan<byte> body,
        Span<byte> digest) =>
        DigestOf(q, responseNonce, requestSignature, body, digest);

    /// <summary><c>H(a || b || c || H(body))</c>, hashed in one call over a pooled buffer (an incremental hash would
    /// allocate its native context for every request).</summary>
    private static void DigestOf(
        ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c, ReadOnlySpan<byte> body, Span<byte> digest)
    {
        int length = a.Length + b.Length + c.Length + 32;
        var pooled = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var input = pooled.AsSpan(0, length);
            a.CopyTo(input);
            b.CopyTo(input[a.Length..]);
            c.CopyTo(input[(a.Length + b.Length)..]);
            SHA256.HashData(body, input[(a.Length + b.Length + c.Length)..]);
            SHA256.HashData(input, digest);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(pooled);
        }
    }

    private static byte[] SealAnswer(ResponseKeys keys, ReadOnlySpan<byte> responseNonce, byte[] q, ReadOnlySpan<byte> plaintext)
    {
        Span<byte> key = stackalloc byte[ResponseKeys.KeyLength];
        Span<byte> iv = stackalloc byte[ResponseKeys.IvLength];
        try
        {
            keys.Derive(responseNonce, key, iv);
            var body = new byte[plaintext.Length + ResponseKeys.TagLength];
            using var aes = new AesGcm(key, ResponseKeys.TagLength);
            aes.Encrypt(iv, plaintext, body.AsSpan(0, plaintext.Length), body.AsSpan(plaintext.Length), q);
            return body;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static byte[] OpenAnswer(ResponseKeys keys, ReadOnlySpan<byte> responseNonce, byte[] q, ReadOnlySpan<byte> body)
    {
        if (body.Length < ResponseKeys.TagLength)
        {
            throw new EnvelopeException(400,
                $"The sealed answer is {body.Length} bytes; it carries at least its {ResponseKeys.TagLength}-byte tag.");
        }

        Span<byte> key = stackalloc byte[ResponseKeys.KeyLength];
        Span<byte> iv = stackalloc byte[ResponseKeys.IvLength];
        try
        {
            keys.Derive(responseNonce, key, iv);
            var plaintext = new byte[body.Length - ResponseKeys.TagLength];
            using var aes = new AesGcm(key, ResponseKeys.TagLength);
            aes.Decrypt(iv, body[..plaintext.Length], body[plaintext.Length..], plaintext, q);
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new EnvelopeException(400, "The sealed answer does not open under this request's key: it was altered in transit.");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static OpenedRequest Open(
        RequestLine line,
        ReadOnlySpan<byte> r,
        ParsedRequest parsed,
        PrivateKey recipient,
        ReadOnlySpan<byte> body,
        string nonce)
    {
        HpkeContext context;
        Span<byte> staticDh = stackalloc byte[32];
        try
        {
            // DH(skR, pkS) is remembered per sender by the server's key: one ECDH per call, not two.
            recipient.StaticSharedX(parsed.Sender, staticDh);
            context = Suite.SetupAuthR(
                parsed.Enc, recipient.Scalar, recipient.PublicKey.Uncompressed, Info, parsed.Sender.Uncompressed, staticDh);
        }
        catch (CryptographicException)
        {
            throw new EnvelopeException(400, $"{EnvelopeHeaders.EphemeralPublicKey} does not give an HPKE context with this server's key.");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(staticDh);
        }

        using (context)
        {
            byte[] plaintext;
            try
            {
                plaintext = body.IsEmpty ? [] : context.Open(r, body);
            }
            catch (CryptographicException)
            {
                throw new EnvelopeException(400,
                    $"The body does not open with HPKE for {recipient.PublicKey} from {parsed.Sender} with aad R " +
                    $"({line.Method} {line.Target}): it was sealed for another key, request line or content type, or altered.");
            }

            var secret = context.Export(ResponseKeys.ExportContext, ResponseKeys.SecretLength);
            return new OpenedRequest(
                plaintext, parsed.Sender, recipient, nonce, new ResponseKeys(secret, parsed.Enc, parsed.Signature));
        }
    }

    private sealed record ParsedRequest(DateTimeOffset Instant, byte[] Enc, PublicKey Sender, PublicKey Recipient, byte[] Signature);

    // Steps a and b: scheme, then every header present and well formed.
    private static ParsedRequest ParseRequest(RequestEnvelope headers, KeyRing ring)
    {
        if (!string.Equals(headers.Scheme?.Trim(), Scheme, StringComparison.Ordinal))
        {
            throw new EnvelopeException(415,
                $"{EnvelopeHeaders.UsrvScheme} '{Clip(headers.Scheme)}' is not spoken here; " +
                $"seal the call with {Scheme} ({EnvelopeHeaders.UsrvScheme}: {Scheme}).");
        }

        RequireAll("request",
            (EnvelopeHeaders.Nonce, headers.Nonce), (EnvelopeHeaders.EphemeralPublicKey, headers.EphemeralPublicKey),
            (EnvelopeHeaders.SenderPublicKey, headers.SenderPublicKey), (EnvelopeHeaders.RecipientPublicKey, headers.RecipientPublicKey),
            (EnvelopeHeaders.SenderSignature, headers.SenderSignature));

        if (!Crypto.Nonce.TryParse(headers.Nonce, out var instant))
        {
            throw new EnvelopeException(400,
                $"{EnvelopeHeaders.Nonce} '{Clip(headers.Nonce)}' is not an ISO 8601 timestamp with offset " +
                "(usrv/2: e.g. 2026-12-01T19:06:44.553996+00:00).");
        }

        var enc = new byte[PublicKey.UncompressedLength];
        ReadExact(headers.EphemeralPublicKey!, enc, EnvelopeHeaders.EphemeralPublicKey, "a 65-byte SEC1 uncompressed point (HPKE enc)");
        Span<byte> point = stackalloc byte[Secp256k1.PubkeyObjectLength];
        if (enc[0] != 0x04 || !Secp256k1.TryParsePublicKey(enc, point))
        {
            throw new EnvelopeException(400,
                $"{EnvelopeHeaders.EphemeralPublicKey} is not a 65-byte SEC1 uncompressed point of secp256k1.");
        }

        var sender = PublicKey.TryParseCore(headers.SenderPublicKey, out var error)
            ?? throw new EnvelopeException(400, $"{EnvelopeHeaders.SenderPublicKey} is not a valid secp256k1 public key: {error}");
        // Callers name the current key in its canonical text almost always: no parse then.
        var recipient = ring.Current.PublicKey.ToString() == headers.RecipientPublicKey ? ring.Current.PublicKey
            : PublicKey.TryParseCore(headers.RecipientPublicKey, out error)
                ?? throw new EnvelopeException(400,
                    $"{EnvelopeHeaders.RecipientPublicKey} is not a valid secp256k1 public key: {error}");
        var signature = new byte[Bip340.SignatureLength];
        ReadExact(headers.SenderSignature!, signature, EnvelopeHeaders.SenderSignature, "a 64-byte BIP340 signature");
        return new ParsedRequest(instant, enc, sender, recipient, signature);
    }

    private static void RequireAll(string what, params (string Name, string? Value)[] all)
    {
        if (all.All(h => h.Value is not null))
        {
            return;
        }

        var missing = string.Join(", ", all.Where(h => h.Value is null).Select(h => h.Name));
        throw new EnvelopeException(400,
            $"The usrv/2 {what} lacks {missing}; it carries {string.Join(", ", all.Select(h => h.Name))}.");
    }

    private static void ReadExact(string base64, Span<byte> destination, string header, string expected)
    {
        Span<byte> buffer = stackalloc byte[MaxBase64Length];
        if (base64.Length > MaxBase64Length
            || !Convert.TryFromBase64String(base64.Trim(), buffer, out var written)
            || written != destination.Length)
        {
            throw new EnvelopeException(400, $"{header} is not base64 of {expected}.");
        }

        buffer[..written].CopyTo(destination);
    }

    private static string Clip(string? text) => text is null ? "" : text.Length <= 40 ? text : text[..40] + "...";
}
