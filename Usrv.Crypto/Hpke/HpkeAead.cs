using System.Security.Cryptography;

namespace Usrv.Crypto.Hpke;

/// <summary>
/// An HPKE AEAD (RFC 9180 §7.3): AES-128-GCM (0x0001, Nk = 16) or AES-256-GCM (0x0002, Nk = 32), both with
/// Nn = 12 and Nt = 16, on the BCL's <see cref="AesGcm"/>.
/// </summary>
public sealed class HpkeAead
{
    /// <summary>Nn: the nonce length, 12 bytes (RFC 9180 §7.3).</summary>
    public const int NonceLength = 12;

    /// <summary>Nt: the authentication tag length, 16 bytes (RFC 9180 §7.3).</summary>
    public const int TagLength = 16;

    /// <summary>AES-128-GCM, AEAD id 0x0001, Nk = 16.</summary>
    public static HpkeAead Aes128Gcm { get; } = new(0x0001, 16);

    /// <summary>AES-256-GCM, AEAD id 0x0002, Nk = 32.</summary>
    public static HpkeAead Aes256Gcm { get; } = new(0x0002, 32);

    private HpkeAead(ushort aeadId, int keyLength)
    {
        AeadId = aeadId;
        KeyLength = keyLength;
    }

    /// <summary>The AEAD id of RFC 9180 §7.3.</summary>
    public ushort AeadId { get; }

    /// <summary>Nk: the key length in bytes (16 or 32).</summary>
    public int KeyLength { get; }

    /// <summary>An AES-GCM instance on a key of <see cref="KeyLength"/> bytes with 16-byte tags.</summary>
    internal AesGcm CreateCipher(ReadOnlySpan<byte> key) => new(key, TagLength);
}
