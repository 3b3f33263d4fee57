using System.Security.Cryptography;
using System.Text;

namespace Usrv.Crypto;

/// <summary>
/// What both ends keep of a request to seal or open its answer (DESIGN, Sealed calls: the usrv/2 scheme; Answer; RFC 9458 §4.4's
/// response encapsulation): the secret exported from the request's HPKE context, <c>enc</c>, and the request's
/// signature. Wiped on <see cref="Dispose"/>.
/// </summary>
internal sealed class ResponseKeys : IDisposable
{
    /// <summary>HPKE exporter context of the answer's secret: <c>usrv/2 response</c>.</summary>
    public static readonly byte[] ExportContext = Encoding.UTF8.GetBytes("usrv/2 response");

    /// <summary>Length of the exported secret: 32 bytes.</summary>
    public const int SecretLength = 32;

    /// <summary>Length of <c>response_nonce</c>: 32 bytes.</summary>
    public const int ResponseNonceLength = 32;

    /// <summary>AES-256-GCM key length: 32 bytes.</summary>
    public const int KeyLength = 32;

    /// <summary>AES-GCM nonce length: 12 bytes.</summary>
    public const int IvLength = 12;

    /// <summary>AES-GCM tag length: 16 bytes.</summary>
    public const int TagLength = 16;

    private readonly byte[] _secret;

    public ResponseKeys(byte[] secret, byte[] enc, byte[] requestSignature)
    {
        _secret = secret;
        Enc = enc;
        RequestSignature = requestSignature;
    }

    /// <summary>The request's <c>enc</c>, 65 bytes.</summary>
    public byte[] Enc { get; }

    /// <summary>The request's BIP340 signature, 64 bytes: the answer's signature covers it.</summary>
    public byte[] RequestSignature { get; }

    /// <summary>The exported secret (tests compare it with the vectors).</summary>
    internal ReadOnlySpan<byte> Secret => _secret;

    /// <summary>
    /// <c>prk = HKDF-Extract(salt = enc || response_nonce, ikm = secret)</c>; <c>key = HKDF-Expand(prk, "key", 32)</c>;
    /// <c>iv = HKDF-Expand(prk, "nonce", 12)</c> (RFC 5869).
    /// </summary>
    public void Derive(ReadOnlySpan<byte> responseNonce, Span<byte> key32, Span<byte> iv12)
    {
        Span<byte> salt = stackalloc byte[65 + ResponseNonceLength];
        Span<byte> prk = stackalloc byte[32];
        try
        {
            Enc.CopyTo(salt);
            responseNonce.CopyTo(salt[Enc.Length..]);
            HKDF.Extract(HashAlgorithmName.SHA256, _secret, salt[..(Enc.Length + responseNonce.Length)], prk);
            HKDF.Expand(HashAlgorithmName.SHA256, prk, key32, "key"u8);
            HKDF.Expand(HashAlgorithmName.SHA256, prk, iv12, "nonce"u8);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(prk);
        }
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(_secret);
}
