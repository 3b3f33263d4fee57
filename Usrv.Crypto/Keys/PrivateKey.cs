using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Usrv.Crypto;

/// <summary>
/// A secp256k1 private key: a scalar d in [1, n-1] and its public key d·G. Signs (BIP340) and derives
/// ECDH shared secrets. Dispose it to wipe the scalar.
/// </summary>
/// <remarks>
/// <para>Every operation with the scalar (d·G, ECDH, BIP340 signing) runs in bitcoin-core's libsecp256k1, in
/// constant time. The scalar and libsecp256k1's key pair object are held as bytes and wiped with
/// <see cref="CryptographicOperations.ZeroMemory"/> on <see cref="Dispose"/>; <see cref="ToString"/> shows only
/// the public key.</para>
/// <para>Thread-safe for concurrent use until disposed.</para>
/// </remarks>
public sealed class PrivateKey : IDisposable
{
    /// <summary>The derivation's default passphrase, as in usrv 0.4: "SALT".</summary>
    public const string DefaultPassphrase = "SALT";

    /// <summary>PBKDF2 iterations of usrv's secret derivation (BIP39's count): 2048.</summary>
    public const int SecretIterations = 2048;

    private readonly byte[] _scalar;
    private readonly byte[] _keypair = new byte[Secp256k1.KeypairObjectLength];
    private volatile bool _disposed;

    // scalar is a valid secret key (checked by the caller); owned from here on.
    private PrivateKey(byte[] scalar)
    {
        _scalar = scalar;
        Span<byte> pubkey = stackalloc byte[Secp256k1.PubkeyObjectLength];
        if (!Secp256k1.TryCreatePublicKey(scalar, pubkey) || !Secp256k1.TryCreateKeypair(scalar, _keypair))
        {
            throw new InvalidKeyException("A private key must be in [1, n-1] (SEC1 §3.2.1).");
        }

        PublicKey = PublicKey.FromNative(pubkey);
    }

    /// <summary>The public key d·G.</summary>
    public PublicKey PublicKey { get; }

    /// <summary>A new random key from <see cref="RandomNumberGenerator"/> (rejection sampling: uniform in [1, n-1]).</summary>
    /// <returns>The key; dispose it when done.</returns>
    public static PrivateKey Generate()
    {
        var scalar = new byte[32];
        do
        {
            RandomNumberGenerator.Fill(scalar);
        }
        while (!Secp256k1.IsValidSecretKey(scalar));

        return new PrivateKey(scalar);
    }

    /// <summary>A key from its 32-byte big-endian scalar (SEC1 §2.3.6, BIP340 secret key).</summary>
    /// <param name="scalar32">32 bytes, big-endian, 0 &lt; d &lt; n. Copied; the caller wipes its own copy.</param>
    /// <returns>The key; dispose it when done.</returns>
    /// <exception cref="InvalidKeyException">Not 32 bytes, zero, or ≥ n.</exception>
    public static PrivateKey FromBytes(ReadOnlySpan<byte> scalar32)
    {
        if (scalar32.Length != 32)
        {
            throw new InvalidKeyException($"A private key is 32 bytes; got {scalar32.Length}.");
        }

        if (!Secp256k1.IsValidSecretKey(scalar32))
        {
            throw new InvalidKeyException("A private key must be in [1, n-1] (SEC1 §3.2.1); got 0 or a value >= the group order n.");
        }

        return new PrivateKey(scalar32.ToArray());
    }

    /// <summary>
    /// usrv's key from a secret: <c>int(PBKDF2-HMAC-SHA512(NFKD(secret), UTF8(NFKD("mnemonic" + passphrase)), 2048, 64 bytes))</c>
    /// read big-endian, mod n. The same secret gives the same identity in usrv 0.4 (Python) and here.
    /// </summary>
    /// <param name="secret">The secret text (any length).</param>
    /// <param name="passphrase">usrv's salt passphrase; default "SALT".</param>
    /// <returns>The key; dispose it when done.</returns>
    /// <exception cref="ArgumentNullException">A parameter is null.</exception>
    /// <exception cref="InvalidKeyException">The derived value is 0 mod n (probability about 2^-256).</exception>
    public static PrivateKey FromSecret(string secret, string passphrase = DefaultPassphrase)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(passphrase);

        var password = Encoding.UTF8.GetBytes(secret.Normalize(NormalizationForm.FormKD));
        var salt = Encoding.UTF8.GetBytes(("mnemonic" + passphrase).Normalize(NormalizationForm.FormKD));
        var seed = Rfc2898DeriveBytes.Pbkdf2(password, salt, SecretIterations, HashAlgorithmName.SHA512, 64);
        var scalar = new byte[32];
        try
        {
            // int(seed) mod n: arithmetic on the derived seed, not on the curve.
            var order = new BigInteger(Secp256k1.Order, isUnsigned: true, isBigEndian: true);
            var d = BigInteger.Remainder(new BigInteger(seed, isUnsigned: true, isBigEndian: true), order);
            d.TryWriteBytes(scalar.AsSpan(32 - d.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(password);
            CryptographicOperations.ZeroMemory(seed);
        }

        if (!Secp256k1.IsValidSecretKey(scalar))
        {
            throw new InvalidKeyException("The secret derives to 0 mod n; choose another secret.");
        }

        return new PrivateKey(scalar);
    }

    /// <summary>
    /// A BIP340 signature over <paramref name="message"/> with fresh 32-byte aux randomness, verified before it is
    /// returned.
    /// </summary>
    /// <param name="message">The message, any length (usrv/2 signs 32-byte SHA-256 digests).</param>
    /// <returns>The 64-byte signature; verifies with <see cref="Bip340.Verify"/> against <see cref="PublicKey.XOnly"/>.</returns>
    /// <exception cref="CryptographicException">
    /// The signature failed its own verification (a computation fault); never expected.
    /// </exception>
    /// <exception cref="ObjectDisposedException">The key was disposed.</exception>
    public byte[] Sign(ReadOnlySpan<byte> message)
    {
        Span<byte> aux = stackalloc byte[32];
        RandomNumberGenerator.Fill(aux);
        return Sign(message, aux);
    }

    /// <summary>
    /// A BIP340 signature over <paramref name="message"/> with the given aux randomness (BIP340 <c>a</c>), checked by
    /// verifying it before returning (BIP340's recommendation against computation faults).
    /// </summary>
    /// <param name="message">The message, any length.</param>
    /// <param name="auxRand32">32 bytes; use fresh randomness, or zeros for a deterministic signature.</param>
    /// <returns>The 64-byte signature.</returns>
    /// <exception cref="ArgumentException"><paramref name="auxRand32"/> is not 32 bytes.</exception>
    /// <exception cref="CryptographicException">
    /// The signature failed its own verification (a computation fault); never expected.
    /// </exception>
    /// <exception cref="ObjectDisposedException">The key was disposed.</exception>
    public byte[] Sign(ReadOnlySpan<byte> message, ReadOnlySpan<byte> auxRand32)
    {
        var signature = new byte[Bip340.SignatureLength];
        Sign(message, auxRand32, signature);
        return signature;
    }

    /// <summary>
    /// BIP340 signing into a caller's buffer, verified before it returns (see
    /// <see cref="Sign(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>).
    /// </summary>
    internal void Sign(ReadOnlySpan<byte> message, ReadOnlySpan<byte> auxRand32, Span<byte> signature64)
    {
        if (auxRand32.Length != Bip340.KeyLength)
        {
            throw new ArgumentException($"BIP340 aux_rand is {Bip340.KeyLength} bytes; got {auxRand32.Length}.", nameof(auxRand32));
        }

        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!Secp256k1.TrySignSchnorr(_keypair, message, auxRand32, signature64) || !PublicKey.Verify(message, signature64))
        {
            CryptographicOperations.ZeroMemory(signature64);
            throw new CryptographicException("BIP340 signature failed its own verification (computation fault); nothing was signed.");
        }
    }

    /// <summary>usrv 0.4's signature: BIP340 over <c>SHA256(UTF8(message))</c>, fresh aux randomness.</summary>
    /// <param name="message">The text to sign.</param>
    /// <returns>The 64-byte signature (usrv sends it as base64 of <c>r || s</c>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The key was disposed.</exception>
    public byte[] SignSha256Utf8(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(message), digest);
        return Sign(digest);
    }

    /// <summary>usrv 0.4's signature with the given aux randomness: BIP340 over <c>SHA256(UTF8(message))</c>.</summary>
    /// <param name="message">The text to sign.</param>
    /// <param name="auxRand32">32 bytes of BIP340 aux randomness.</param>
    /// <returns>The 64-byte signature.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="auxRand32"/> is not 32 bytes.</exception>
    /// <exception cref="ObjectDisposedException">The key was disposed.</exception>
    public byte[] SignSha256Utf8(string message, ReadOnlySpan<byte> auxRand32)
    {
        ArgumentNullException.ThrowIfNull(message);
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(message), digest);
        return Sign(digest, auxRand32);
    }

    /// <summary>
    /// ECDH (SEC1 §3.3.1) in constant time: the 32-byte big-endian x-coordinate of d·Q. Feed it to a KDF; never use it as a key directly.
    /// </summary>
    /// <param name="other">The other party's public key Q.</param>
    /// <returns>A new 32-byte array; the caller wipes it after use.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The key was disposed.</exception>
    public byte[] DeriveSharedX(PublicKey other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var x = new byte[32];
        DeriveSharedX(other, x);
        return x;
    }

    /// <summary>ECDH into a caller's 32-byte buffer (see <see cref="DeriveSharedX(PublicKey)"/>).</summary>
    internal void DeriveSharedX(PublicKey other, Span<byte> x32)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        // Q is valid and n is prime, so d·Q is never infinity for d in [1, n-1].
        if (!Secp256k1.TryEcdhX(_scalar, other.NativeKey, x32))
        {
            throw new CryptographicException("libsecp256k1 refused the ECDH.");
        }
    }

    /// <summary>Most peers whose static ECDH this key remembers (<see cref="StaticSharedX"/>); past it, the memory is wiped
    /// and starts again.</summary>
    internal const int MaxRememberedPeers = 1024;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<PublicKey, byte[]> _peers = new();

    /// <summary>
    /// ECDH with a peer's long-term key, remembered: the static half of HPKE's auth mode (RFC 9180 §4.1,
    /// <c>DH(skR, pkS)</c>) is the same for every call from one sender, so a server computes it once per sender instead of
    /// once per request. The remembered values are secrets like the scalar: held only by this key (at most
    /// <see cref="MaxRememberedPeers"/>) and wiped with it on <see cref="Dispose"/>.
    /// </summary>
    internal void StaticSharedX(PublicKey other, Span<byte> x32)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_peers.TryGetValue(other, out var known))
        {
            known = new byte[32];
            DeriveSharedX(other, known);
            if (_peers.Count >= MaxRememberedPeers) Forget();
            known = _peers.GetOrAdd(other, known);
        }
        known.CopyTo(x32);
        // A Dispose that ran meanwhile has wiped what was copied: refuse it rather than hand out zeros.
        ObjectDisposedException.ThrowIf(_disposed, this);
    }

    // Wipes the remembered values (a race with a reader at worst costs it one more ECDH: it copied before the wipe, or
    // finds the entry gone).
    private void Forget()
    {
        foreach (var key in _peers.Keys)
        {
            if (_peers.TryRemove(key, out var x)) CryptographicOperations.ZeroMemory(x);
        }
    }

    /// <summary>The scalar itself, for HPKE's DH inside this library only (never copied out).</summary>
    internal ReadOnlySpan<byte> Scalar
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _scalar;
        }
    }

    /// <summary>The 32-byte big-endian scalar, for <see cref="SecretStore"/>-style sealed storage only.</summary>
    /// <returns>A new 32-byte array; the caller wipes it with <see cref="CryptographicOperations.ZeroMemory"/> after use.</returns>
    /// <exception cref="ObjectDisposedException">The key was disposed.</exception>
    public byte[] ExportBytes()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return (byte[])_scalar.Clone();
    }

    /// <summary>Shows the public key only, never the scalar.</summary>
    /// <returns><c>PrivateKey(public: BASE64)</c>.</returns>
    public override string ToString() => $"PrivateKey(public: {PublicKey})";

    /// <summary>Wipes the scalar. Later use throws <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        _disposed = true;
        CryptographicOperations.ZeroMemory(_scalar);
        CryptographicOperations.ZeroMemory(_keypair);
        Forget();
    }
}
