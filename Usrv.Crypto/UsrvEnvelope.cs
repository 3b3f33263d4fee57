using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Usrv.Crypto;

/// <summary>
/// The usrv/1 sealed-body scheme (DESIGN §5): ECDH on secp256k1 with a one-time sender key, HKDF-SHA256
/// (RFC 5869), AES-256-GCM, and a BIP340 signature by the sender's static key over everything sent.
/// </summary>
/// <remarks>
/// <para>Per message: ephemeral key e, <c>E = e·G</c>; <c>z</c> = x(e·Recipient), 32 bytes;
/// <c>key = HKDF-SHA256(ikm: z, salt: SEC1c(E) || SEC1c(Recipient), info: "usrv/1 aes-256-gcm", 32 bytes)</c>;
/// <c>body = iv (12 random bytes) || AES-256-GCM(key, iv, plaintext, aad) || tag (16)</c>;
/// <c>m = SHA256(UTF8("usrv/1\n") || aad || SEC1c(E) || body)</c>; signature = BIP340(sender, m, random aux).</para>
/// <para>Request <c>aad = UTF8(method + " " + requestTarget + "\n" + nonce)</c>; response
/// <c>aad = UTF8("RESPONSE " + status + "\n" + (requestNonce ?? ""))</c>. The method is used exactly as given
/// (HTTP methods are case-sensitive); both sides must pass the same request-target text.</para>
/// <para>Open checks, in order: headers (400; unknown cipher or usrv 0.4 scheme 415), the signature over
/// <c>m</c> (401), then decryption (400 naming the recipient's key). Every failure is an
/// <see cref="EnvelopeException"/>; the shared secret and the AES key are wiped after use.</para>
/// </remarks>
public static class UsrvEnvelope
{
    /// <summary>The scheme's label, first line of the signed digest: <c>usrv/1</c>.</summary>
    public const string Scheme = "usrv/1";

    /// <summary>HKDF <c>info</c>: <c>usrv/1 aes-256-gcm</c> (UTF-8).</summary>
    public const string HkdfInfo = "usrv/1 aes-256-gcm";

    /// <summary>AES-GCM IV length: 12 bytes (NIST SP 800-38D's recommended size).</summary>
    public const int IvLength = 12;

    /// <summary>AES-GCM tag length: 16 bytes.</summary>
    public const int TagLength = 16;

    /// <summary>Bytes a sealed body adds to its plaintext: 28 (IV + tag); also the shortest valid body.</summary>
    public const int Overhead = IvLength + TagLength;

    private const int KeyLength = 32;
    private static readonly byte[] InfoBytes = Encoding.UTF8.GetBytes(HkdfInfo);
    private static readonly byte[] DigestPrefix = Encoding.UTF8.GetBytes(Scheme + "\n");

    /// <summary>Seals a request body for <paramref name="server"/> with a nonce from the system clock.</summary>
    /// <inheritdoc cref="SealRequest(PrivateKey, PublicKey, string, string, ReadOnlySpan{byte}, DateTimeOffset)"/>
    public static SealedMessage SealRequest(PrivateKey sender, PublicKey server, string method, string requestTarget, ReadOnlySpan<byte> plaintext) =>
        SealRequest(sender, server, method, requestTarget, plaintext, DateTimeOffset.UtcNow);

    /// <summary>Seals a request body for <paramref name="server"/> (usrv/1 request, DESIGN §5).</summary>
    /// <param name="sender">The client's static key; signs the message.</param>
    /// <param name="server">The server's public key; only its private key opens the body.</param>
    /// <param name="method">The HTTP method, exactly as sent (e.g. <c>POST</c>).</param>
    /// <param name="requestTarget">The request-target as sent, e.g. <c>/api/endpoint?a=1</c>.</param>
    /// <param name="plaintext">The body to seal, any length (0 included).</param>
    /// <param name="now">The clock for the <c>Nonce</c> (usrv format, microseconds, UTC).</param>
    /// <returns>The body (plaintext length + 28 bytes) and all five headers.</returns>
    /// <exception cref="ArgumentNullException">A key, <paramref name="method"/> or <paramref name="requestTarget"/> is null.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="sender"/> was disposed.</exception>
    public static SealedMessage SealRequest(PrivateKey sender, PublicKey server, string method, string requestTarget, ReadOnlySpan<byte> plaintext, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(requestTarget);
        var nonce = Nonce.Format(now);
        var body = Seal(sender, server, RequestAad(method, requestTarget, nonce), plaintext, out var ephemeral, out var signature);
        return new SealedMessage(body, new EnvelopeHeaders(EnvelopeHeaders.Aes256Gcm, nonce, ephemeral, sender.PublicKey.ToString(), signature));
    }

    /// <summary>Opens a sealed request (usrv/1, DESIGN §5): headers, then signature, then (optionally) the replay guard, then decryption.</summary>
    /// <param name="server">This server's private key.</param>
    /// <param name="method">The HTTP method as received.</param>
    /// <param name="requestTarget">The request-target as received (path and query).</param>
    /// <param name="headers">The envelope headers as received.</param>
    /// <param name="body">The body as received.</param>
    /// <param name="replayGuard">
    /// When given, checks the nonce after the signature verifies and before decryption, so a forged request
    /// cannot burn a genuine sender's nonce; identity = the sender's public key text.
    /// </param>
    /// <returns>The plaintext, the verified sender key and the nonce.</returns>
    /// <exception cref="ArgumentNullException">A reference parameter is null.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="server"/> was disposed.</exception>
    /// <exception cref="EnvelopeException">
    /// 400 malformed or missing header, bad key or base64, body under 28 bytes, or not sealed for this key /
    /// altered (the detail names this server's key); 401 signature fails; 412 nonce refused by the guard;
    /// 415 unknown <c>Usrv-Cipher</c> or usrv 0.4's AES-CTR scheme; 503 the guard's store is full.
    /// </exception>
    public static OpenedMessage OpenRequest(PrivateKey server, string method, string requestTarget, EnvelopeHeaders headers, ReadOnlySpan<byte> body, ReplayGuard? replayGuard = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(requestTarget);
        ArgumentNullException.ThrowIfNull(headers);
        try
        {
            var parsed = Parse(headers, body, isRequest: true);
            var aad = RequestAad(method, requestTarget, headers.Nonce!);
            VerifySignature(parsed, aad, body, "request");
            replayGuard?.Check(parsed.Sender.ToString(), headers.Nonce);
            var plaintext = Decrypt(server, parsed.Ephemeral, aad, body,
                $"The body is not sealed for this server's public key {server.PublicKey}, or it was altered in transit. Seal it for {server.PublicKey}.");
            return new OpenedMessage(plaintext, parsed.Sender, headers.Nonce);
        }
        catch (Exception ex) when (IsInputFault(ex))
        {
            throw new EnvelopeException(400, "The sealed request is malformed: " + ex.Message);
        }
    }

    /// <summary>Seals a response body for <paramref name="client"/> (usrv/1 response, DESIGN §5).</summary>
    /// <param name="server">This server's static key; signs the response.</param>
    /// <param name="client">The requester's <c>Sender-Public-Key</c>.</param>
    /// <param name="status">The HTTP status sent with the response; bound into the aad.</param>
    /// <param name="requestNonce">The request's <c>Nonce</c>, or null when it had none; bound into the aad.</param>
    /// <param name="plaintext">The body to seal, any length.</param>
    /// <returns>The body and the headers <c>Usrv-Cipher</c>, <c>Ephemeral-Public-Key</c>, <c>Sender-Public-Key</c>, <c>Sender-Signature</c> (no <c>Nonce</c>).</returns>
    /// <exception cref="ArgumentNullException">A key is null.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="server"/> was disposed.</exception>
    public static SealedMessage SealResponse(PrivateKey server, PublicKey client, int status, string? requestNonce, ReadOnlySpan<byte> plaintext)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(client);
        var body = Seal(server, client, ResponseAad(status, requestNonce), plaintext, out var ephemeral, out var signature);
        return new SealedMessage(body, new EnvelopeHeaders(EnvelopeHeaders.Aes256Gcm, null, ephemeral, server.PublicKey.ToString(), signature));
    }

    /// <summary>Opens a sealed response: headers, then the sender is the expected server, then its signature, then decryption.</summary>
    /// <param name="client">The client's private key (the request's <c>Sender-Public-Key</c>).</param>
    /// <param name="expectedServer">The server key the client meant to talk to.</param>
    /// <param name="status">The response's HTTP status.</param>
    /// <param name="requestNonce">The nonce the request carried, or null.</param>
    /// <param name="headers">The response's envelope headers.</param>
    /// <param name="body">The response body.</param>
    /// <returns>The plaintext, the server key and the request nonce.</returns>
    /// <exception cref="ArgumentNullException">A reference parameter is null.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="client"/> was disposed.</exception>
    /// <exception cref="EnvelopeException">
    /// 400 not sealed, malformed, or not sealed for this client / altered; 401 signed by another key than
    /// <paramref name="expectedServer"/> (the detail names both) or the signature fails; 415 unknown cipher or usrv 0.4 scheme.
    /// </exception>
    public static OpenedMessage OpenResponse(PrivateKey client, PublicKey expectedServer, int status, string? requestNonce, EnvelopeHeaders headers, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(expectedServer);
        ArgumentNullException.ThrowIfNull(headers);
        try
        {
            var parsed = Parse(headers, body, isRequest: false);
            if (parsed.Sender != expectedServer)
            {
                throw new EnvelopeException(401,
                    $"The response is signed by {parsed.Sender}, not by the expected server key {expectedServer}.");
            }

            var aad = ResponseAad(status, requestNonce);
            VerifySignature(parsed, aad, body, "response");
            var plaintext = Decrypt(client, parsed.Ephemeral, aad, body,
                $"The response body is not sealed for this client's public key {client.PublicKey}, or it was altered in transit.");
            return new OpenedMessage(plaintext, parsed.Sender, requestNonce);
        }
        catch (Exception ex) when (IsInputFault(ex))
        {
            throw new EnvelopeException(400, "The sealed response is malformed: " + ex.Message);
        }
    }

    // Safety net: a library fault on hostile input becomes a 400, never a 500.
    private static bool IsInputFault(Exception ex) =>
        ex is not EnvelopeException and not ObjectDisposedException and (FormatException or ArgumentException or CryptographicException or ArithmeticException);

    private static byte[] RequestAad(string method, string requestTarget, string nonce) =>
        Encoding.UTF8.GetBytes(method + " " + requestTarget + "\n" + nonce);

    private static byte[] ResponseAad(int status, string? requestNonce) =>
        Encoding.UTF8.GetBytes("RESPONSE " + status.ToString(CultureInfo.InvariantCulture) + "\n" + (requestNonce ?? ""));

    private static byte[] Seal(PrivateKey sender, PublicKey recipient, byte[] aad, ReadOnlySpan<byte> plaintext, out string ephemeralText, out string signatureText)
    {
        if (plaintext.Length > Array.MaxLength - Overhead)
        {
            throw new ArgumentException($"The plaintext is too long to seal ({plaintext.Length} bytes).", nameof(plaintext));
        }

        var body = new byte[Overhead + plaintext.Length];
        var iv = body.AsSpan(0, IvLength);
        var ciphertext = body.AsSpan(IvLength, plaintext.Length);
        var tag = body.AsSpan(IvLength + plaintext.Length, TagLength);
        RandomNumberGenerator.Fill(iv);

        using (var ephemeral = PrivateKey.Generate())
        {
            Span<byte> key = stackalloc byte[KeyLength];
            try
            {
                DeriveKey(ephemeral, recipient, ephemeral.PublicKey, recipient, key);
                using var aes = new AesGcm(key, TagLength);
                aes.Encrypt(iv, plaintext, ciphertext, tag, aad);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(key);
            }

            Span<byte> digest = stackalloc byte[32];
            SignedDigest(aad, ephemeral.PublicKey, body, digest);
            ephemeralText = ephemeral.PublicKey.ToString();
            signatureText = Convert.ToBase64String(sender.Sign(digest));
        }

        return body;
    }

    /// <summary>key = HKDF-SHA256(ikm: z = x(own·other), salt: SEC1c(E) || SEC1c(recipient), info: "usrv/1 aes-256-gcm").</summary>
    private static void DeriveKey(PrivateKey own, PublicKey other, PublicKey ephemeral, PublicKey recipient, Span<byte> key)
    {
        var z = own.DeriveSharedX(other);
        try
        {
            Span<byte> salt = stackalloc byte[2 * PublicKey.CompressedLength];
            ephemeral.Compressed.CopyTo(salt);
            recipient.Compressed.CopyTo(salt[PublicKey.CompressedLength..]);
            HKDF.DeriveKey(HashAlgorithmName.SHA256, z, key, salt, InfoBytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(z);
        }
    }

    private static void SignedDigest(byte[] aad, PublicKey ephemeral, ReadOnlySpan<byte> body, Span<byte> digest)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(DigestPrefix);
        hash.AppendData(aad);
        hash.AppendData(ephemeral.Compressed);
        hash.AppendData(body);
        hash.GetHashAndReset(digest);
    }

    private static void VerifySignature(ParsedEnvelope parsed, byte[] aad, ReadOnlySpan<byte> body, string what)
    {
        Span<byte> digest = stackalloc byte[32];
        SignedDigest(aad, parsed.Ephemeral, body, digest);
        if (!parsed.Sender.Verify(digest, parsed.Signature))
        {
            throw new EnvelopeException(401,
                $"Sender-Signature does not verify for Sender-Public-Key {parsed.Sender} over this {what} " +
                "(method or status, target, nonce, ephemeral key and body are all signed).");
        }
    }

    private static byte[] Decrypt(PrivateKey own, PublicKey ephemeral, byte[] aad, ReadOnlySpan<byte> body, string failure)
    {
        var iv = body[..IvLength];
        var ciphertext = body[IvLength..^TagLength];
        var tag = body[^TagLength..];
        var plaintext = new byte[ciphertext.Length];
        Span<byte> key = stackalloc byte[KeyLength];
        try
        {
            DeriveKey(own, ephemeral, ephemeral, own.PublicKey, key);
            using var aes = new AesGcm(key, TagLength);
            aes.Decrypt(iv, ciphertext, tag, plaintext, aad);
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new EnvelopeException(400, failure);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static ParsedEnvelope Parse(EnvelopeHeaders headers, ReadOnlySpan<byte> body, bool isRequest)
    {
        var what = isRequest ? "request" : "response";
        if (headers.IsUsrv04)
        {
            throw new EnvelopeException(415,
                $"This {what} uses usrv 0.4's encryption (AES-256-CTR over hex text: Ephemeral-Public-Key without Usrv-Cipher), " +
                $"which is not supported yet. Send a usrv/1 sealed body with {EnvelopeHeaders.UsrvCipherName}: {EnvelopeHeaders.Aes256Gcm}.");
        }

        if (headers.UsrvCipher is { } cipher && !string.Equals(cipher.Trim(), EnvelopeHeaders.Aes256Gcm, StringComparison.OrdinalIgnoreCase))
        {
            throw new EnvelopeException(415,
                $"{EnvelopeHeaders.UsrvCipherName} '{Clip(cipher)}' is not supported; usrv/1 uses {EnvelopeHeaders.Aes256Gcm}.");
        }

        if (!headers.IsSealed)
        {
            throw new EnvelopeException(400,
                $"The {what} is not sealed: it has no {EnvelopeHeaders.UsrvCipherName} or {EnvelopeHeaders.EphemeralPublicKeyName} header.");
        }

        var missing = new List<string>();
        AddIfMissing(missing, EnvelopeHeaders.UsrvCipherName, headers.UsrvCipher);
        if (isRequest)
        {
            AddIfMissing(missing, EnvelopeHeaders.NonceName, headers.Nonce);
        }

        AddIfMissing(missing, EnvelopeHeaders.EphemeralPublicKeyName, headers.EphemeralPublicKey);
        AddIfMissing(missing, EnvelopeHeaders.SenderPublicKeyName, headers.SenderPublicKey);
        AddIfMissing(missing, EnvelopeHeaders.SenderSignatureName, headers.SenderSignature);
        if (missing.Count > 0)
        {
            var all = isRequest ? string.Join(", ", EnvelopeHeaders.Names) : "Usrv-Cipher, Ephemeral-Public-Key, Sender-Public-Key, Sender-Signature";
            throw new EnvelopeException(400,
                $"The sealed {what} lacks the header(s) {string.Join(", ", missing)}; a usrv/1 sealed {what} carries {all}.");
        }

        var ephemeral = PublicKey.TryParseCore(headers.EphemeralPublicKey, out var error)
            ?? throw new EnvelopeException(400, $"{EnvelopeHeaders.EphemeralPublicKeyName} is not a valid secp256k1 public key: {error}");
        var sender = PublicKey.TryParseCore(headers.SenderPublicKey, out error)
            ?? throw new EnvelopeException(400, $"{EnvelopeHeaders.SenderPublicKeyName} is not a valid secp256k1 public key: {error}");

        var signature = new byte[Bip340.SignatureLength];
        if (headers.SenderSignature!.Length > 128
            || !Convert.TryFromBase64String(headers.SenderSignature, signature, out var written)
            || written != Bip340.SignatureLength)
        {
            throw new EnvelopeException(400, $"{EnvelopeHeaders.SenderSignatureName} is not base64 of a 64-byte BIP340 signature.");
        }

        if (body.Length < Overhead)
        {
            throw new EnvelopeException(400,
                $"The sealed {what} body is {body.Length} bytes; a usrv/1 body is at least {Overhead} (12-byte IV and 16-byte tag).");
        }

        return new ParsedEnvelope(ephemeral, sender, signature);
    }

    private static void AddIfMissing(List<string> missing, string name, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            missing.Add(name);
        }
    }

    private static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private sealed record ParsedEnvelope(PublicKey Ephemeral, PublicKey Sender, byte[] Signature);
}
