using System.Security.Cryptography;
using System.Text;

namespace Usrv.Crypto;

/// <summary>
/// BIP340 tagged hashes: <c>hash_tag(x) = SHA256(SHA256(tag) || SHA256(tag) || x)</c>. The 64-byte prefix
/// of each tag is computed once.
/// </summary>
internal sealed class TaggedHash
{
    // Inputs up to this size are hashed from one stack buffer instead of an IncrementalHash.
    private const int StackLimit = 512;

    private readonly byte[] _prefix;

    private TaggedHash(string tag)
    {
        var tagHash = SHA256.HashData(Encoding.UTF8.GetBytes(tag));
        _prefix = [.. tagHash, .. tagHash];
    }

    /// <summary><c>BIP0340/aux</c>.</summary>
    public static TaggedHash Aux { get; } = new("BIP0340/aux");

    /// <summary><c>BIP0340/nonce</c>.</summary>
    public static TaggedHash Nonce { get; } = new("BIP0340/nonce");

    /// <summary><c>BIP0340/challenge</c>.</summary>
    public static TaggedHash Challenge { get; } = new("BIP0340/challenge");

    /// <summary>Writes the 32-byte tagged hash of <c>a || b || c</c> to <paramref name="destination"/>.</summary>
    public void Compute(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c, Span<byte> destination)
    {
        var length = _prefix.Length + a.Length + b.Length + c.Length;
        if (length <= StackLimit)
        {
            Span<byte> buffer = stackalloc byte[StackLimit];
            var input = buffer[..length];
            _prefix.CopyTo(input);
            a.CopyTo(input[_prefix.Length..]);
            b.CopyTo(input[(_prefix.Length + a.Length)..]);
            c.CopyTo(input[(_prefix.Length + a.Length + b.Length)..]);
            SHA256.HashData(input, destination);
            // The nonce hash input holds the masked secret key.
            CryptographicOperations.ZeroMemory(input);
            return;
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(_prefix);
        hash.AppendData(a);
        hash.AppendData(b);
        hash.AppendData(c);
        hash.GetHashAndReset(destination);
    }
}
