namespace Usrv.Crypto;

/// <summary>
/// BIP340 Schnorr signatures over secp256k1 (https://github.com/bitcoin/bips/blob/master/bip-0340.mediawiki):
/// 32-byte x-only public keys, 64-byte signatures <c>r || s</c>, messages of any length.
/// </summary>
/// <remarks>
/// Signing and verification are bitcoin-core's libsecp256k1 (<c>secp256k1_schnorrsig_sign32</c>,
/// <c>_sign_custom</c>, <c>_verify</c>); signing is constant time and every signature is verified before it is
/// returned (BIP340's recommendation). Checked against every row of <c>bip340-test-vectors.csv</c>, including the
/// variable-length message rows.
/// </remarks>
public static class Bip340
{
    /// <summary>Length of a secret key, a public key (x-only), an aux_rand value and r or s: 32 bytes.</summary>
    public const int KeyLength = 32;

    /// <summary>Length of a signature <c>bytes(R) || bytes(s)</c>: 64 bytes.</summary>
    public const int SignatureLength = 64;

    /// <summary>Signs <paramref name="message"/> per BIP340 <c>Sign(sk, m)</c> with the given auxiliary randomness.</summary>
    /// <param name="secretKey32">The secret key: 32 bytes big-endian, 0 &lt; d &lt; n.</param>
    /// <param name="message">The message, any length (BIP340 allows variable length).</param>
    /// <param name="auxRand32">32 bytes of fresh randomness (BIP340 <c>a</c>); all-zero gives a deterministic signature.</param>
    /// <returns>The 64-byte signature.</returns>
    /// <exception cref="InvalidKeyException">The secret key is not 32 bytes, is 0 or is ≥ n.</exception>
    /// <exception cref="ArgumentException"><paramref name="auxRand32"/> is not 32 bytes.</exception>
    /// <exception cref="System.Security.Cryptography.CryptographicException">
    /// The signature did not verify (BIP340's fault check); never expected.
    /// </exception>
    public static byte[] Sign(ReadOnlySpan<byte> secretKey32, ReadOnlySpan<byte> message, ReadOnlySpan<byte> auxRand32)
    {
        if (secretKey32.Length != KeyLength)
        {
            throw new InvalidKeyException($"A BIP340 secret key is {KeyLength} bytes; got {secretKey32.Length}.");
        }

        if (!Secp256k1.IsValidSecretKey(secretKey32))
        {
            throw new InvalidKeyException("A BIP340 secret key must be in [1, n-1] (BIP340, SEC1); got 0 or a value >= n.");
        }

        using var key = PrivateKey.FromBytes(secretKey32);
        return key.Sign(message, auxRand32);
    }

    /// <summary>
    /// Verifies a BIP340 signature. Never throws on bad input: a key or signature of the wrong length,
    /// an x that is not on the curve, r ≥ p or s ≥ n all give <see langword="false"/>.
    /// </summary>
    /// <param name="publicKeyX32">The x-only public key, 32 bytes big-endian (BIP340 <c>bytes(P)</c>).</param>
    /// <param name="message">The signed message, any length.</param>
    /// <param name="signature64">The 64-byte signature <c>r || s</c>.</param>
    /// <returns><see langword="true"/> when the signature is valid for that key and message.</returns>
    public static bool Verify(ReadOnlySpan<byte> publicKeyX32, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature64)
    {
        if (publicKeyX32.Length != KeyLength || signature64.Length != SignatureLength
            || !Secp256k1.IsBelow(publicKeyX32, Secp256k1.FieldSize))
        {
            return false;
        }

        Span<byte> compressed = stackalloc byte[PublicKey.CompressedLength];
        compressed[0] = 0x02;
        publicKeyX32.CopyTo(compressed[1..]);
        var key = PublicKey.TryDecode(compressed, out _);
        return key is not null && key.Verify(message, signature64);
    }
}
