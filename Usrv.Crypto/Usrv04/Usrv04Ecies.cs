using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace Usrv.Crypto;

/// <summary>
/// usrv 0.4.3's ECIES (its <c>secp256k1.encrypt</c>/<c>decrypt</c>; DESIGN, Talking to usrv 0.4 peers), byte for byte:
/// <c>S = r·Q</c> for an ephemeral key <c>r</c> (sent as <c>R = r·G</c>), <c>secret = hex(SHA256(x(S)))</c> (64 lowercase
/// hex characters), <c>key = SHA256(UTF8(secret))</c>, AES-256-CTR with pyaes's default counter (a 16-byte big-endian
/// block, starting at 1), the ciphertext sent as lowercase hex text.
/// </summary>
/// <remarks>
/// <para>Insecure by design, kept only to talk to usrv 0.4 peers: CTR mode has no authentication tag, so an altered
/// ciphertext decrypts to altered plaintext without notice; only the signature of <see cref="Usrv04Envelope"/> covers
/// it. ECDH is libsecp256k1's (<see cref="PrivateKey.DeriveSharedX(PublicKey)"/>), SHA-256 the BCL's, AES-CTR
/// BouncyCastle's; nothing here is a hand-written primitive. Checked against <c>shared/vectors/usrv-0.4.3-wire.json</c>
/// (<c>ecies</c>).</para>
/// </remarks>
public static class Usrv04Ecies
{
    /// <summary>Length of the AES-256 key: 32 bytes.</summary>
    public const int KeyLength = 32;

    private static readonly System.Buffers.SearchValues<char> HexDigits =
        System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    // pyaes.Counter(initial_value = 1): the 16-byte big-endian block 0x00..01.
    private static ReadOnlySpan<byte> InitialCounter => [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];

    /// <summary>
    /// Encrypts <paramref name="plaintext"/> for <paramref name="recipient"/> under a fresh random ephemeral key.
    /// </summary>
    /// <param name="recipient">The recipient's public key Q.</param>
    /// <param name="plaintext">The bytes to encrypt (usrv 0.4 encrypts the UTF-8 of a text), any length.</param>
    /// <returns>
    /// The ephemeral public key R (send it as <see cref="PublicKey.ToUsrv04Base64"/>) and the ciphertext as lowercase hex.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="recipient"/> is null.</exception>
    public static (PublicKey Ephemeral, string CiphertextHex) Encrypt(PublicKey recipient, ReadOnlySpan<byte> plaintext)
    {
        using var ephemeral = PrivateKey.Generate();
        return (ephemeral.PublicKey, Encrypt(recipient, plaintext, ephemeral));
    }

    /// <summary>Encrypts with a given ephemeral key <paramref name="ephemeral"/> (test vectors; never reuse one).</summary>
    /// <returns>The ciphertext as lowercase hex; R is <c>ephemeral.PublicKey</c>.</returns>
    internal static string Encrypt(PublicKey recipient, ReadOnlySpan<byte> plaintext, PrivateKey ephemeral)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        ArgumentNullException.ThrowIfNull(ephemeral);
        return Convert.ToHexStringLower(Transform(ephemeral, recipient, plaintext));
    }

    /// <summary>Decrypts usrv 0.4 ciphertext sealed for <paramref name="recipient"/> under <paramref name="ephemeral"/>.</summary>
    /// <param name="recipient">The recipient's key pair (d).</param>
    /// <param name="ephemeral">The sender's ephemeral public key R.</param>
    /// <param name="ciphertext">The ciphertext bytes (the hex text already decoded, see <see cref="TryDecodeHex"/>).</param>
    /// <returns>
    /// The plaintext bytes. CTR mode cannot tell a wrong key or an altered ciphertext: the result is then garbage
    /// (usrv 0.4 notices only when it is not UTF-8, see <see cref="IsUtf8"/>).
    /// </returns>
    /// <exception cref="ArgumentNullException">A key is null.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="recipient"/> was disposed.</exception>
    public static byte[] Decrypt(PrivateKey recipient, PublicKey ephemeral, ReadOnlySpan<byte> ciphertext)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        ArgumentNullException.ThrowIfNull(ephemeral);
        return Transform(recipient, ephemeral, ciphertext);
    }

    /// <summary>
    /// Reads usrv 0.4's hex text (Python's <c>unhexlify</c>: an even number of hex digits, either case, nothing else).
    /// </summary>
    /// <param name="hex">The text as received.</param>
    /// <param name="bytes">The bytes, when the result is true.</param>
    /// <returns>False when <paramref name="hex"/> is null, of odd length, or holds a character that is not a hex digit.</returns>
    public static bool TryDecodeHex(string? hex, out byte[] bytes)
    {
        bytes = [];
        if (hex is null || hex.Length % 2 != 0 || hex.AsSpan().ContainsAnyExcept(HexDigits))
        {
            return false;
        }

        bytes = Convert.FromHexString(hex);
        return true;
    }

    /// <summary>True when <paramref name="bytes"/> are well-formed UTF-8 (usrv 0.4's only sign of a wrong key).</summary>
    /// <param name="bytes">Decrypted bytes.</param>
    /// <returns>Whether they decode as UTF-8 without replacement.</returns>
    public static bool IsUtf8(ReadOnlySpan<byte> bytes) => System.Text.Unicode.Utf8.IsValid(bytes);

    // CTR is its own inverse: key = SHA256(UTF8(hex(SHA256(x(d·Q))))), AES-256-CTR from the counter block 1.
    private static byte[] Transform(PrivateKey own, PublicKey other, ReadOnlySpan<byte> input)
    {
        Span<byte> x = stackalloc byte[32];
        Span<byte> digest = stackalloc byte[32];
        var key = new byte[KeyLength];
        Span<char> secretChars = stackalloc char[64];
        Span<byte> secretText = stackalloc byte[64];
        try
        {
            own.DeriveSharedX(other, x);
            SHA256.HashData(x, digest);
            // hexdigest() is lowercase ASCII; its UTF-8 is the ASCII itself.
            Convert.TryToHexStringLower(digest, secretChars, out _);
            Encoding.ASCII.GetBytes(secretChars, secretText);
            SHA256.HashData(secretText, key);
            var cipher = CipherUtilities.GetCipher("AES/CTR/NoPadding");
            cipher.Init(true, new ParametersWithIV(new KeyParameter(key), InitialCounter.ToArray()));
            return cipher.DoFinal(input.ToArray());
        }
        finally
        {
            CryptographicOperations.ZeroMemory(x);
            CryptographicOperations.ZeroMemory(digest);
            CryptographicOperations.ZeroMemory(secretText);
            secretChars.Clear();
            CryptographicOperations.ZeroMemory(key);
        }
    }
}
