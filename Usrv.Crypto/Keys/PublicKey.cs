using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Usrv.Crypto;

/// <summary>
/// A secp256k1 public key: a point on the curve other than the point at infinity. Immutable; equal when the
/// points are equal, whatever encoding they were read from.
/// </summary>
/// <remarks>
/// <para>Text form (usrv/2, DESIGN, Sealed calls: the usrv/2 scheme): standard base64 of the 33-byte SEC1 compressed
/// point (<see cref="ToString"/>). Parsers also accept the 65-byte SEC1 uncompressed form <c>0x04 || x || y</c> and
/// usrv 0.4's 64-byte <c>x || y</c> (<see cref="ToUsrv04String"/>).</para>
/// <para>Refused with <see cref="InvalidKeyException"/> (SEC1 §2.3.4 and §3.2.2): wrong length, bad base64,
/// a bad prefix byte, a coordinate ≥ p, a point that is not on the curve, the point at infinity.</para>
/// </remarks>
public sealed class PublicKey : IEquatable<PublicKey>
{
    /// <summary>Length of the SEC1 compressed form <c>0x02|0x03 || x</c>: 33 bytes.</summary>
    public const int CompressedLength = 33;

    /// <summary>Length of the SEC1 uncompressed form <c>0x04 || x || y</c>: 65 bytes.</summary>
    public const int UncompressedLength = 65;

    /// <summary>Length of usrv 0.4's form <c>x || y</c>: 64 bytes.</summary>
    public const int Usrv04Length = 64;

    /// <summary>Length of the BIP340 x-only form: 32 bytes.</summary>
    public const int XOnlyLength = 32;

    // Longest base64 text worth decoding: 65 bytes are 88 characters; leave room for whitespace.
    private const int MaxBase64Length = 128;

    private const string NotOnCurveX = "The x-coordinate is not on secp256k1: x³ + 7 has no square root mod p.";

    private readonly byte[] _compressed;
    private readonly byte[] _pubkey = new byte[Secp256k1.PubkeyObjectLength];
    private readonly byte[] _xOnly = new byte[Secp256k1.PubkeyObjectLength];
    private byte[]? _uncompressed;
    private string? _text;

    // pubkey64 is a libsecp256k1 secp256k1_pubkey already known to be valid.
    private PublicKey(ReadOnlySpan<byte> pubkey64)
    {
        pubkey64.CopyTo(_pubkey);
        Secp256k1.ToXOnly(_pubkey, _xOnly);
        _compressed = Secp256k1.Serialize(_pubkey, compressed: true);
    }

    /// <summary>The 33-byte SEC1 compressed encoding <c>0x02|0x03 || x</c>.</summary>
    public ReadOnlySpan<byte> Compressed => _compressed;

    /// <summary>The 32-byte x-coordinate, big-endian: the BIP340 x-only public key.</summary>
    public ReadOnlySpan<byte> XOnly => _compressed.AsSpan(1);

    /// <summary>The 65-byte SEC1 uncompressed encoding <c>0x04 || x || y</c>, cached (HPKE's <c>SerializePublicKey</c>).</summary>
    internal ReadOnlySpan<byte> Uncompressed => _uncompressed ??= Secp256k1.Serialize(_pubkey, compressed: false);

    /// <summary>libsecp256k1's parsed form of the point (<c>secp256k1_pubkey</c>, 64 opaque bytes).</summary>
    internal ReadOnlySpan<byte> NativeKey => _pubkey;

    /// <summary>Reads a public key from base64 text (usrv/2 and usrv 0.4 header form).</summary>
    /// <param name="base64">Standard base64 of 33 (compressed), 65 (uncompressed) or 64 (usrv 0.4 <c>x||y</c>) bytes.</param>
    /// <returns>The key.</returns>
    /// <exception cref="InvalidKeyException">
    /// Null, bad base64, wrong length, off the curve, x or y ≥ p, or infinity; the message says which.
    /// </exception>
    public static PublicKey Parse(string base64)
    {
        var key = TryParseCore(base64, out var error);
        return key ?? throw new InvalidKeyException(error!);
    }

    /// <summary>Like <see cref="Parse"/> but returns false instead of throwing.</summary>
    /// <param name="base64">Standard base64 of a 33-, 64- or 65-byte key, or null.</param>
    /// <param name="key">The key, when the result is true.</param>
    /// <returns>True when <paramref name="base64"/> holds a valid key.</returns>
    public static bool TryParse([NotNullWhen(true)] string? base64, [NotNullWhen(true)] out PublicKey? key)
    {
        key = TryParseCore(base64, out _);
        return key is not null;
    }

    /// <summary>Reads a public key from bytes.</summary>
    /// <param name="encoded">
    /// 33 bytes SEC1 compressed, 65 bytes SEC1 uncompressed (<c>0x04||x||y</c>) or 64 bytes usrv 0.4 <c>x||y</c>;
    /// big-endian coordinates.
    /// </param>
    /// <returns>The key.</returns>
    /// <exception cref="InvalidKeyException">
    /// Wrong length, bad prefix, x or y ≥ p, off the curve or infinity; the message says which.
    /// </exception>
    public static PublicKey FromBytes(ReadOnlySpan<byte> encoded)
    {
        var key = TryDecode(encoded, out var error);
        return key ?? throw new InvalidKeyException(error!);
    }

    /// <summary>Reads a BIP340 x-only public key (the point with that x and even y, BIP340 <c>lift_x</c>).</summary>
    /// <param name="x32">The x-coordinate, 32 bytes big-endian.</param>
    /// <returns>The key.</returns>
    /// <exception cref="InvalidKeyException">Not 32 bytes, x ≥ p, or no point with that x.</exception>
    public static PublicKey FromXOnly(ReadOnlySpan<byte> x32)
    {
        if (x32.Length != XOnlyLength)
        {
            throw new InvalidKeyException($"An x-only public key is {XOnlyLength} bytes (BIP340); got {x32.Length}.");
        }

        Span<byte> compressed = stackalloc byte[CompressedLength];
        compressed[0] = 0x02; // lift_x: the point with that x and even y
        x32.CopyTo(compressed[1..]);
        return FromBytes(compressed);
    }

    /// <summary>The 65-byte SEC1 uncompressed encoding <c>0x04 || x || y</c>.</summary>
    /// <returns>A new array of 65 bytes.</returns>
    public byte[] ToUncompressed() => Uncompressed.ToArray();

    /// <summary>
    /// usrv 0.4.3's text form of a public key: standard base64 (RFC 4648 section 4, with padding) of the 64-byte
    /// <c>x || y</c>, both coordinates big-endian, without SEC1's prefix byte. It is what usrv 0.4.3 sends in its
    /// <c>Sender-Public-Key</c> and <c>Ephemeral-Public-Key</c> headers and answers at <c>GET /puk</c>
    /// (the README of micro-server shows one: <c>pP15aGDc...SmTQ==</c>). <see cref="Parse"/> reads it back.
    /// </summary>
    /// <returns>88 characters of base64.</returns>
    public string ToUsrv04String() => Convert.ToBase64String(Uncompressed[1..]);

    /// <summary>The same text as <see cref="ToUsrv04String"/>, under its earlier name (kept for the code that calls it).</summary>
    /// <returns>88 characters of base64.</returns>
    public string ToUsrv04Base64() => ToUsrv04String();

    /// <summary>The usrv/2 text form: standard base64 of the 33-byte SEC1 compressed point (44 characters).</summary>
    /// <returns>The base64 text.</returns>
    public override string ToString() => _text ??= Convert.ToBase64String(_compressed);

    /// <summary>Verifies a BIP340 signature by this key (its x-only form) over <paramref name="message"/>.</summary>
    /// <param name="message">The signed message, any length.</param>
    /// <param name="signature64">The 64-byte BIP340 signature.</param>
    /// <returns>True when valid; false for any invalid or malformed signature (never throws).</returns>
    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature64) =>
        Secp256k1.VerifySchnorr(_xOnly, message, signature64);

    /// <summary>
    /// Verifies a usrv 0.4 signature: BIP340 over <c>SHA256(UTF8(message))</c> (see <see cref="PrivateKey.SignSha256Utf8(string)"/>).
    /// </summary>
    /// <param name="message">The signed text.</param>
    /// <param name="signature64">The 64-byte BIP340 signature.</param>
    /// <returns>True when valid; false otherwise (never throws for a non-null message).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is null.</exception>
    public bool VerifySha256Utf8(string message, ReadOnlySpan<byte> signature64)
    {
        ArgumentNullException.ThrowIfNull(message);
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(message), digest);
        return Verify(digest, signature64);
    }

    /// <summary>
    /// The RFC 7638 JWK thumbprint of this key as an EC JWK (<c>crv</c> secp256k1, RFC 8812): base64url of the SHA-256
    /// of <c>{"crv":"secp256k1","kty":"EC","x":"...","y":"..."}</c>, members in lexicographic order, no whitespace. The
    /// <c>kid</c> of the key set.
    /// </summary>
    /// <returns>43 characters of base64url.</returns>
    public string JwkThumbprint()
    {
        var (x, y) = JwkCoordinates();
        var canonical = "{\"crv\":\"secp256k1\",\"kty\":\"EC\",\"x\":\"" + x + "\",\"y\":\"" + y + "\"}";
        return Base64Url(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>The JWK <c>x</c> and <c>y</c> members (RFC 7518 §6.2.1): base64url of the 32-byte coordinates.</summary>
    /// <returns>The two texts.</returns>
    public (string X, string Y) JwkCoordinates() => (Base64Url(Uncompressed[1..33]), Base64Url(Uncompressed[33..]));

    private static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <inheritdoc/>
    public bool Equals(PublicKey? other) =>
        other is not null && (ReferenceEquals(this, other) || _compressed.AsSpan().SequenceEqual(other._compressed));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as PublicKey);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.AddBytes(_compressed);
        return hash.ToHashCode();
    }

    /// <summary>True when both are null or both hold the same point.</summary>
    /// <param name="left">A key or null.</param>
    /// <param name="right">A key or null.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(PublicKey? left, PublicKey? right) =>
        left is null ? right is null : left.Equals(right);

    /// <summary>True when exactly one is null or they hold different points.</summary>
    /// <param name="left">A key or null.</param>
    /// <param name="right">A key or null.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(PublicKey? left, PublicKey? right) => !(left == right);

    /// <summary>Wraps a libsecp256k1 <c>secp256k1_pubkey</c> already known to be valid (from d·G).</summary>
    internal static PublicKey FromNative(ReadOnlySpan<byte> pubkey64) => new(pubkey64);

    /// <summary>Parses base64 text; null with a reason instead of throwing.</summary>
    internal static PublicKey? TryParseCore(string? base64, out string? error)
    {
        if (string.IsNullOrWhiteSpace(base64))
        {
            error = "The public key is empty; expected base64 of a 33-byte SEC1 compressed point.";
            return null;
        }

        if (base64.Length > MaxBase64Length)
        {
            error = $"The public key text is {base64.Length} characters; base64 of a 33-, 64- or 65-byte key is at most 88.";
            return null;
        }

        Span<byte> buffer = stackalloc byte[MaxBase64Length];
        if (!Convert.TryFromBase64String(base64, buffer, out var length))
        {
            error = "The public key is not valid base64.";
            return null;
        }

        return TryDecode(buffer[..length], out error);
    }

    /// <summary>Decodes SEC1 compressed, SEC1 uncompressed or usrv 0.4 bytes; null with a reason instead of throwing.</summary>
    internal static PublicKey? TryDecode(ReadOnlySpan<byte> encoded, out string? error)
    {
        error = null;
        switch (encoded.Length)
        {
            case CompressedLength:
                return DecodeCompressed(encoded, out error);
            case UncompressedLength when encoded[0] == 0x04:
                return DecodeXY(encoded[1..], out error);
            case UncompressedLength:
                error = $"A 65-byte public key must start with 0x04 (SEC1 uncompressed); got 0x{encoded[0]:x2}.";
                return null;
            case Usrv04Length:
                return DecodeXY(encoded, out error);
            case 1 when encoded[0] == 0x00:
                error = "The public key is the point at infinity (SEC1 0x00), which is not a key.";
                return null;
            default:
                error = $"A public key is 33 (SEC1 compressed), 65 (SEC1 uncompressed) or 64 (usrv 0.4 x||y) bytes; got {encoded.Length}.";
                return null;
        }
    }

    private static PublicKey? DecodeCompressed(ReadOnlySpan<byte> encoded, out string? error)
    {
        var prefix = encoded[0];
        if (prefix is not (0x02 or 0x03))
        {
            error = $"A 33-byte public key must start with 0x02 or 0x03 (SEC1 compressed); got 0x{prefix:x2}.";
            return null;
        }

        if (!Secp256k1.IsBelow(encoded[1..], Secp256k1.FieldSize))
        {
            error = "The x-coordinate is not below the field size p (SEC1 §2.3.4).";
            return null;
        }

        return ParseSec1(encoded, NotOnCurveX, out error);
    }

    private static PublicKey? DecodeXY(ReadOnlySpan<byte> xy, out string? error)
    {
        if (xy.IndexOfAnyExcept((byte)0) < 0)
        {
            error = "The public key has all-zero coordinates, the encoding of the point at infinity, which is not a key.";
            return null;
        }

        if (!Secp256k1.IsBelow(xy[..32], Secp256k1.FieldSize) || !Secp256k1.IsBelow(xy[32..], Secp256k1.FieldSize))
        {
            error = "A coordinate is not below the field size p (SEC1 §2.3.4).";
            return null;
        }

        Span<byte> uncompressed = stackalloc byte[UncompressedLength];
        uncompressed[0] = 0x04;
        xy.CopyTo(uncompressed[1..]);
        return ParseSec1(uncompressed, "The point is not on secp256k1: y² ≠ x³ + 7 mod p.", out error);
    }

    // libsecp256k1 checks the point lies on the curve (its coordinate checks are done above, for the message).
    private static PublicKey? ParseSec1(ReadOnlySpan<byte> sec1, string notOnCurve, out string? error)
    {
        Span<byte> pubkey = stackalloc byte[Secp256k1.PubkeyObjectLength];
        if (!Secp256k1.TryParsePublicKey(sec1, pubkey))
        {
            error = notOnCurve;
            return null;
        }

        error = null;
        return new PublicKey(pubkey);
    }
}
