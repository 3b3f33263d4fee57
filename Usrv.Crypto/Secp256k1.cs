using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;
using Org.BouncyCastle.Math.EC.Multiplier;

namespace Usrv.Crypto;

/// <summary>
/// The secp256k1 curve (SEC 2 §2.4.1) as BouncyCastle's optimised <c>SecP256K1Curve</c> with its GLV
/// endomorphism, plus the few conversions the rest of the library needs. All point arithmetic is
/// BouncyCastle's; this type only wires it up.
/// </summary>
internal static class Secp256k1
{
    private static readonly X9ECParameters Parameters = CustomNamedCurves.GetByName("secp256k1");

    /// <summary>The curve (y² = x³ + 7 over F_p).</summary>
    public static readonly ECCurve Curve = Parameters.Curve;

    /// <summary>The generator. Always this instance, so BouncyCastle's cached precomputations are reused.</summary>
    public static readonly ECPoint G = Parameters.G;

    /// <summary>The group order n.</summary>
    public static readonly BigInteger N = Parameters.N;

    /// <summary>The field size p, big-endian, 32 bytes.</summary>
    public static readonly byte[] FieldSizeBytes = Curve.Field.Characteristic.ToByteArrayUnsigned();

    /// <summary>The group order n, big-endian, 32 bytes.</summary>
    public static readonly byte[] OrderBytes = N.ToByteArrayUnsigned();

    // Comb tables for G are computed once (on first use) and cached on G by BouncyCastle.
    private static readonly FixedPointCombMultiplier BaseMultiplier = new();

    /// <summary>k·G with the fixed-base comb multiplier (k in [1, n-1]).</summary>
    public static ECPoint MultiplyG(BigInteger k) => BaseMultiplier.Multiply(G, k).Normalize();

    /// <summary>True when the 32-byte big-endian value is below the 32-byte big-endian bound.</summary>
    public static bool IsBelow(ReadOnlySpan<byte> value32, ReadOnlySpan<byte> bound32) =>
        value32.SequenceCompareTo(bound32) < 0;

    /// <summary>True when the 32 bytes are a valid secret scalar: 0 &lt; d &lt; n.</summary>
    public static bool IsValidScalar(ReadOnlySpan<byte> value32) =>
        value32.Length == 32 && IsBelow(value32, OrderBytes) && value32.IndexOfAnyExcept((byte)0) >= 0;

    /// <summary>Reads 32 big-endian bytes as a non-negative integer.</summary>
    public static BigInteger ToInteger(ReadOnlySpan<byte> bytes) => new(1, bytes.ToArray());

    /// <summary>Writes a non-negative integer below 2^256 as 32 big-endian bytes.</summary>
    public static void WriteInteger(BigInteger value, Span<byte> destination32)
    {
        var bytes = value.ToByteArrayUnsigned();
        destination32[..(32 - bytes.Length)].Clear();
        bytes.CopyTo(destination32[(32 - bytes.Length)..]);
        Array.Clear(bytes);
    }

    /// <summary>
    /// BIP340 <c>lift_x</c>: the point with x-coordinate <paramref name="x32"/> and even y, or null when
    /// x ≥ p or x³ + 7 is not a square mod p. Never throws on bad input.
    /// </summary>
    public static ECPoint? LiftX(ReadOnlySpan<byte> x32)
    {
        if (x32.Length != 32 || !IsBelow(x32, FieldSizeBytes))
        {
            return null;
        }

        var x = Curve.FromBigInteger(ToInteger(x32));
        var y = x.Square().Multiply(x).Add(Curve.B).Sqrt();
        if (y is null)
        {
            return null;
        }

        if (y.TestBitZero())
        {
            y = y.Negate();
        }

        return Curve.CreatePoint(x.ToBigInteger(), y.ToBigInteger());
    }

    /// <summary>The point with the same x and an even y (BIP340 works with x-only keys).</summary>
    public static ECPoint WithEvenY(ECPoint normalized) =>
        normalized.AffineYCoord.TestBitZero() ? normalized.Negate().Normalize() : normalized;
}
