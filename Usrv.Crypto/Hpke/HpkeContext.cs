using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Usrv.Crypto.Hpke;

/// <summary>
/// An HPKE encryption context (RFC 9180 §5.2, §5.3), from <see cref="HpkeSuite"/>'s Setup functions: the sender's
/// seals and the recipient's opens, each numbered by a sequence number that starts at 0, with
/// nonce = <c>base_nonce XOR I2OSP(seq, Nn)</c>; and the secret export. Not thread-safe: messages must be sealed
/// and opened in order. <see cref="Dispose"/> wipes the key, base nonce and exporter secret.
/// </summary>
public sealed class HpkeContext : IDisposable
{
    private readonly byte[] _suiteId;
    private readonly byte[] _key;
    private readonly byte[] _baseNonce;
    private readonly byte[] _exporterSecret;
    private readonly AesGcm _cipher;
    private bool _disposed;

    internal HpkeContext(HpkeAead aead, byte[] suiteId, byte[] key, byte[] baseNonce, byte[] exporterSecret)
    {
        _suiteId = suiteId;
        _key = key;
        _baseNonce = baseNonce;
        _exporterSecret = exporterSecret;
        _cipher = aead.CreateCipher(key);
    }

    /// <summary>The AEAD key, Nk bytes (tests only).</summary>
    internal ReadOnlySpan<byte> Key => _key;

    /// <summary>The base nonce, Nn = 12 bytes (tests only).</summary>
    internal ReadOnlySpan<byte> BaseNonce => _baseNonce;

    /// <summary>The exporter secret, Nh = 32 bytes (tests only).</summary>
    internal ReadOnlySpan<byte> ExporterSecret => _exporterSecret;

    /// <summary>The number of the next message to seal or open (RFC 9180 §5.2); settable by tests.</summary>
    internal ulong Sequence { get; set; }

    /// <summary>
    /// <c>ContextS.Seal(aad, pt)</c> (RFC 9180 §5.2): AEAD-encrypts <paramref name="plaintext"/> under the next nonce.
    /// </summary>
    /// <param name="aad">Additional authenticated data, any length.</param>
    /// <param name="plaintext">The plaintext, any length.</param>
    /// <returns><c>ct || tag</c>: plaintext length + Nt (16) bytes.</returns>
    /// <exception cref="HpkeException">The sequence number is exhausted (<c>MessageLimitReachedError</c>).</exception>
    /// <exception cref="ObjectDisposedException">The context is disposed.</exception>
    public byte[] Seal(ReadOnlySpan<byte> aad, ReadOnlySpan<byte> plaintext)
    {
        Span<byte> nonce = stackalloc byte[HpkeAead.NonceLength];
        ComputeNonce(nonce);
        byte[] output = new byte[plaintext.Length + HpkeAead.TagLength];
        _cipher.Encrypt(nonce, plaintext, output.AsSpan(0, plaintext.Length), output.AsSpan(plaintext.Length), aad);
        Sequence++;
        return output;
    }

    /// <summary>
    /// <c>ContextR.Open(aad, ct)</c> (RFC 9180 §5.2): AEAD-decrypts <paramref name="ciphertext"/> under the next nonce.
    /// The sequence number advances only on success.
    /// </summary>
    /// <param name="aad">The additional authenticated data given to Seal.</param>
    /// <param name="ciphertext"><c>ct || tag</c>, at least Nt (16) bytes.</param>
    /// <returns>The plaintext, <paramref name="ciphertext"/> length − 16 bytes.</returns>
    /// <exception cref="HpkeException">
    /// Authentication failed or the input is shorter than a tag (<c>OpenError</c>), or the sequence number is exhausted.
    /// </exception>
    /// <exception cref="ObjectDisposedException">The context is disposed.</exception>
    public byte[] Open(ReadOnlySpan<byte> aad, ReadOnlySpan<byte> ciphertext)
    {
        Span<byte> nonce = stackalloc byte[HpkeAead.NonceLength];
        ComputeNonce(nonce);
        if (ciphertext.Length < HpkeAead.TagLength)
            throw new HpkeException("HPKE open failed: ciphertext shorter than the tag.");
        int length = ciphertext.Length - HpkeAead.TagLength;
        byte[] plaintext = new byte[length];
        try
        {
            _cipher.Decrypt(nonce, ciphertext[..length], ciphertext[length..], plaintext, aad);
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new HpkeException("HPKE open failed: authentication tag mismatch.", e);
        }
        Sequence++;
        return plaintext;
    }

    /// <summary>
    /// <c>Context.Export(exporter_context, L)</c> (RFC 9180 §5.3):
    /// <c>LabeledExpand(exporter_secret, "sec", exporter_context, L)</c>.
    /// </summary>
    /// <param name="exporterContext">The exporter context, any length.</param>
    /// <param name="length">L, 0 to 255 * Nh = 8160 bytes.</param>
    /// <returns>L bytes, the same on the sender's and the recipient's contexts.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative or above 8160.</exception>
    /// <exception cref="ObjectDisposedException">The context is disposed.</exception>
    public byte[] Export(ReadOnlySpan<byte> exporterContext, int length)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        byte[] output = new byte[length];
        HpkeLabels.LabeledExpand(_suiteId, _exporterSecret, "sec"u8, exporterContext, output);
        return output;
    }

    /// <summary>Wipes the key, base nonce and exporter secret and releases the AEAD.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _cipher.Dispose();
        CryptographicOperations.ZeroMemory(_key);
        CryptographicOperations.ZeroMemory(_baseNonce);
        CryptographicOperations.ZeroMemory(_exporterSecret);
    }

    /// <summary>
    /// <c>ComputeNonce(seq) = base_nonce XOR I2OSP(seq, Nn)</c> (RFC 9180 §5.2) into 12 bytes. seq is 64 bits, so
    /// the RFC's limit 2^96 - 1 becomes the stricter 2^64 - 1: no seal or open once seq would wrap.
    /// </summary>
    /// <exception cref="HpkeException">The sequence number is exhausted (<c>MessageLimitReachedError</c>).</exception>
    internal void ComputeNonce(Span<byte> nonce)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Sequence == ulong.MaxValue)
            throw new HpkeException("HPKE message limit reached: the sequence number is exhausted.");
        nonce.Clear();
        BinaryPrimitives.WriteUInt64BigEndian(nonce[^8..], Sequence);
        for (int i = 0; i < nonce.Length; i++)
            nonce[i] ^= _baseNonce[i];
    }
}
