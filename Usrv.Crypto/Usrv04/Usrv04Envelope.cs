using System.Security.Cryptography;
using System.Text;

namespace Usrv.Crypto;

/// <summary>
/// usrv 0.4.3's sealed calls (DESIGN, Talking to usrv 0.4 peers), on the wire as usrv 0.4.3's <c>route.py</c> and
/// <c>req.py</c> speak them, checked as they do not: a request's body is <see cref="Usrv04Ecies"/> for the server key, as
/// hex text, with <c>Nonce</c>, <c>Ephemeral-Public-Key</c> (R), <c>Sender-Public-Key</c> and <c>Sender-Signature</c> =
/// BIP340 over <c>SHA256(UTF8(hex_body + R_b64 + nonce))</c>; its success answer is encrypted back for the sender key
/// under a fresh R and signed over <c>SHA256(UTF8(hex_body + R_b64))</c>.
/// </summary>
/// <remarks>
/// <para>Insecure, spoken only by opt-in: the cipher has no tag, and nothing binds the sender to the content, so anyone
/// who sees a request can re-sign it with a key of their own, have it served and read the answer.</para>
/// <para>Where usrv 0.4 passes a request on in clear when a check fails, this fails closed with
/// <see cref="EnvelopeException"/>: 401 a missing or bad signature (or signer), 412 a missing, unreadable (no offset),
/// stale, future or replayed nonce, 400 a malformed key or a body that is not hex or does not decrypt to UTF-8 text.
/// Nothing is recorded or decrypted before the signature verifies.</para>
/// </remarks>
public static class Usrv04Envelope
{
    /// <summary>The text a request's signature covers (usrv 0.4.3 <c>req.py</c>): <c>hex_body + R_b64 + nonce</c>.</summary>
    /// <param name="hexBody">The body as sent (hex text).</param>
    /// <param name="ephemeralPublicKey">The <c>Ephemeral-Public-Key</c> text as sent.</param>
    /// <param name="nonce">The <c>Nonce</c> text as sent.</param>
    /// <returns>The concatenation, signed as <c>SHA256(UTF8(text))</c>.</returns>
    public static string RequestMessage(string hexBody, string ephemeralPublicKey, string nonce) => hexBody + ephemeralPublicKey + nonce;

    /// <summary>The text an answer's signature covers (usrv 0.4.3 <c>route.py</c>): <c>hex_body + R_b64</c>.</summary>
    /// <param name="hexBody">The body as sent (hex text).</param>
    /// <param name="ephemeralPublicKey">The answer's <c>Ephemeral-Public-Key</c> text as sent.</param>
    /// <returns>The concatenation, signed as <c>SHA256(UTF8(text))</c>.</returns>
    public static string ResponseMessage(string hexBody, string ephemeralPublicKey) => hexBody + ephemeralPublicKey;

    /// <summary>
    /// Seals a request body for <paramref name="server"/> as usrv 0.4.3's client does (fresh ephemeral key and aux
    /// randomness). A request without a body is sealed over the empty text, so its answer comes back sealed too.
    /// </summary>
    /// <param name="sender">The caller's key pair: signs, and the answer is encrypted for its public key.</param>
    /// <param name="server">The server key encrypted for (usrv 0.4's <c>GET /puk</c>).</param>
    /// <param name="plaintext">The body (usrv 0.4 sends UTF-8 text), possibly empty.</param>
    /// <param name="now">The caller's clock for the <c>Nonce</c> (usrv form, microseconds, <c>+00:00</c>).</param>
    /// <returns>The hex body and the four headers.</returns>
    /// <exception cref="ArgumentNullException">A key is null.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="sender"/> was disposed.</exception>
    public static Usrv04Sealed SealRequest(PrivateKey sender, PublicKey server, ReadOnlySpan<byte> plaintext, DateTimeOffset now)
    {
        using var ephemeral = PrivateKey.Generate();
        Span<byte> aux = stackalloc byte[32];
        RandomNumberGenerator.Fill(aux);
        return SealRequest(sender, server, plaintext, Nonce.Format(now), ephemeral, aux);
    }

    /// <summary>The request sealing with a given nonce text, ephemeral key and aux randomness (test vectors).</summary>
    internal static Usrv04Sealed SealRequest(
        PrivateKey sender,
        PublicKey server,
        ReadOnlySpan<byte> plaintext,
        string nonce,
        PrivateKey ephemeral,
        ReadOnlySpan<byte> auxRand)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(server);
        var body = Usrv04Ecies.Encrypt(server, plaintext, ephemeral);
        var r = ephemeral.PublicKey.ToUsrv04Base64();
        var signature = sender.SignSha256Utf8(RequestMessage(body, r, nonce), auxRand);
        return new Usrv04Sealed(body, new Usrv04Headers(nonce, r, sender.PublicKey.ToUsrv04Base64(), Convert.ToBase64String(signature)));
    }

    /// <summary>
    /// The server's checks of a usrv 0.4 sealed request, failing closed, in this order: the keys and the signature are
    /// present and well formed; the nonce is present, has an offset and lies within the guard's window; the body is read;
    /// the signature verifies over <see cref="RequestMessage"/>; (sender, nonce) is recorded in the replay store; the
    /// body is hex and decrypts to UTF-8 text.
    /// </summary>
    /// <param name="headers">The usrv 0.4 headers as received.</param>
    /// <param name="readBody">Reads the body as received (its own failures, e.g. a 413, propagate).</param>
    /// <param name="server">The server's key pair (the ring's current key: usrv 0.4 names no recipient).</param>
    /// <param name="guard">The replay guard of usrv/2 (the same clock, window and store).</param>
    /// <param name="cancellationToken">Cancels the body read and a remote replay store's round trip.</param>
    /// <returns>The plaintext and the sender key.</returns>
    /// <exception cref="ArgumentNullException">A parameter is null.</exception>
    /// <exception cref="EnvelopeException">400, 401, 412 or 503 (the replay store); the detail names the failed check.</exception>
    public static async ValueTask<Usrv04OpenedRequest> OpenRequestAsync(
        Usrv04Headers headers,
        Func<CancellationToken, ValueTask<ReadOnlyMemory<byte>>> readBody,
        PrivateKey server,
        ReplayGuard guard,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(readBody);
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(guard);
        var sender = SignerOf(headers.SenderPublicKey, "request");
        var ephemeral = EphemeralOf(headers.EphemeralPublicKey);
        var signature = SignatureOf(headers.SenderSignature);
        if (!Nonce.TryParse(headers.Nonce, out var instant))
        {
            throw new EnvelopeException(412, headers.Nonce is null
                ? $"The usrv 0.4 request lacks {EnvelopeHeaders.Nonce}; send the UTC time, e.g. 2026-12-01T19:06:44.553996+00:00."
                : $"{EnvelopeHeaders.Nonce} '{Clip(headers.Nonce)}' is not an ISO 8601 timestamp with offset " +
                    "(e.g. 2026-12-01T19:06:44.553996+00:00).");
        }

        var now = guard.Now();
        guard.CheckWindow(instant, now, headers.Nonce!);
        var received = await readBody(cancellationToken).ConfigureAwait(false);
        // usrv 0.4 reads the body as Latin-1 text (its default charset); hex text is ASCII either way.
        var body = Encoding.Latin1.GetString(received.Span);
        if (!sender.VerifySha256Utf8(RequestMessage(body, headers.EphemeralPublicKey!, headers.Nonce!), signature))
        {
            throw new EnvelopeException(401,
                $"{EnvelopeHeaders.SenderSignature} does not verify for {EnvelopeHeaders.SenderPublicKey} over the body, " +
                $"{EnvelopeHeaders.EphemeralPublicKey} and {EnvelopeHeaders.Nonce} (usrv 0.4: hex body + R + nonce).");
        }

        await guard.RecordAsync(sender, instant, now, cancellationToken).ConfigureAwait(false);
        var plaintext = DecryptText(server, ephemeral, body, "request");
        return new Usrv04OpenedRequest(plaintext, sender, headers.Nonce!);
    }

    /// <summary>
    /// Seals a success answer for <paramref name="recipient"/> as usrv 0.4.3's server does: a fresh R, the body as hex,
    /// <c>Sender-Public-Key</c> the server's 64-byte form, the signature over <see cref="ResponseMessage"/>. usrv 0.4 answers
    /// errors (status 400 and above) in clear: do not seal them.
    /// </summary>
    /// <param name="server">The server's key pair: signs.</param>
    /// <param name="recipient">The request's verified sender key.</param>
    /// <param name="plaintext">The answer's body.</param>
    /// <param name="canCarryContent">False for HEAD, 1xx, 204 and 304: the body is empty and the signature covers <c>"" + R</c>.</param>
    /// <returns>The hex body and the three headers (no <c>Nonce</c>).</returns>
    /// <exception cref="ArgumentNullException">A key is null.</exception>
    public static Usrv04Sealed SealResponse(PrivateKey server, PublicKey recipient, ReadOnlySpan<byte> plaintext, bool canCarryContent)
    {
        using var ephemeral = PrivateKey.Generate();
        Span<byte> aux = stackalloc byte[32];
        RandomNumberGenerator.Fill(aux);
        return SealResponse(server, recipient, canCarryContent ? plaintext : [], ephemeral, aux);
    }

    /// <summary>The answer sealing with a given ephemeral key and aux randomness (test vectors).</summary>
    internal static Usrv04Sealed SealResponse(
        PrivateKey server,
        PublicKey recipient,
        ReadOnlySpan<byte> plaintext,
        PrivateKey ephemeral,
        ReadOnlySpan<byte> auxRand)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(recipient);
        var body = plaintext.IsEmpty ? "" : Usrv04Ecies.Encrypt(recipient, plaintext, ephemeral);
        var r = ephemeral.PublicKey.ToUsrv04Base64();
        var signature = server.SignSha256Utf8(ResponseMessage(body, r), auxRand);
        return new Usrv04Sealed(body, new Usrv04Headers(null, r, server.PublicKey.ToUsrv04Base64(), Convert.ToBase64String(signature)));
    }

    /// <summary>
    /// The caller's checks of a usrv 0.4 success answer, failing closed: the three headers are present; the answer names
    /// the server key the caller expects and its signature verifies for that key (not merely for the key it names); the
    /// body is hex and decrypts to UTF-8 text.
    /// </summary>
    /// <param name="client">The caller's key pair (the answer is encrypted for its public key).</param>
    /// <param name="expectedServer">The server key the call was sealed for.</param>
    /// <param name="headers">The answer's headers as received.</param>
    /// <param name="body">The body as received.</param>
    /// <returns>The plaintext.</returns>
    /// <exception cref="ArgumentNullException">A parameter is null.</exception>
    /// <exception cref="EnvelopeException">
    /// 400 not sealed, malformed, or a body that is not hex or does not decrypt to UTF-8; 401 signed by another key than
    /// <paramref name="expectedServer"/>, or a signature that does not verify.
    /// </exception>
    public static byte[] OpenResponse(PrivateKey client, PublicKey expectedServer, Usrv04Headers headers, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(expectedServer);
        ArgumentNullException.ThrowIfNull(headers);
        if (headers.EphemeralPublicKey is null || headers.SenderPublicKey is null || headers.SenderSignature is null)
        {
            throw new EnvelopeException(400,
                $"The answer is not sealed as usrv 0.4 seals it: it lacks {EnvelopeHeaders.EphemeralPublicKey}, " +
                $"{EnvelopeHeaders.SenderPublicKey} or {EnvelopeHeaders.SenderSignature}.");
        }

        var named = SignerOf(headers.SenderPublicKey, "answer");
        if (named != expectedServer)
        {
            throw new EnvelopeException(401,
                $"The answer is signed by {named}, not by the server key {expectedServer} the request was sealed for.");
        }

        var ephemeral = EphemeralOf(headers.EphemeralPublicKey);
        var signature = SignatureOf(headers.SenderSignature);
        var text = Encoding.Latin1.GetString(body);
        if (!expectedServer.VerifySha256Utf8(ResponseMessage(text, headers.EphemeralPublicKey), signature))
        {
            throw new EnvelopeException(401,
                $"The answer's {EnvelopeHeaders.SenderSignature} does not verify for the server key {expectedServer} " +
                "(usrv 0.4: hex body + R): it was altered or signed by another key.");
        }

        return DecryptText(client, ephemeral, text, "answer");
    }

    private static PublicKey SignerOf(string? text, string what)
    {
        if (text is null)
        {
            throw new EnvelopeException(401,
                $"The usrv 0.4 {what} lacks {EnvelopeHeaders.SenderPublicKey}: there is no key to check its signature with.");
        }

        return PublicKey.TryParseCore(text, out var error)
            ?? throw new EnvelopeException(400, $"{EnvelopeHeaders.SenderPublicKey} is not a valid secp256k1 public key: {error}");
    }

    private static PublicKey EphemeralOf(string? text)
    {
        if (text is null)
        {
            throw new EnvelopeException(400, $"The usrv 0.4 request lacks {EnvelopeHeaders.EphemeralPublicKey} (R).");
        }

        return PublicKey.TryParseCore(text, out var error)
            ?? throw new EnvelopeException(400, $"{EnvelopeHeaders.EphemeralPublicKey} is not a valid secp256k1 public key: {error}");
    }

    private static byte[] SignatureOf(string? text)
    {
        var signature = new byte[Bip340.SignatureLength];
        if (text is null)
        {
            throw new EnvelopeException(401, $"The usrv 0.4 call lacks {EnvelopeHeaders.SenderSignature}; it is refused unsigned.");
        }

        Span<byte> buffer = stackalloc byte[128];
        if (text.Length > 128 || !Convert.TryFromBase64String(text.Trim(), buffer, out var written) || written != signature.Length)
        {
            throw new EnvelopeException(401, $"{EnvelopeHeaders.SenderSignature} is not base64 of a 64-byte BIP340 signature.");
        }

        buffer[..written].CopyTo(signature);
        return signature;
    }

    private static byte[] DecryptText(PrivateKey own, PublicKey ephemeral, string body, string what)
    {
        if (!Usrv04Ecies.TryDecodeHex(body, out var ciphertext))
        {
            throw new EnvelopeException(400,
                $"The usrv 0.4 {what}'s body is not hex text (usrv 0.4 sends its ciphertext as an even number of hex digits).");
        }

        var plaintext = Usrv04Ecies.Decrypt(own, ephemeral, ciphertext);
        if (!Usrv04Ecies.IsUtf8(plaintext))
        {
            CryptographicOperations.ZeroMemory(plaintext);
            throw new EnvelopeException(400,
                $"The usrv 0.4 {what}'s body does not decrypt to UTF-8 text for {own.PublicKey}: " +
                "it was encrypted for another key, or altered.");
        }

        return plaintext;
    }

    private static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
