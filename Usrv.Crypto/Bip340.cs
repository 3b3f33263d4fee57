using System.Security.Cryptography;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;
using ECPoint = Org.BouncyCastle.Math.EC.ECPoint;

namespace Usrv.Crypto;

/// <summary>
/// BIP340 Schnorr signatures over secp256k1 (https://github.com/bitcoin/bips/blob/master/bip-0340.mediawiki):
/// 32-byte x-only public keys, 64-byte signatures <c>r || s</c>, messages of any length.
/// </summary>
/// <remarks>
/// Checked against every row of the BIP340 test vectors (<c>bip340-test-vectors.csv</c>), including the
/// variable-length message rows. Curve arithmetic is BouncyCastle's <c>SecP256K1Curve</c>.
/// </remarks>
public static class Bip340
{
    /// <summary>Length of a secret key, a public key (x-only), an aux_rand value and r or s: 32 bytes.</summary>
    public const int KeyLength = 32;

    /// <summary>Length of a signature <c>bytes(R) || bytes(s)</c>: 64 bytes.</summary>
    public const int SignatureLength = 64;

    /// <summary>
    /// Signs <paramref name="message"/> per BIP340 <c>Sign(sk, m)</c> with the given auxiliary randomness.
    /// </summary>
    /// <param name="secretKey32">The secret key: 32 bytes big-endian, 0 &lt; d &lt; n.</param>
    /// <param name="message">The message, any length (BIP340 allows variable length).</param>
    /// <param name="auxRand32">32 bytes of fresh randomness (BIP340 <c>a</c>); all-zero gives a deterministic signature.</param>
    /// <returns>The 64-byte signature <c>bytes(R) || bytes((k + e·d) mod n)</c>.</returns>
    /// <exception cref="InvalidKeyException">The secret key is not 32 bytes, is 0 or is ≥ n.</exception>
    /// <exception cref="ArgumentException"><paramref name="auxRand32"/> is not 32 bytes.</exception>
    /// <exception cref="CryptographicException">The produced signature did not verify (BIP340's fault check); never expected.</exception>
    public static byte[] Sign(ReadOnlySpan<byte> secretKey32, ReadOnlySpan<byte> message, ReadOnlySpan<byte> auxRand32)
    {
        if (secretKey32.Length != KeyLength)
        {
            throw new InvalidKeyException($"A BIP340 secret key is {KeyLength} bytes; got {secretKey32.Length}.");
        }

        if (!Secp256k1.IsValidScalar(secretKey32))
        {
            throw new InvalidKeyException("A BIP340 secret key must be in [1, n-1] (BIP340, SEC1); got 0 or a value >= n.");
        }

        var d = Secp256k1.ToInteger(secretKey32);
        var publicPoint = Secp256k1.MultiplyG(d);
        var signature = new byte[SignatureLength];
        SignCore(d, publicPoint, message, auxRand32, signature);
        return signature;
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
        if (publicKeyX32.Length != KeyLength || signature64.Length != SignatureLength)
        {
            return false;
        }

        var point = Secp256k1.LiftX(publicKeyX32);
        return point is not null && VerifyCore(point, publicKeyX32, message, signature64);
    }

    /// <summary>
    /// BIP340 signing with a validated secret scalar <paramref name="d0"/> and its public point
    /// <paramref name="publicPoint"/> = d0·G (normalized), so callers holding a key do not recompute it.
    /// <paramref name="verifyResult"/> runs BIP340's recommended verify-before-return fault check (about the
    /// cost of one <see cref="Verify"/>); callers skip it only when aux_rand is fresh randomness, so no two
    /// signatures share a nonce and a faulty one reveals nothing about the key.
    /// </summary>
    internal static void SignCore(BigInteger d0, ECPoint publicPoint, ReadOnlySpan<byte> message, ReadOnlySpan<byte> auxRand32, Span<byte> signature64, bool verifyResult = true)
    {
        if (auxRand32.Length != KeyLength)
        {
            throw new ArgumentException($"BIP340 aux_rand is {KeyLength} bytes; got {auxRand32.Length}.", nameof(auxRand32));
        }

        Span<byte> px = stackalloc byte[KeyLength];
        publicPoint.AffineXCoord.GetEncoded().CopyTo(px);
        var d = publicPoint.AffineYCoord.TestBitZero() ? Secp256k1.N.Subtract(d0) : d0;

        // t = bytes(d) xor hash_aux(a); rand = hash_nonce(t || bytes(P) || m)
        Span<byte> t = stackalloc byte[KeyLength];
        Span<byte> rand = stackalloc byte[KeyLength];
        try
        {
            TaggedHash.Aux.Compute(auxRand32, default, default, t);
            Span<byte> dBytes = stackalloc byte[KeyLength];
            Secp256k1.WriteInteger(d, dBytes);
            for (var i = 0; i < KeyLength; i++)
            {
                t[i] ^= dBytes[i];
            }

            CryptographicOperations.ZeroMemory(dBytes);
            TaggedHash.Nonce.Compute(t, px, message, rand);

            var k0 = Secp256k1.ToInteger(rand).Mod(Secp256k1.N);
            if (k0.SignValue == 0)
            {
                // Probability about 2^-256; BIP340 says fail.
                throw new CryptographicException("BIP340 nonce k' is zero; sign again with other aux_rand.");
            }

            var r = Secp256k1.MultiplyG(k0);
            var k = r.AffineYCoord.TestBitZero() ? Secp256k1.N.Subtract(k0) : k0;
            var rx = signature64[..KeyLength];
            r.AffineXCoord.GetEncoded().CopyTo(rx);

            Span<byte> challenge = stackalloc byte[KeyLength];
            TaggedHash.Challenge.Compute(rx, px, message, challenge);
            var e = Secp256k1.ToInteger(challenge).Mod(Secp256k1.N);
            Secp256k1.WriteInteger(k.Add(e.Multiply(d)).Mod(Secp256k1.N), signature64[KeyLength..]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(t);
            CryptographicOperations.ZeroMemory(rand);
        }

        // BIP340 recommends verifying before returning: a computation fault must not leak the key.
        if (verifyResult && !VerifyCore(Secp256k1.WithEvenY(publicPoint), px, message, signature64))
        {
            CryptographicOperations.ZeroMemory(signature64);
            throw new CryptographicException("BIP340 signature failed its own verification (computation fault); nothing was signed.");
        }
    }

    /// <summary>
    /// BIP340 <c>Verify</c> for a public point <paramref name="evenPoint"/> with even y (lift_x of
    /// <paramref name="publicKeyX32"/>). Returns false on any invalid signature; never throws.
    /// </summary>
    internal static bool VerifyCore(ECPoint evenPoint, ReadOnlySpan<byte> publicKeyX32, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature64)
    {
        if (signature64.Length != SignatureLength)
        {
            return false;
        }

        var rx = signature64[..KeyLength];
        var sBytes = signature64[KeyLength..];
        if (!Secp256k1.IsBelow(rx, Secp256k1.FieldSizeBytes) || !Secp256k1.IsBelow(sBytes, Secp256k1.OrderBytes))
        {
            return false;
        }

        Span<byte> challenge = stackalloc byte[KeyLength];
        TaggedHash.Challenge.Compute(rx, publicKeyX32, message, challenge);
        var e = Secp256k1.ToInteger(challenge).Mod(Secp256k1.N);
        var s = Secp256k1.ToInteger(sBytes);

        // R = s·G − e·P in one interleaved (Shamir/GLV) multiplication.
        var minusE = Secp256k1.N.Subtract(e).Mod(Secp256k1.N);
        var r = ECAlgorithms.SumOfTwoMultiplies(Secp256k1.G, s, evenPoint, minusE);
        if (r.IsInfinity)
        {
            return false;
        }

        r = r.Normalize();
        if (r.AffineYCoord.TestBitZero())
        {
            return false;
        }

        Span<byte> x = stackalloc byte[KeyLength];
        r.AffineXCoord.GetEncoded().CopyTo(x);
        return x.SequenceEqual(rx);
    }
}
